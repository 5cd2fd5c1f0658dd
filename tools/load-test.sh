#!/usr/bin/env bash
# Load figures for `dateline serve` (issue 16): wrk from loopback against the events API and
# the article view, 16 connections, with the server's resident memory sampled every 5 s.
#
#   tools/load-test.sh STORE.db [SECONDS]     (default 60 s per target; needs wrk)
#
# A store of all BBC articles: dateline ingest --db bbc.db ../shared/datasets/news-articles/bbc
set -euo pipefail
db="${1:?usage: tools/load-test.sh STORE.db [SECONDS]}"
secs="${2:-60}"
bin="${DATELINE_BIN:-target/release/dateline}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$bin" ] || cargo build --release -q
port=$((20000 + RANDOM % 20000))
"$bin" serve --db "$db" --addr "127.0.0.1:$port" 2>/tmp/dateline-load-serve.log &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/openapi.json" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
# 200 article ids, visited in turn, so the article view is not one cached page.
ids=$(curl -sf "$base/api/documents?limit=200" | python3 -c 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["items"]))')
lua=$(mktemp --suffix=.lua)
{
  echo "local ids = {"; for i in $ids; do echo "\"$i\","; done; echo "}"
  echo 'local n = 0'
  echo 'request = function() n = n + 1; return wrk.format("GET", "/doc/" .. ids[(n % #ids) + 1]) end'
} > "$lua"
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
run() {
  local name="$1"; shift
  local samples=()
  ( for _ in $(seq $((secs / 5))); do sleep 5; echo "$(rss)"; done ) > /tmp/dateline-load-rss &
  local sampler=$!
  echo "== $name: wrk -t2 -c16 -d${secs}s --latency"
  wrk -t2 -c16 -d"${secs}s" --latency "$@" | grep -E "Requests/sec|Latency|99%|50%|Non-2xx|Socket errors|requests in"
  wait $sampler || true
  echo "   server RSS (kB) every 5 s: $(tr '\n' ' ' < /tmp/dateline-load-rss)"
}
echo "store: $db ($(curl -sf "$base/api/documents?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])') documents); RSS at start $(rss) kB"
run "/api/events (50 newest events)" "$base/api/events"
run "/api/events?type=CONSULT" "$base/api/events?type=CONSULT"
run "/doc/ID (article view, 200 articles in turn)" -s "$lua" "$base"
rm -f "$lua"
