# SPDX-License-Identifier: Apache-2.0
# A bf16 accumulator updated with float32 values, in both forms: a block
# variable (docs/language.md, "Block variables across loops and branches"),
# acc = ttl.block.fill(0, dtype=bf16), then acc += x * s over K blocks and
# o.store(acc); and a reserved bf16 block (docs/language.md, "Accumulating
# into a reserved block"), o += x * s over K blocks. x is bf16 and s float32:
# x * s and acc + x * s are float32 (math across dtypes), and the accumulator
# keeps its dtype, bf16: each update is rounded to bf16 (to nearest even) as a
# store into a bf16 block is. The result is checked against torch doing the
# same steps, bit for bit: with fp32_dest_acc_en=True the product and the sum
# are float32 (one rounding each, as torch's float32 ops) before the
# accumulator's rounding to bf16; with a 16-bit DST the product is also
# rounded to bf16 first. Against the exact sum (x, s in [1, 2), every term
# positive): each step rounds at most twice, by 2^-8 relative at most, so the
# result is within (K + 1) * 2^-8 of it.

import torch
import ttl
import ttnn

K = 4


def make(fp32, reserved):
    @ttl.operation(grid=(1, 1), fp32_dest_acc_en=fp32)
    def accumulate(x, s, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def read():
            for k in range(K):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[0, k], blk).wait()
                with s_dfb.reserve() as blk:
                    ttl.copy(s[0, k], blk).wait()

        @ttl.compute()
        def compute():
            if reserved:
                with y_dfb.reserve() as o:
                    for _ in range(K):
                        with x_dfb.wait() as xb, s_dfb.wait() as sb:
                            o += xb * sb
            else:
                acc = ttl.block.fill(0, shape=(1, 1), dtype=ttnn.bfloat16)
                for _ in range(K):
                    with x_dfb.wait() as xb, s_dfb.wait() as sb:
                        acc += xb * sb
                with y_dfb.reserve() as o:
                    o.store(acc)

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0]).wait()

    return accumulate


def tiled(t, dtype):
    return ttnn.from_torch(t, dtype=dtype, layout=ttnn.TILE_LAYOUT)


torch.manual_seed(0)
xt = (1 + torch.rand(32, 32 * K)).to(torch.bfloat16)
st = 1 + torch.rand(32, 32 * K)
blocks = [(xt[:, 32 * k:32 * k + 32].float(), st[:, 32 * k:32 * k + 32]) for k in range(K)]
exact = sum(x.double() * s.double() for x, s in blocks)
for reserved in (False, True):
    for fp32 in (True, False):
        y = tiled(torch.zeros(32, 32), ttnn.bfloat16)
        make(fp32, reserved)(tiled(xt, ttnn.bfloat16), tiled(st, ttnn.float32), y)
        got = ttnn.to_torch(y)
        want = torch.zeros(32, 32, dtype=torch.bfloat16)
        for x, s in blocks:
            product = x * s if fp32 else (x * s).to(torch.bfloat16).float()
            want = (want.float() + product).to(torch.bfloat16)
        assert torch.equal(got, want), ("steps", reserved, fp32)
        assert ((got.double() - exact) / exact).abs().max() <= (K + 1) * 2.0**-8, ("exact", reserved, fp32)
print("PASS")
