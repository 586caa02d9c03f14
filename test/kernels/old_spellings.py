# SPDX-License-Identifier: Apache-2.0
# Older spellings of tt-lang (spec 0.15 and before; issue 16 item 10), as Tenstorrent's
# early broadcast tutorial wrote them: @ttl.kernel, ttl.make_circular_buffer_like(...,
# buffer_factor=2), ttl.core(dims=1), ttl.math.broadcast(x, out, dims=[...]) with dims
# counted from the front, and top-level math (ttl.relu). tt-lang-sim 1.1.6 refuses these
# spellings, so the result is checked against torch: y = relu(a (x) b) + c, a a column,
# b a row, c a scalar, broadcast over 2x3 tiles. Tolerance: the product and the sum are
# rounded to bf16 (2^-8 relative each; relu is exact): rtol 2^-7.

import torch
import ttl
import ttnn

TILE_SIZE = 32


@ttl.kernel(grid=(1, 1))
def broadcast_kernel(a: ttnn.Tensor, b: ttnn.Tensor, c: ttnn.Tensor, y: ttnn.Tensor):
    rows = y.shape[0] // TILE_SIZE
    cols = y.shape[1] // TILE_SIZE

    a_cb = ttl.make_circular_buffer_like(a, shape=(1, 1), buffer_factor=2)
    b_cb = ttl.make_circular_buffer_like(b, shape=(1, 1), buffer_factor=2)
    c_cb = ttl.make_dataflow_buffer_like(c, shape=(1, 1), buffer_factor=1)
    y_cb = ttl.make_circular_buffer_like(y, shape=(1, 1), buffer_factor=2)

    @ttl.compute()
    def compute():
        with c_cb.wait() as c_blk:
            for _ in range(rows * cols):
                with a_cb.wait() as a_blk, b_cb.wait() as b_blk, y_cb.reserve() as y_blk:
                    a_bcast = ttl.math.broadcast(a_blk, y_blk, dims=[1])
                    b_bcast = ttl.math.broadcast(b_blk, y_blk, dims=[0])
                    c_bcast = ttl.math.broadcast(c_blk, y_blk, dims=[0, 1])
                    y_blk.store(ttl.relu(a_bcast * b_bcast) + c_bcast)

    @ttl.datamovement()
    def read():
        core = ttl.core(dims=1)
        with c_cb.reserve() as c_blk:
            ttl.copy(c[core, 0], c_blk).wait()
        for row in range(rows):
            for col in range(cols):
                with a_cb.reserve() as a_blk, b_cb.reserve() as b_blk:
                    tx_a = ttl.copy(a[row, 0], a_blk)
                    tx_b = ttl.copy(b[0, col], b_blk)
                    tx_a.wait()
                    tx_b.wait()

    @ttl.datamovement()
    def write():
        for row in range(rows):
            for col in range(cols):
                with y_cb.wait() as y_blk:
                    ttl.copy(y_blk, y[row, col]).wait()


torch.manual_seed(42)
shape = (2 * TILE_SIZE, 3 * TILE_SIZE)
at = torch.randn((shape[0], 1)).to(torch.bfloat16)
bt = torch.randn((1, shape[1])).to(torch.bfloat16)
ct = torch.rand((1, 1)).to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(shape, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
broadcast_kernel(*(ttnn.from_torch(t, layout=ttnn.TILE_LAYOUT) for t in (at, bt, ct)), y)
want = torch.relu(at.float() * bt.float()) + ct.float()
got = ttnn.to_torch(y).float()
print("max error", (got - want).abs().max().item())
assert torch.allclose(got, want, rtol=2**-7, atol=2**-7)
print("PASS")
