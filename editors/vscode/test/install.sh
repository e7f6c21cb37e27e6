#!/usr/bin/env bash
# Install what the end-to-end test needs into $1 (default
# ../../../target/vscode-e2e): code-server 4.100.3 (the real VS Code server and
# workbench; the newest release that runs on Node 20) and playwright-core (no
# browser download: the test drives Debian's chromium). Each workaround below
# is for a failure seen here (see the notes in e2e.sh).
set -euo pipefail
dest="${1:-$(cd "$(dirname "$0")/../../.." && pwd)/target/vscode-e2e}"
mkdir -p "$dest"
cd "$dest"
if [ -x node_modules/.bin/code-server ] && [ -d node_modules/playwright-core ]; then
  exit 0
fi
# @vscode/ripgrep downloads rg from GitHub in its postinstall: give it Debian's
# rg in the cache it looks in first (same TMPDIR as npm's).
export TMPDIR="$dest/tmp"
mkdir -p "$TMPDIR/vscode-ripgrep-cache-1.15.11"
rg="$(command -v rg || true)"
if [ -n "$rg" ]; then
  staging="$(mktemp -d)"
  cp "$rg" "$staging/rg"
  tar -C "$staging" -czf "$TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
  rm -rf "$staging"
fi
[ -f package.json ] || echo '{ "name": "berth-vscode-e2e", "private": true }' > package.json
# unsafe_perm: code-server's postinstall refuses root otherwise; yes: node-pty's
# postinstall runs `npx node-gyp`; nodedir: node-gyp uses the system headers.
npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
  npm install --no-audit --no-fund --loglevel=error --no-save code-server@4.100.3 playwright-core@1 >&2
[ -x node_modules/.bin/code-server ]
