# SPDX-License-Identifier: Apache-2.0
# Block values that helpers compute, return and hold, and block expressions
# in tuples, kept after the `with` that popped their operands (ttlx stores
# them into scratch DFBs it allocates; tt-lang-sim evaluates block math at
# once). Runs under ttlx and tt-lang-sim. x streams tiles x0, x1, ... of
# (1, 1)-tile blocks, consumed in order:
# - a helper assigns its own `acc` while the caller carries an `acc` through
#   a loop (a module-level helper and a `def` of the thread): y holds
#   2 * x1, 3 * x3, 2 * x5, 3 * x7; s = x0^2 + x2^2 + x4^2 + x6^2;
# - helpers returning block expressions of their own `with` (returned from
#   inside it, or held in a name read after it): z0 = x8^2 + x9^3 + x10;
# - tuples: p, q = a * a, a + a and a tuple variable r read after their
#   `with`, and a helper returning a tuple: z1 = x11^2 + 2 x11 + x12,
#   z2 = 3 x11 - x11^3, z3 = x13^2 - 2 x13;
# - a helper returning an expression of a block variable it carries
#   through its own loop, used in a store and held in a loop's name:
#   z4 = 2 (x14^2 + x15^2 + x16^2), z5 = 2 (x17^2 + x18^2),
#   z6 = 2 (x19^2 + x20^2);
# - a helper returning a block variable it assigns in a branch chosen at
#   run time: z7 = 2 x21, z8 = x22^2.
# Inputs are integers in [-4, 4]: every value is an integer of magnitude
# below 256, exact in bf16, so ttlx and the simulator agree exactly.

import sys

import numpy
import torch
import ttl
import ttnn

TILES = 23


def twice(d, y_dfb):
    with d.wait() as a:
        acc = a + a
        with y_dfb.reserve() as o:
            o.store(acc)


def square(d):
    with d.wait() as a:
        return a * a


def cube(d):
    with d.wait() as a:
        c = a * a * a
    return c


def pair(d):
    with d.wait() as a:
        return a * a, a + a


def sum_of_squares(d, n):
    with d.wait() as a:
        acc = a * a
    for _ in range(n - 1):
        with d.wait() as a:
            acc = acc + a * a
    return acc + acc


def pick(d, k):
    with d.wait() as a:
        t = a + a
        if k > 0:
            t = a * a
    return t


@ttl.operation(grid=(1, 1))
def helpers(x, s, y, z):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 1), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for k in range(TILES):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, k], blk).wait()

    @ttl.compute()
    def compute():
        def thrice():
            with x_dfb.wait() as a:
                acc = a + a + a
                with y_dfb.reserve() as o:
                    o.store(acc)

        with x_dfb.wait() as first:
            acc = first * first
        twice(x_dfb, y_dfb)
        for k in range(1, 4):
            with x_dfb.wait() as blk:
                acc = acc + blk * blk
            if k % 2 == 0:
                twice(x_dfb, y_dfb)
            else:
                thrice()
        with s_dfb.reserve() as o:
            o.store(acc)

        t = square(x_dfb)
        u = cube(x_dfb)
        with x_dfb.wait() as b, z_dfb.reserve() as o:
            o.store(t + u + b)

        with x_dfb.wait() as a:
            p, q = a * a, a + a
            r = (a + a + a, a * a * a)
        with x_dfb.wait() as b, z_dfb.reserve() as o:
            o.store(p + q + b)
        with z_dfb.reserve() as o:
            o.store(r[0] - r[1])
        v, w = pair(x_dfb)
        with z_dfb.reserve() as o:
            o.store(v - w)

        with z_dfb.reserve() as o:
            o.store(sum_of_squares(x_dfb, 3))
        for _ in range(2):
            m = sum_of_squares(x_dfb, 2)
            with z_dfb.reserve() as o:
                o.store(m)
        for k in range(2):
            with z_dfb.reserve() as o:
                o.store(pick(x_dfb, k))

    @ttl.datamovement()
    def write():
        for k in range(4):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, k]).wait()
        with s_dfb.wait() as blk:
            ttl.copy(blk, s[0, 0]).wait()
        for k in range(9):
            with z_dfb.wait() as blk:
                ttl.copy(blk, z[0, k]).wait()


def tiled(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)


torch.manual_seed(0)
xt = torch.randint(-4, 5, (32, 32 * TILES)).to(torch.bfloat16)
s, y, z = tiled(torch.zeros(32, 32)), tiled(torch.zeros(32, 32 * 4)), tiled(torch.zeros(32, 32 * 9))
helpers(tiled(xt), s, y, z)
got = [ttnn.to_torch(r).float() for r in (s, y, z)]
xs = [xt.float()[:, 32 * k:32 * (k + 1)] for k in range(TILES)]
want = [
    xs[0] ** 2 + xs[2] ** 2 + xs[4] ** 2 + xs[6] ** 2,
    torch.cat([2 * xs[1], 3 * xs[3], 2 * xs[5], 3 * xs[7]], 1),
    torch.cat([xs[8] ** 2 + xs[9] ** 3 + xs[10], xs[11] ** 2 + 2 * xs[11] + xs[12], 3 * xs[11] - xs[11] ** 3,
               xs[13] ** 2 - 2 * xs[13], 2 * (xs[14] ** 2 + xs[15] ** 2 + xs[16] ** 2),
               2 * (xs[17] ** 2 + xs[18] ** 2), 2 * (xs[19] ** 2 + xs[20] ** 2), 2 * xs[21], xs[22] ** 2], 1),
]
for g, e in zip(got, want):
    torch.testing.assert_close(g, e, rtol=0.0, atol=0.0)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([g.numpy().ravel() for g in got]))
