# SPDX-License-Identifier: Apache-2.0
"""Engram's ShortConv, plus the residual, as a TT kernel:
out = x + SiLU(conv(RMSNorm(x))), conv depthwise and causal along the
sequence: y_t = sum_j w_j xn_{t - dil (K-1-j)}.

The grid is (sequence nodes, column groups). Node (n, y) takes a contiguous
run of tile-rows and `width` tiles of one branch's channels. The shifted rows
xn_{t-s} are built on the device by a data-movement thread with element
access, from the current normalized tile-row and the last rows of the one
before (the halo). The halo of a node's first tile-row comes from the node
before it through a PipeNet; to keep the nodes parallel, every node first
normalizes its *last* tile-row and sends it on, then streams its own rows.
Float32 with a 32-bit DST, or bfloat16 with a 16-bit one (`tensors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import torch

import ttlx as ttl
from ttlx.lang import ttnn

from .tensors import TILE, device_tensor, fp32_dest, output_tensor, tile_row, values

MAX_SEQUENCE_NODES = 8


@dataclass(frozen=True)
class ConvGrid:
    """How a ShortConv kernel splits its work (compile-time values)."""

    rows: int  # tile-rows of the sequence
    sequence_nodes: int
    width: int  # tiles of channels per node
    branch_tiles: int  # tiles of one branch's channels
    groups_per_branch: int

    @property
    def rows_per_node(self) -> int:
        return -(-self.rows // self.sequence_nodes)


# Kernel helpers (inlined by the frontend where the thread functions call
# them); `sequence_rows` is shared with the fused kernel.

def sequence_rows(n, grid):
    """First tile-row of node n, how many it has, and 1 when a node
    follows it (which needs its last tile-row first) else 0."""
    first = n * grid.rows_per_node
    count = min(grid.rows, first + grid.rows_per_node) - first
    ahead = 0
    if n < grid.sequence_nodes - 1:
        ahead = 1
    return first, count, ahead


def read_weights_and_rows(dfbs, x, norm_weight, conv_weight, grid):
    """The data-movement side of the input: this node's norm and tap
    weights once, then per tile-row the whole branch row (for the norm) and
    this node's channels; the last tile-row first when a node follows."""
    n, y = ttl.node(dims=2)
    branch = y // grid.groups_per_branch
    col = y * grid.width
    width = grid.width
    first, count, ahead = sequence_rows(n, grid)
    with dfbs.wn.reserve() as wn, dfbs.w0.reserve() as w0, dfbs.w1.reserve() as w1, \
            dfbs.w2.reserve() as w2, dfbs.w3.reserve() as w3:
        ttl.copy(norm_weight[0, col:col + width], wn).wait()
        ttl.copy(conv_weight[0, col:col + width], w0).wait()
        ttl.copy(conv_weight[1, col:col + width], w1).wait()
        ttl.copy(conv_weight[2, col:col + width], w2).wait()
        ttl.copy(conv_weight[3, col:col + width], w3).wait()
    for i in range(count + ahead):
        row = first + i - ahead
        if ahead == 1 and i == 0:
            row = first + count - 1
        with dfbs.xs.reserve() as xs:
            ttl.copy(x[row, branch * grid.branch_tiles:(branch + 1) * grid.branch_tiles], xs).wait()
        with dfbs.x.reserve() as xb:
            ttl.copy(x[row, col:col + width], xb).wait()


def inverse_rms(dfbs, inv_channels, eps):
    """rr <- rsqrt(mean(x^2) + eps) of the next whole branch row."""
    with dfbs.xs.wait() as xs:
        with dfbs.sq.reserve() as sq:
            sq.store(xs * xs)
        with dfbs.sq.wait() as sq, dfbs.rr.reserve() as rr:
            mean = ttl.math.reduce_sum(sq, dims=[-1], shape=(1, 1)) * ttl.block.fill(inv_channels, shape=(1, 1))
            rr.store(ttl.math.rsqrt(mean + ttl.block.fill(eps, shape=(1, 1))))


def input_dfbs(x, norm_weight, conv_weight, branch_tiles, width):
    """The DFBs of the input side, as a namespace for the helpers above."""
    return SimpleNamespace(
        xs=ttl.make_dataflow_buffer_like(x, shape=(1, branch_tiles), block_count=1),
        sq=ttl.make_dataflow_buffer_like(x, shape=(1, branch_tiles), block_count=1),
        rr=ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1),
        x=ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1),
        wn=ttl.make_dataflow_buffer_like(norm_weight, shape=(1, width), block_count=1),
        w0=ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1),
        w1=ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1),
        w2=ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1),
        w3=ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1),
    )


