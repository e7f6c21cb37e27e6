#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60), seeded from the
# project's fixtures and, when present, ../shared/corpus (or $BERTH_CORPUS).
# cargo-fuzz needs a nightly toolchain; without one this says so and exits 0.
# Crashes land in fuzz/artifacts/<target>/; turn each into a fixture under
# corpus/regressions/ once fixed.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(dockerfile compose fix lsp_framing)

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: no nightly toolchain (rustup toolchain install nightly); not fuzzing"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: cargo-fuzz missing (cargo install cargo-fuzz); not fuzzing"
  exit 0
fi

shared="${BERTH_CORPUS:-../../shared/corpus}"
seed() { # seed TARGET: fill the working corpus folder (never committed)
  local dir="corpus/$1"
  mkdir -p "$dir"
  case "$1" in
    dockerfile) find ../corpus -name '*.Dockerfile' -exec cp -t "$dir" {} + 2>/dev/null || true
                [ -d "$shared/dockerfiles" ] && find "$shared/dockerfiles" -type f -size -64k | sort | sed -n 1,400p | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done ;;
    compose)    find ../corpus -name '*.compose.yaml' -exec cp -t "$dir" {} + 2>/dev/null || true
                [ -d "$shared/compose" ] && find "$shared/compose" -type f | while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-16)"; done ;;
    fix)        for f in ../corpus/rules/*.Dockerfile; do { printf '\0'; cat "$f"; } > "$dir/d-$(basename "$f")"; done
                for f in ../corpus/rules/*.compose.yaml; do { printf '\1'; cat "$f"; } > "$dir/c-$(basename "$f")"; done ;;
    lsp_framing) # raw mode (first byte even): frames as an editor sends them, some broken
                frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
                init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
                open='{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:Dockerfile","languageId":"dockerfile","version":1,"text":"FROM alpine\nRUN echo \u00e9\ud83d\ude00\n"}}}'
                { printf '\0\0'; frame "$init"; frame "$open"; } > "$dir/s-valid"
                { printf '\0\0'; printf 'content-length: %d\r\nContent-Type: x\r\n\r\n%s' "${#init}" "$init"; frame "$open"; } > "$dir/s-headers"
                { printf '\0\0'; printf 'Content-Length: %d\r\n\r\n%s' $((${#init} + 30)) "$init"; frame "$open"; } > "$dir/s-long"
                { printf '\0\0'; printf 'Content-Length: %d\r\n\r\n%s' $((${#init} - 9)) "$init"; frame "$open"; } > "$dir/s-short"
                { printf '\0\0garbage: x\r\n\r\nContent-Length: abc\r\n\r\n\xff\xfe'; frame "$init"; } > "$dir/s-garbage"
                # structured mode (first byte odd): bytes that drive the generator
                for i in 1 2 3 4 5 6 7 8; do head -c $((i * 64)) /dev/urandom | { printf '\1'; cat; } > "$dir/g-$i"; done
                # long mode (first byte 3): a line past the 64 KiB limit, then a message
                printf '\3\0garbage without a newline ' > "$dir/l-1"
                printf '\3\7a: b\r\n' > "$dir/l-2" ;;
  esac
}

rc=0
for t in "${targets[@]}"; do
  seed "$t"
  echo "== fuzz target $t for ${secs}s"
  mkdir -p logs
  if cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 > "logs/$t.log" 2>&1; then
    echo "   ok"
  else
    echo "   FAILED: see fuzz/logs/$t.log and fuzz/artifacts/$t/"; rc=1
  fi
  grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|.*panicked at)' "logs/$t.log" | sed 's/^/   /' || true
done
exit $rc
