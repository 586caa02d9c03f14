# SPDX-License-Identifier: Apache-2.0
# Pipes between cores: a chain of 4 nodes, each adding its left neighbour's
# column of tiles to its own (out[:, i] = x[:, i] + x[:, i-1]; node 0 adds
# its own). Each node streams its tile rows; node i sends every tile it
# reads to node i+1 through a PipeNet. Run with
# `ttlx run examples/pipe_chain.py [OUT.npy]` (or unchanged under tt-lang-sim).

import sys

import numpy
import torch
import ttnn

import ttl

ROWS = 3  # tile rows streamed through the chain
NODES = 4


@ttl.operation(grid=(NODES, 1))
def add_left_neighbour(x, out):
    net = ttl.PipeNet([ttl.Pipe(src=(i, 0), dst=(i + 1, 0)) for i in range(NODES - 1)])
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    left_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    @ttl.compute()
    def add():
        for r in range(ROWS):
            with x_dfb.wait() as mine, left_dfb.wait() as left, out_dfb.reserve() as o:
                o.store(mine + left)

    @ttl.datamovement()
    def read_and_send():
        i, _ = ttl.node(dims=2)
        for r in range(ROWS):
            with x_dfb.reserve() as blk:
                ttl.copy(x[r, i], blk).wait()

                def send(pipe):
                    ttl.copy(blk, pipe).wait()

                net.if_src(send)

    @ttl.datamovement()
    def receive_and_write():
        i, _ = ttl.node(dims=2)
        for r in range(ROWS):
            with left_dfb.reserve() as left:
                def receive(pipe):
                    ttl.copy(pipe, left).wait()

                net.if_dst(receive)
                if i == 0:
                    ttl.copy(x[r, 0], left).wait()
            with out_dfb.wait() as o:
                ttl.copy(o, out[r, i]).wait()


torch.manual_seed(0)
x_host = torch.randn(32 * ROWS, 32 * NODES).to(torch.bfloat16)
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
out = ttnn.from_torch(torch.zeros_like(x_host), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
add_left_neighbour(x, out)

result = ttnn.to_torch(out).float()
left = torch.cat([x_host[:, :32], x_host[:, :-32]], dim=1).float()
expected = x_host.float() + left
error = (result - expected).abs().max().item()
print(f"max error {error}")
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], result.numpy())
# One bf16 rounding of a sum of two values below 8 in magnitude: 2^-5.
assert error <= 2.0**-5, error
print("PASS")
