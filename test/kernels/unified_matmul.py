# SPDX-License-Identifier: Apache-2.0
# Matmul in a unified operation body: c = a @ b with MT x NT output tiles
# and KT K steps. One loop nest; the compiler gives the reader the copies of
# a and b, the compute thread the `acc += a_blk @ b_blk` accumulation in the
# reserved output block, and the writer the copy to c; every thread runs the
# loops it has work in.
#
# Tolerance (as accumulate_matmul.py): bf16 inputs in [0, 1), every partial
# sum positive and below the final one; each K step rounds at most 3 times
# (2^-8 relative each): 3 * KT roundings, rtol 9 * 2^-8 < 2^-4.

import torch
import ttnn
import ttl

MT, NT, KT = 2, 2, 3


@ttl.operation(grid=(1, 1))
def matmul(a, b, c):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 1), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(1, 1), block_count=2)

    for m in range(MT):
        for n in range(NT):
            with c_dfb.reserve() as c_blk:
                acc = ttl.block.fill(0, shape=c_blk.shape)
                for k in range(KT):
                    with a_dfb.reserve() as a_in:
                        ttl.copy(a[m, k], a_in).wait()
                    with b_dfb.reserve() as b_in:
                        ttl.copy(b[k, n], b_in).wait()
                    with a_dfb.wait() as a_blk, b_dfb.wait() as b_blk:
                        acc += a_blk @ b_blk
                c_blk.store(acc)
            with c_dfb.wait() as c_out:
                ttl.copy(c_out, c[m, n]).wait()


torch.manual_seed(5)
at = torch.rand(32 * MT, 32 * KT).to(torch.bfloat16)
bt = torch.rand(32 * KT, 32 * NT).to(torch.bfloat16)
c = ttnn.from_torch(torch.zeros(32 * MT, 32 * NT, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
matmul(ttnn.from_torch(at, layout=ttnn.TILE_LAYOUT), ttnn.from_torch(bt, layout=ttnn.TILE_LAYOUT), c)
got = ttnn.to_torch(c).float()
want = at.float() @ bt.float()
print("max error", (got - want).abs().max().item())
assert torch.allclose(got, want, rtol=2**-4, atol=0), "a @ b"
print("PASS")
