#!/usr/bin/env bash
# Profiles the mission model with perf and prints the top functions,
# inlined ones told apart (scripts/perf_top.py): one Gaza replicate-year
# (model only: `stabsim timing`) and the whole `stabsim run` pipeline
# (batch, outputs, map frames recorded during replicate 0, charts) on one thread.
#
# Usage: scripts/profile.sh [--help]
# Environment (defaults in brackets):
#   BIN        a binary to profile instead of building one; it needs line
#              tables for the per-function split           [build one]
#   OUT        folder for perf data and run outputs        [/tmp/stabsim-profile]
#   REPLICATES replicates of the pipeline run              [20]
#   TICKS      days                                        [365]
# The profiling build is the release profile plus line tables for this
# crate only (`--config 'profile.release.package.stabsim.debug=...'`), in
# target/profile-lines (a few minutes the first time).
# Needs perf (and perf_event_paranoid <= 2), addr2line, readelf, python3.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
fi
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/stabsim-profile}
REPLICATES=${REPLICATES:-20}
TICKS=${TICKS:-365}
mkdir -p "$OUT"
if [[ -z "${BIN:-}" ]]; then
    CARGO_TARGET_DIR=target/profile-lines cargo build --release --quiet \
        --config 'profile.release.package.stabsim.debug="line-tables-only"'
    BIN=target/profile-lines/release/stabsim
fi

echo "== one Gaza replicate-year, model only (stabsim timing gaza/baseline --ticks $TICKS)"
perf record -q -F 2000 -o "$OUT/model.data" "$BIN" timing gaza/baseline --ticks "$TICKS" --seed 1 >/dev/null
python3 scripts/perf_top.py "$OUT/model.data" "$BIN" 15

echo
echo "== whole run: stabsim run gaza/baseline -n $REPLICATES --ticks $TICKS --threads 1"
rm -rf "$OUT/run"
perf record -q -F 1000 -o "$OUT/run.data" "$BIN" run gaza/baseline -n "$REPLICATES" --ticks "$TICKS" \
    --threads 1 --quiet --out "$OUT/run" >/dev/null
python3 scripts/perf_top.py "$OUT/run.data" "$BIN" 15
grep -A6 '"wall_seconds"' "$OUT/run/manifest.json"
