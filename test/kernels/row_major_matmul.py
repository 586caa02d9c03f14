# SPDX-License-Identifier: Apache-2.0
# `@` on blocks of DFBs made like ROW_MAJOR_LAYOUT tensors (tt-lang spec: it
# takes blocks of any DFB; ttlx tilizes the operands into DFBs it allocates,
# multiplies the tiles and untilizes the product, docs/language.md
# "Row-major tensors"). Runs under ttlx and tt-lang-sim
# (row_major_transpose.py has transpose, which tt-lang-sim does not run on
# row-major blocks).
# - y = a @ b for a (64, 96) and b (96, 64) block: two rows and three columns
#   of tiles times three rows and two columns; z = (a * a) @ b (an expression
#   operand goes through a DFB first);
# - s = sum over k of x[k] @ w, the products of (32, 64) x (64, 32) blocks
#   added up in a block variable held across loop iterations.
# Inputs are -1, 0 or 1, so every product, partial sum and total is an
# integer below 256 in magnitude: exact in bf16, whatever the order of the
# sums.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def products(a, b, y, z):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(64, 96), block_count=1)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(96, 64), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(64, 64), block_count=1)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(64, 64), block_count=1)

    @ttl.datamovement()
    def read():
        with a_dfb.reserve() as ab, b_dfb.reserve() as bb:
            ttl.copy(a[0:64, 0:96], ab).wait()
            ttl.copy(b[0:96, 0:64], bb).wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as ab, b_dfb.wait() as bb:
            with y_dfb.reserve() as yb:
                yb.store(ab @ bb)
            with z_dfb.reserve() as zb:
                zb.store((ab * ab) @ bb)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[0:64, 0:64]).wait()
        with z_dfb.wait() as zb:
            ttl.copy(zb, z[0:64, 0:64]).wait()


@ttl.operation(grid=(1, 1))
def sum_of_products(x, w, s):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(32, 64), block_count=2)
    w_dfb = ttl.make_dataflow_buffer_like(w, shape=(64, 32), block_count=1)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(32, 32), block_count=1)

    @ttl.datamovement()
    def read():
        with w_dfb.reserve() as blk:
            ttl.copy(w[0:64, 0:32], blk).wait()
        for k in range(3):
            with x_dfb.reserve() as blk:
                ttl.copy(x[k, 0:32, 0:64], blk).wait()

    @ttl.compute()
    def compute():
        with w_dfb.wait() as wb:
            with x_dfb.wait() as xb:
                acc = xb @ wb
            for _ in range(2):
                with x_dfb.wait() as xb:
                    acc = acc + xb @ wb
            with s_dfb.reserve() as out:
                out.store(acc)

    @ttl.datamovement()
    def write():
        with s_dfb.wait() as blk:
            ttl.copy(blk, s[0:32, 0:32]).wait()


def row_major(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT)


torch.manual_seed(0)
at = torch.randint(-1, 2, (64, 96)).to(torch.bfloat16)
bt = torch.randint(-1, 2, (96, 64)).to(torch.bfloat16)
xt = torch.randint(-1, 2, (3, 32, 64)).to(torch.bfloat16)
wt = torch.randint(-1, 2, (64, 32)).to(torch.bfloat16)
y, z, s = (row_major(torch.zeros(*shape)) for shape in ((64, 64), (64, 64), (32, 32)))
products(row_major(at), row_major(bt), y, z)
sum_of_products(row_major(xt), row_major(wt), s)
got = [ttnn.to_torch(r).float() for r in (y, z, s)]
a32, b32, x32, w32 = at.float(), bt.float(), xt.float(), wt.float()
want = [a32 @ b32, (a32 * a32) @ b32, sum(x32[k] @ w32 for k in range(3))]
for g, e in zip(got, want):
    torch.testing.assert_close(g, e, rtol=0.0, atol=0.0)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([g.numpy().ravel() for g in got]))
