#!/usr/bin/env bash
# Full docking of stabsim's Epstein special case against Mesa 3.5.1's
# reference runs (tests/data/mesa_epstein/, copied from shared/reference/epstein/).
# For each reference file: the matching scenario at 30 and at 100 replicates
# x 1000 ticks, then deliberately wrong variants that the test should reject.
# Prints Markdown tables (the numbers in docs/DOCKING.md come from this script).
#
#   scripts/dock_mesa.sh [REPLICATES_LARGE]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
large="${1:-100}"
cargo build --release --quiet
bin=target/release/stabsim
ref=tests/data/mesa_epstein

dock() { # scenario reference replicates [--set ...]
    local scenario=$1 reference=$2 n=$3
    shift 3
    # `stabsim dock` exits 1 when a test rejects: that is a result here, not
    # an error. Any other failure stops the script.
    local rc=0
    "$bin" dock "scenarios/epstein/$scenario.toml" --reference "$ref/$reference.csv" \
        --replicates "$n" "$@" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        echo "stabsim dock failed (exit $rc)" >&2
        exit "$rc"
    fi
}

for name in mesa_app_default mesa_default; do
    echo "## $name"
    echo
    echo "### Matching rules, 30 replicates"
    dock "$name" "$name" 30
    echo "### Matching rules, $large replicates"
    dock "$name" "$name" "$large"
    for variant in rules.arrest_rounding=floor rules.arrest_rounding=none \
        rules.jailed=leave_grid rules.neighbourhood=moore rules.jail_term=exclusive; do
        echo "### Wrong variant \`$variant\`, $large replicates"
        dock "$name" "$name" "$large" --set "$variant"
    done
done
