# SPDX-License-Identifier: Apache-2.0
# A 1-d TILE_LAYOUT tensor as a kernel argument (issue 16 item 9), as tt-lang-sim 1.1.6
# takes it: made with ttnn.Tensor (its from_torch refuses 1-d tiled tensors), a slice
# unit and a DFB shape unit are a tile of 32 elements (v[2 * k:2 * k + 2] is elements
# 64k..64k + 63), block math elementwise on them. Two nodes, y = x * x + x and
# z = exp(-x) on 256 elements, two tiles a block.
# Rounding: ttlx rounds the inputs, the product and the sum to bf16 (the simulator
# computes in float32 on unrounded inputs): three roundings of 2^-8, rtol 2^-6; exp of
# a bf16 input rounded once more, to 2^-8 of a value at most e^2.

import sys

import numpy
import torch
import ttl
import ttnn

N = 256
BLOCK = 2  # tiles of 32 elements


@ttl.operation(grid=(2, 1))
def square_plus(x, y, z):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(BLOCK,), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(BLOCK,), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(BLOCK,), block_count=2)
    blocks = x.shape[0] // (32 * BLOCK) // 2  # per node

    @ttl.datamovement()
    def read():
        n = ttl.node(dims=1)
        for i in range(blocks):
            k = (n * blocks + i) * BLOCK
            with x_dfb.reserve() as blk:
                ttl.copy(x[k:k + BLOCK], blk).wait()

    @ttl.compute()
    def compute():
        for _ in range(blocks):
            with x_dfb.wait() as a, y_dfb.reserve() as o, z_dfb.reserve() as e:
                o.store(a * a + a)
                e.store(ttl.math.exp(-a))

    @ttl.datamovement()
    def write():
        n = ttl.node(dims=1)
        for i in range(blocks):
            k = (n * blocks + i) * BLOCK
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[k:k + BLOCK]).wait()
            with z_dfb.wait() as blk:
                ttl.copy(blk, z[k:k + BLOCK]).wait()


torch.manual_seed(0)
xt = (torch.rand(N) * 4 - 2).to(torch.bfloat16)
x = ttnn.Tensor(xt)
y = ttnn.Tensor(torch.zeros(N, dtype=torch.bfloat16))
z = ttnn.Tensor(torch.zeros(N, dtype=torch.bfloat16))
square_plus(x, y, z)
got_y, got_z = ttnn.to_torch(y).float(), ttnn.to_torch(z).float()
xf = xt.float()
assert got_y.shape == (N,) and got_z.shape == (N,)
assert torch.allclose(got_y, xf * xf + xf, rtol=2.0**-6, atol=2.0**-6), (got_y - (xf * xf + xf)).abs().max()
assert torch.allclose(got_z, torch.exp(-xf), rtol=2.0**-7, atol=2.0**-8), (got_z - torch.exp(-xf)).abs().max()
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([got_y.numpy(), got_z.numpy()]))
