#!/usr/bin/env bash
# Fuzzes the scenario loader in-process (tests/fuzz.rs): mutated shipped
# scenarios, `extends` chains, `--set` values and map files. Every case must
# end without a panic, within a deadline, and every rejection must carry a
# location. Prints the counts, the slowest case and the wall time.
#
#   scripts/fuzz.sh                 100,000 cases, seed 16
#   STABSIM_FUZZ_CASES=1000000 STABSIM_FUZZ_SEED=7 scripts/fuzz.sh
#
# STABSIM_FUZZ_DEADLINE_S sets the per-case deadline (default 20 s).
set -euo pipefail
cd "$(dirname "$0")/.."
export STABSIM_FUZZ_CASES="${STABSIM_FUZZ_CASES:-100000}"
export STABSIM_FUZZ_SEED="${STABSIM_FUZZ_SEED:-16}"
exec cargo test --release --test fuzz -- --nocapture --test-threads 1 \
    fuzzed_inputs_never_panic_hang_or_go_unlocated
