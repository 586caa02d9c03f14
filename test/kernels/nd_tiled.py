# SPDX-License-Identifier: Apache-2.0
# Tiled tensors of more than two dimensions with N-D blocks (issue 16 item 9; tt-lang
# spec 0.22, "Dataflow buffer": leading dimensions are batch dimensions, the last two
# are in tiles). Two operations:
# - batched_fma: y = a * b + a on (2, 64, 96) tensors, a (1, 2, 3)-tile block per
#   batch, the batch chosen by the node (a[n:n + 1, 0:2, 0:3], b[n, 0:2, 0:3], y[n, 0:2, 0:3]);
# - rows_4d: z = 2 * x on a (2, 3, 32, 64) tensor, one (1, 1, 1, 2) block per (i, j).
# Rounding: ttlx rounds the inputs, the product and the sum to bf16 (the simulator
# computes in float32 on unrounded inputs): three roundings of 2^-8, rtol 2^-6.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(2, 1))
def batched_fma(a, b, y):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 2, 3), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 2, 3), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2, 3), block_count=2)

    @ttl.datamovement()
    def read():
        n = ttl.node(dims=1)
        with a_dfb.reserve() as a_blk, b_dfb.reserve() as b_blk:
            a_xf = ttl.copy(a[n:n + 1, 0:2, 0:3], a_blk)
            b_xf = ttl.copy(b[n, 0:2, 0:3], b_blk)
            a_xf.wait()
            b_xf.wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as x, b_dfb.wait() as z, y_dfb.reserve() as o:
            o.store(x * z + x)

    @ttl.datamovement()
    def write():
        n = ttl.node(dims=1)
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[n, 0:2, 0:3]).wait()


@ttl.operation(grid=(1, 1))
def rows_4d(x, z):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1, 1, 2), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(1, 1, 1, 2), block_count=2)
    I, J = x.shape[0], x.shape[1]

    @ttl.datamovement()
    def read():
        for i in range(I):
            for j in range(J):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[i, j, 0:1, 0:2], blk).wait()

    @ttl.compute()
    def compute():
        for _ in range(I * J):
            with x_dfb.wait() as v, z_dfb.reserve() as o:
                o.store(v + v)

    @ttl.datamovement()
    def write():
        for i in range(I):
            for j in range(J):
                with z_dfb.wait() as blk:
                    ttl.copy(blk, z[i, j, 0, 0:2]).wait()


def device(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)


torch.manual_seed(0)
at, bt = torch.randn(2, 64, 96), torch.randn(2, 64, 96)
y = device(torch.zeros(2, 64, 96))
batched_fma(device(at), device(bt), y)
got_y = ttnn.to_torch(y).float()
want_y = at.to(torch.bfloat16).float() * bt.to(torch.bfloat16).float() + at.to(torch.bfloat16).float()
assert torch.allclose(got_y, want_y, rtol=2.0**-6, atol=2.0**-6), (got_y - want_y).abs().max()

xt = torch.randn(2, 3, 32, 64)
z = device(torch.zeros(2, 3, 32, 64))
rows_4d(device(xt), z)
got_z = ttnn.to_torch(z).float()
assert torch.equal(got_z, 2 * xt.to(torch.bfloat16).float())
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([got_y.numpy().ravel(), got_z.numpy().ravel()]))
