#!/usr/bin/env bash
# Browser test of `stabsim serve`: starts the server on a free port, drives
# headless Chromium through scripts/browser_test.mjs (playwright-core from
# npm, the system's Chromium), and stops the server. Skips, saying why,
# where Chromium, node or playwright-core cannot be had.
#
# Env: STABSIM_BIN (default target/release/stabsim, built if missing),
# CHROMIUM (default /usr/bin/chromium), SHOTS_DIR (screenshots, default
# /tmp/stabsim-browser-test), NODE_DIR (where playwright-core is installed,
# default /tmp/stabsim-browser-node).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
NODE_DIR=${NODE_DIR:-/tmp/stabsim-browser-node}
export CHROMIUM SHOTS_DIR=${SHOTS_DIR:-/tmp/stabsim-browser-test}

skip() { echo "SKIP browser test: $*"; exit 0; }
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM (apt-get install chromium, or set CHROMIUM)"
command -v node >/dev/null || skip "no node (apt-get install nodejs npm)"
if [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
    command -v npm >/dev/null || skip "no npm to install playwright-core"
    mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund playwright-core@1 >/dev/null) \
        || skip "npm install playwright-core failed (no registry access?)"
fi

BIN=${STABSIM_BIN:-target/release/stabsim}
[ -x "$BIN" ] || cargo build --release
LOG=$(mktemp)
"$BIN" serve --port 0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; rm -f "$LOG"' EXIT
URL=""
for _ in $(seq 100); do
    URL=$(grep -o 'http://[^ ]*' "$LOG" || true)
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { cat "$LOG"; echo "browser test: the server did not start"; exit 1; }
cp scripts/browser_test.mjs "$NODE_DIR/browser_test.mjs"
node "$NODE_DIR/browser_test.mjs" "$URL" || {
    echo "server log (last 20 lines):"
    tail -n 20 "$LOG"
    exit 1
}
