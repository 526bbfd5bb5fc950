#!/usr/bin/env bash
# Runs the README's pandas and R snippets (the code blocks that follow the
# `<!-- snippet: python -->` and `<!-- snippet: r -->` markers) against real
# outputs: a small comparison written where the snippets look for it.
#
#   scripts/readme_snippets.sh [STABSIM]
#
# STABSIM: the binary (default: target/release/stabsim, built if missing).
# A snippet whose interpreter or library is missing is skipped with a
# message saying what to install (pandas: `pip install pandas`); exit 0
# then, 1 if a snippet that ran failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${1:-target/release/stabsim}
if [[ ! -x $bin ]]; then
    cargo build --release --quiet
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The block of language $1 after its marker, without the fences.
snippet() {
    awk -v marker="<!-- snippet: $1 -->" '
        $0 == marker { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }
    ' "$root/README.md"
}

# The snippets read outputs/gaza (bare `stabsim`'s folder): a small
# comparison of two mandates stands in for it.
(cd "$work" && "$bin" compare "$root/scenarios/gaza/baseline.toml" \
    "$root/scenarios/gaza/force_large.toml" -n 3 --ticks 40 --quiet \
    --out outputs/gaza >/dev/null)

status=0
py=$(snippet python)
if [[ -z $py ]]; then
    echo "readme_snippets: no python snippet in README.md" >&2
    exit 1
elif ! command -v python3 >/dev/null; then
    echo "readme_snippets: SKIPPED the python snippet: python3 is not installed"
elif ! python3 -c "import pandas" 2>/dev/null; then
    echo "readme_snippets: SKIPPED the python snippet: pandas is missing (pip install pandas)"
else
    printf '%s\n' "$py" >"$work/snippet.py"
    if (cd "$work" && python3 snippet.py); then
        echo "readme_snippets: python snippet ok"
    else
        echo "readme_snippets: the python snippet FAILED" >&2
        status=1
    fi
fi

r=$(snippet r)
if [[ -z $r ]]; then
    echo "readme_snippets: no R snippet in README.md" >&2
    exit 1
elif ! command -v Rscript >/dev/null; then
    echo "readme_snippets: SKIPPED the R snippet: R is not installed"
else
    printf '%s\n' "$r" >"$work/snippet.R"
    if (cd "$work" && Rscript snippet.R); then
        echo "readme_snippets: R snippet ok"
    else
        echo "readme_snippets: the R snippet FAILED" >&2
        status=1
    fi
fi
exit $status
