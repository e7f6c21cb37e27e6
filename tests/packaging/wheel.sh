#!/usr/bin/env bash
# The Python wheel (pyproject.toml, maturin `bindings = "bin"`): build it,
# install it into a fresh virtualenv with no index, and run the `berth` that
# pip put on that virtualenv's PATH. Prints the wheel's path.
#
# BERTH_WHEEL_PROFILE (default `dev`) is the Cargo profile: `dev` shares
# target/debug with `cargo test`, so after the tests the wheel costs a link;
# a published wheel is `maturin build --release`.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
if [ -z "$tools_bin" ]; then
  echo "notice: maturin is not available; the wheel test is skipped" >&2
  exit 0
fi
cd "$root"
profile="${BERTH_WHEEL_PROFILE:-dev}"
out="$root/target/packaging/wheels"
rm -rf "$out"
"$tools_bin/maturin" build --quiet --profile "$profile" --out "$out" >&2
wheel="$(ls "$out"/berth_lint-*.whl)"

venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
fail() { echo "wheel test failed: $*" >&2; exit 1; }
[ -x "$venv/bin/berth" ] || fail "the wheel put no berth in $venv/bin"
version="$(cd / && PATH="$venv/bin:/usr/bin:/bin" berth --version)"
[ "$version" = "berth $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)" ] \
  || fail "berth --version printed '$version'"
# corpus/demo has findings on purpose: exit 1, and a summary line.
set +e
report="$(cd / && PATH="$venv/bin:/usr/bin:/bin" berth check --no-shellcheck "$root/corpus/demo" 2>&1)"
rc=$?
set -e
[ "$rc" = 1 ] || fail "berth check corpus/demo exited $rc: $report"
grep -q '^found [0-9]* problems' <<< "$report" || fail "no summary in: $report"
echo "wheel: $(basename "$wheel") installs berth into a fresh virtualenv ($version; corpus/demo: $(tail -1 <<< "$report"))" >&2
echo "$wheel"
