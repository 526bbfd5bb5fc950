#!/usr/bin/env bash
# Render a comparison report (REPORT_DIR/report.html, written by
# `stabsim compare`) in headless Chromium and check that it displays:
# every <img> decodes, and a full-page screenshot comes out non-trivial.
#
# Usage: scripts/check_report.sh [--help] REPORT_DIR [SCREENSHOT]
#   REPORT_DIR  folder holding report.html
#   SCREENSHOT  where to write the full-page PNG  [REPORT_DIR/report-screenshot.png]
# Environment (defaults in brackets):
#   CHROMIUM    browser binary   [first of chromium, chromium-browser,
#               google-chrome, google-chrome-stable on PATH]
#   WIDTH       window width, px [1400]
#   TIMEOUT     seconds per browser run [120]
#
# The page is rendered from a copy in a temporary folder with the network
# blocked, so an image that only loads from a relative file or a URL counts
# as missing: the check also proves report.html is self-contained.
# Method: a copy with a small injected script is dumped (--dump-dom); on
# load the script appends <div id="img-check" data-height=H>LOADED/TOTAL</div>
# (an image is loaded when complete with naturalWidth > 0; H is the page
# height); then the untouched copy is screenshotted at WIDTH x H.
#
# Exit: 0 rendered, all images loaded (one summary line on stdout);
#       1 a check failed; 2 bad usage; 77 no Chromium installed (skip).
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
    exit 0
fi

die() { echo "check_report: $*" >&2; exit 1; }

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: scripts/check_report.sh REPORT_DIR [SCREENSHOT] (--help for details)" >&2
    exit 2
fi
REPORT_DIR=$1
HTML="$REPORT_DIR/report.html"
SHOT=${2:-$REPORT_DIR/report-screenshot.png}
WIDTH=${WIDTH:-1400}
TIMEOUT=${TIMEOUT:-120}
[[ -f "$HTML" ]] || { echo "check_report: no report.html in $REPORT_DIR" >&2; exit 2; }
[[ "$WIDTH" =~ ^[0-9]+$ ]] || { echo "check_report: WIDTH must be a number of pixels" >&2; exit 2; }

BROWSER=${CHROMIUM:-}
if [[ -z "$BROWSER" ]]; then
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$candidate" >/dev/null 2>&1; then
            BROWSER=$(command -v "$candidate")
            break
        fi
    done
fi
if [[ -z "$BROWSER" ]]; then
    echo "check_report: SKIP: no Chromium found (tried chromium, chromium-browser, google-chrome, google-chrome-stable; set CHROMIUM)" >&2
    exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/check_report.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Static checks first: no external resources.
if grep -Eqi '(src|href)="(https?:)?//|url\((https?:)?//|<link[^>]+stylesheet' "$HTML"; then
    die "report.html references external resources (URLs in src/href/url(), or a stylesheet link)"
fi

cp "$HTML" "$WORK/report.html"
INJECT='<script>window.addEventListener("load",function(){var i=Array.prototype.slice.call(document.images);var n=i.filter(function(x){return x.complete&&x.naturalWidth>0;}).length;var d=document.createElement("div");d.id="img-check";d.setAttribute("data-height",String(Math.ceil(document.documentElement.scrollHeight)));d.textContent=n+"/"+i.length;document.body.appendChild(d);});</script>'
awk -v inj="$INJECT" '
    !done && (i = index($0, "</body>")) { $0 = substr($0, 1, i - 1) inj substr($0, i); done = 1 }
    { print }
    END { if (!done) print inj }
' "$HTML" > "$WORK/probe.html"

# chromium FLAGS... URL: runs the browser with a throwaway profile, no
# network, and a virtual time budget so the page settles before output.
chromium_run() {
    timeout "$TIMEOUT" "$BROWSER" --headless --disable-gpu --no-sandbox \
        --no-first-run --no-default-browser-check --disable-extensions \
        --disable-dev-shm-usage --hide-scrollbars --mute-audio \
        --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$WORK/profile" --virtual-time-budget=5000 "$@"
}

if ! chromium_run --window-size="$WIDTH,1000" --dump-dom "file://$WORK/probe.html" >"$WORK/dom.html" 2>"$WORK/dom.log"; then
    tail -n 20 "$WORK/dom.log" >&2
    die "Chromium failed to load report.html ($BROWSER)"
fi
MARKER=$(grep -o '<div id="img-check"[^>]*>[0-9]*/[0-9]*</div>' "$WORK/dom.html" || true)
if [[ -z "$MARKER" ]]; then
    tail -n 20 "$WORK/dom.log" >&2
    die "the page did not finish loading (no img-check marker in the dumped DOM)"
fi
COUNTS=$(sed -E 's#.*>([0-9]+/[0-9]+)</div>#\1#' <<<"$MARKER")
HEIGHT=$(sed -E 's#.*data-height="([0-9]+)".*#\1#' <<<"$MARKER")
LOADED=${COUNTS%/*}
TOTAL=${COUNTS#*/}
TAGS=$(grep -o '<img[ >]' "$HTML" | wc -l | tr -d ' ')
[[ "$TOTAL" == "$TAGS" ]] || die "the browser saw $TOTAL images but report.html has $TAGS <img> tags"
[[ "$LOADED" == "$TOTAL" ]] || die "only $LOADED of $TOTAL images loaded (a broken data: URI or a file reference?)"

# Full-page screenshot: window as tall as the page (capped: Chromium limits
# the surface size).
(( HEIGHT >= 200 )) || HEIGHT=200
(( HEIGHT <= 16000 )) || HEIGHT=16000
mkdir -p "$(dirname "$SHOT")"
rm -f "$SHOT"
if ! chromium_run --screenshot="$SHOT" --window-size="$WIDTH,$HEIGHT" \
        "file://$WORK/report.html" >"$WORK/shot.log" 2>&1; then
    tail -n 20 "$WORK/shot.log" >&2
    die "Chromium failed to take the screenshot"
fi
[[ -s "$SHOT" ]] || die "no screenshot written to $SHOT"
SIG=$(head -c 8 "$SHOT" | od -An -tx1 | tr -d ' \n')
[[ "$SIG" == "89504e470d0a1a0a" ]] || die "$SHOT is not a PNG"
SHOT_W=$((16#$(od -An -tx1 -j16 -N4 "$SHOT" | tr -d ' \n')))
SHOT_H=$((16#$(od -An -tx1 -j20 -N4 "$SHOT" | tr -d ' \n')))
BYTES=$(wc -c <"$SHOT" | tr -d ' ')
# A blank page of this size compresses to a few kB; text, tables and charts
# take far more.
(( BYTES >= 20000 )) || die "the screenshot is only $BYTES bytes: the page looks blank"
(( SHOT_W >= 200 && SHOT_H >= 200 )) || die "the screenshot is only ${SHOT_W}x${SHOT_H} px"

echo "report.html: $LOADED/$TOTAL images loaded; page ${WIDTH}x${HEIGHT} px; screenshot $SHOT (${SHOT_W}x${SHOT_H} px, $((BYTES / 1024)) KiB)"
