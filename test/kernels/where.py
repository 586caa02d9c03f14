# SPDX-License-Identifier: Apache-2.0
# ttl.block.where on blocks: y = a * a where a > 0, else -1 (a fill), vs torch.where.

import torch, ttnn, ttl

@ttl.operation(grid=(1, 1))
def op(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    m_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0:2], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a:
            with m_dfb.reserve() as m:
                m.store(ttl.math.relu(ttl.math.sign(a)))  # 1 where a > 0, else 0
            with m_dfb.wait() as m, y_dfb.reserve() as o:
                o.store(ttl.block.where(m, a * a, ttl.block.fill(-1.0, shape=(1, 2))))

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0:2]).wait()

xt = torch.randn(32, 64).to(torch.bfloat16)
y = ttnn.zeros((32, 64), dtype=ttnn.bfloat16)
op(ttnn.from_torch(xt), y)
want = torch.where(xt > 0, (xt.float() * xt.float()).to(torch.bfloat16), torch.tensor(-1.0, dtype=torch.bfloat16))
assert torch.equal(ttnn.to_torch(y), want), (ttnn.to_torch(y) - want).abs().max()
print("PASS")
