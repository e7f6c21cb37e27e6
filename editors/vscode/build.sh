#!/usr/bin/env bash
# Build and package the VS Code extension: npm ci, tsc, then a .vsix with
# @vscode/vsce. Works without network access once node_modules is populated
# (vsce package does not talk to the marketplace). Prints the .vsix path.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error > /dev/null
fi
rm -rf out
npx --no-install tsc -p .
# --allow-missing-repository: no public repository URL yet (vsce would ask);
# runtime dependencies (vscode-languageclient) are taken from node_modules.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
npx --no-install vsce package --allow-missing-repository --out berth.vsix > "$log" 2>&1 \
  || { cat "$log" >&2; exit 1; }
echo "$(pwd)/berth.vsix"
