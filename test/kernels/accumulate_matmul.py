# SPDX-License-Identifier: Apache-2.0
# tt-lang's matmul idiom: a temporary filled with zeros before the K loop,
# `acc += a @ b` inside a nested `with` per K step, stored after the loop;
# y = a @ b over KT = 4 K tiles, vs torch. Also `acc = acc + x` of
# elementwise blocks across a loop (y2 = the sum of four column tiles of x).
#
# Tolerance: inputs are bf16 in [0, 1), so every partial sum is positive and
# no larger than the final one. Each K step rounds the 32-term matmul tile
# to bf16 in DST (bf16 without fp32_dest_acc), the sum with the running
# value again, and packs it to bf16: at most 3 roundings of 2^-8 relative per
# step, 12 over KT = 4 steps, rtol 12 * 2^-8 < 2^-4. The elementwise sum
# rounds once per step: 4 roundings, rtol 2^-6. (All zeros, today's bug,
# is off by 100%.)

import sys

import numpy
import torch
import ttnn
import ttl

KT = 4


@ttl.operation(grid=(1, 1))
def matmul_acc(a, b, x, y, y2):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 2), block_count=2)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)
    y2_dfb = ttl.make_dataflow_buffer_like(y2, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for k in range(KT):
            with a_dfb.reserve() as blk:
                ttl.copy(a[0, k], blk).wait()
            with b_dfb.reserve() as blk:
                ttl.copy(b[k, 0:2], blk).wait()
        for k in range(KT):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, k], blk).wait()

    @ttl.compute()
    def compute():
        with y_dfb.reserve() as o:
            acc = ttl.block.fill(0, shape=o.shape)
            for k in range(KT):
                with a_dfb.wait() as p, b_dfb.wait() as q:
                    acc += p @ q
            o.store(acc)
        with y2_dfb.reserve() as o2:
            total = ttl.block.fill(0, shape=o2.shape)
            for k in range(KT):
                with x_dfb.wait() as t:
                    total = total + t
            o2.store(total)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0:2]).wait()
        with y2_dfb.wait() as blk:
            ttl.copy(blk, y2[0, 0]).wait()


torch.manual_seed(0)
at = torch.rand(32, 32 * KT).to(torch.bfloat16)
bt = torch.rand(32 * KT, 64).to(torch.bfloat16)
xt = torch.rand(32, 32 * KT).to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
y2 = ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
matmul_acc(*(ttnn.from_torch(t, layout=ttnn.TILE_LAYOUT) for t in (at, bt, xt)), y, y2)
got, got2 = ttnn.to_torch(y).float(), ttnn.to_torch(y2).float()
want = at.float() @ bt.float()
want2 = sum(xt.float()[:, 32 * k:32 * (k + 1)] for k in range(KT))
print("max error", (got - want).abs().max().item(), (got2 - want2).abs().max().item())
assert torch.allclose(got, want, rtol=2**-4, atol=0), "matmul accumulation"
assert torch.allclose(got2, want2, rtol=2**-6, atol=0), "elementwise accumulation"
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([got.numpy(), got2.numpy()], axis=1))
