# SPDX-License-Identifier: Apache-2.0
"""Blocks reserved only to go through pipes: no thread waits on their DFB.

On a 4x1 grid, node i > 0 fills a block of `staged` with its tile of x and
sends it to node 0; node 0 copies its own tile through a block of the same
DFB, then receives the others into that block one by one and writes each
to out. Every node reserves and pushes one block and nobody waits on the
DFB (as the spec's pipe examples do): its pushed block stays, as on the
device. out = x: bf16 copies, checked exactly against torch."""

import torch
import ttnn

import ttl

NODES = 4


@ttl.operation(grid=(NODES, 1))
def gather_row(x, out):
    net = ttl.PipeNet([ttl.Pipe(src=(i, 0), dst=(0, 0)) for i in range(1, NODES)])
    staged = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def move():
        i, _ = ttl.node(dims=2)
        with staged.reserve() as blk:
            def send(pipe):
                ttl.copy(x[0, i], blk).wait()
                ttl.copy(blk, pipe).wait()

            def land(pipe):
                ttl.copy(pipe, blk).wait()
                sender, _ = pipe.src
                ttl.copy(blk, out[0, sender]).wait()

            if i == 0:
                ttl.copy(x[0, 0], blk).wait()
                ttl.copy(blk, out[0, 0]).wait()
            net.if_src(send)
            net.if_dst(land)


torch.manual_seed(5)
x_host = torch.randn(32, 32 * NODES).to(torch.bfloat16)
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
out = ttnn.from_torch(torch.zeros_like(x_host), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
gather_row(x, out)
assert torch.equal(ttnn.to_torch(out), x_host)
print("PASS")
