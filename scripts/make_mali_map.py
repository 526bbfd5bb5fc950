#!/usr/bin/env python3
"""Writes the stylized northern and central Mali map (the MINUSMA theatre).

    python3 scripts/make_mali_map.py

writes scenarios/maps/mali.txt (terrain) and scenarios/maps/mali_sectors.txt
(regions), both 64 columns x 80 rows, north at the top.

This map is STYLIZED, not a GIS product: the borders, the Niger river and
the towns follow Mali's broad geography from a few hand-placed points
(latitude, longitude), but no boundary, river bank, town outline or crossing
is surveyed. One cell is about 17 km: 0.165 degrees of longitude (about
17.5 km at 17 N) by 0.15 degrees of latitude (about 16.7 km). The map spans
6.0 W to 4.56 E and 25.4 N to 13.4 N (about 1,100 km x 1,330 km). Towns are
drawn larger than scale (a few cells each) so that they show.

Terrain legend (mali.txt):
    .  open       open land: desert, Sahel, the rest    passable
                  of Mali
    u  urban      towns: Timbuktu, Gao, Kidal, Mopti     passable
                  (with Sevare), Menaka
    w  blocked    the Niger river                        impassable
    =  border     international border line (Algeria,    impassable
                  Niger, Burkina Faso, Mauritania)
    #  blocked    outside Mali                           impassable
    B  crossing   Algeria: Tessalit - Bordj Badji Mokhtar road
    T  crossing   Algeria: Tinzaouaten
    A  crossing   Niger: Menaka - Anderamboukane road
    L  crossing   Niger: Gao - Niamey road at Labbezanga
    O  crossing   Burkina Faso: Mopti - Koro - Ouahigouya road
    F  crossing   Mauritania: Lere - Fassala road
    m  crossing   the Niger at Mopti (ferry)
    k  crossing   the Niger at Timbuktu (Korioume ferry)
    g  crossing   the Niger at Gao (Wabaria bridge)

Sector legend (mali_sectors.txt): the five regions of the theatre,
    1 Timbuktu, 2 Gao, 3 Kidal, 4 Mopti, 5 Menaka;
    - no sector (river, border, outside Mali, and the rest of Mali: the
    Segou region in the south-west corner).

Deterministic: no randomness; the ragged town edges come from a fixed
integer hash of the cell position. Prints one summary line.
"""

import os

from maplib import hash01, write_layers

WIDTH, HEIGHT = 64, 80
LON0, DLON = -6.0, 0.165  # west edge of column 0; degrees per column
LAT0, DLAT = 25.4, 0.15  # north edge of row 0; degrees per row

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, os.pardir, "scenarios", "maps")

# Mali's outline (latitude, longitude), clockwise from the Algeria -
# Mauritania tripoint. The last points lie beyond the map: there the map
# edge cuts through Mali (Segou region), which is not a border.
MALI = [
    (25.0, -4.8),  # tripoint Algeria - Mauritania
    (21.1, 1.2),  # Algeria
    (20.0, 3.0),  # Tinzaouaten
    (19.14, 4.25),  # tripoint Algeria - Niger
    (18.0, 4.2),  # Niger
    (16.6, 4.1),
    (15.6, 3.6),
    (15.35, 3.0),
    (15.1, 1.5),
    (14.95, 0.7),  # Labbezanga
    (15.0, 0.24),  # tripoint Niger - Burkina Faso
    (15.08, -0.45),  # Burkina Faso
    (14.7, -1.3),
    (14.3, -2.0),
    (13.95, -2.8),
    (13.6, -3.4),
    (13.3, -4.3),
    (12.0, -5.0),  # beyond the map: the rest of Mali
    (12.0, -7.5),
    (15.5, -7.5),
    (15.5, -5.5),  # Mauritania (Fassala)
    (17.5, -5.6),
    (21.3, -5.9),
]

# The Niger, upstream to downstream (latitude, longitude).
NIGER = [
    (13.75, -6.2),  # beyond the west edge
    (13.96, -5.36),  # Ke-Macina
    (14.49, -4.19),  # Mopti
    (15.3, -4.15),  # Lake Debo
    (15.93, -3.99),  # Niafunke
    (16.28, -3.38),  # Dire
    (16.67, -3.0),  # Kabara, Timbuktu's port
    (16.88, -1.92),  # Gourma-Rharous
    (17.03, -1.4),  # Bamba
    (16.95, -0.35),  # Bourem
    (16.27, -0.08),  # Gao (the town is on the east bank)
    (15.66, 0.45),  # Ansongo
    (14.95, 0.69),  # Labbezanga
    (14.4, 1.1),  # beyond: into Niger
]

# Towns: (name, latitude, longitude, half-width and half-height in cells).
TOWNS = [
    ("Timbuktu", 16.82, -3.0, 1.7, 1.5),
    ("Gao", 16.3, 0.12, 1.7, 1.7),
    ("Kidal", 18.44, 1.41, 1.5, 1.5),
    ("Mopti", 14.45, -4.05, 1.8, 1.5),  # with Sevare, south-east of Mopti
    ("Menaka", 15.92, 2.4, 1.4, 1.4),
]

# Crossings: (char, latitude, longitude, what it crosses), each placed on
# the nearest suitable cell of the border line or the river.
BORDER_CROSSINGS = [
    ("B", 21.05, 1.0),  # Tessalit - Bordj Badji Mokhtar
    ("T", 19.96, 2.97),  # Tinzaouaten
    ("A", 15.42, 3.03),  # Anderamboukane
    ("L", 14.95, 0.69),  # Labbezanga
    ("O", 13.95, -2.9),  # Koro - Ouahigouya
    ("F", 15.7, -5.5),  # Fassala
]
RIVER_CROSSINGS = [
    ("m", 14.49, -4.19),  # Mopti
    ("k", 16.67, -3.0),  # Timbuktu (Korioume)
    ("g", 16.27, -0.08),  # Gao
]

