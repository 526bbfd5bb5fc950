#!/usr/bin/env bash
# Same bytes: runs a short Gaza comparison, a short Mali run and an Epstein
# run with the binary of revision REV and with the work tree's, then
# compares every file the two wrote. Data files (CSV, resolved scenarios,
# comparison.json, the manifest without its wall times, commit and command)
# must be identical; charts and the report (PNG, SVG, GIF, HTML, report.md)
# are listed apart, so a deliberate change of a chart shows up without
# hiding a change of data.
#
# Usage: scripts/same_outputs.sh [REV] [--help]
#   REV  a git revision (default: main)
# Environment (defaults in brackets):
#   OUT          folder for both sets of outputs        [a temporary folder, removed]
#   CHARTS_TOO   1: also fail when a chart differs      [0]
#   CARGO_TARGET_DIR  the work tree's build folder      [target]
#   REV_TARGET   build folder for REV (kept, so a second
#                run needs no rebuild)                  [target/same-outputs]
# Exit: 0 every data file identical (and every chart, with CHARTS_TOO=1);
#       1 a difference (each listed); 2 bad usage.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
fi

cd "$(dirname "$0")/.."
ROOT=$(pwd)
REV=${1:-main}
COMMIT=$(git rev-parse --verify --quiet "$REV^{commit}") || {
    echo "same_outputs.sh: '$REV' is not a git revision" >&2
    exit 2
}
TARGET=${CARGO_TARGET_DIR:-target}
REV_TARGET=${REV_TARGET:-$ROOT/target/same-outputs}
CHARTS_TOO=${CHARTS_TOO:-0}

if [[ -n "${OUT:-}" ]]; then
    mkdir -p "$OUT"
    WORK=$(cd "$OUT" && pwd)
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi

echo "building $REV ($COMMIT) ..." >&2
# A fixed source folder per commit, beside its build folder, so a second
# run finds REV already built.
SRC="$REV_TARGET/src-$COMMIT"
if [[ ! -f "$SRC/Cargo.toml" ]]; then
    rm -rf "$SRC"
    mkdir -p "$SRC"
    git archive "$COMMIT" | tar -x -C "$SRC"
fi
(cd "$SRC" && CARGO_TARGET_DIR="$REV_TARGET" cargo build --release --quiet)
OLD_BIN="$REV_TARGET/release/stabsim"

echo "building the work tree ..." >&2
cargo build --release --quiet
NEW_BIN="$ROOT/$TARGET/release/stabsim"
[[ "$TARGET" = /* ]] && NEW_BIN="$TARGET/release/stabsim"

# Both binaries run from the work tree, so scenario files and maps are the
# same for both and only the code differs. Each runs as $WORK/bin/stabsim
# and writes to $WORK/run (then moved aside), because the command line is
# recorded in the outputs.
run_all() {
    local bin=$1 dest=$2
    local out="$WORK/run"
    rm -rf "$out" "$dest" "$WORK/bin"
    mkdir -p "$out" "$WORK/bin"
    cp "$bin" "$WORK/bin/stabsim"
    bin="$WORK/bin/stabsim"
    "$bin" compare scenarios/gaza/baseline.toml scenarios/gaza/force_large.toml \
        scenarios/gaza/posture_military.toml scenarios/gaza/fast_exit.toml \
        -n 4 --ticks 200 --map-days 0,90,200 --threads 2 --quiet --out "$out/gaza"
    "$bin" run scenarios/mali/baseline.toml -n 3 --ticks 90 --threads 2 --quiet \
        --out "$out/mali"
    "$bin" run scenarios/epstein/mesa_app_default.toml -n 4 --ticks 300 --threads 2 \
        --quiet --out "$out/epstein"
    "$bin" run scenarios/epstein/netlogo_rebellion.toml -n 3 --ticks 200 --threads 1 \
        --quiet --out "$out/netlogo"
    mv "$out" "$dest"
}

echo "running $REV ..." >&2
run_all "$OLD_BIN" "$WORK/old"
echo "running the work tree ..." >&2
run_all "$NEW_BIN" "$WORK/new"
rm -rf "$WORK/bin"

# The manifest records wall times, the commit and the command line: drop
# those; everything else (scenario hash, seed, files and their hashes) stays.
stable_manifest() {
    jq -S 'del(.wall_seconds, .git_commit, .command)' "$1"
}

data_diff=0
chart_diff=0
same=0
while IFS= read -r rel; do
    old="$WORK/old/$rel" new="$WORK/new/$rel"
    if [[ ! -e "$old" || ! -e "$new" ]]; then
        echo "ONLY IN $([[ -e "$old" ]] && echo "$REV" || echo 'work tree'): $rel"
        data_diff=$((data_diff + 1))
        continue
    fi
    case "$rel" in
        *.png | *.svg | *.gif | *.html | */report.md) kind=chart ;;
        *) kind=data ;;
    esac
    if [[ "$(basename "$rel")" == manifest.json ]]; then
        # Chart hashes inside the manifest follow the charts: compare them
        # with the charts, the rest with the data.
        if cmp -s <(stable_manifest "$old" | jq 'del(.files)') \
            <(stable_manifest "$new" | jq 'del(.files)'); then
            :
        else
            echo "DATA DIFFERS: $rel (fields other than files)"
            data_diff=$((data_diff + 1))
            continue
        fi
        if ! cmp -s <(jq -S '.files' "$old") <(jq -S '.files' "$new"); then
            kind=chart
            echo "CHART DIFFERS: $rel (file hashes; see the charts)"
            chart_diff=$((chart_diff + 1))
            continue
        fi
        same=$((same + 1))
        continue
    fi
    if cmp -s "$old" "$new"; then
        same=$((same + 1))
    elif [[ $kind == chart ]]; then
        echo "CHART DIFFERS: $rel"
        chart_diff=$((chart_diff + 1))
    else
        echo "DATA DIFFERS: $rel"
        data_diff=$((data_diff + 1))
    fi
done < <( (cd "$WORK/old" && find . -type f; cd "$WORK/new" && find . -type f) \
    | sed 's|^\./||' | sort -u)

echo "same_outputs: $same identical, $data_diff data files differ, $chart_diff charts differ ($REV vs work tree)"
[[ -n "${OUT:-}" ]] && echo "outputs kept in $WORK/old and $WORK/new"
if ((data_diff > 0)); then exit 1; fi
if ((CHARTS_TOO == 1 && chart_diff > 0)); then exit 1; fi
exit 0
