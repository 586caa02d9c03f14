# SPDX-License-Identifier: Apache-2.0
# `o += x` on a reserved block (tt-lang's compiler accepts it; tt-lang-sim
# 1.1.6 raises, so this file runs under ttlx only): the block's contents
# (what `+=` accumulated in this reservation, zero before) plus x, stored
# when the block is pushed. y = a @ b over KT = 4 K tiles with `o += a @ b`
# in the K loop; y2 = x0 + 2 * x1 with two `+=` in a row; y3 = x2 - x3 by
# `o3 += x2` then `o3 -= x3` inside an `if` on the loop index.
#
# Tolerance (the same argument as accumulate_matmul.py): inputs bf16 in
# [0, 1), partial sums positive and no larger than the result; the matmul
# rounds at most 3 times per K step, rtol 12 * 2^-8 < 2^-4; y2 rounds 2 * x1
# (exact) and the sum once or twice, rtol 2^-7; y3 is a difference of two
# bf16 values rounded once to bf16, rtol 2^-8 plus atol 2^-8 near zero.

import torch
import ttnn
import ttl

KT = 4


@ttl.operation(grid=(1, 1))
def accumulate(a, b, x, y, y2, y3):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 2), block_count=2)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)
    y2_dfb = ttl.make_dataflow_buffer_like(y2, shape=(1, 1), block_count=2)
    y3_dfb = ttl.make_dataflow_buffer_like(y3, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for k in range(KT):
            with a_dfb.reserve() as blk:
                ttl.copy(a[0, k], blk).wait()
            with b_dfb.reserve() as blk:
                ttl.copy(b[k, 0:2], blk).wait()
        for k in range(4):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, k], blk).wait()

    @ttl.compute()
    def compute():
        with y_dfb.reserve() as o:
            for k in range(KT):
                with a_dfb.wait() as p, b_dfb.wait() as q:
                    o += p @ q
        with y2_dfb.reserve() as o2:
            with x_dfb.wait() as t:
                o2 += t
            with x_dfb.wait() as t:
                o2 += t * 2.0
        o3 = y3_dfb.reserve()
        for k in range(2):
            with x_dfb.wait() as t:
                if k == 0:
                    o3 += t
                else:
                    o3 -= t
        o3.push()

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0:2]).wait()
        with y2_dfb.wait() as blk:
            ttl.copy(blk, y2[0, 0]).wait()
        with y3_dfb.wait() as blk:
            ttl.copy(blk, y3[0, 0]).wait()


torch.manual_seed(1)
at = torch.rand(32, 32 * KT).to(torch.bfloat16)
bt = torch.rand(32 * KT, 64).to(torch.bfloat16)
xt = torch.rand(32, 32 * 4).to(torch.bfloat16)
outs = [ttnn.from_torch(torch.zeros(32, w, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT) for w in (64, 32, 32)]
accumulate(*(ttnn.from_torch(t, layout=ttnn.TILE_LAYOUT) for t in (at, bt, xt)), *outs)
got, got2, got3 = (ttnn.to_torch(o).float() for o in outs)
xs = [xt.float()[:, 32 * k:32 * (k + 1)] for k in range(4)]
want, want2, want3 = at.float() @ bt.float(), xs[0] + 2 * xs[1], xs[2] - xs[3]
print("max error", *((g - w).abs().max().item() for g, w in ((got, want), (got2, want2), (got3, want3))))
assert torch.allclose(got, want, rtol=2**-4, atol=0), "o += a @ b in a loop"
assert torch.allclose(got2, want2, rtol=2**-7, atol=0), "o += x twice"
assert torch.allclose(got3, want3, rtol=2**-8, atol=2**-8), "o += x, o -= x in branches"
print("PASS")
