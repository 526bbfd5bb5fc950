#!/usr/bin/env python3
"""Writes the stylized Gaza Strip map used by the Gaza scenario pack.

    python3 scripts/make_gaza_map.py

writes scenarios/maps/gaza.txt (terrain) and scenarios/maps/gaza_sectors.txt
(governorates), both 56 columns x 160 rows, north at the top.

This map is STYLIZED, not a GIS product: shapes, positions and sizes follow
the Strip's broad geography (about 41 km long, about 6 km wide in the north
and 12 km in the south, coast running roughly NNE) but no boundary, town
outline or crossing is surveyed. One cell is about 250 m (160 rows = 40 km).
Rubble stands for widespread destruction, heavier in the north and Gaza City.

Terrain legend (gaza.txt):
    .  open       open or agricultural land            passable
    u  urban      built-up area                        passable
    r  rubble     destroyed built-up area              passable
    ~  sea        the Mediterranean                    impassable
    =  border     border line (Israel, Egypt)          impassable
    b  buffer     buffer zone held by the external     impassable
                  military, inside the eastern and
                  northern border
    #  blocked    outside the Strip (Israel, Egypt)    impassable
    Z  crossing   Zikim (north border, near the coast)
    E  crossing   Erez (north border, north-east)
    K  crossing   Kerem Shalom (east border, near Egypt)
    R  crossing   Rafah (Egyptian border)

Sector legend (gaza_sectors.txt): the five governorates, north to south,
    1 North Gaza, 2 Gaza City, 3 Deir al-Balah, 4 Khan Younis, 5 Rafah;
    - no sector (sea, border, outside).

Deterministic: no randomness; the ragged town edges and the rubble pattern
come from a fixed integer hash of the cell position. Prints one summary line.
"""

import os

from maplib import hash01, write_layers

WIDTH, HEIGHT = 56, 160
NORTH_BORDER = 2  # row of the northern border line (Israel above)
SOUTH_BORDER = 157  # row of the Egyptian border line (Egypt below)
BUFFER_DEPTH = 4  # cells (about 1 km) inside the eastern and northern border

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, os.pardir, "scenarios", "maps")


def frac(y):
    """0 at the northern border, 1 at the Egyptian border."""
    return (y - NORTH_BORDER) / (SOUTH_BORDER - NORTH_BORDER)


def coast(y):
    """First land column of row y: the coast runs NNE, so the Strip widens
    southwards (about 24 cells = 6 km wide in the north, 47 in the south)."""
    t = min(max(frac(y), 0.0), 1.0)
    return round(29 - 26 * t**1.3)


def east_border(y):
    """Column of the eastern border line in row y."""
    t = min(max(frac(y), 0.0), 1.0)
    return round(53 - 3 * t)


# Towns: (name, row, distance of the centre from the coast in cells,
# half-width in cells, half-height in rows, rubble fraction of built-up cells).
TOWNS = [
    ("Beit Lahia", 12, 7, 6, 6, 0.75),
    ("Jabalia", 19, 15, 6, 6, 0.75),
    ("Beit Hanoun", 10, 21, 3, 4, 0.8),
    ("Gaza City", 36, 8, 9, 14, 0.65),
    ("Deir al-Balah", 75, 5, 5, 7, 0.2),
    ("Nuseirat", 63, 5, 4, 4, 0.3),
    ("Khan Younis", 109, 14, 8, 9, 0.35),
    ("Rafah", 142, 20, 9, 10, 0.3),
]

# Governorate boundaries: the row where each sector ends at the coast; the
# boundaries run WNW-ESE, across the Strip.
SECTOR_ENDS = [(26, "1"), (62, "2"), (92, "3"), (125, "4"), (HEIGHT, "5")]
BOUNDARY_SLOPE = 0.25  # rows further south per column east of the coast


def town_at(x, y):
    """The rubble fraction of the town covering (x, y), or None."""
    for _name, row, dist, half_w, half_h, rubble in TOWNS:
        cx = coast(row) + dist
        d = ((x - cx) / half_w) ** 2 + ((y - row) / half_h) ** 2
        if d < 1.0 - 0.35 * (hash01(x, y, 1) - 0.5):
            return rubble
    return None


def terrain(x, y):
    if y < NORTH_BORDER or y > SOUTH_BORDER:
        return "~" if x < coast(y) else "#"
    c, e = coast(y), east_border(y)
    if x < c:
        return "~"
    if x > e:
        return "#"
    if x == e or y in (NORTH_BORDER, SOUTH_BORDER):
        return "="
    if e - x <= BUFFER_DEPTH or y - NORTH_BORDER <= BUFFER_DEPTH:
        return "b"
    rubble = town_at(x, y)
    if rubble is not None:
        return "r" if hash01(x, y, 2) < rubble else "u"
    north = frac(y) < 0.35
    if north and hash01(x, y, 3) < 0.12:
        return "r"  # destroyed structures on open land
    return "."


def place_crossings(grid):
    """Crossings on the border line, each with a road (open) through the
    buffer zone behind it."""
    n = NORTH_BORDER
    zikim = coast(n) + 2
    erez = east_border(n) - 10
    crossings = {"Z": (zikim, n), "E": (erez, n)}
    k_row = SOUTH_BORDER - 3
    crossings["K"] = (east_border(k_row), k_row)
    s = SOUTH_BORDER
    crossings["R"] = (coast(s) + round(0.4 * (east_border(s) - coast(s))), s)
    for ch, (x, y) in crossings.items():
        grid[y][x] = ch
    for x in (zikim, erez):
        for y in range(n + 1, n + 1 + BUFFER_DEPTH):
            grid[y][x] = "."
    kx = crossings["K"][0]
    for x in range(kx - BUFFER_DEPTH, kx):
        grid[k_row][x] = "."


def sector(x, y, cell):
    if cell in "~=#":
        return "-"
    shifted = y - BOUNDARY_SLOPE * (x - coast(y))
    for end, digit in SECTOR_ENDS:
        if shifted < end:
            return digit
    return SECTOR_ENDS[-1][1]


def main():
    grid = [[terrain(x, y) for x in range(WIDTH)] for y in range(HEIGHT)]
    place_crossings(grid)
    sectors = [[sector(x, y, grid[y][x]) for x in range(WIDTH)] for y in range(HEIGHT)]
    write_layers(OUT_DIR, "gaza", grid, sectors)


if __name__ == "__main__":
    main()
