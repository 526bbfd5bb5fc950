#!/usr/bin/env python3
"""Top of a `perf record` profile, with inlined functions told apart.

A release build inlines most of the mission's day into a few symbols
(`MissionState::step`, `activate`), so perf's own report names only those.
With line tables in the binary, this script resolves every sampled address
through `addr2line -i` and charges the sample to the innermost function
that lives in this crate's `src/` (a bounds check inside `box_sum` counts
for `box_sum`). Samples outside the binary are shown by library.

Usage: scripts/perf_top.py PERF_DATA BINARY [N]
  PERF_DATA  written by `perf record` (call graphs not needed)
  BINARY     the profiled executable, built with line tables, e.g.
             cargo build --release --config 'profile.release.package.stabsim.debug="line-tables-only"'
  N          rows to print (default 20)

Needs perf, addr2line and readelf (binutils) on PATH. See scripts/profile.sh.
"""
import collections
import os
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 2)
    data, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    name = os.path.basename(binary)
    samples = [l.split(None, 1) for l in run("perf", "script", "-G", "-i", data, "-F", "ip,dso").splitlines() if l.strip()]
    # Runtime addresses of a position-independent binary -> file addresses.
    mmaps = run("perf", "script", "-G", "-i", data, "--show-mmap-events", "-F", "ip,dso")
    pattern = r"\[0x([0-9a-f]+)\(0x[0-9a-f]+\) @ 0x([0-9a-f]+) [^\]]*\]: r-xp (\S+)"
    m = next((m for m in re.finditer(pattern, mmaps) if os.path.basename(m.group(3)) == name), None)
    if not m:
        sys.exit(f"perf_top.py: no executable mapping of {name} in {data}")
    base, offset = int(m.group(1), 16), int(m.group(2), 16)
    text = [l.split() for l in run("readelf", "-lW", binary).splitlines() if "LOAD" in l and "R E" in l][0]
    slide = int(text[2], 16) - int(text[1], 16)
    own = [int(ip, 16) - base + offset + slide for ip, dso in samples if name in dso]
    lines = run("addr2line", "-a", "-i", "-f", "-C", "-e", binary, *[hex(a) for a in sorted(set(own))]).splitlines()
    frames, addr, i = {}, None, 0
    while i < len(lines):
        if lines[i].startswith("0x"):
            addr = int(lines[i], 16)
            frames[addr] = []
            i += 1
        else:
            frames[addr].append((lines[i], lines[i + 1] if i + 1 < len(lines) else ""))
            i += 2
    counts = collections.Counter()
    for a in own:
        label = None
        for func, loc in frames.get(a, []):
            if "/src/" in loc and "/rustc/" not in loc and "/.cargo/" not in loc:
                # Inlined frames carry bare names, outer ones full paths: keep
                # the last segment so both count as one function.
                short = re.sub(r"<.*>", "", func).split("::")[-1] or func
                label = f"{short} ({loc.split('/src/')[-1].split(':')[0]})"
                break
        counts[label or "(outside src/: " + (frames.get(a) or [("?", "")])[0][0][:60] + ")"] += 1
    for ip, dso in samples:
        if name not in dso:
            counts["[" + os.path.basename(dso.strip("()\n ")) + "]"] += 1
    n = len(samples)
    print(f"{n} samples")
    for label, c in counts.most_common(top):
        print(f"{100 * c / n:5.1f} %  {label}")


if __name__ == "__main__":
    main()
