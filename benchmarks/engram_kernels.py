# SPDX-License-Identifier: Apache-2.0
"""Engram's TT gate and ShortConv kernels at several sequence lengths on the
host runtime: wall time, the runtime's counters, the modeled time on the
chip (ttlx.profile, docs/profiler.md) beside the DRAM roofline of the bytes
the kernel moved, the DRAM bytes read and written against the minimum (every
input and output byte moved once: "rd/min", "wr/min"), and the error against
the float32 PyTorch reference, one row per kernel and length; then the peak
RSS of the process so far. Wall time includes the model's replay ("replay
s"), the replay's share of it.

    .venv/bin/python benchmarks/engram_kernels.py [--lengths 1024 32768] [--dtype f32|bf16] [--arch wormhole_b0]

Inputs are seeded random tensors of the Engram shapes (4 branches of 1024);
the first call of each kernel shape also compiles its C++ (cached after).
Rows marked * use the fused ops.
"""

from __future__ import annotations

import argparse
import resource
import time

import torch

from ttlx import hardware
from ttlx.engram import short_conv
from ttlx.profile import capture
from ttlx.engram.tt import conv_layout, tt_gate, tt_gate_fused, tt_short_conv, tt_short_conv_fused

from engram_case import engram_case, error


def reference_conv(x: torch.Tensor, norm: torch.Tensor, weight: torch.Tensor, kernel_size: int, dilation: int,
                   eps: float) -> torch.Tensor:
    """x + short_conv(x), one branch at a time (the branches are independent;
    whole, torch's temporaries at 32K tokens would be several 512 MiB)."""
    ref = torch.empty_like(x)
    d = x.shape[3]
    for g in range(x.shape[2]):
        branch = x[:, :, g:g + 1]
        ref[:, :, g:g + 1] = branch + short_conv(branch, norm[g:g + 1], weight[g * d:(g + 1) * d], kernel_size,
                                                 dilation, eps)
    return ref


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lengths", type=int, nargs="+", default=[1024, 32768])
    parser.add_argument("--arch", choices=hardware.ARCHS, default="wormhole_b0",
                        help="the chip of the modeled time (default: wormhole_b0, n150)")
    parser.add_argument("--dtype", choices=["f32", "bf16"], default="f32",
                        help="the kernels' dtype (bf16: bfloat16 in DRAM, 16-bit DST)")
    args = parser.parse_args()
    dtype = {"f32": torch.float32, "bf16": torch.bfloat16}[args.dtype]
    size = torch.finfo(dtype).bits // 8
    print(f"{'kernel':6} {'L':>6} {'nodes':>7} {'time s':>8} {'MiB/s':>8} {'DRAM rd MiB':>12} {'DRAM wr MiB':>12} "
          f"{'rd/min':>6} {'wr/min':>6} "
          f"{'tiles':>10} {'model ms':>9} {'roof ms':>8} {'eff':>5} {'binding':>8} {'events':>10} {'replay s':>8} "
          f"{'max_err':>10} {'mean_err':>10}")
    for length in args.lengths:
        case = engram_case(length)
        keys, hidden, value, wk, wq, eps = case.stacked_keys, case.hidden, case.value, case.wk, case.wq, case.eps
        g, d = case.config.hc_mult, case.config.hidden_size
        rows = -(-length // 32) * 32  # DRAM tensors are whole tiles
        tile_row = 32 * g * d * size  # a [32, G*D] tensor of weights
        gate_out = rows * g * d * size

        def gate_in(weight_rows: int) -> int:
            """Key, query, value and the weight tile-rows, once."""
            return rows * (2 * g + 1) * d * size + weight_rows * tile_row

        conv_in = rows * g * d * size + 5 * tile_row  # x, the norm weights, 4 taps

        def row(name, nodes, seconds, counters, got, want, minimum):
            max_err, mean_err = error(got, want)
            moved = (counters["dram_bytes_read"] + counters["dram_bytes_written"]) / 2**20
            tiles = counters["tile_fpu"] + counters["tile_sfpu"]
            modeled = sum(p.time_us for _, p in runs) / 1e3
            roofline = sum(p.roofline_us for _, p in runs) / 1e3
            binding = "/".join(sorted({p.binding for _, p in runs}))
            events = sum(p.events for _, p in runs)
            replay = sum(p.replay_seconds for _, p in runs)
            print(f"{name:6} {length:>6} {nodes:>7} {seconds:>8.2f} {moved / seconds:>8.1f} "
                  f"{counters['dram_bytes_read'] / 2**20:>12.1f} {counters['dram_bytes_written'] / 2**20:>12.1f} "
                  f"{counters['dram_bytes_read'] / minimum[0]:>6.3f} {counters['dram_bytes_written'] / minimum[1]:>6.3f} "
                  f"{tiles:>10} {modeled:>9.3f} {roofline:>8.3f} {roofline / modeled:>5.2f} {binding:>8} {events:>10} "
                  f"{replay:>8.2f} "
                  f"{max_err:>10.2e} {mean_err:>10.2e}", flush=True)

        # The references first: their temporaries are gone before a kernel's tensors exist.
        want = case.torch_gate()
        counters: dict = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            gated = tt_gate(keys, hidden, value, wk, wq, eps, counters=counters, dtype=dtype)
        seconds = time.perf_counter() - start
        row("gate", "8x8", seconds, counters, gated, want, (gate_in(1), gate_out))
        del gated

        counters = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            fused = tt_gate_fused(keys, hidden, value, wk, wq, eps, counters=counters, dtype=dtype)
        row("gate*", "8x8", time.perf_counter() - start, counters, fused, want, (gate_in(2), gate_out))
        conv_args = case.conv_args
        del fused, keys, hidden, value, case  # the conv needs only the gated values

        ref = reference_conv(want, *conv_args)
        counters = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            out = tt_short_conv(want, *conv_args, counters=counters, dtype=dtype)
        seconds = time.perf_counter() - start
        seq_nodes, width = conv_layout(length, d)
        row("conv", f"{seq_nodes}x{g * d // 32 // width}", seconds, counters, out, ref, (conv_in, gate_out))
        del out

        counters = {}
        start = time.perf_counter()
        with capture(args.arch) as runs:
            out = tt_short_conv_fused(want, *conv_args, counters=counters, dtype=dtype)
        row("conv*", f"{seq_nodes}x{g * d // 32 // width}", time.perf_counter() - start, counters, out, ref,
            (conv_in, gate_out))
        del out, want, ref
        print(f"peak RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB", flush=True)


if __name__ == "__main__":
    main()
