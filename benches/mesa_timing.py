#!/usr/bin/env python3
"""Summarise the timing runs written by benches/compare_mesa.sh.

    mesa_timing.py table DIR [--target-size 40] [--big-size 400]

DIR holds one JSON file per run, named IMPL_SIZE_SEED.json (IMPL = mesa or
stabsim): the stdout of `run_mesa_epstein.py timing` (a list with one entry
per seed) or of `stabsim timing` (one object). Prints a Markdown table:
per grid and implementation, the median over seeds of each run's median
tick time and agent-steps per second, and the ratio Mesa/stabsim taken
seed by seed (the two runs of a seed ran back to back). Then the targets.

Exit status: 0 all targets met, 3 a target missed or not measured, 1 on
bad input. Standard library only (any Python >= 3.8).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

TICK_RATIO_TARGET = 100.0  # Mesa s/tick over stabsim s/tick, at 40x40
THROUGHPUT_TARGET = 3e6  # stabsim agent-steps/s on one core, at 400x400

NAME = re.compile(r"^(mesa|stabsim)_(\d+)_(\d+)\.json$")


def load(folder: Path) -> dict[tuple[str, int], dict[int, dict]]:
    """(impl, size) -> seed -> {median_step_s, agent_steps_per_s, agents}."""
    runs: dict[tuple[str, int], dict[int, dict]] = {}
    for path in sorted(folder.iterdir()):
        m = NAME.match(path.name)
        if not m:
            continue
        impl, size, seed = m.group(1), int(m.group(2)), int(m.group(3))
        data = json.loads(path.read_text())
        if isinstance(data, list):
            if len(data) != 1:
                raise ValueError(f"{path}: expected one seed, got {len(data)}")
            data = data[0]
        runs.setdefault((impl, size), {})[seed] = {
            "median_step_s": float(data["median_step_s"]),
            "agent_steps_per_s": float(data["agent_steps_per_s"]),
            "agents": int(data["n_citizens"]) + int(data["n_cops"]),
            "steps": int(data["steps"]),
        }
    if not runs:
        raise ValueError(f"no IMPL_SIZE_SEED.json files in {folder}")
    return runs


def med(values) -> float:
    return statistics.median(list(values))


def fmt_s(x: float) -> str:
    if x >= 1e-3:
        return f"{x * 1e3:.2f} ms"
    return f"{x * 1e6:.1f} µs"


def fmt_rate(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    return f"{x / 1e3:.1f} k"


def table(ns) -> int:
    runs = load(Path(ns.dir))
    sizes = sorted({size for _, size in runs})
    lines = [
        "| grid | implementation | seeds | ticks | agents | median s/tick | agent-steps/s |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    ratios: dict[int, list[float]] = {}
    for size in sizes:
        mesa = runs.get(("mesa", size), {})
        stab = runs.get(("stabsim", size), {})
        for label, rs in (("Mesa 3.5.1", mesa), ("stabsim", stab)):
            if not rs:
                continue
            lines.append(
                f"| {size}×{size} | {label} | {len(rs)} | {med(r['steps'] for r in rs.values()):.0f} "
                f"| {med(r['agents'] for r in rs.values()):.0f} "
                f"| {fmt_s(med(r['median_step_s'] for r in rs.values()))} "
                f"| {fmt_rate(med(r['agent_steps_per_s'] for r in rs.values()))} |"
            )
        paired = sorted(set(mesa) & set(stab))
        if paired:
            tick = [mesa[s]["median_step_s"] / stab[s]["median_step_s"] for s in paired]
            rate = [stab[s]["agent_steps_per_s"] / mesa[s]["agent_steps_per_s"] for s in paired]
            ratios[size] = tick
            lines.append(
                f"| {size}×{size} | **Mesa / stabsim** | {len(paired)} | | "
                f"| **{med(tick):.0f}×** (seeds: {min(tick):.0f}–{max(tick):.0f}×) "
                f"| {med(rate):.0f}× (seeds: {min(rate):.0f}–{max(rate):.0f}×) |"
            )
    print("\n".join(lines))
    print()
    print("Each run: median of its per-tick times; table: median over seeds. Ratios are")
    print("taken seed by seed (Mesa and stabsim of one seed ran back to back).")
    print()

    ok = True
    tick = ratios.get(ns.target_size)
    if tick:
        hold = med(tick) >= TICK_RATIO_TARGET
        ok &= hold
        print(
            f"target ≥ {TICK_RATIO_TARGET:.0f}× faster per tick than Mesa at "
            f"{ns.target_size}×{ns.target_size}: {'MET' if hold else 'NOT MET'} "
            f"(median {med(tick):.0f}×, lowest seed {min(tick):.0f}×)"
        )
    else:
        ok = False
        print(f"target ≥ {TICK_RATIO_TARGET:.0f}× at {ns.target_size}×{ns.target_size}: not measured")
    big = runs.get(("stabsim", ns.big_size))
    if big:
        rate = [r["agent_steps_per_s"] for r in big.values()]
        hold = med(rate) >= THROUGHPUT_TARGET
        ok &= hold
        print(
            f"target ≥ {THROUGHPUT_TARGET / 1e6:.0f} M agent-steps/s (stabsim, one core, "
            f"{ns.big_size}×{ns.big_size}): {'MET' if hold else 'NOT MET'} "
            f"(median {fmt_rate(med(rate))}, lowest seed {fmt_rate(min(rate))})"
        )
    else:
        ok = False
        print(f"target ≥ {THROUGHPUT_TARGET / 1e6:.0f} M agent-steps/s at {ns.big_size}×{ns.big_size}: not measured")
    return 0 if ok else 3


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("table", help="Markdown table of a folder of timing runs")
    t.add_argument("dir")
    t.add_argument("--target-size", type=int, default=40)
    t.add_argument("--big-size", type=int, default=400)
    t.set_defaults(func=table)
    ns = p.parse_args(argv)
    try:
        return ns.func(ns)
    except (OSError, ValueError, KeyError) as e:
        print(f"mesa_timing.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
