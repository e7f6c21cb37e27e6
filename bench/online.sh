#!/usr/bin/env bash
# Timing of `berth check --online` over the corpus (BERTH_CORPUS) against a
# local registry, with a cold and a warm cache. The corpus's most common
# Docker Hub base images (name:tag as written) are pushed as tiny
# single-platform images to a docker-registry on 127.0.0.1 that serves as the
# docker.io mirror; every other request is sent to a dead proxy, so nothing
# leaves the machine (those images get a "could not be reached" note).
# Needs docker-registry, skopeo, python3. Usage: bench/online.sh [MAX_IMAGES] (default 1000);
# KIND=compose times the corpus's Compose files (services' `image:`) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${BERTH_CORPUS:?set BERTH_CORPUS to the shared corpus}"
top="${1:-1000}"
kind="${KIND:-dockerfile}"
case "$kind" in
  dockerfile) dir=dockerfiles prefix=BD5 ;;
  compose) dir=compose prefix=BC7 ;;
  *) echo "KIND is dockerfile or compose" >&2; exit 2 ;;
esac
berth="${BERTH_BIN:-target/release/berth}"
work="$(mktemp -d)"
trap 'kill "$reg_pid" 2> /dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
echo "work: $work"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$work/reg.yml" <<YML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/reg.yml" > "$work/reg.log" 2>&1 &
reg_pid=$!
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2> /dev/null; do sleep 0.1; done

cat > "$work/berth.toml" <<TOML
[registry]
insecure = ["127.0.0.1:$port"]
mirrors = { "docker.io" = ["127.0.0.1:$port"] }
platforms = ["linux/amd64", "linux/arm64"]
timeout = 5
retries = 0
TOML
# Every corpus file, named on the command line (their names are not all Dockerfile names).
if [ "$kind" = compose ]; then
  mapfile -t files < <(find "$corpus/$dir" -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
else
  mapfile -t files < <(find "$corpus/$dir" -type f | sort)
fi
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost

# Discovery: one online run against the empty mirror; the manifests berth asked
# for (its evaluated FROM references on Docker Hub) are in the access log.
BERTH_CACHE_DIR="$work/discovery" "$berth" check --online --no-shellcheck --no-fail -q -c "$work/berth.toml" --kind "$kind" "${files[@]}" > /dev/null 2>&1 || true
grep -o '"GET /v2/[^ ]*/manifests/[^ ]* ' "$work/reg.log" | sed -E 's#"GET /v2/(.*)/manifests/(.*) #\1 \2#' \
  | grep -v ' sha256:' | sort -u | head -n "$top" > "$work/refs"
python3 - "$work/layout" "$work/refs" <<'PY'
import hashlib, json, pathlib, sys
root = pathlib.Path(sys.argv[1]); (root / "blobs/sha256").mkdir(parents=True)
(root / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
def blob(b):
    d = hashlib.sha256(b).hexdigest(); (root / "blobs/sha256" / d).write_bytes(b); return "sha256:" + d, len(b)
layer = blob(bytes(1024))
entries = []
for i, line in enumerate(open(sys.argv[2])):
    name, tag = line.split()
    cfg = blob(json.dumps({"os": "linux", "architecture": "amd64", "config": {"Labels": {"n": str(i)}},
                           "rootfs": {"type": "layers", "diff_ids": [layer[0]]}}).encode())
    m = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg[0], "size": cfg[1]},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer[0], "size": layer[1]}]}).encode())
    entries.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": m[0], "size": m[1],
                    "annotations": {"org.opencontainers.image.ref.name": f"r{i}"}})
(root / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": entries}))
PY
i=0
while read -r repo tag; do
  skopeo copy --quiet --dest-tls-verify=false "oci:$work/layout:r$i" "docker://127.0.0.1:$port/$repo:$tag" > /dev/null
  i=$((i + 1))
done < "$work/refs"
echo "pushed $i images"

run() {
  local start end
  start=$(date +%s.%N)
  BERTH_CACHE_DIR="$work/cache" "$berth" check --online --no-shellcheck --no-fail -c "$work/berth.toml" --format json -o "$work/out-$1.json" --kind "$kind" "${files[@]}" 2> "$work/err-$1"
  end=$(date +%s.%N)
  printf '%s: %.2fs; %s; ' "$1" "$(echo "$end - $start" | bc)" "$(grep '^berth: online' "$work/err-$1" | sed 's/^berth: online: //')"
  python3 -c "import json,collections,sys; d=json.load(open(sys.argv[1]))['diagnostics']; print(dict(collections.Counter(x['code'] for x in d if x['code'].startswith(sys.argv[2]))))" "$work/out-$1.json" "$prefix"
}
offline_start=$(date +%s.%N)
"$berth" check --no-shellcheck --no-fail --format json -o /dev/null --kind "$kind" "${files[@]}" 2> /dev/null
echo "offline: $(echo "$(date +%s.%N) - $offline_start" | bc | xargs printf '%.2f')s"
run cold
run warm
echo "files: ${#files[@]}"
echo "notes (cold): $(grep -c 'could not be reached\|not checked online' "$work/err-cold" || true)"
