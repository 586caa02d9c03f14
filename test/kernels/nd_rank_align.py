# SPDX-License-Identifier: Apache-2.0
# A block and a tensor slice of different ranks (ttlx; tt-lang-sim 1.1.6 refuses a
# tiled DFB whose rank differs from its tensor's): a (1, 2, 2)-tile slice of a
# (3, 64, 64) tensor fills a (2, 2) block, its leading dimension of extent 1 left
# out (docs/language.md, "Tensor slices"). y = x * x per batch, against torch: ttlx
# rounds the product to bf16 once, as the reference does.

import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def square_batches(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 2), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 2), block_count=2)
    B = x.shape[0]

    @ttl.datamovement()
    def read():
        for b in range(B):
            with x_dfb.reserve() as blk:
                ttl.copy(x[b, 0:2, 0:2], blk).wait()

    @ttl.compute()
    def compute():
        for _ in range(B):
            with x_dfb.wait() as v, y_dfb.reserve() as o:
                o.store(v * v)

    @ttl.datamovement()
    def write():
        for b in range(B):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[b, 0:2, 0:2]).wait()


torch.manual_seed(0)
xt = torch.randn(3, 64, 64).to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(3, 64, 64), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
square_batches(ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT), y)
got = ttnn.to_torch(y).float()
want = (xt.float() * xt.float()).to(torch.bfloat16).float()
assert torch.equal(got, want), (got - want).abs().max()
print("PASS")
