# SPDX-License-Identifier: Apache-2.0
# ttl.read_index (spec 0.21): a data-movement thread reads an element of a
# waited block as an index (truncated toward zero) and copies the tile row
# it names: a gather of weight rows by indices held in a tensor. The copy
# moves bits, so the result is compared exactly.

import torch
import ttnn

import ttl

ROWS = 4  # weight rows (tiles)
PICKS = 3  # output rows


@ttl.operation(grid=(1, 1))
def gather(idx: ttnn.Tensor, w: ttnn.Tensor, out: ttnn.Tensor):
    idx_dfb = ttl.make_dataflow_buffer_like(idx, shape=(1, 1), block_count=1)
    row_dfb = ttl.make_dataflow_buffer_like(w, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with idx_dfb.reserve() as blk:
            ttl.copy(idx[0, 0], blk).wait()
        with idx_dfb.wait() as ib:
            for t in range(PICKS):
                r = ttl.read_index(ib, 0, t)
                with row_dfb.reserve() as blk:
                    ttl.copy(w[r, 0], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        for t in range(PICKS):
            with row_dfb.wait() as blk:
                ttl.copy(blk, out[t, 0]).wait()


g = torch.Generator().manual_seed(0)
for dtype in (torch.bfloat16, torch.float32):
    picks = [2.75, 0.0, 3.5]  # fractions truncate toward zero: rows 2, 0, 3 (exact in bf16)
    idx_t = torch.zeros(32, 32, dtype=dtype)
    idx_t[0, :PICKS] = torch.tensor(picks, dtype=dtype)
    w_t = torch.randn(ROWS * 32, 32, generator=g).to(dtype)
    out = ttnn.from_torch(torch.zeros(PICKS * 32, 32, dtype=dtype), layout=ttnn.TILE_LAYOUT)
    gather(ttnn.from_torch(idx_t, layout=ttnn.TILE_LAYOUT), ttnn.from_torch(w_t, layout=ttnn.TILE_LAYOUT), out)
    want = torch.cat([w_t[int(p) * 32:(int(p) + 1) * 32] for p in picks])
    assert torch.equal(ttnn.to_torch(out), want), dtype
print("PASS")
