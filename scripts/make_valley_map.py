#!/usr/bin/env python3
"""Writes the generated "valley" map used by the validation contexts.

    python3 scripts/make_valley_map.py

writes scenarios/maps/valley.txt (terrain) and scenarios/maps/valley_sectors.txt
(four sectors), 48 x 48 cells, north at the top. The map is GENERATED, not a
real place: a landlocked province inside a border ring with two crossings, a
river with two bridges, three towns and open country. It exists so that the
validation suite runs on a map the model was not tuned on (docs/VALIDATION.md).

Terrain legend (valley.txt):
    .  open       open country        passable
    u  urban      towns               passable
    w  blocked    the river           impassable
    =  border     border line         impassable
    #  blocked    outside             impassable
    X  crossing   border crossings    passable
Sectors (valley_sectors.txt): 1-4 quadrants, '-' outside.
"""
from pathlib import Path

N = 48
TOWNS = [(12, 14, 4), (30, 34, 5), (36, 10, 3)]  # (row, col, radius)


def terrain(r, c):
    if r in (0, N - 1) or c in (0, N - 1):
        return "#"
    if r in (1, N - 2) or c in (1, N - 2):
        if (r, c) in ((1, 24), (N - 2, 30)):
            return "X"
        return "="
    if c == 22 + (r // 8) and r not in (12, 33):
        return "w"
    for tr, tc, rad in TOWNS:
        if (r - tr) ** 2 + (c - tc) ** 2 <= rad * rad:
            return "u"
    return "."


def sector(r, c):
    if terrain(r, c) in "#=":
        return "-"
    return str(1 + (r >= N // 2) * 2 + (c >= N // 2))


def main():
    root = Path(__file__).resolve().parent.parent / "scenarios" / "maps"
    rows = ["".join(terrain(r, c) for c in range(N)) for r in range(N)]
    secs = ["".join(sector(r, c) for c in range(N)) for r in range(N)]
    (root / "valley.txt").write_text("\n".join(rows) + "\n")
    (root / "valley_sectors.txt").write_text("\n".join(secs) + "\n")


if __name__ == "__main__":
    main()
