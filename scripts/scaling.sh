#!/usr/bin/env bash
# Replicate-parallel scaling of `stabsim run`: the same batch at 1, 2, 4, ...
# threads (up to the machine's processors), several rounds, thread counts
# interleaved within each round so that drift in the machine's speed falls on
# all of them alike. Prints a Markdown table of the simulate phase (from each
# run's manifest.json: the replicates only) and the whole wall time, with the
# speed-up against one thread (median over rounds), and checks that every
# output CSV is byte-identical across thread counts.
#
# Needs only bash, coreutils and python3 (for reading the manifests), so a
# release binary built elsewhere can be carried to a many-core machine:
#
#   scripts/scaling.sh                                  # target/release/stabsim, Gaza
#   STABSIM=/path/stabsim REPLICATES=128 ROUNDS=3 scripts/scaling.sh
#   THREADS="1 2 4 8 16" SCENARIO=scenarios/epstein/mesa_app_default.toml TICKS=1000 scripts/scaling.sh
#
# Environment (defaults in brackets):
#   STABSIM     binary                           [target/release/stabsim]
#   SCENARIO    scenario file                    [scenarios/gaza/baseline.toml]
#   TICKS       days (ticks) per replicate       [365]
#   REPLICATES  replicates per batch             [8 x the largest thread count]
#   THREADS     thread counts                    [1 2 4 ... up to nproc, and nproc]
#   ROUNDS      rounds                           [3]
#   OUT         where the runs go (kept)         [a temporary folder, removed]
#
# Exit status: 0 when every run finished and the outputs agree; 1 otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
STABSIM=${STABSIM:-target/release/stabsim}
SCENARIO=${SCENARIO:-scenarios/gaza/baseline.toml}
TICKS=${TICKS:-365}
ROUNDS=${ROUNDS:-3}
CORES=$(nproc)

if [[ -z "${THREADS:-}" ]]; then
    THREADS=""
    t=1
    while ((t < CORES)); do
        THREADS+="$t "
        t=$((t * 2))
    done
    THREADS+="$CORES"
fi
read -r -a COUNTS <<<"$THREADS"
MAX=1
for t in "${COUNTS[@]}"; do
    if ! [[ "$t" =~ ^[1-9][0-9]*$ ]]; then
        echo "scaling.sh: THREADS must be positive integers, got '$t'" >&2
        exit 2
    fi
    ((t > MAX)) && MAX=$t
done
REPLICATES=${REPLICATES:-$((8 * MAX))}

if [[ ! -x "$STABSIM" ]]; then
    echo "scaling.sh: no binary at $STABSIM (build it: cargo build --release)" >&2
    exit 2
fi

if [[ -n "${OUT:-}" ]]; then
    mkdir -p "$OUT"
    KEEP=1
else
    OUT=$(mktemp -d)
    KEEP=0
fi
cleanup() { ((KEEP)) || rm -rf "$OUT"; }
trap cleanup EXIT

echo "# scaling: $SCENARIO, $REPLICATES replicates x $TICKS ticks, threads: ${COUNTS[*]}, $ROUNDS rounds"
echo "# machine: $CORES processors ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //' || echo unknown)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# binary: $STABSIM ($("$STABSIM" --version 2>/dev/null || echo '?'))"

STATUS=0
for ((r = 1; r <= ROUNDS; r++)); do
    # Alternate the order between rounds: ascending, then descending.
    order=("${COUNTS[@]}")
    if ((r % 2 == 0)); then
        order=()
        for ((i = ${#COUNTS[@]} - 1; i >= 0; i--)); do order+=("${COUNTS[$i]}"); done
    fi
    for t in "${order[@]}"; do
        dir="$OUT/r$r-t$t"
        start=$(date +%s.%N)
        if ! "$STABSIM" run "$SCENARIO" -n "$REPLICATES" --ticks "$TICKS" \
            --threads "$t" --quiet --out "$dir" >"$OUT/r$r-t$t.log" 2>&1; then
            echo "scaling.sh: run failed at $t threads, round $r (see $OUT/r$r-t$t.log)" >&2
            KEEP=1
            STATUS=1
            continue
        fi
        end=$(date +%s.%N)
        echo "$r $t $start $end" >>"$OUT/times.txt"
    done
done

# Outputs must not depend on the thread count.
ref="$OUT/r1-t${COUNTS[0]}"
for dir in "$OUT"/r*-t*/; do
    dir=${dir%/}
    for f in "$ref"/*.csv; do
        name=$(basename "$f")
        if ! cmp -s "$f" "$dir/$name"; then
            echo "scaling.sh: $name differs between $(basename "$ref") and $(basename "$dir")" >&2
            STATUS=1
        fi
    done
done

python3 - "$OUT" "${COUNTS[@]}" <<'EOF'
import json, statistics, sys
out, counts = sys.argv[1], [int(t) for t in sys.argv[2:]]
rows = {}
for line in open(f"{out}/times.txt"):
    r, t, start, end = line.split()
    m = json.load(open(f"{out}/r{r}-t{t}/manifest.json"))
    sim = m["wall_seconds"]["simulate"]
    rows.setdefault(int(t), []).append((sim, float(end) - float(start)))
if 1 not in rows:
    print("(no one-thread runs: speed-ups are not given)")
base_sim = statistics.median(s for s, _ in rows.get(1, [(float("nan"), 0)]))
base_wall = statistics.median(w for _, w in rows.get(1, [(0, float("nan"))]))
print()
print("| threads | rounds | simulate (s), median [min, max] | wall (s), median | speed-up, simulate | speed-up, wall | efficiency |")
print("|---:|---:|---|---:|---:|---:|---:|")
for t in counts:
    if t not in rows:
        continue
    sims = [s for s, _ in rows[t]]
    walls = [w for _, w in rows[t]]
    sim, wall = statistics.median(sims), statistics.median(walls)
    up = base_sim / sim
    print(f"| {t} | {len(sims)} | {sim:.2f} [{min(sims):.2f}, {max(sims):.2f}] | {wall:.2f} "
          f"| {up:.2f}x | {base_wall / wall:.2f}x | {up / t:.0%} |")
EOF
if ((STATUS == 0)); then
    echo
    echo "every output CSV byte-identical across thread counts and rounds"
fi
exit $STATUS
