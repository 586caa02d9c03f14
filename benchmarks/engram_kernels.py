# SPDX-License-Identifier: Apache-2.0
"""Engram's TT gate and ShortConv kernels at several sequence lengths on the
host runtime: wall time, the runtime's counters, the modeled time on the
chip (ttlx.profile, docs/profiler.md) beside the DRAM roofline of the bytes
the kernel moved, and the error against the float32 PyTorch reference, one
row per kernel and length. Wall time includes the model's replay ("replay
s"), the replay's share of it.

    .venv/bin/python benchmarks/engram_kernels.py [--lengths 1024 32768] [--arch wormhole_b0]

Inputs are seeded random tensors of the Engram shapes (4 branches of 1024);
the first call of each kernel shape also compiles its C++ (cached after).
Rows marked * use the fused ops.
"""

from __future__ import annotations

import argparse
import time

from ttlx import hardware
from ttlx.engram import short_conv
from ttlx.profile import capture
from ttlx.engram.tt import conv_layout, tt_gate, tt_gate_fused, tt_short_conv, tt_short_conv_fused

from engram_case import engram_case


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lengths", type=int, nargs="+", default=[1024, 32768])
    parser.add_argument("--arch", choices=hardware.ARCHS, default="wormhole_b0",
                        help="the chip of the modeled time (default: wormhole_b0, n150)")
    args = parser.parse_args()
    print(f"{'kernel':6} {'L':>6} {'nodes':>7} {'time s':>8} {'MiB/s':>8} {'DRAM rd MiB':>12} {'DRAM wr MiB':>12} "
          f"{'tiles':>10} {'model ms':>9} {'roof ms':>8} {'eff':>5} {'binding':>8} {'events':>10} {'replay s':>8} "
          f"{'max_err':>10} {'mean_err':>10}")
    for length in args.lengths:
        case = engram_case(length)
        keys, hidden, value, wk, wq, eps = case.keys, case.hidden, case.value, case.wk, case.wq, case.eps
        g, d = case.config.hc_mult, case.config.hidden_size

        def row(name, nodes, seconds, counters, got, want):
            err = (got - want).abs()
            moved = (counters["dram_bytes_read"] + counters["dram_bytes_written"]) / 2**20
            tiles = counters["tile_fpu"] + counters["tile_sfpu"]
            modeled = sum(p.time_us for _, p in runs) / 1e3
            roofline = sum(p.roofline_us for _, p in runs) / 1e3
            binding = "/".join(sorted({p.binding for _, p in runs}))
            events = sum(p.events for _, p in runs)
            replay = sum(p.replay_seconds for _, p in runs)
            print(f"{name:6} {length:>6} {nodes:>7} {seconds:>8.2f} {moved / seconds:>8.1f} "
                  f"{counters['dram_bytes_read'] / 2**20:>12.1f} {counters['dram_bytes_written'] / 2**20:>12.1f} "
                  f"{tiles:>10} {modeled:>9.3f} {roofline:>8.3f} {roofline / modeled:>5.2f} {binding:>8} {events:>10} "
                  f"{replay:>8.2f} "
                  f"{err.max().item():>10.2e} {err.mean().item():>10.2e}", flush=True)

        counters: dict = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            gated = tt_gate(keys, hidden, value, wk, wq, eps, counters=counters)
        seconds = time.perf_counter() - start
        want = case.torch_gate()
        row("gate", "8x8", seconds, counters, gated, want)

        counters = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            fused = tt_gate_fused(keys, hidden, value, wk, wq, eps, counters=counters)
        row("gate*", "8x8", time.perf_counter() - start, counters, fused, want)

        counters = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            out = tt_short_conv(want, *case.conv_args, counters=counters)
        seconds = time.perf_counter() - start
        ref = want + short_conv(want, *case.conv_args)
        seq_nodes, width = conv_layout(length, d)
        row("conv", f"{seq_nodes}x{g * d // 32 // width}", seconds, counters, out, ref)

        counters = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            out = tt_short_conv_fused(want, *case.conv_args, counters=counters)
        row("conv*", f"{seq_nodes}x{g * d // 32 // width}", time.perf_counter() - start, counters, out, ref)


if __name__ == "__main__":
    main()
