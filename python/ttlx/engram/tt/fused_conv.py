# SPDX-License-Identifier: Apache-2.0
"""Engram's ShortConv plus the residual on the fused
`ttl.math.depthwise_conv1d`: out = x + SiLU(conv(RMSNorm(x))), reading
every input byte from DRAM once and writing every output byte once.

Grid (sequence nodes, column groups), as in `conv.py`: node (n, y) takes a
contiguous run of tile-rows and `width` tiles of one branch's channels
(half a branch for 1024 channels). Unlike there, a node reads only its own
tiles, once:

- RMSNorm needs the mean square of the whole branch row: each node sums
  the squares of its half and the two halves' nodes swap their sums
  through pipes. They swap the sums of BATCH tile-rows at a time, each on
  its own PipeNet (a send completes at once, staged in its pipe, so both
  nodes send all BATCH first, then receive): a node waits on its pair once
  per batch instead of once per tile-row, and in the emulator runs a
  batch with its L1 in the host's caches instead of taking turns with
  every other core each tile-row.
- The halo of a node's first tile-row is the previous node's last one,
  normalized, through a PipeNet, as in `conv.py`. So that the nodes run in
  parallel each node reads its *last* tile-row first, normalizes and sends
  it, and keeps it in L1 until its turn comes: no row is read twice.
- The norm and tap weights of a column group are read by the last sequence
  node and multicast up the column to the others.

The compute thread calls the fused op; the compiler shifts the rows
(matmuls by 0/1 shift tiles) and the thread keeps each normalized tile-row
as the next one's halo.
"""

from __future__ import annotations

from functools import lru_cache

import torch

import ttlx as ttl

from .conv import ConvGrid, run_short_conv, sequence_rows
from .tensors import TILE, fp32_dest

BATCH = 3  # tile-rows whose sums a pair of nodes swaps at once: x0..x2_dfb, pair_net0..2


