#!/usr/bin/env bash
# Every mission parameter at each end of its accepted range, one at a time:
# does a short run finish, or refuse with a located message, and never
# panic or hang? (issue 16: "bad input never panics and never hangs";
# the fuzz target checks loading, this checks the model that runs after.)
#
# For each `mission.*` key that `stabsim params SCENARIO` lists, the
# scenario runs 1 replicate of TICKS days on one thread with that key set
# to each end of its accepted range and to points just inside them, on a
# log scale: lo + (hi − lo)·10⁻ᵏ and hi − (hi − lo)·10⁻ᵏ for k = 3, 6, 9
# (also rounded where the ends are integers; a repeated value runs once).
# A run that exits 0 or 2 (a refusal, whose message is printed) is fine; any other
# exit code (a panic is 101, a run past LIMIT seconds 124 or 137) is a
# failure, printed with the end of its output.
#
# Usage: scripts/param_extremes.sh [--help]
# Environment (defaults in brackets):
#   BIN       stabsim binary                 [target/release/stabsim, built]
#   SCENARIO  scenario file or shipped name  [gaza/baseline]
#   TICKS     days per run                   [20]
#   LIMIT     seconds before a run is a hang [20]
# Exit: 0 when every run finished or was refused, 1 otherwise.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
fi
cd "$(dirname "$0")/.."
SCENARIO=${SCENARIO:-gaza/baseline}
TICKS=${TICKS:-20}
LIMIT=${LIMIT:-20}
if [[ -z "${BIN:-}" ]]; then
    cargo build --release --quiet
    BIN=target/release/stabsim
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

ran=0 refused=0 failed=0
# The values of one accepted range `lo..hi`, one per line. Ends written as
# integers may be an integer key's or a float key's ("0..1"): both the
# exact and the rounded inner points are run (an integer key refuses the
# exact ones with a message).
values() {
    awk -v lo="$1" -v hi="$2" 'BEGIN {
        integer = (lo ~ /^-?[0-9]+$/ && hi ~ /^-?[0-9]+$/)
        print lo; print hi
        for (k = 3; k <= 9; k += 3) {
            d = (hi - lo) * 10 ^ -k
            printf "%.17g\n%.17g\n", lo + d, hi - d
            if (integer) { printf "%d\n%d\n", lo + int(d + 0.5), hi - int(d + 0.5) }
        }
    }' | awk '!seen[$0]++'
}

while read -r key accepts; do
    for value in $(values "${accepts%%..*}" "${accepts##*..}"); do
        set +e
        # -k: stabsim takes the first SIGTERM as "stop after the replicates
        # in progress" (kept for --resume), so a hung run needs the KILL.
        output=$(timeout -k 5 "$LIMIT" "$BIN" run "$SCENARIO" -n 1 --ticks "$TICKS" --threads 1 \
            -q --outputs minimal --set "$key=$value" --out "$OUT/run" 2>&1)
        rc=$?
        set -e
        case $rc in
            0) ran=$((ran + 1)) ;;
            2) refused=$((refused + 1)); echo "refused  $key=$value: ${output##*$'\n'}" ;;
            *) failed=$((failed + 1)); echo "FAILED   $key=$value (exit $rc): $(tail -n 2 <<<"$output" | tr '\n' ' ')" ;;
        esac
    done
done < <("$BIN" params "$SCENARIO" | awk 'NR > 1 && $1 ~ /^mission\./ { print $1, $4 }')

echo "param_extremes: $ran runs finished, $refused refused with a message, $failed failed ($SCENARIO, $TICKS days, limit $LIMIT s)"
[[ $failed -eq 0 ]]
