//! `dateline-fuzz TARGET [SECONDS] [SEED]`: runs a fuzz target on random structure-aware
//! inputs for a chosen time (no coverage guidance; `tools/fuzz.sh` runs the same targets
//! under libFuzzer). `dateline-fuzz all SECONDS` runs each target in turn.

use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<&str> = dateline_fuzz::TARGETS.iter().map(|t| t.name).collect();
    let Some(which) = args.first() else {
        eprintln!("usage: dateline-fuzz TARGET|all [SECONDS] [SEED]\ntargets: {}", names.join(", "));
        return ExitCode::from(2);
    };
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(60);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let targets: Vec<&dateline_fuzz::Target> = if which == "all" {
        dateline_fuzz::TARGETS.iter().collect()
    } else {
        match dateline_fuzz::target(which) {
            Some(t) => vec![t],
            None => {
                eprintln!("no target {which:?}; targets: {}", names.join(", "));
                return ExitCode::from(2);
            }
        }
    };
    // Panics inside a target are caught and reported with their input; keep the default
    // hook quiet so the report is the one line that matters.
    std::panic::set_hook(Box::new(|_| {}));
    for t in targets {
        let n = dateline_fuzz::run_random(t, seed, Duration::from_secs(seconds));
        println!("{}: {n} inputs in {seconds} s, no failure (seed {seed})", t.name);
    }
    ExitCode::SUCCESS
}