STEPS = ((0, -1), (0, 1), (-1, 0), (1, 0))


def cell_of(lat, lon):
    """The (column, row) holding (lat, lon), possibly off the map."""
    return int((lon - LON0) // DLON), int((LAT0 - lat) // DLAT)


def centre(x, y):
    """(lat, lon) of the centre of cell (x, y)."""
    return LAT0 - (y + 0.5) * DLAT, LON0 + (x + 0.5) * DLON


def in_mali(x, y):
    """Whether the centre of cell (x, y) lies inside Mali's outline."""
    lat, lon = centre(x, y)
    inside = False
    for i, (lat1, lon1) in enumerate(MALI):
        lat2, lon2 = MALI[i - 1]
        if (lat1 > lat) != (lat2 > lat):
            cross = lon1 + (lat - lat1) * (lon2 - lon1) / (lat2 - lat1)
            if lon < cross:
                inside = not inside
    return inside


def on_map(x, y):
    return 0 <= x < WIDTH and 0 <= y < HEIGHT


def river_cells():
    """The Niger as a 4-connected line of cells (no diagonal gaps)."""
    cells = []
    for (lat1, lon1), (lat2, lon2) in zip(NIGER, NIGER[1:]):
        x1, y1 = cell_of(lat1, lon1)
        x2, y2 = cell_of(lat2, lon2)
        x, y = x1, y1
        n = max(abs(x2 - x1), abs(y2 - y1), 1)
        for i in range(1, n + 1):
            tx = x1 + round((x2 - x1) * i / n)
            ty = y1 + round((y2 - y1) * i / n)
            while (x, y) != (tx, ty):
                if x != tx:
                    x += 1 if tx > x else -1
                else:
                    y += 1 if ty > y else -1
                cells.append((x, y))
    return [c for c in cells if on_map(*c)]


def region(lat, lon):
    """The sector digit of a point inside Mali (stylized boundaries)."""
    if lat < 15.5 and lon < -5.0:
        return "-"  # Segou region: Mali, but not the theatre
    if lat < 15.5 and lon < -1.0:
        return "4"  # Mopti
    if lon >= 1.2 and lat < 16.8:
        return "5"  # Menaka
    if lon >= 0.0 and lat >= 17.5:
        return "3"  # Kidal
    if lon >= -1.0 and (lat < 17.5 or (lon < 0.0 and lat < 18.8)):
        return "2"  # Gao
    return "1"  # Timbuktu


def build():
    inside = [[in_mali(x, y) for x in range(WIDTH)] for y in range(HEIGHT)]

    def outside(x, y):
        return on_map(x, y) and not inside[y][x]

    grid = [["." if inside[y][x] else "#" for x in range(WIDTH)] for y in range(HEIGHT)]
    # The border line: cells of Mali with a neighbour (8 around) outside.
    for y in range(HEIGHT):
        for x in range(WIDTH):
            if inside[y][x] and any(
                outside(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)
            ):
                grid[y][x] = "="
    for _name, lat, lon, half_w, half_h in TOWNS:
        cx, cy = cell_of(lat, lon)
        for y in range(cy - 3, cy + 4):
            for x in range(cx - 3, cx + 4):
                d = ((x - cx) / half_w) ** 2 + ((y - cy) / half_h) ** 2
                if grid[y][x] == "." and d < 1.0 - 0.4 * (hash01(x, y, 1) - 0.5):
                    grid[y][x] = "u"
    river = river_cells()
    for x, y in river:
        if inside[y][x]:
            grid[y][x] = "w"
    return inside, grid, river


def nearest(candidates, lat, lon):
    tx, ty = cell_of(lat, lon)
    return min(candidates, key=lambda c: ((c[0] - tx) ** 2 + (c[1] - ty) ** 2, c))


def place_crossings(grid, river):
    """Border crossings: a cell of the border line with the outside on one
    side, Mali on the other and the line running on through both ends.
    River crossings: a river cell with the river on two opposite sides and
    land on the other two."""

    def at(x, y):
        return grid[y][x] if on_map(x, y) else "#"

    border = []
    for y in range(HEIGHT):
        for x in range(WIDTH):
            if grid[y][x] != "=":
                continue
            for dx, dy in STEPS:
                if (
                    at(x + dx, y + dy) == "#"
                    and at(x - dx, y - dy) in ".u"
                    and at(x + dy, y + dx) == "="
                    and at(x - dy, y - dx) == "="
                ):
                    border.append((x, y))
                    break
    for ch, lat, lon in BORDER_CROSSINGS:
        x, y = nearest(border, lat, lon)
        grid[y][x] = ch
    water = []
    for x, y in river:
        for dx, dy in ((1, 0), (0, 1)):
            if (
                at(x + dx, y + dy) == "w"
                and at(x - dx, y - dy) == "w"
                and at(x + dy, y + dx) in ".u"
                and at(x - dy, y - dx) in ".u"
            ):
                water.append((x, y))
    for ch, lat, lon in RIVER_CROSSINGS:
        x, y = nearest(water, lat, lon)
        grid[y][x] = ch


def main():
    inside, grid, river = build()
    place_crossings(grid, river)
    sectors = [
        [
            region(*centre(x, y)) if inside[y][x] and grid[y][x] not in "=w" else "-"
            for x in range(WIDTH)
        ]
        for y in range(HEIGHT)
    ]
    write_layers(OUT_DIR, "mali", grid, sectors)


if __name__ == "__main__":
    main()
