# SPDX-License-Identifier: Apache-2.0
# Elementwise block math on blocks of DFBs made like ROW_MAJOR_LAYOUT tensors
# (tt-lang spec: a block of any DFB takes part in block expressions; only
# reductions and broadcasts are not defined on row-major blocks). Runs under
# ttlx and tt-lang-sim.
# - blend: y = exp(a) * b + |a - b| and z = where(c, a, b) on (4, 600) tensors
#   in (2, 600)-element blocks (1200 elements: more than one tile's 1024), one
#   block per node;
# - sum_of_squares: s = sum over k of x[k]^2 for a (4, 3, 50) tensor, a (3, 50)
#   block per k, the running sum held in a block variable across loop
#   iterations and `with` scopes.
# Inputs: a in [-4, 4) and b in [0, 4) in steps of 1/4 (exact in bf16), c 0 or
# 1, x integers in [-4, 4]. exp(a) * b + |a - b| adds non-negative terms, so
# each rounding to bf16 is relative; the sums of squares are integers up to 64,
# exact.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(2, 1))
def blend(a, b, c, y, z):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(2, 600), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(2, 600), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(2, 600), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 600), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(2, 600), block_count=2)

    @ttl.datamovement()
    def read():
        r = 2 * ttl.node(dims=1)
        with a_dfb.reserve() as ab, b_dfb.reserve() as bb, c_dfb.reserve() as cb:
            ttl.copy(a[r:r + 2, 0:600], ab).wait()
            ttl.copy(b[r:r + 2, 0:600], bb).wait()
            ttl.copy(c[r:r + 2, 0:600], cb).wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as ab, b_dfb.wait() as bb, c_dfb.wait() as cb:
            with y_dfb.reserve() as yb:
                yb.store(ttl.math.exp(ab) * bb + abs(ab - bb))
            with z_dfb.reserve() as zb:
                zb.store(ttl.block.where(cb, ab, bb))

    @ttl.datamovement()
    def write():
        r = 2 * ttl.node(dims=1)
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[r:r + 2, 0:600]).wait()
        with z_dfb.wait() as zb:
            ttl.copy(zb, z[r:r + 2, 0:600]).wait()


@ttl.operation(grid=(1, 1))
def sum_of_squares(x, s):
    first_dfb = ttl.make_dataflow_buffer_like(x, shape=(3, 50), block_count=1)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(3, 50), block_count=2)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(3, 50), block_count=1)

    @ttl.datamovement()
    def read():
        with first_dfb.reserve() as blk:
            ttl.copy(x[0, 0:3, 0:50], blk).wait()
        for k in range(1, 4):
            with x_dfb.reserve() as blk:
                ttl.copy(x[k, 0:3, 0:50], blk).wait()

    @ttl.compute()
    def compute():
        with first_dfb.wait() as first:
            acc = first * first
            for _ in range(3):
                with x_dfb.wait() as blk:
                    acc = acc + blk * blk
            with s_dfb.reserve() as out:
                out.store(acc)

    @ttl.datamovement()
    def write():
        with s_dfb.wait() as blk:
            ttl.copy(blk, s[0:3, 0:50]).wait()


def row_major(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT)


torch.manual_seed(0)
at = (torch.randint(-16, 16, (4, 600)) / 4).to(torch.bfloat16)
bt = (torch.randint(0, 16, (4, 600)) / 4).to(torch.bfloat16)
ct = torch.randint(0, 2, (4, 600)).to(torch.bfloat16)
xt = torch.randint(-4, 5, (4, 3, 50)).to(torch.bfloat16)
y, z, s = (row_major(torch.zeros(*shape)) for shape in ((4, 600), (4, 600), (3, 50)))
blend(row_major(at), row_major(bt), row_major(ct), y, z)
sum_of_squares(row_major(xt), s)
got = [ttnn.to_torch(r).float() for r in (y, z, s)]
a32, b32 = at.float(), bt.float()
want = [torch.exp(a32) * b32 + (a32 - b32).abs(), torch.where(ct.float() != 0, a32, b32),
        (xt.float() ** 2).sum(dim=0)]
for g, e, rtol in zip(got, want, (2.0**-6, 0.0, 0.0)):
    torch.testing.assert_close(g, e, rtol=rtol, atol=rtol)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([g.numpy().ravel() for g in got]))
