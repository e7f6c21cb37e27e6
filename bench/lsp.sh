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
# BERTH_BIN=path measures that binary instead (e.g. an older build, for
# before/after figures); otherwise the release build of this tree.
if [ -n "${BERTH_BIN:-}" ]; then berth=$BERTH_BIN; else
  cargo build --release -q -p berth
  berth="$PWD/target/release/berth"
fi
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
# A 2,000-line Compose project: every service builds a Dockerfile of its own
# (with stages and a .dockerignore), so each keystroke on the Compose file
# runs its cross-file checks over 110 Dockerfiles; and a keystroke on one of
# those Dockerfiles (linted with the build.args of the services that build it).
proj="$out/c2k"
mkdir -p "$proj"
python3 "$tools/lspbench_synth.py" compose 2000 "$proj/compose.yaml" >/dev/null
python3 - "$proj" <<'PY'
import os, re, sys
root = sys.argv[1]
for d in re.findall(r"context: \./(svc\d+)", open(os.path.join(root, "compose.yaml")).read()):
    os.makedirs(os.path.join(root, d), exist_ok=True)
    with open(os.path.join(root, d, "Dockerfile"), "w") as f:
        f.write("ARG VERSION=1.0\nFROM alpine:3.20 AS base\nRUN apk add --no-cache curl\nFROM base AS prod\nCOPY . /app\nUSER 1000\nCMD [\"/app/run\"]\n")
    with open(os.path.join(root, d, ".dockerignore"), "w") as f:
        f.write(".git\n")
PY
echo "== berth, 2,000-line Compose project (cross-file checks)"
lb --file "$proj/compose.yaml" --root "$proj" --language-id dockercompose --label berth-compose-project --edits 30 --no-formatting --json-out "$out/berth-compose-project.json" -- "$berth" lsp > "$out/berth-compose-project.txt" 2>&1 || true
tail -n 25 "$out/berth-compose-project.txt"
echo "== berth, a Dockerfile of that project"
lb --file "$proj/svc0/Dockerfile" --root "$proj" --language-id dockerfile --label berth-compose-project-dockerfile --edits 30 --no-formatting --json-out "$out/berth-compose-project-dockerfile.json" -- "$berth" lsp > "$out/berth-compose-project-dockerfile.txt" 2>&1 || true
tail -n 25 "$out/berth-compose-project-dockerfile.txt"
echo "== berth, robustness probes"
lb --file "$out/d60.Dockerfile" --label berth-robust --robustness-only --json-out "$out/berth-robust.json" -- "$berth" lsp > "$out/berth-robust.txt" 2>&1 || true
tail -n 25 "$out/berth-robust.txt"
echo "results in $out"
