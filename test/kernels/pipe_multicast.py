# SPDX-License-Identifier: Apache-2.0
# Multicast: node (0, 0) reads a row of bias tiles and sends each through one
# pipe to nodes (0, 1)..(0, 3); every node adds the bias to its own row of
# tiles. Grid (1, 4), 2-d coordinates and a slice destination.
# Writes its output to argv[1] (.npy) when given.

import sys

import numpy
import torch
import ttnn

import ttl

TILES = 2


@ttl.operation(grid=(1, 4))
def add_broadcast_bias(bias, x, out):
    net = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(0, slice(1, 4)))])
    bias_dfb = ttl.make_dataflow_buffer_like(bias, shape=(1, 1), block_count=2)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    @ttl.compute()
    def add():
        for t in range(TILES):
            with bias_dfb.wait() as b, x_dfb.wait() as a, out_dfb.reserve() as o:
                o.store(a + b)

    @ttl.datamovement()
    def bias_in():
        _, j = ttl.node(dims=2)
        for t in range(TILES):
            if j == 0:
                with bias_dfb.reserve() as b:
                    ttl.copy(bias[0, t], b).wait()

                    def send(pipe):
                        ttl.copy(b, pipe).wait()

                    net.if_src(send)
            else:
                with bias_dfb.reserve() as b:
                    def receive(pipe):
                        ttl.copy(pipe, b).wait()

                    net.if_dst(receive)

    @ttl.datamovement()
    def x_in_out():
        _, j = ttl.node(dims=2)
        for t in range(TILES):
            with x_dfb.reserve() as a:
                ttl.copy(x[j, t], a).wait()
            with out_dfb.wait() as o:
                ttl.copy(o, out[j, t]).wait()


torch.manual_seed(1)
bias_host = torch.randn(32, 32 * TILES).to(torch.bfloat16)
x_host = torch.randn(128, 32 * TILES).to(torch.bfloat16)
bias = ttnn.from_torch(bias_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
out = ttnn.from_torch(torch.zeros_like(x_host), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
add_broadcast_bias(bias, x, out)

result = ttnn.to_torch(out).float()
expected = x_host.float() + bias_host.float().repeat(4, 1)
error = (result - expected).abs().max().item()
print(f"max error {error}")
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], result.numpy())
assert error <= 2.0**-5, error
print("PASS")
