# SPDX-License-Identifier: Apache-2.0
# A block expression held in a Python variable keeps its value after the
# `with` that waited for the blocks it reads has popped them (tt-lang-sim
# evaluates block math at once; ttlx stores such a value into a scratch DFB
# it allocates before the pop). Runs under ttlx and tt-lang-sim.
# - squares (tiled, (1, 1)-tile blocks): acc = x0 * x0 inside the first
#   `with`, then acc = acc + xk * xk in a loop over k = 1..3 of later
#   `with`s, then stored: s = sum over k of xk^2; and in a loop over k,
#   t = xk + xk inside a `with`, stored as t * t in a later `with` of the
#   same iteration: y = 4 * xk^2 per tile;
# - shifted (row-major, (3, 50)-element blocks): u = x * x inside a `with`,
#   plus x waited again in a later `with`: z = x^2 + x.
# Inputs are integers in [-4, 4], exact in bf16; the sums of squares (up to
# 64), 2 * x, 4 * x^2 and x^2 + x are integers up to 64 in magnitude, exact
# in bf16: ttlx and the simulator agree exactly.

import sys

import numpy
import torch
import ttl
import ttnn

K = 4


@ttl.operation(grid=(1, 1))
def squares(x, s, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 1), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for _ in range(2):
            for k in range(K):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[0, k], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as first:
            acc = first * first
        for _ in range(K - 1):
            with x_dfb.wait() as blk:
                acc = acc + blk * blk
        with s_dfb.reserve() as out:
            out.store(acc)
        for _ in range(K):
            with x_dfb.wait() as blk:
                t = blk + blk
            with y_dfb.reserve() as out:
                out.store(t * t)

    @ttl.datamovement()
    def write():
        with s_dfb.wait() as blk:
            ttl.copy(blk, s[0, 0]).wait()
        for k in range(K):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, k]).wait()


@ttl.operation(grid=(1, 1))
def shifted(x, z):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(3, 50), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(3, 50), block_count=2)

    @ttl.datamovement()
    def read():
        for _ in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0:3, 0:50], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as blk:
            u = blk * blk
        with x_dfb.wait() as blk, z_dfb.reserve() as out:
            out.store(u + blk)

    @ttl.datamovement()
    def write():
        with z_dfb.wait() as blk:
            ttl.copy(blk, z[0:3, 0:50]).wait()


def tiled(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)


def row_major(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT)


torch.manual_seed(0)
xt = torch.randint(-4, 5, (32, 32 * K)).to(torch.bfloat16)
rt = torch.randint(-4, 5, (3, 50)).to(torch.bfloat16)
s, y, z = tiled(torch.zeros(32, 32)), tiled(torch.zeros(32, 32 * K)), row_major(torch.zeros(3, 50))
squares(tiled(xt), s, y)
shifted(row_major(rt), z)
got = [ttnn.to_torch(r).float() for r in (s, y, z)]
x32 = xt.float()
want = [sum(x32[:, 32 * k:32 * (k + 1)] ** 2 for k in range(K)), 4 * x32 ** 2, rt.float() ** 2 + rt.float()]
for g, e in zip(got, want):
    torch.testing.assert_close(g, e, rtol=0.0, atol=0.0)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([g.numpy().ravel() for g in got]))
