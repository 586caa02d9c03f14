# SPDX-License-Identifier: Apache-2.0
"""Pipes in 1-D node coordinates on an 8x8 grid (runs under ttlx and
tt-lang-sim): node 0 reads a tile and multicasts it to nodes 1 to 3
(`ttl.Pipe((0,), (slice(1, 4),))`, linear indices as ttl.node(dims=1))
and sends it to node 9, in the next grid row (`ttl.Pipe(0, 9)`);
every receiver writes the tile to its own tile row. Nodes on no pipe
leave at once (`if not net.is_active() ...: return`)."""

import sys

import numpy as np
import torch
import ttnn
import ttl

RECEIVERS = [1, 2, 3, 9]


@ttl.operation(grid=(8, 8))
def fan_out(x, y):
    net = ttl.PipeNet([ttl.Pipe((0,), (slice(1, 4),))])
    hop = ttl.PipeNet([ttl.Pipe(0, 9)])
    in_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def send():
        if not net.is_active() and not hop.is_active():
            return

        def forward(pipe):
            with in_dfb.reserve() as blk:
                ttl.copy(x[0, 0], blk).wait()
            with in_dfb.wait() as blk:
                ttl.copy(blk, pipe).wait()

        net.if_src(forward)
        hop.if_src(forward)

    @ttl.datamovement()
    def receive():
        i = ttl.node(dims=1)

        def land(pipe):
            with out_dfb.reserve() as blk:
                ttl.copy(pipe, blk).wait()
            with out_dfb.wait() as blk:
                ttl.copy(blk, y[i, 0]).wait()

        net.if_dst(land)
        hop.if_dst(land)

    @ttl.compute()
    def compute():
        pass


torch.manual_seed(0)
x_host = (torch.randint(-128, 128, (32, 32)) / 4).to(torch.bfloat16)  # exact in bf16
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
y = ttnn.from_torch(torch.zeros(10 * 32, 32, dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
fan_out(x, y)
result = ttnn.to_torch(y).float()
want = torch.zeros(10 * 32, 32)
for node in RECEIVERS:
    want[node * 32:(node + 1) * 32] = x_host.float()
assert torch.equal(result, want), [n for n in range(10) if result[n * 32].abs().sum() > 0]
if len(sys.argv) > 1:
    np.save(sys.argv[1], result.numpy())
print("PASS")
