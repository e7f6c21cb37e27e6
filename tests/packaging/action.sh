#!/usr/bin/env bash
# The GitHub Action (action.yml), its shell steps run here as a runner would:
# "Install berth" pip-installs the wheel named by the `wheel` input (WHEEL, from
# wheel.sh) into a virtualenv and puts it on GITHUB_PATH; "Run berth" lints a
# scratch repository holding a Dockerfile and a Compose file, writes SARIF
# with findings for both and fails on them at the default threshold.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
wheel="$(realpath "${1:-/nonexistent}" 2> /dev/null || true)"
if [ -z "$tools_bin" ] || [ ! -f "$wheel" ]; then
  echo "notice: no wheel or no PyYAML; the Action test is skipped" >&2
  exit 0
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/repo/app" "$scratch/runner"
printf 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n' > "$scratch/repo/app/Dockerfile"
printf 'services:\n  web:\n    image: nginx\n' > "$scratch/repo/compose.yaml"
# Each `run:` with its ${{ ... }} expressions filled in, as a script file.
"$tools_bin/python" - "$root/action.yml" "$scratch" "$wheel" <<'PY'
import re, sys, yaml
action, scratch, wheel = sys.argv[1:]
spec = yaml.safe_load(open(action))
inputs = {k: v.get("default", "") for k, v in spec["inputs"].items()}
inputs["wheel"] = wheel
def fill(s):
    s = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], s)
    return s.replace("${{ github.action_path }}", sys.argv[1].rsplit("/", 1)[0])
n = 0
for step in spec["runs"]["steps"]:
    if "run" not in step:
        continue
    n += 1
    env = "".join(f"export {k}='{fill(str(v))}'\n" for k, v in step.get("env", {}).items())
    open(f"{scratch}/runner/step{n}.sh", "w").write(env + fill(step["run"]))
PY
export RUNNER_TEMP="$scratch/runner" GITHUB_PATH="$scratch/runner/path"
fail() { echo "Action test failed: $*" >&2; exit 1; }
cd "$scratch/repo"
env -u VIRTUAL_ENV PATH="/usr/local/bin:/usr/bin:/bin:$(dirname "$(command -v python3)")" bash "$scratch/runner/step1.sh" > "$scratch/install.log" 2>&1 \
  || fail "Install berth: $(cat "$scratch/install.log")"
grep -q '^berth ' "$scratch/install.log" || fail "no berth --version in: $(cat "$scratch/install.log")"
set +e
out="$(PATH="$(cat "$GITHUB_PATH"):/usr/bin:/bin" bash -e "$scratch/runner/step2.sh" 2>&1)"
rc=$?
set -e
[ "$rc" = 1 ] || fail "Run berth exited $rc: $out"
grep -q '^::warning file=app/Dockerfile,line=2' <<< "$out" || fail "no annotation for app/Dockerfile in: $out"
grep -q '^::warning file=compose.yaml,line=3' <<< "$out" || fail "no annotation for compose.yaml in: $out"
"$tools_bin/python" - berth.sarif <<'PY' || fail "berth.sarif"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
files = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
assert any(f.endswith("app/Dockerfile") for f in files) and any(f.endswith("compose.yaml") for f in files), files
PY
echo "Action: installs berth from the wheel with pip and lints the Dockerfile and the Compose file (exit 1 on findings, SARIF for both)" >&2
