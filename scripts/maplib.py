"""Shared by the map generators: write a terrain map and its sector map."""

import os


def hash01(x, y, salt):
    """A fixed pseudo-random number in [0, 1) for cell (x, y)."""
    h = (x * 73856093) ^ (y * 19349663) ^ (salt * 83492791)
    h = (h * 2654435761) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 2246822519) & 0xFFFFFFFF
    h ^= h >> 13
    return (h & 0xFFFF) / 65536.0


def write_layers(out_dir, stem, grid, sectors):
    """Write <stem>.txt and <stem>_sectors.txt (one character per cell) and
    print a one-line summary with the count of each terrain character."""
    os.makedirs(out_dir, exist_ok=True)
    names = (f"{stem}.txt", f"{stem}_sectors.txt")
    for name, rows in zip(names, (grid, sectors)):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write("".join("".join(row) + "\n" for row in rows))
    counts = {}
    for row in grid:
        for ch in row:
            counts[ch] = counts.get(ch, 0) + 1
    summary = " ".join(f"{ch}={counts[ch]}" for ch in sorted(counts))
    width, height = len(grid[0]), len(grid)
    print(f"wrote {names[0]} and {names[1]} ({width}x{height}): {summary}")
