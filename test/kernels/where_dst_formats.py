# SPDX-License-Identifier: Apache-2.0
# ttl.block.where in both DST modes: where_tile's DataFormat is the width of
# DST's values (Float32 with fp32_dest_acc_en, else Float16_b), whatever the
# result's dtype. w16 selects among bf16 blocks, w32 among float32 blocks; the
# condition is 0, 1 or -1 (nonzero selects the first value). where copies
# values, so every result is exact: bf16 values in either DST, float32 values
# in a 32-bit DST; a 16-bit DST holds float32 values rounded to bf16 (to
# nearest even, as torch's .to(torch.bfloat16)), and the float32 DFB then
# receives those bit for bit.

import torch
import ttl
import ttnn


def make(fp32):
    @ttl.operation(grid=(1, 1), fp32_dest_acc_en=fp32)
    def select(m16, a16, b16, m32, a32, b32, w16, w32):
        m16_dfb = ttl.make_dataflow_buffer_like(m16, shape=(1, 2), block_count=2)
        a16_dfb = ttl.make_dataflow_buffer_like(a16, shape=(1, 2), block_count=2)
        b16_dfb = ttl.make_dataflow_buffer_like(b16, shape=(1, 2), block_count=2)
        m32_dfb = ttl.make_dataflow_buffer_like(m32, shape=(1, 2), block_count=2)
        a32_dfb = ttl.make_dataflow_buffer_like(a32, shape=(1, 2), block_count=2)
        b32_dfb = ttl.make_dataflow_buffer_like(b32, shape=(1, 2), block_count=2)
        w16_dfb = ttl.make_dataflow_buffer_like(w16, shape=(1, 2), block_count=2)
        w32_dfb = ttl.make_dataflow_buffer_like(w32, shape=(1, 2), block_count=2)

        @ttl.datamovement()
        def read():
            with m16_dfb.reserve() as m, a16_dfb.reserve() as a, b16_dfb.reserve() as b:
                ttl.copy(m16[0, 0:2], m).wait()
                ttl.copy(a16[0, 0:2], a).wait()
                ttl.copy(b16[0, 0:2], b).wait()
            with m32_dfb.reserve() as m, a32_dfb.reserve() as a, b32_dfb.reserve() as b:
                ttl.copy(m32[0, 0:2], m).wait()
                ttl.copy(a32[0, 0:2], a).wait()
                ttl.copy(b32[0, 0:2], b).wait()

        @ttl.compute()
        def compute():
            with m16_dfb.wait() as m, a16_dfb.wait() as a, b16_dfb.wait() as b, w16_dfb.reserve() as o:
                o.store(ttl.block.where(m, a, b))
            with m32_dfb.wait() as m, a32_dfb.wait() as a, b32_dfb.wait() as b, w32_dfb.reserve() as o:
                o.store(ttl.block.where(m, a, b))

        @ttl.datamovement()
        def write():
            with w16_dfb.wait() as blk:
                ttl.copy(blk, w16[0, 0:2]).wait()
            with w32_dfb.wait() as blk:
                ttl.copy(blk, w32[0, 0:2]).wait()

    return select


def tiled(t, dtype):
    return ttnn.from_torch(t, dtype=dtype, layout=ttnn.TILE_LAYOUT)


torch.manual_seed(0)
m = torch.randint(-1, 2, (32, 64)).float()
a, b = torch.randn(32, 64), torch.randn(32, 64)
a16, b16 = a.to(torch.bfloat16), b.to(torch.bfloat16)
for fp32 in (True, False):
    w16, w32 = tiled(torch.zeros(32, 64), ttnn.bfloat16), tiled(torch.zeros(32, 64), ttnn.float32)
    make(fp32)(tiled(m, ttnn.bfloat16), tiled(a16, ttnn.bfloat16), tiled(b16, ttnn.bfloat16),
               tiled(m, ttnn.float32), tiled(a, ttnn.float32), tiled(b, ttnn.float32), w16, w32)
    assert torch.equal(ttnn.to_torch(w16), torch.where(m != 0, a16, b16)), ("w16", fp32)
    want32 = torch.where(m != 0, a, b) if fp32 else torch.where(m != 0, a16, b16).float()
    assert torch.equal(ttnn.to_torch(w32).float(), want32), ("w32", fp32)
print("PASS")