@lru_cache(maxsize=8)  # one Operation per shape (as conv._conv_operation)
def _fused_conv_operation(channels: int, branches: int, dilation: int, eps: float, sequence_nodes: int,
                          width: int, fp32: bool):
    branch_tiles = channels // TILE
    groups_per_branch = branch_tiles // width
    if groups_per_branch not in (1, 2):
        raise ValueError("the fused ShortConv kernel splits a branch over at most 2 nodes")
    column_groups = branches * groups_per_branch
    inv_channels = 1.0 / channels
    halo_pipes = [ttl.Pipe(src=(n, y), dst=(n + 1, y))
                  for n in range(sequence_nodes - 1) for y in range(column_groups)]
    pair_pipes = [ttl.Pipe(src=(n, y), dst=(n, y ^ 1))
                  for n in range(sequence_nodes) for y in range(column_groups) if groups_per_branch == 2]
    # From the last sequence node up the column: a pipe is named by its ends,
    # so one from node 0 to node 1 would be the halo's channel.
    last = sequence_nodes - 1
    weight_pipes = [ttl.Pipe(src=(last, y), dst=(slice(0, last), y))
                    for y in range(column_groups) if sequence_nodes > 1]

    @ttl.operation(grid=(sequence_nodes, column_groups), fp32_dest_acc_en=fp32)
    def engram_short_conv_fused(x, norm_weight, conv_weight, out):
        grid = ConvGrid(-(-x.shape[0] // TILE), sequence_nodes, width, branch_tiles, groups_per_branch)
        halo_net = ttl.PipeNet(halo_pipes) if halo_pipes else None
        # One net per tile-row of a batch (a pipe holds one block in flight),
        # each its own name: kernels find the nets they capture by name.
        pair_net0 = ttl.PipeNet(pair_pipes) if pair_pipes else None
        pair_net1 = ttl.PipeNet(pair_pipes) if pair_pipes else None
        pair_net2 = ttl.PipeNet(pair_pipes) if pair_pipes else None
        weight_net = ttl.PipeNet(weight_pipes) if weight_pipes else None
        # A batch's tile-rows, one DFB each (the first also takes single rows).
        x0_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        x1_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        x2_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        last_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        wn_dfb = ttl.make_dataflow_buffer_like(norm_weight, shape=(1, width), block_count=1)
        w0_dfb = ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1)
        w1_dfb = ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1)
        w2_dfb = ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1)
        w3_dfb = ttl.make_dataflow_buffer_like(conv_weight, shape=(1, width), block_count=1)
        mine_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
        keep_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=BATCH)
        share_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=BATCH)
        other_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=BATCH)
        rr_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
        rr_last_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
        cur_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        prev_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=2)
        first_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        send_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
        out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, width), block_count=2)

        @ttl.datamovement()
        def read():
            n, y = ttl.node(dims=2)
            col = y * width
            first, count, ahead = sequence_rows(n, grid)
            with wn_dfb.reserve() as wn, w0_dfb.reserve() as w0, w1_dfb.reserve() as w1, \
                    w2_dfb.reserve() as w2, w3_dfb.reserve() as w3:
                if n == sequence_nodes - 1:
                    ttl.copy(norm_weight[0, col:col + width], wn).wait()
                    ttl.copy(conv_weight[0, col:col + width], w0).wait()
                    ttl.copy(conv_weight[1, col:col + width], w1).wait()
                    ttl.copy(conv_weight[2, col:col + width], w2).wait()
                    ttl.copy(conv_weight[3, col:col + width], w3).wait()

                def send(pipe):
                    ttl.copy(wn, pipe).wait()
                    ttl.copy(w0, pipe).wait()
                    ttl.copy(w1, pipe).wait()
                    ttl.copy(w2, pipe).wait()
                    ttl.copy(w3, pipe).wait()

                def receive(pipe):
                    ttl.copy(pipe, wn).wait()
                    ttl.copy(pipe, w0).wait()
                    ttl.copy(pipe, w1).wait()
                    ttl.copy(pipe, w2).wait()
                    ttl.copy(pipe, w3).wait()

                if sequence_nodes > 1:
                    weight_net.if_src(send)
                    weight_net.if_dst(receive)
            if ahead == 1:  # the last tile-row first, kept until its turn
                with last_dfb.reserve() as xl:
                    ttl.copy(x[first + count - 1, col:col + width], xl).wait()
            streamed = count - ahead
            batches = streamed // BATCH * (groups_per_branch - 1)  # none unless the branch is split
            for b in range(batches):
                row = first + b * BATCH
                with x0_dfb.reserve() as x0:
                    ttl.copy(x[row, col:col + width], x0).wait()
                with x1_dfb.reserve() as x1:
                    ttl.copy(x[row + 1, col:col + width], x1).wait()
                with x2_dfb.reserve() as x2:
                    ttl.copy(x[row + 2, col:col + width], x2).wait()
            for i in range(batches * BATCH, streamed):
                with x0_dfb.reserve() as xb:
                    ttl.copy(x[first + i, col:col + width], xb).wait()

        def sum_of_squares(xb):
            """This node's sum of squares of tile-row xb, onto keep_dfb and,
            when the branch is split, share_dfb (for the write thread to
            swap)."""
            with cur_dfb.reserve() as sq:  # cur_dfb is free between conv_rows
                sq.store(xb * xb)
            with cur_dfb.wait() as sq, mine_dfb.reserve() as m:
                m.store(ttl.math.reduce_sum(sq, dims=[-1], shape=(1, 1)))
            with mine_dfb.wait() as m, keep_dfb.reserve() as k:
                k.store(m)
                if groups_per_branch == 2:
                    with share_dfb.reserve() as s:
                        s.store(m)

        def inverse_rms(rr_out):
            """rr_out <- rsqrt(mean(x^2) + eps) over the branch row of the
            oldest kept sum: plus the other half's when the branch is
            split."""
            with keep_dfb.wait() as m, rr_out.reserve() as rr:
                if groups_per_branch == 2:
                    with other_dfb.wait() as o:
                        rr.store(ttl.math.rsqrt((m + o) * ttl.block.fill(inv_channels, shape=(1, 1))
                                                + ttl.block.fill(eps, shape=(1, 1))))
                else:
                    rr.store(ttl.math.rsqrt(m * ttl.block.fill(inv_channels, shape=(1, 1))
                                            + ttl.block.fill(eps, shape=(1, 1))))

        @ttl.compute()
        def compute():
            n, _ = ttl.node(dims=2)
            first, count, ahead = sequence_rows(n, grid)
            streamed = count - ahead
            batches = streamed // BATCH * (groups_per_branch - 1)  # none unless the branch is split

            def conv_row(xb, rr, i, wn, w0, w1, w2, w3):
                """Output tile-row i of the node from its input xb and its
                branch's inverse RMS rr."""
                with cur_dfb.reserve() as c:
                    c.store(xb * ttl.block.broadcast(rr, dims=[-1], shape=(1, width)) * wn)
                with cur_dfb.wait() as c:
                    if i < count - 1:  # the next tile-row's halo
                        with prev_dfb.reserve() as p:
                            p.store(c)
                    # The residual added to the conv in DST, stored once.
                    with prev_dfb.wait() as h, out_dfb.reserve() as o:
                        o.store(xb + ttl.math.depthwise_conv1d(c, h, [w0, w1, w2, w3], kernel_size=4,
                                                               dilation=dilation, silu=True))

            def first_halo():
                """The halo of the node's first tile-row (zeros, or the
                previous node's last row) into prev_dfb, where conv_row finds
                every halo: one conv_row, not one per source of its halo."""
                with first_dfb.wait() as f, prev_dfb.reserve() as p:
                    p.store(f)

            def finish_row(xb, i, wn, w0, w1, w2, w3):
                """Tile-row i from its kept sum of squares."""
                inverse_rms(rr_dfb)
                with rr_dfb.wait() as rr:
                    conv_row(xb, rr, i, wn, w0, w1, w2, w3)

            def streamed_rows(wn, w0, w1, w2, w3):
                # A batch's sums of squares first, swapped while the rows wait.
                for b in range(batches):
                    i = b * BATCH
                    with x0_dfb.wait() as x0, x1_dfb.wait() as x1, x2_dfb.wait() as x2:
                        sum_of_squares(x0)
                        sum_of_squares(x1)
                        sum_of_squares(x2)
                        finish_row(x0, i, wn, w0, w1, w2, w3)
                        finish_row(x1, i + 1, wn, w0, w1, w2, w3)
                        finish_row(x2, i + 2, wn, w0, w1, w2, w3)
                for i in range(batches * BATCH, streamed):
                    with x0_dfb.wait() as xb:
                        sum_of_squares(xb)
                        finish_row(xb, i, wn, w0, w1, w2, w3)

            with wn_dfb.wait() as wn, w0_dfb.wait() as w0, w1_dfb.wait() as w1, w2_dfb.wait() as w2, \
                    w3_dfb.wait() as w3:
                if ahead == 1:
                    with last_dfb.wait() as xl:
                        sum_of_squares(xl)
                        inverse_rms(rr_last_dfb)
                        with rr_last_dfb.wait() as rr:
                            with send_dfb.reserve() as s:  # for the next node
                                s.store(xl * ttl.block.broadcast(rr, dims=[-1], shape=(1, width)) * wn)
                            first_halo()
                            streamed_rows(wn, w0, w1, w2, w3)
                            conv_row(xl, rr, count - 1, wn, w0, w1, w2, w3)
                else:
                    first_halo()
                    streamed_rows(wn, w0, w1, w2, w3)

        @ttl.datamovement()
        def exchange_and_write():
            n, y = ttl.node(dims=2)
            col = y * width
            first, count, ahead = sequence_rows(n, grid)
            streamed = count - ahead
            batches = streamed // BATCH * (groups_per_branch - 1)  # none unless the branch is split

            def send_sum(net):
                """The oldest of this half's sums to the other half."""
                with share_dfb.wait() as mine:
                    def send(pipe):
                        ttl.copy(mine, pipe).wait()

                    net.if_src(send)

            def receive_sum(net):
                with other_dfb.reserve() as other:
                    def receive(pipe):
                        ttl.copy(pipe, other).wait()

                    net.if_dst(receive)

            def write_row(i):
                with out_dfb.wait() as o:
                    ttl.copy(o, out[first + i, col:col + width]).wait()

            if ahead == 1:
                if groups_per_branch == 2:
                    send_sum(pair_net0)
                    receive_sum(pair_net0)
                with send_dfb.wait() as last:
                    def send_halo(pipe):
                        ttl.copy(last, pipe).wait()

                    if sequence_nodes > 1:
                        halo_net.if_src(send_halo)
            with first_dfb.reserve() as halo:
                if n == 0:  # zeros before the start of the sequence
                    for r in range(TILE):
                        for c in range(width * TILE):
                            ttl.element_write(halo, r, c, 0.0)
                else:
                    def receive_halo(pipe):
                        ttl.copy(pipe, halo).wait()

                    if sequence_nodes > 1:
                        halo_net.if_dst(receive_halo)
            # Sends complete at once (staged in their pipes): the two halves
            # both send a batch's sums, then receive the other's.
            if groups_per_branch == 2:
                for b in range(batches):
                    send_sum(pair_net0)
                    send_sum(pair_net1)
                    send_sum(pair_net2)
                    receive_sum(pair_net0)
                    receive_sum(pair_net1)
                    receive_sum(pair_net2)
                    for i in range(b * BATCH, (b + 1) * BATCH):
                        write_row(i)
            for i in range(batches * BATCH, count):
                if groups_per_branch == 2:
                    if i < streamed:
                        send_sum(pair_net0)
                        receive_sum(pair_net0)
                write_row(i)

    return engram_short_conv_fused


def tt_short_conv_fused(x: torch.Tensor, norm_weight: torch.Tensor, conv_weight: torch.Tensor, kernel_size: int,
                        dilation: int, eps: float, sequence_nodes: int | None = None,
                        counters: dict | None = None, dtype: torch.dtype = torch.float32,
                        traffic: list | None = None) -> torch.Tensor:
    """As `tt_short_conv`, on the fused op, every input and output byte
    moved once. `traffic`, when given, receives per tensor argument (x, norm
    weights, tap weights, out) the DRAM bytes (read, written), summed over
    the batch."""
    return run_short_conv(lambda channels, branches, nodes, width: _fused_conv_operation(
        channels, branches, dilation, eps, nodes, width, fp32_dest(dtype)),
        x, norm_weight, conv_weight, kernel_size, sequence_nodes, counters, dtype, traffic)
