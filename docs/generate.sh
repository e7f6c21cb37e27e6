#!/usr/bin/env bash
# Regenerate docs/rules.md and the rule table in README.md from the rules' own files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --quiet -p berth
berth=target/debug/berth
"$berth" rules --format markdown > docs/rules.md
table=$("$berth" rules --format markdown-table)
python3 - "$table" <<'PY'
import sys, re
table = sys.argv[1].rstrip("\n")
readme = open("README.md").read()
start, end = "<!-- rules:start -->", "<!-- rules:end -->"
pre, rest = readme.split(start, 1)
_, post = rest.split(end, 1)
open("README.md", "w").write(f"{pre}{start}\n{table}\n{end}{post}")
PY
echo "docs/rules.md and README.md updated"
