#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml, `language: python`), run for
# real by `pre-commit run` in a scratch git repository whose
# .pre-commit-config.yaml names a scratch copy of this repository: pre-commit
# pip-installs this repository (pyproject.toml, maturin) into its own
# environment, and the hooks lint a Dockerfile and a Compose file, skip a
# .dockerignore and a Kubernetes manifest, and fail on a finding.
#
# The install builds berth from source as a user's first run does, but with
# the `dev` profile and the shared target/ (MATURIN_PEP517_ARGS,
# CARGO_TARGET_DIR) so that it reuses the test build instead of a release build.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
if [ -z "$tools_bin" ]; then
  echo "notice: pre-commit is not available; the pre-commit hook test is skipped" >&2
  exit 0
fi
cd "$root"
# pre-commit clones the hook repository at a commit: a scratch repository
# holding the work tree's files as they are now (uncommitted edits too).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/cache" CARGO_TARGET_DIR="$root/target" \
  MATURIN_PEP517_ARGS="--profile dev" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t \
  GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
hooks="$scratch/hooks"
mkdir "$hooks"
git ls-files -z --cached --others --exclude-standard -- pyproject.toml README.md .pre-commit-hooks.yaml Cargo.toml Cargo.lock server rules tests/Cargo.toml tests/src \
  | xargs -0 cp --parents -t "$hooks"
# The workspace's members must exist for cargo; tests/ is one.
( cd "$hooks" && git init -q && git add -A && git commit -qm hooks )
rev="$(git -C "$hooks" rev-parse HEAD)"

proj="$scratch/project"
mkdir -p "$proj/app"
cd "$proj"
git init -q
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: berth-check
      - id: berth-fix
YAML
printf 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n' > app/Dockerfile
printf 'services:\n  web:\n    image: nginx\n' > compose.yaml
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n' > pod.yaml
printf 'target\n' > .dockerignore
git add -A

fail() { echo "pre-commit test failed: $*" >&2; exit 1; }
# The first run installs the hooks' environment (once: both hooks share it).
run() { "$tools_bin/pre-commit" run "$1" --all-files 2>&1; }
set +e
out="$(run berth-check)"
rc=$?
set -e
[ "$rc" = 1 ] || fail "berth-check exited $rc on findings: $out"
grep -q 'app/Dockerfile:2:[0-9]*: DL3008' <<< "$out" || fail "no DL3008 on app/Dockerfile in: $out"
grep -q 'compose.yaml:3:' <<< "$out" || fail "no finding on compose.yaml in: $out"
! grep -q 'pod.yaml\|\.dockerignore' <<< "$out" || fail "a non-Docker file was linted: $out"

# Clean files pass, and berth-fix runs from the same environment.
printf 'FROM scratch\nCOPY app /app\n' > app/Dockerfile
printf 'services:\n  web:\n    image: nginx:1.27\n' > compose.yaml
git add -A
out="$(run berth-check)" || fail "berth-check failed on clean files: $out"
grep -q 'berth check\.*Passed' <<< "$out" || fail "berth-check did not pass: $out"
out="$(run berth-fix)" || fail "berth-fix failed on clean files: $out"
echo "pre-commit: berth-check fails on findings (Dockerfile and Compose file, not pod.yaml or .dockerignore) and passes on clean files; berth-fix passes" >&2
