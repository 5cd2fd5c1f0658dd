#!/usr/bin/env bash
# Runs dateline's fuzz targets under libFuzzer (coverage-guided), each for a chosen time.
#
#   tools/fuzz.sh                 every target, 60 s each
#   tools/fuzz.sh html 600        one target for ten minutes
#   tools/fuzz.sh all 600         every target, ten minutes each
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer's instrumentation needs a nightly
# compiler; on a stable toolchain the script sets RUSTC_BOOTSTRAP=1 for this build alone.
# Without cargo-fuzz it falls back to random structure-aware inputs without coverage:
#   cargo run --release -p dateline-fuzz -- TARGET SECONDS
# Findings (a crashing input) land in fuzz/artifacts/TARGET/; the corpus grows in fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
seconds="${2:-60}"
targets=(text html jsonl date-line tokenize timeml pipeline)
[ "$which" = all ] || targets=("$which")
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz not found: running random inputs without coverage instead" >&2
  for t in "${targets[@]}"; do cargo run --release -q -p dateline-fuzz -- "$t" "$seconds"; done
  exit 0
fi
rustc --version | grep -q nightly || export RUSTC_BOOTSTRAP=1
cd fuzz
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t for $seconds s"
  # -s none: no sanitizer (Rust is memory-safe; panics and hangs are what we look for).
  # Every input gets at most 10 s and 2 GB: slower or larger is a finding too.
  cargo fuzz run -s none --release "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|.*(panicked|Test unit written))" || true
  if ls "artifacts/$t"/crash-* "artifacts/$t"/timeout-* "artifacts/$t"/oom-* >/dev/null 2>&1; then
    echo "FINDINGS for $t in fuzz/artifacts/$t" >&2
    exit 1
  fi
done
