# SPDX-License-Identifier: Apache-2.0
"""Engram's ShortConv plus the residual on the fused
`ttl.math.depthwise_conv1d`: out = x + SiLU(conv(RMSNorm(x))).

Same grid and halo scheme as `conv.py` (sequence nodes x column groups,
each node's last tile-row normalized first and sent to the next node
through a PipeNet), but the compute thread calls the fused op and the
compiler shifts the rows (matmuls by 0/1 shift tiles). The compute thread
keeps the previous normalized tile-row as the next one's halo; a node's
first halo comes from the data-movement thread (zeros at the sequence
start, else the pipe).
"""

from __future__ import annotations

import torch

import ttlx as ttl

from .conv import ConvGrid, input_dfbs, inverse_rms, read_weights_and_rows, run_short_conv, sequence_rows
from .tensors import TILE


def _fused_conv_operation(channels: int, branches: int, dilation: int, eps: float, sequence_nodes: int,
                          width: int):
    branch_tiles = channels // TILE
    groups_per_branch = branch_tiles // width
    column_groups = branches * groups_per_branch
    inv_channels = 1.0 / channels
    halo_pipes = [ttl.Pipe(src=(n, y), dst=(n + 1, y))
                  for n in range(sequence_nodes - 1) for y in range(column_groups)]

    @ttl.operation(grid=(sequence_nodes, column_groups), fp32_dest_acc_en=True)
    def engram_short_conv_fused(x, norm_weight, conv_weight, out):
        grid = ConvGrid(-(-x.shape[0] // TILE), sequence_nodes, width, branch_tiles, groups_per_branch)
        net = ttl.PipeNet(halo_pipes) if halo_pipes else None
        dfbs = input_dfbs(x, norm_weight, conv_weight, branch_tiles, width)
        cur_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        prev_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=2)
        first_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        send_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        conv_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, width), block_count=1)

        @ttl.datamovement()
        def read():
            read_weights_and_rows(dfbs, x, norm_weight, conv_weight, grid)

        @ttl.compute()
        def compute():
            n, _ = ttl.node(dims=2)
            first, count, ahead = sequence_rows(n, grid)
            with dfbs.wn.wait() as wn, dfbs.w0.wait() as w0, dfbs.w1.wait() as w1, dfbs.w2.wait() as w2, \
                    dfbs.w3.wait() as w3:
                if ahead == 1:  # the last tile-row, normalized, for the next node
                    inverse_rms(dfbs, inv_channels, eps)
                    with dfbs.rr.wait() as rr, dfbs.x.wait() as xb, send_dfb.reserve() as s:
                        s.store(xb * ttl.block.broadcast(rr, dims=[-1], shape=(1, width)) * wn)
                for i in range(count):
                    inverse_rms(dfbs, inv_channels, eps)
                    with dfbs.rr.wait() as rr, dfbs.x.wait() as xb:
                        with cur_dfb.reserve() as c:
                            c.store(xb * ttl.block.broadcast(rr, dims=[-1], shape=(1, width)) * wn)
                        if i < count - 1:  # the next tile-row's halo
                            with prev_dfb.reserve() as p:
                                p.store(xb * ttl.block.broadcast(rr, dims=[-1], shape=(1, width)) * wn)
                        with cur_dfb.wait() as c:
                            if i == 0:
                                with first_dfb.wait() as h, conv_dfb.reserve() as cv:
                                    cv.store(ttl.math.depthwise_conv1d(c, h, [w0, w1, w2, w3], kernel_size=4,
                                                                       dilation=dilation, silu=True))
                            else:
                                with prev_dfb.wait() as h, conv_dfb.reserve() as cv:
                                    cv.store(ttl.math.depthwise_conv1d(c, h, [w0, w1, w2, w3], kernel_size=4,
                                                                       dilation=dilation, silu=True))
                        with conv_dfb.wait() as cv, out_dfb.reserve() as o:
                            o.store(xb + cv)

        @ttl.datamovement()
        def halo_and_write():
            n, y = ttl.node(dims=2)
            col = y * width
            first, count, ahead = sequence_rows(n, grid)
            if ahead == 1:
                with send_dfb.wait() as last:
                    def send(pipe):
                        ttl.copy(last, pipe).wait()

                    if sequence_nodes > 1:
                        net.if_src(send)
            with first_dfb.reserve() as halo:
                if n == 0:  # zeros before the start of the sequence
                    for r in range(TILE):
                        for c in range(width * TILE):
                            ttl.element_write(halo, r, c, 0.0)
                else:
                    def receive(pipe):
                        ttl.copy(pipe, halo).wait()

                    if sequence_nodes > 1:
                        net.if_dst(receive)
            for i in range(count):
                with out_dfb.wait() as o:
                    ttl.copy(o, out[first + i, col:col + width]).wait()

    return engram_short_conv_fused


def tt_short_conv_fused(x: torch.Tensor, norm_weight: torch.Tensor, conv_weight: torch.Tensor, kernel_size: int,
                        dilation: int, eps: float, sequence_nodes: int | None = None,
                        counters: dict | None = None) -> torch.Tensor:
    """As `tt_short_conv`, on the fused op."""
    return run_short_conv(lambda channels, branches, nodes, width: _fused_conv_operation(
        channels, branches, dilation, eps, nodes, width),
        x, norm_weight, conv_weight, kernel_size, sequence_nodes, counters)