@lru_cache(maxsize=8)  # one Operation per shape: calls reuse its compiled program and parsed body
def _conv_operation(channels: int, branches: int, kernel_size: int, dilation: int, eps: float,
                    sequence_nodes: int, width: int, fp32: bool):
    """The operation for rows of `branches` x `channels` values."""
    branch_tiles = channels // TILE
    groups_per_branch = branch_tiles // width
    column_groups = branches * groups_per_branch
    shifts = [dilation * (kernel_size - 1 - j) for j in range(kernel_size)]  # tap j reads x_{t - shift}
    if max(shifts) >= TILE:
        raise ValueError(f"a reach of {max(shifts)} rows needs more than one halo tile-row")
    inv_channels = 1.0 / channels
    halo_pipes = [ttl.Pipe(src=(n, y), dst=(n + 1, y))
                  for n in range(sequence_nodes - 1) for y in range(column_groups)]

    @ttl.operation(grid=(sequence_nodes, column_groups), fp32_dest_acc_en=fp32)
    def engram_short_conv(x, norm_weight, conv_weight, out):
        grid = ConvGrid(-(-x.shape[0] // TILE), sequence_nodes, width, branch_tiles, groups_per_branch)
        net = ttl.PipeNet(halo_pipes) if halo_pipes else None
        dfbs = input_dfbs(x, norm_weight, conv_weight, branch_tiles, width)
        xn_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=2)
        halo_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=2)
        # tap_j holds xn_{t - shifts[j]}; tap 3 (shift 0) is xn itself.
        tap0_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        tap1_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        tap2_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, width), block_count=2)

        @ttl.datamovement()
        def read():
            read_weights_and_rows(dfbs, x, norm_weight, conv_weight, grid)

        @ttl.compute()
        def compute():
            n, _ = ttl.node(dims=2)
            first, count, ahead = sequence_rows(n, grid)
            with dfbs.wn.wait() as wn, dfbs.w0.wait() as w0, dfbs.w1.wait() as w1, dfbs.w2.wait() as w2, \
                    dfbs.w3.wait() as w3:
                for i in range(count + ahead):
                    inverse_rms(dfbs, inv_channels, eps)
                    with dfbs.rr.wait() as rr, dfbs.x.wait() as xb:
                        with xn_dfb.reserve() as xn:
                            xn.store(xb * ttl.block.broadcast(rr, dims=[-1], shape=(1, width)) * wn)
                        if ahead == 0 or i > 0:
                            with tap2_dfb.wait() as tap2, tap1_dfb.wait() as tap1, tap0_dfb.wait() as tap0, \
                                    out_dfb.reserve() as o:
                                xn = xb * ttl.block.broadcast(rr, dims=[-1], shape=(1, width)) * wn
                                conv = xn * w3 + tap2 * w2 + tap1 * w1 + tap0 * w0
                                o.store(xb + ttl.math.silu(conv))

        def shifted(tap, halo, current, shift):
            """tap[i] = current[i - shift], from the halo for i < shift."""
            for i in range(shift):
                for c in range(width * TILE):
                    ttl.element_write(tap, i, c, ttl.element_read(halo, TILE - shift + i, c))
            for i in range(shift, TILE):
                for c in range(width * TILE):
                    ttl.element_write(tap, i, c, ttl.element_read(current, i - shift, c))

        @ttl.datamovement()
        def shift_and_write():
            n, y = ttl.node(dims=2)
            col = y * width
            first, count, ahead = sequence_rows(n, grid)
            if ahead == 1:
                with xn_dfb.wait() as last:
                    def send(pipe):
                        ttl.copy(last, pipe).wait()

                    if sequence_nodes > 1:
                        net.if_src(send)
            with halo_dfb.reserve() as halo:
                if n == 0:  # zeros before the start of the sequence
                    for i in range(TILE - shifts[0], TILE):
                        for c in range(width * TILE):
                            ttl.element_write(halo, i, c, 0.0)
                else:
                    def receive(pipe):
                        ttl.copy(pipe, halo).wait()

                    if sequence_nodes > 1:
                        net.if_dst(receive)
            for i in range(count):
                with xn_dfb.wait() as current:
                    with halo_dfb.wait() as halo:
                        with tap2_dfb.reserve() as tap2:
                            shifted(tap2, halo, current, shifts[2])
                        with tap1_dfb.reserve() as tap1:
                            shifted(tap1, halo, current, shifts[1])
                        with tap0_dfb.reserve() as tap0:
                            shifted(tap0, halo, current, shifts[0])
                    if i < count - 1:  # the next tile-row's halo
                        with halo_dfb.reserve() as next_halo:
                            for r in range(TILE - shifts[0], TILE):
                                for c in range(width * TILE):
                                    ttl.element_write(next_halo, r, c, ttl.element_read(current, r, c))
                with out_dfb.wait() as o:
                    ttl.copy(o, out[first + i, col:col + width]).wait()

    return engram_short_conv


