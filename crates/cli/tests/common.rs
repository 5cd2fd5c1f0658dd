#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dateline"))
}

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("dateline runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn extract(path: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let o = bin().arg("extract").arg(path).arg("--compact").args(extra).output().unwrap();
    assert!(o.status.success(), "extract {}: {}", path.display(), stderr(&o));
    String::from_utf8(o.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}
