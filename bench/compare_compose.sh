#!/usr/bin/env bash
# Lint the shared corpus's Compose files with berth and with dclint in the
# same run, one process each, and print both wall-clock times and their ratio.
#
#   bench/compare_compose.sh [CORPUS]   (default: $BERTH_CORPUS or ../shared/corpus)
#   BERTH_BENCH_RUNS=5                  runs of each tool; the median is reported
#   BERTH_BENCH_DCLINT_DIR=DIR          folder where `npx dclint` resolves (default: ../tools)
#   BERTH_BENCH_SKIP_DCLINT=1           time berth only
#
# berth picks a file's kind by its name and the corpus keeps the original
# names (`..._docker-compose.yml`, `conduktor.yml`), so berth reads each file
# through a symbolic link named `compose.NNN.yaml` in a scratch folder; dclint
# lints files named on its command line whatever their names. Both get every
# rule: berth `--select all`, dclint its default configuration (all rules).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-${BERTH_CORPUS:-$root/../shared/corpus}}
runs=${BERTH_BENCH_RUNS:-5}
dclint_dir=${BERTH_BENCH_DCLINT_DIR:-$root/../tools}
[ -d "$corpus/compose" ] || { echo "no $corpus/compose" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd)

# BERTH_BIN=path measures that binary instead (e.g. an older build, for
# before/after figures); otherwise the release build of this tree.
if [ -n "${BERTH_BIN:-}" ]; then berth=$BERTH_BIN; else
  cargo build --quiet --release -p berth --manifest-path "$root/Cargo.toml"
  berth=$root/target/release/berth
fi
scratch=$(mktemp -d)
out=$(mktemp)
trap 'rm -rf "$scratch" "$out"' EXIT
mapfile -d '' files < <(find "$corpus/compose" -type f -print0 | sort -z)
n=0
for f in "${files[@]}"; do
  n=$((n + 1))
  ln -s "$f" "$scratch/$(printf 'compose.%03d.yaml' "$n")"
done
bytes=$(cat "${files[@]}" | wc -c)

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

times=()
for _ in $(seq "$runs"); do
  t0=$(now)
  (cd "$scratch" && "$berth" check --format json --select all --failure-threshold none compose.*.yaml > "$out")
  t1=$(now)
  times+=("$(elapsed "$t0" "$t1")")
done
berth_s=$(median "${times[@]}")
findings=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['files'], 'files,', len(d['diagnostics']))" "$out")
echo "berth:  $findings findings ($bytes bytes), median ${berth_s}s over $runs runs (${times[*]})"

if [ "${BERTH_BENCH_SKIP_DCLINT:-}" = 1 ]; then exit 0; fi
if ! (cd "$dclint_dir" && npx --no-install dclint --version > /dev/null 2>&1); then
  echo "dclint not found under $dclint_dir (cd there and run: npm install dclint@3.1.0)" >&2
  exit 2
fi
dclint_version=$(cd "$dclint_dir" && npx --no-install dclint --version 2> /dev/null | tail -1)
times=()
for _ in $(seq "$runs"); do
  t0=$(now)
  (cd "$dclint_dir" && npx --no-install dclint -f json "${files[@]}" > "$out" 2> /dev/null) || true
  t1=$(now)
  times+=("$(elapsed "$t0" "$t1")")
done
dclint_s=$(median "${times[@]}")
dclint_findings=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(len(r), 'files,', sum(len(f['messages']) for f in r))" "$out" 2> /dev/null || echo "?")
echo "dclint: $dclint_findings findings, median ${dclint_s}s over $runs runs (${times[*]}) (dclint $dclint_version, npx)"
python3 -c "import sys; b, d = float(sys.argv[1]), float(sys.argv[2]); print(f'ratio:  berth is {d / b:.1f}x faster ({d:.2f}s / {b:.3f}s)')" "$berth_s" "$dclint_s"
