#!/usr/bin/env bash
# Precision of berth's own rules on the shared corpus (see corpus/PRECISION.md).
#
#   bench/precision.sh --before OLD_BIN [--after NEW_BIN] [--sheet] [--mirrors DIR]
#
# Rebuilds the corpus's original layout in a temp folder, runs both binaries with
# `check --no-shellcheck --format json --select all`, joins the sampled findings of
# every warning/error BD/BC rule with corpus/precision/verdicts.tsv and rewrites the
# generated block of corpus/PRECISION.md. --sheet prints verdict lines to fill in
# for sample findings nobody has reviewed yet. Corpus: $BERTH_CORPUS or ../shared/corpus.
set -euo pipefail
exec python3 "$(dirname "$0")/precision.py" "$@"
