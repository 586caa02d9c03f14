# SPDX-License-Identifier: Apache-2.0
# The older ttl.math.broadcast(x, dims=[...]) without its output block (spec 0.15 and
# before; issue 16 item 10): the result takes the shape of the block it meets in block
# math or a store, dims counted from the front. y = a * b + c broadcast along the
# columns (c a column of 2x1 tiles against 2x3-tile blocks); z = a + r, r a scalar
# broadcast along both dims by two nested calls and also stored alone (w = r
# everywhere). tt-lang-sim 1.1.6 refuses the spelling, so the results are checked
# against torch. Tolerance: inputs are bf16 in [0, 1), so nothing cancels; the product,
# the sum and the pack round to bf16 (2^-8 relative each): rtol 2^-6. w is exact.

import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def implicit_broadcast(a: ttnn.Tensor, b: ttnn.Tensor, c: ttnn.Tensor, r: ttnn.Tensor,
                       y: ttnn.Tensor, z: ttnn.Tensor, w: ttnn.Tensor):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(2, 3), block_count=1)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(2, 3), block_count=1)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(2, 1), block_count=1)
    r_dfb = ttl.make_dataflow_buffer_like(r, shape=(1, 1), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 3), block_count=1)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(2, 3), block_count=1)
    w_dfb = ttl.make_dataflow_buffer_like(w, shape=(2, 3), block_count=1)

    @ttl.datamovement()
    def read():
        with a_dfb.reserve() as ab, b_dfb.reserve() as bb, c_dfb.reserve() as cb, r_dfb.reserve() as rb:
            tx_a = ttl.copy(a[0:2, 0:3], ab)
            tx_b = ttl.copy(b[0:2, 0:3], bb)
            tx_c = ttl.copy(c[0:2, 0], cb)
            tx_r = ttl.copy(r[0, 0], rb)
            tx_a.wait()
            tx_b.wait()
            tx_c.wait()
            tx_r.wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as ab, b_dfb.wait() as bb, c_dfb.wait() as cb, r_dfb.wait() as rb:
            with y_dfb.reserve() as yb:
                yb.store(ab * bb + ttl.math.broadcast(cb, dims=[1]))
            with z_dfb.reserve() as zb:
                r_everywhere = ttl.math.broadcast(ttl.math.broadcast(rb, dims=[0]), dims=[1])
                zb.store(ab + r_everywhere)
            with w_dfb.reserve() as wb:
                wb.store(ttl.math.broadcast(rb, dims=[0, 1]))

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0:2, 0:3]).wait()
        with z_dfb.wait() as blk:
            ttl.copy(blk, z[0:2, 0:3]).wait()
        with w_dfb.wait() as blk:
            ttl.copy(blk, w[0:2, 0:3]).wait()


torch.manual_seed(7)
at, bt = torch.rand(64, 96).to(torch.bfloat16), torch.rand(64, 96).to(torch.bfloat16)
ct, rt = torch.rand(64, 1).to(torch.bfloat16), torch.rand(1, 1).to(torch.bfloat16)
outs = [ttnn.from_torch(torch.zeros(64, 96, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT) for _ in range(3)]
implicit_broadcast(*(ttnn.from_torch(t, layout=ttnn.TILE_LAYOUT) for t in (at, bt, ct, rt)), *outs)
y, z, w = (ttnn.to_torch(t).float() for t in outs)
assert torch.allclose(y, at.float() * bt.float() + ct.float(), rtol=2**-6, atol=0), "column broadcast"
assert torch.allclose(z, at.float() + rt.float(), rtol=2**-6, atol=0), "nested scalar broadcast"
assert torch.equal(w, rt.float().expand(64, 96)), "stored broadcast"
print("PASS")
