# SPDX-License-Identifier: Apache-2.0
"""`--profile-plot FILE.png|svg`: the cores' modeled timelines, one row per
kernel thread (compute: unpack, math, pack), coloured by what occupies it."""

from __future__ import annotations

from pathlib import Path

from .model import Profile
from .report import NOC, TRACKS, category

COLORS = {"unpack": "#9ecae1", "FPU": "#3182bd", "SFPU": "#e6550d", "matmul": "#31a354", "reduce": "#756bb1",
          "pack": "#fdae6b", "wait": "#d9d9d9", "signpost": "#636363"}


def plot_timelines(path: str | Path, runs: list[tuple[str, Profile]], max_bars: int = 4000) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows: dict[tuple[int, int], dict[str, list[tuple[float, float]]]] = {}
    offset = 0.0
    total = sum(p.time_us for _, p in runs) or 1.0
    resolution = total / max_bars  # bars narrower than this merge with their neighbours
    grid_x = runs[0][1].grid[0] if runs else 1
    for _, p in runs:
        for core, track, kind, detail, code, start, end in p.slices:
            if kind == NOC:
                continue  # transfers overlap; the barrier waits show their cost
            bars = rows.setdefault((core, track), {}).setdefault(category(kind, detail, code), [])
            x, w = offset + p.us(start), p.us(end - start)
            if bars and x - (bars[-1][0] + bars[-1][1]) < resolution:
                bars[-1] = (bars[-1][0], x + w - bars[-1][0])
            else:
                bars.append((x, w))
        offset += p.time_us
    keys = sorted(rows)
    height = max(2.0, 0.18 * len(keys) + 1.0)
    fig, ax = plt.subplots(figsize=(12, min(height, 60)))
    for i, key in enumerate(keys):
        for cat, bars in rows[key].items():
            ax.broken_barh(bars, (i - 0.4, 0.8), facecolors=COLORS.get(cat, "#000000"), linewidth=0)
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([f"({c % grid_x},{c // grid_x}) {TRACKS[t]}" for c, t in keys], fontsize=5)
    ax.invert_yaxis()
    ax.set_xlabel("modeled time (us)")
    ax.set_title(", ".join(f"{name}: {p.time_us:,.1f} us on {p.arch}" for name, p in runs)[:200], fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLORS.values()]
    ax.legend(handles, list(COLORS), loc="upper right", fontsize=6, ncol=4)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