def conv_layout(length: int, channels: int, sequence_nodes: int | None = None) -> tuple[int, int]:
    """(sequence nodes, tiles per column group) of the conv grid: every
    sequence node gets at least one tile-row, a column group half a branch
    (when it has an even number of tiles)."""
    rows = -(-length // TILE)
    per_node = -(-rows // (sequence_nodes or min(MAX_SEQUENCE_NODES, rows)))
    branch_tiles = channels // TILE
    return -(-rows // per_node), branch_tiles // 2 if branch_tiles % 2 == 0 else branch_tiles


def tt_short_conv(x: torch.Tensor, norm_weight: torch.Tensor, conv_weight: torch.Tensor, kernel_size: int,
                  dilation: int, eps: float, sequence_nodes: int | None = None,
                  counters: dict | None = None, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """x + ShortConv(x) for x [B, L, G, C] with the per-branch norm weights
    [G, C] and depthwise conv weights [G*C, 1, K], on the TT kernel in
    `dtype` (the result has it too), the sequence split over
    `sequence_nodes` nodes (default: up to 8). `counters`, when given,
    receives the runtime's total counters (summed over the batch)."""
    return run_short_conv(lambda channels, branches, nodes, width: _conv_operation(
        channels, branches, kernel_size, dilation, eps, nodes, width, fp32_dest(dtype)),
        x, norm_weight, conv_weight, kernel_size, sequence_nodes, counters, dtype)


def run_short_conv(make_operation, x: torch.Tensor, norm_weight: torch.Tensor, conv_weight: torch.Tensor,
                   kernel_size: int, sequence_nodes: int | None, counters: dict | None,
                   dtype: torch.dtype, traffic: list | None = None) -> torch.Tensor:
    """Runs a ShortConv operation, `make_operation(channels, branches,
    sequence nodes, width)`, on each sequence of the batch: x [B, L, G, C]
    as [L, G*C], the norm weights replicated over a tile-row, tap j of the
    conv weights in tile-row j, all in `dtype`."""
    b, length, branches, channels = x.shape
    if channels % TILE:
        raise ValueError(f"channel count {channels} is not a multiple of {TILE}")
    if kernel_size != 4:
        raise ValueError("the TT kernel has four taps (kernel_size 4)")
    nodes, width = conv_layout(length, channels, sequence_nodes)
    op = make_operation(channels, branches, nodes, width)
    wn = device_tensor(tile_row(norm_weight, dtype), dtype)
    taps = conv_weight.reshape(branches * channels, kernel_size).T  # [K, G*C]
    cw = device_tensor(taps.repeat_interleave(TILE, dim=0), dtype)  # tap j in tile-row j
    results = []
    for batch in range(b):  # the conv runs along each sequence separately
        out = output_tensor((length, branches * channels), dtype)
        xt = device_tensor(x[batch].reshape(length, branches * channels), dtype)
        op(xt, wn, cw, out)
        results.append(values(out).reshape(length, branches, channels))
        if counters is not None:
            for name, value in op.last_run.counters["total"].items():
                counters[name] = counters.get(name, 0) + value
        if traffic is not None:
            traffic[:] = [(r + r0, w + w0) for (r, w), (r0, w0) in
                          zip(op.last_traffic, traffic or [(0, 0)] * len(op.last_traffic))]
    return results[0].unsqueeze(0) if b == 1 else torch.stack(results)
