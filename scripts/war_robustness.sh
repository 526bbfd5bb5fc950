#!/usr/bin/env bash
# Do the validation's conclusions about renewed war survive ±20 % on the
# war hazard's coefficients? (issue 13: "conclusions that survive ±20 % on
# its thresholds"; ODD M9, docs/VALIDATION.md "Renewed war: ±20 %".)
#
# For each coefficient of the hazard (ODD M9.2) at 0.8x and 1.2x its
# default (troop_effect, a share, at most 1.0), a context file extends each
# base context with that one value; `stabsim validate` then runs the
# collapse rows (T05 mission, force size and deployment timing; T25
# political horizon; T28 exit: fact ids T05,T25,T28, all their parts) on
# every variant and on the unmodified contexts, with common random numbers
# (each variant runs the same seeds as its base context). The table lists
# every collapse row's paired difference in collapse risk, its 95 % CI and
# the result, one line per variant and row.
#
# Usage: scripts/war_robustness.sh [--help]
# Environment (defaults in brackets):
#   BIN         stabsim binary                       [target/release/stabsim, built]
#   OUT         output folder                        [outputs/war_robustness]
#   REPLICATES  pairs per row                        [12]
#   TICKS       days                                 [365]
#   CONTEXTS    base context files                   [scenarios/gaza/baseline.toml
#                                                     scenarios/validation/mali_police.toml]
#   THREADS     worker threads (0: one per core)     [0]
# Writes $OUT/validate/ (the validate outputs, facts.csv among them) and
# $OUT/collapse_rows.md (the table). About 1,100 s of CPU on the defaults.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-outputs/war_robustness}
REPLICATES=${REPLICATES:-12}
TICKS=${TICKS:-365}
THREADS=${THREADS:-0}
CONTEXTS=${CONTEXTS:-"scenarios/gaza/baseline.toml scenarios/validation/mali_police.toml"}
if [[ -z "${BIN:-}" ]]; then
    cargo build --release --quiet
    BIN=target/release/stabsim
fi

# coefficient default (ODD M9.2, src/scenario/mission.rs WarParams)
COEFFICIENTS="base_hazard 0.004
duration_days 60
violence_effect 1
violence_half 2
commitment_effect 3
legitimacy_effect 2
troop_effect 0.85
troop_half_per_1000 1"

mkdir -p "$OUT"
VARIANTS="$OUT/contexts"
rm -rf "$VARIANTS"
mkdir -p "$VARIANTS"
args=()
for ctx in $CONTEXTS; do
    base=$(basename "$ctx" .toml)
    dir=$(basename "$(dirname "$ctx")")
    args+=(--context "$ctx")
    while read -r key default; do
        for factor in 0.8 1.2; do
            value=$(python3 -c "v = $default * $factor; print(min(v, 1.0) if '$key' == 'troop_effect' else v)")
            file="$VARIANTS/${dir}_${base}_${key}_x${factor}.toml"
            cat >"$file" <<EOF
# ${ctx} with war.${key} = ${value} (${factor}x the default ${default}).
extends = "$ROOT/$ctx"
name = "${dir}_${base}__${key}_x${factor}"

[mission.war]
${key} = ${value}
EOF
            args+=(--context "$file")
        done
    done <<<"$COEFFICIENTS"
done

"$BIN" validate --only T05,T25,T28 --only-contexts "${args[@]}" \
    --replicates "$REPLICATES" --ticks "$TICKS" --threads "$THREADS" --quiet \
    --out "$OUT/validate"

python3 - "$OUT/validate/facts.csv" "$OUT/collapse_rows.md" <<'EOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["measure"] == "run:collapse_risk"]
out = ["| context | coefficient | row | difference in collapse risk [95 % CI] | result |",
       "|---|---|---|---|---|"]
fails = 0
for r in rows:
    ctx, _, variant = r["context"].partition("__")
    row = f'{r["id"]} {r["part"]}'.strip()
    result = r["status"]
    if not result.startswith("pass"):
        fails += 1
    out.append(f'| {ctx} | {variant or "default"} | {row} | '
               f'{float(r["estimate"]):+.3f} [{float(r["ci_low"]):+.3f}, {float(r["ci_high"]):+.3f}] | {result} |')
out.append("")
out.append(f"{len(rows)} collapse rows, {len(rows) - fails} pass, {fails} do not.")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
EOF
