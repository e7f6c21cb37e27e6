# Sourced by the packaging tests: a virtualenv under target/ with maturin,
# pre-commit and PyYAML (installed once from PyPI; a fresh clone installs them again).
# Sets $tools_bin, or leaves it empty (the caller skips with a notice).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools_venv="$root/target/packaging/tools"
tools_bin=""
if [ ! -x "$tools_venv/bin/maturin" ] || [ ! -x "$tools_venv/bin/pre-commit" ] \
  || ! "$tools_venv/bin/python" -c 'import yaml' 2> /dev/null; then
  { python3 -m venv "$tools_venv" \
      && "$tools_venv/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2.0" pre-commit pyyaml; } \
    || echo "notice: could not install maturin and pre-commit into $tools_venv" >&2
fi
if [ -x "$tools_venv/bin/maturin" ] && [ -x "$tools_venv/bin/pre-commit" ]; then
  tools_bin="$tools_venv/bin"
fi
