#!/usr/bin/env bash
# Side-by-side speed of one Epstein civil-violence tick: Mesa 3.5.1 vs stabsim.
#
# Both implementations time single-threaded ticks of one replicate with the
# parameters of Mesa's `--preset app_default` (= scenarios/epstein/
# mesa_app_default.toml). Runs are interleaved seed by seed, in one session,
# so the ratio Mesa/stabsim is measured under the same machine load. Then
# stabsim alone at 400x400 for the throughput target.
#
# Targets (docs/PERFORMANCE.md):
#   * stabsim >= 100x faster per tick than Mesa at 40x40;
#   * stabsim >= 3 M agent-steps/s on one core at 400x400.
#
# Usage: benches/compare_mesa.sh [options]     (from anywhere)
#   --ticks N        ticks timed per run (env TICKS, default 100)
#   --seeds LIST     seeds, e.g. 1-5 or 1,4,9 (env SEEDS, default 1-5)
#   --sizes "A B"    square grid sides compared with Mesa (env SIZES, default "40 100")
#   --big-ticks N    ticks per stabsim run at 400x400 (env BIG_TICKS, default 200);
#                    0 skips the 400x400 runs
#   --python PATH    Python >= 3.12 used to create the venv (env PYTHON)
#   --out DIR        keep the raw JSON of every run in DIR (env OUT_DIR;
#                    default: a temporary folder, removed at exit)
#   --no-build       do not run `cargo build --release` first
#   --strict         exit 3 when a target is missed
#
# Needs: cargo, a Python >= 3.12, and PyPI access the first time (creates
# benches/.venv-mesa/ with mesa[network]==3.5.1), and the reference driver
# ../shared/reference/epstein/run_mesa_epstein.py relative to the repository.
set -euo pipefail

TICKS=${TICKS:-100}
SEEDS=${SEEDS:-1-5}
SIZES=${SIZES:-"40 100"}
BIG_TICKS=${BIG_TICKS:-200}
BIG_SIZE=400
PYTHON=${PYTHON:-}
OUT_DIR=${OUT_DIR:-}
BUILD=1
STRICT=0
MESA_VERSION=3.5.1

die() { echo "compare_mesa.sh: error: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --ticks) TICKS=${2:?--ticks needs a value}; shift 2 ;;
        --seeds) SEEDS=${2:?--seeds needs a value}; shift 2 ;;
        --sizes) SIZES=${2:?--sizes needs a value}; shift 2 ;;
        --big-ticks) BIG_TICKS=${2:?--big-ticks needs a value}; shift 2 ;;
        --python) PYTHON=${2:?--python needs a value}; shift 2 ;;
        --out) OUT_DIR=${2:?--out needs a value}; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --strict) STRICT=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done

[[ $TICKS =~ ^[1-9][0-9]*$ ]] || die "--ticks must be a positive integer, got '$TICKS'"
[[ $BIG_TICKS =~ ^[0-9]+$ ]] || die "--big-ticks must be a non-negative integer, got '$BIG_TICKS'"
for s in $SIZES; do
    [[ $s =~ ^[1-9][0-9]*$ ]] || die "--sizes must be positive integers, got '$s'"
done

