# SPDX-License-Identifier: Apache-2.0
# A pipe carrying N-d blocks (issue 16 item 9; tt-lang spec 0.22 "Pipe" and
# "Dataflow buffer"): node 0 reads a (2, 1, 2)-tile block of a (2, 32, 64)
# tensor (both batches) and multicasts it to nodes 1 and 2; each receiver
# computes 2 * block (elementwise on the 3-d block) and writes it to its own
# batch pair of a (6, 32, 64) tensor. Runs under ttlx and tt-lang-sim.
# Rounding: the inputs are multiples of 1/4 in [-32, 32), exact in bf16, and
# doubling is exact: tolerance 0.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(3, 1))
def fan_out(x, y):
    net = ttl.PipeNet([ttl.Pipe((0,), (slice(1, 3),))])
    in_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 1, 2), block_count=2)
    got_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 1, 2), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 1, 2), block_count=2)

    @ttl.datamovement()
    def send():
        def forward(pipe):
            with in_dfb.reserve() as blk:
                ttl.copy(x[0:2, 0:1, 0:2], blk).wait()
            with in_dfb.wait() as blk:
                ttl.copy(blk, pipe).wait()

        net.if_src(forward)

    @ttl.compute()
    def compute():
        i = ttl.node(dims=1)
        if i > 0:
            with got_dfb.wait() as a, out_dfb.reserve() as o:
                o.store(a + a)

    @ttl.datamovement()
    def receive():
        i = ttl.node(dims=1)

        def land(pipe):
            with got_dfb.reserve() as blk:
                ttl.copy(pipe, blk).wait()
            with out_dfb.wait() as blk:
                ttl.copy(blk, y[2 * i:2 * i + 2, 0:1, 0:2]).wait()

        net.if_dst(land)


torch.manual_seed(0)
x_host = (torch.randint(-128, 128, (2, 32, 64)) / 4).to(torch.bfloat16)
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
y = ttnn.from_torch(torch.zeros(6, 32, 64, dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
fan_out(x, y)
got = ttnn.to_torch(y).float()
want = torch.cat([torch.zeros(2, 32, 64), 2 * x_host.float(), 2 * x_host.float()])
assert torch.equal(got, want), (got - want).abs().max()
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], got.numpy().ravel())
