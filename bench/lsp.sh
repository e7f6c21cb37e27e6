#!/usr/bin/env bash
# Language-server figures with ../shared/tools/lspbench.py: keystroke-to-
# diagnostics and peak memory on a 60-line and a 2,000-line Dockerfile, a
# 1 MiB Dockerfile, a 72-line Compose file, and the robustness probes; against
# docker-langserver in the same run when it is installed
# (DLS=path/to/docker-langserver, default /work/tools/node_modules/.bin/...).
# Usage: bench/lsp.sh [OUT_DIR]   (builds berth in release first)
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${BERTH_TOOLS:-../shared/tools}"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
cargo build --release -q -p berth
berth="$PWD/target/release/berth"
dls="${DLS:-/work/tools/node_modules/.bin/docker-langserver}"
lb() { python3 "$tools/lspbench.py" "$@"; }
cp "$tools/lspbench_fixtures/multistage.Dockerfile" "$out/d60.Dockerfile"
cp "$tools/lspbench_fixtures/compose.yaml" "$out/compose.yaml"
python3 "$tools/lspbench_synth.py" dockerfile 2000 "$out/d2000.Dockerfile" >/dev/null
python3 "$tools/lspbench_synth.py" dockerfile-kib 1024 "$out/d1m.Dockerfile" >/dev/null
for f in d60 d2000; do
  echo "== berth, $f"
  lb --file "$out/$f.Dockerfile" --label "berth-$f" --no-formatting --json-out "$out/berth-$f.json" -- "$berth" lsp > "$out/berth-$f.txt" 2>&1 || true
  tail -n 25 "$out/berth-$f.txt"
  if [ -x "$dls" ]; then
    echo "== docker-langserver, $f"
    lb --file "$out/$f.Dockerfile" --label "dls-$f" --no-formatting --json-out "$out/dls-$f.json" -- "$dls" --stdio > "$out/dls-$f.txt" 2>&1 || true
    tail -n 25 "$out/dls-$f.txt"
  fi
done
# The 1 MiB file: 3 keystrokes, not 20, because docker-langserver takes 20-35 s
# for each; both servers get the same options. Set DLS_1M=0 to skip it there.
echo "== berth, 1 MiB Dockerfile"
lb --file "$out/d1m.Dockerfile" --label berth-1m --startup-runs 3 --edits 3 --no-formatting --json-out "$out/berth-1m.json" -- "$berth" lsp > "$out/berth-1m.txt" 2>&1 || true
tail -n 25 "$out/berth-1m.txt"
if [ -x "$dls" ] && [ "${DLS_1M:-1}" != 0 ]; then
  echo "== docker-langserver, 1 MiB Dockerfile (a few minutes)"
  lb --file "$out/d1m.Dockerfile" --label dls-1m --startup-runs 1 --edits 3 --no-formatting \
    --first-diag-timeout 180 --edit-diag-timeout 180 --timeout 60 \
    --json-out "$out/dls-1m.json" -- "$dls" --stdio > "$out/dls-1m.txt" 2>&1 || true
  tail -n 25 "$out/dls-1m.txt"
fi
echo "== berth, 72-line Compose file"
lb --file "$out/compose.yaml" --language-id dockercompose --label berth-compose --no-formatting --json-out "$out/berth-compose.json" -- "$berth" lsp > "$out/berth-compose.txt" 2>&1 || true
tail -n 25 "$out/berth-compose.txt"
echo "== berth, robustness probes"
lb --file "$out/d60.Dockerfile" --label berth-robust --robustness-only --json-out "$out/berth-robust.json" -- "$berth" lsp > "$out/berth-robust.txt" 2>&1 || true
tail -n 25 "$out/berth-robust.txt"
echo "results in $out"
