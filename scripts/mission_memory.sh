#!/usr/bin/env bash
# Peak memory and wall time of Monte Carlo batches of the Gaza baseline
# mission (365 days), for several replicate counts, and the ratio of peak
# RSS between the largest and the smallest batch. A batch streams its
# replicates, so the ratio should stay near 1 (see docs/PERFORMANCE.md,
# "Mission model (Gaza baseline)").
#
# Usage: scripts/mission_memory.sh [--help]
# Environment (defaults in brackets):
#   REPLICATES  space-separated replicate counts          ["100 2000"]
#   THREADS     worker threads                            [2]
#   TICKS       days per replicate                        [365]
#   SCENARIO    scenario file                             [scenarios/gaza/baseline.toml]
#   OUT         folder for the batches' outputs           [a temporary folder, removed]
#   CARGO_TARGET_DIR  cargo's build folder                [target]
# e.g. REPLICATES="100 1000 10000" scripts/mission_memory.sh
#
# Peak RSS comes from GNU time (`/usr/bin/time -v`) when it is installed,
# else from the kernel's high-water mark (VmHWM in /proc/PID/status),
# sampled every 50 ms until the process exits (it can miss a peak shorter
# than that, and reads 0 if the process exits before the first sample).
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
fi

cd "$(dirname "$0")/.."
REPLICATES=${REPLICATES:-"100 2000"}
THREADS=${THREADS:-2}
TICKS=${TICKS:-365}
SCENARIO=${SCENARIO:-scenarios/gaza/baseline.toml}
TARGET=${CARGO_TARGET_DIR:-target}
BIN="$TARGET/release/stabsim"

echo "building release ..." >&2
cargo build --release --quiet
[[ -x "$BIN" ]] || { echo "no binary at $BIN" >&2; exit 1; }

if [[ -n "${OUT:-}" ]]; then
    mkdir -p "$OUT"
    WORK=$OUT
else
    WORK=$(mktemp -d /tmp/mission_memory.XXXXXX)
    trap 'rm -rf "$WORK"' EXIT
fi

have_gnu_time=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    have_gnu_time=1
fi

# run N: sets PEAK_KIB, WALL_S, USER_S (USER_S empty without GNU time).
run() {
    local n=$1 dir="$WORK/n$1" log="$WORK/n$1.time"
    rm -rf "$dir"
    local args=(run "$SCENARIO" --set "run.ticks=$TICKS" --set "run.replicates=$n"
        --threads "$THREADS" --quiet --out "$dir")
    if [[ $have_gnu_time == 1 ]]; then
        /usr/bin/time -v -o "$log" "$BIN" "${args[@]}" >/dev/null
        PEAK_KIB=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$log")
        USER_S=$(awk -F: '/User time/ {gsub(/ /, "", $2); print $2}' "$log")
        WALL_S=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$log" |
            awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    else
        local start end peak=0 hwm
        start=$(date +%s.%N)
        "$BIN" "${args[@]}" >/dev/null &
        local pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [[ -n "$hwm" && "$hwm" -gt "$peak" ]] && peak=$hwm
            sleep 0.05
        done
        wait "$pid"
        end=$(date +%s.%N)
        PEAK_KIB=$peak
        USER_S=""
        WALL_S=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    fi
    rm -rf "$dir"
}

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); peak RSS from $([[ $have_gnu_time == 1 ]] && echo 'GNU time' || echo '/proc VmHWM')"
echo "scenario: $SCENARIO, $TICKS days, --threads $THREADS"
printf '%10s %14s %10s %10s %16s\n' replicates "peak RSS MiB" "wall s" "user s" "wall/replicate"
first_kib="" last_kib="" first_n="" last_n=""
for n in $REPLICATES; do
    run "$n"
    mib=$(awk -v k="$PEAK_KIB" 'BEGIN { printf "%.1f", k / 1024 }')
    per=$(awk -v w="$WALL_S" -v n="$n" 'BEGIN { printf "%.1f ms", 1000 * w / n }')
    printf '%10s %14s %10s %10s %16s\n' "$n" "$mib" "$WALL_S" "${USER_S:--}" "$per"
    [[ -z "$first_kib" ]] && { first_kib=$PEAK_KIB; first_n=$n; }
    last_kib=$PEAK_KIB
    last_n=$n
    if [[ "$n" == 1000 ]]; then
        verdict=$(awk -v w="$WALL_S" 'BEGIN { print (w <= 300 ? "met" : "missed") }')
        echo "  1000 replicates in ${WALL_S} s on $THREADS threads: target <= 300 s $verdict"
    fi
done
if [[ "$first_n" != "$last_n" && "$first_kib" -gt 0 ]]; then
    awk -v a="$first_kib" -v b="$last_kib" -v na="$first_n" -v nb="$last_n" \
        'BEGIN { printf "peak RSS ratio %s / %s replicates: %.2f\n", nb, na, b / a }'
fi
