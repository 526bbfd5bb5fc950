#!/usr/bin/env bash
# Every mission parameter at each end of its accepted range, one at a time:
# does a short run finish, or refuse with a located message, and never
# panic or hang? (issue 16: "bad input never panics and never hangs";
# the fuzz target checks loading, this checks the model that runs after.)
#
# For each `mission.*` key that `stabsim params SCENARIO` lists, the
# scenario runs 1 replicate of TICKS days on one thread with that key set
# to the lower and then the upper end of its accepted range. A run that
# exits 0 or 2 (a refusal, whose message is printed) is fine; any other
# exit code (a panic is 101, a time-out past LIMIT seconds 124) is a
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
while read -r key accepts; do
    for value in "${accepts%%..*}" "${accepts##*..}"; do
        set +e
        output=$(timeout "$LIMIT" "$BIN" run "$SCENARIO" -n 1 --ticks "$TICKS" --threads 1 \
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
