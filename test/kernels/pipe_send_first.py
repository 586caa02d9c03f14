# SPDX-License-Identifier: Apache-2.0
"""Pipes whose sends complete before any receive is posted (tt-lang's
protocol): every node sends, waits for its sends, and only then receives.

On a 2x3 grid, each node (x, y) sends its tile of `a`
- through `column` to every node of its column, itself included: node
  (x, y) then receives the column's three tiles in the net's order and
  writes the k-th to cols[x * 3 + y, k], so cols[x * 3 + y, k] = a[x, k];
- through `ring` to its neighbour (x, (y + 1) % 3), a ring in which every
  node sends before it receives: ring[x, y] = a[x, (y - 1) % 3].

Copies of bf16 tiles, checked exactly against torch. Writes cols and ring
to argv[1] (.npz) when given."""

import sys

import numpy
import torch
import ttnn

import ttl

GX, GY = 2, 3


@ttl.operation(grid=(GX, GY))
def send_first(a, cols, ring_out):
    column = ttl.PipeNet([ttl.Pipe(src=(x, y), dst=(x, slice(0, GY))) for x in range(GX) for y in range(GY)])
    ring = ttl.PipeNet([ttl.Pipe(src=(x, y), dst=(x, (y + 1) % GY)) for x in range(GX) for y in range(GY)])
    own = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    got = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def exchange():
        def land(pipe):
            with got.reserve() as blk:
                ttl.copy(pipe, blk).wait()

        with own.wait() as mine:
            def to_column(pipe):
                ttl.copy(mine, pipe).wait()

            column.if_src(to_column)
        column.if_dst(land)
        with own.wait() as mine:
            def to_next(pipe):
                ttl.copy(mine, pipe).wait()

            ring.if_src(to_next)
        ring.if_dst(land)

    @ttl.datamovement()
    def io():
        x, y = ttl.node(dims=2)
        for _ in range(2):
            with own.reserve() as mine:
                ttl.copy(a[x, y], mine).wait()
        for k in range(GY):
            with got.wait() as blk:
                ttl.copy(blk, cols[x * GY + y, k]).wait()
        with got.wait() as blk:
            ttl.copy(blk, ring_out[x, y]).wait()

    @ttl.compute()
    def idle():
        pass


torch.manual_seed(3)
a_host = torch.randn(GX * 32, GY * 32).to(torch.bfloat16)
a = ttnn.from_torch(a_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
cols = ttnn.from_torch(torch.zeros(GX * GY * 32, GY * 32, dtype=torch.bfloat16), dtype=ttnn.bfloat16,
                       layout=ttnn.TILE_LAYOUT)
ring_out = ttnn.from_torch(torch.zeros_like(a_host), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
send_first(a, cols, ring_out)

cols_result, ring_result = ttnn.to_torch(cols), ttnn.to_torch(ring_out)
rows = a_host.reshape(GX, 32, GY * 32)
expected_cols = rows.repeat_interleave(GY, dim=0).reshape(GX * GY * 32, GY * 32)
expected_ring = torch.cat([a_host[:, -32:], a_host[:, :-32]], dim=1)
if len(sys.argv) > 1:
    numpy.savez(sys.argv[1], cols=cols_result.float().numpy(), ring=ring_result.float().numpy())
assert torch.equal(cols_result, expected_cols), "column loopback"
assert torch.equal(ring_result, expected_ring), "ring"
print("PASS")