# Seeds: "1-5" / "1,4,9" / "1-3,8" -> list.
SEED_LIST=()
IFS=',' read -r -a seed_parts <<< "$SEEDS"
for part in "${seed_parts[@]}"; do
    part=${part// /}
    if [[ $part =~ ^([0-9]+)-([0-9]+)$ ]]; then
        for ((s = BASH_REMATCH[1]; s <= BASH_REMATCH[2]; s++)); do SEED_LIST+=("$s"); done
    elif [[ $part =~ ^[0-9]+$ ]]; then
        SEED_LIST+=("$part")
    elif [[ -n $part ]]; then
        die "bad seed list '$SEEDS' (expected e.g. 1-5 or 1,4,9)"
    fi
done
[[ ${#SEED_LIST[@]} -gt 0 ]] || die "no seeds in '$SEEDS'"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SCENARIO=scenarios/epstein/mesa_app_default.toml
DRIVER=${MESA_DRIVER:-$ROOT/../shared/reference/epstein/run_mesa_epstein.py}
VENV=$ROOT/benches/.venv-mesa
HELPER=$ROOT/benches/mesa_timing.py

[[ -f $SCENARIO ]] || die "scenario $SCENARIO not found"
[[ -f $HELPER ]] || die "helper $HELPER not found"
[[ -f $DRIVER ]] || die "Mesa reference driver not found at $DRIVER
  (expected ../shared/reference/epstein/run_mesa_epstein.py next to the repository;
  set MESA_DRIVER=/path/to/run_mesa_epstein.py to use another copy)"
command -v cargo > /dev/null || die "cargo not found on PATH"

# ---------------------------------------------------------------- Python
is_py312() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' > /dev/null 2>&1; }

find_python() {
    if [[ -n $PYTHON ]]; then
        is_py312 "$PYTHON" || die "PYTHON=$PYTHON is not a working Python >= 3.12"
        echo "$PYTHON"; return
    fi
    local cand
    # pyenv shims exist for every installed version but fail unless that
    # version is selected: run each candidate, do not trust `command -v`.
    for cand in python3.14 python3.13 python3.12; do
        if command -v "$cand" > /dev/null && is_py312 "$cand"; then echo "$cand"; return; fi
    done
    local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
    # Newest first.
    while IFS= read -r cand; do
        [[ -n $cand ]] || continue
        if is_py312 "$cand"; then echo "$cand"; return; fi
    done < <(ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2> /dev/null | sort -rV)
    if command -v python3 > /dev/null && is_py312 python3; then echo python3; return; fi
    die "no Python >= 3.12 found (Mesa $MESA_VERSION needs it).
  Tried: python3.14, python3.13, python3.12, $pyenv_root/versions/3.1[2-9]*/bin/python3, python3.
  Install one (e.g. 'pyenv install 3.12' or your distribution's python3.12 and python3.12-venv)
  or pass --python /path/to/python3.12."
}

venv_ok() {
    [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c "
import sys, mesa, networkx
sys.exit(0 if mesa.__version__ == '$MESA_VERSION' else 1)" > /dev/null 2>&1
}

if ! venv_ok; then
    PY=$(find_python)
    echo "== setting up $VENV with $("$PY" -c 'import sys; print(sys.executable, sys.version.split()[0])')" >&2
    if [[ ! -x $VENV/bin/python ]] || ! is_py312 "$VENV/bin/python"; then
        rm -rf "$VENV"
        "$PY" -m venv "$VENV" || {
            rm -rf "$VENV"
            die "'$PY -m venv' failed (on Debian/Ubuntu install the python3.x-venv package)"
        }
    fi
    "$VENV/bin/python" -m pip install --quiet --upgrade pip > /dev/null 2>&1 || true
    "$VENV/bin/python" -m pip install --quiet "mesa[network]==$MESA_VERSION" || {
        rm -rf "$VENV"
        die "pip install 'mesa[network]==$MESA_VERSION' failed (needs PyPI access)"
    }
    venv_ok || die "the venv at $VENV does not import mesa $MESA_VERSION after install"
fi
VPY=$VENV/bin/python

# ---------------------------------------------------------------- stabsim
if [[ $BUILD == 1 ]]; then
    echo "== cargo build --release" >&2
    cargo build --release --quiet --bin stabsim
fi
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps \
    | "$VPY" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
STABSIM=$TARGET_DIR/release/stabsim
[[ -x $STABSIM ]] || die "$STABSIM not found (run without --no-build)"

# ---------------------------------------------------------------- runs
KEEP=1
if [[ -z $OUT_DIR ]]; then
    KEEP=0
    OUT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/compare_mesa.XXXXXX")
    trap 'rm -rf "$OUT_DIR"' EXIT
else
    mkdir -p "$OUT_DIR"
    rm -f "$OUT_DIR"/*.json
fi

run_mesa() { # size seed ticks
    "$VPY" "$DRIVER" timing --preset app_default --width "$1" --height "$1" \
        --steps "$3" --seeds "$2" > "$OUT_DIR/mesa_${1}_$2.json"
}
run_stabsim() { # size seed ticks
    "$STABSIM" timing "$SCENARIO" --ticks "$3" --seed "$2" \
        --set "world.width=$1" --set "world.height=$1" > "$OUT_DIR/stabsim_${1}_$2.json"
}

echo "== $(nproc) cores; $(uname -sm); Mesa $MESA_VERSION on $("$VPY" -c 'import platform; print(platform.python_version())'); stabsim $("$STABSIM" --version | awk '{print $2}')" >&2
echo "== warm-up (discarded)" >&2
run_mesa 40 0 10
run_stabsim 40 0 200
rm -f "$OUT_DIR"/*_40_0.json
echo "== interleaved timing: seeds ${SEED_LIST[*]}, grids $SIZES, $TICKS ticks each" >&2
i=0
for seed in "${SEED_LIST[@]}"; do
    for size in $SIZES; do
        # Alternate which one goes first, so a drift in machine load
        # does not always favour the same side.
        if (( i % 2 == 0 )); then
            run_mesa "$size" "$seed" "$TICKS"; run_stabsim "$size" "$seed" "$TICKS"
        else
            run_stabsim "$size" "$seed" "$TICKS"; run_mesa "$size" "$seed" "$TICKS"
        fi
        i=$((i + 1))
        echo "   seed $seed ${size}x$size done" >&2
    done
done
if (( BIG_TICKS > 0 )); then
    echo "== stabsim alone at ${BIG_SIZE}x$BIG_SIZE: $BIG_TICKS ticks per seed" >&2
    for seed in "${SEED_LIST[@]}"; do
        run_stabsim "$BIG_SIZE" "$seed" "$BIG_TICKS"
    done
fi

echo
status=0
"$VPY" "$HELPER" table "$OUT_DIR" --target-size 40 --big-size "$BIG_SIZE" || status=$?
case $status in
    0) ;;
    3) [[ $STRICT == 1 ]] || status=0 ;;
    *) die "summary failed (rerun with --out DIR to keep the raw JSON)" ;;
esac
[[ $KEEP == 0 ]] || echo "raw JSON: $OUT_DIR"
exit "$status"
