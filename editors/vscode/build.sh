#!/usr/bin/env bash
# Build and package the VS Code extension: npm ci, tsc, then a .vsix with
# @vscode/vsce. Works without network access once node_modules is populated
# (vsce package does not talk to the marketplace). Prints the .vsix path.
#
#   ./build.sh                                  berth.vsix: any platform, runs `berth` on PATH
#   ./build.sh --target linux-x64 --berth BIN   berth-linux-x64.vsix: bundles BIN as bin/berth
#
# A platform-specific .vsix is for one VS Code target (linux-x64, linux-arm64,
# darwin-x64, darwin-arm64, win32-x64, alpine-x64, ...) and BIN must be berth
# built for it (berth.exe for win32-*); the extension runs it when `berth.path`
# is empty.
set -euo pipefail
target=""
berth=""
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --berth) berth="$(realpath "$2")"; shift 2 ;;
    *) echo "usage: build.sh [--target TARGET --berth BINARY]" >&2; exit 2 ;;
  esac
done
if [ -n "$target" ] && [ ! -x "$berth" ]; then
  echo "build.sh: --target needs --berth with the berth binary for $target" >&2
  exit 2
fi
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error > /dev/null
fi
rm -rf out
npx --no-install tsc -p .
# --allow-missing-repository: no public repository URL yet (vsce would ask);
# runtime dependencies (vscode-languageclient) are taken from node_modules.
log="$(mktemp)"
trap 'rm -f "$log"; rm -rf bin' EXIT
rm -rf bin
if [ -n "$target" ]; then
  mkdir bin
  case "$target" in
    win32-*) cp "$berth" bin/berth.exe ;;
    *) cp "$berth" bin/berth && chmod 755 bin/berth ;;
  esac
  out="berth-$target.vsix"
  npx --no-install vsce package --allow-missing-repository --target "$target" --out "$out" > "$log" 2>&1 \
    || { cat "$log" >&2; exit 1; }
else
  out="berth.vsix"
  npx --no-install vsce package --allow-missing-repository --out "$out" > "$log" 2>&1 \
    || { cat "$log" >&2; exit 1; }
fi
echo "$(pwd)/$out"
