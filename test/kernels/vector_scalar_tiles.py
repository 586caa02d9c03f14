# SPDX-License-Identifier: Apache-2.0
# TILE_LAYOUT vectors and scalars as kernel tensors (tt-lang spec, "Dataflow buffer"): a
# vector of N elements is row 0 of a row of ceil(N / 32) tiles, a scalar element (0, 0)
# of one tile. y[m] = v[m] * s + 1 for a vector v of 40 elements and a scalar s: the
# kernel reads v as v[0, 0:2] and s as s[0, 0], broadcasts the scalar, and writes y
# (40,) through the same tiles. Also: a reserved block the reader filled is written out
# before its push (the spec's pipe examples store what they receive that way), and the
# grid in three dimensions.

import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def scale(v, s, y, y_copy):
    v_dfb = ttl.make_dataflow_buffer_like(v, shape=(1, 2), block_count=2)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)
    gx, gy, gz = ttl.grid_size(dims=3)
    assert (gx, gy, gz) == (1, 1, 1)

    @ttl.datamovement()
    def read():
        x, y_node, z = ttl.node(dims=3)
        with v_dfb.reserve() as vb, s_dfb.reserve() as sb:
            ttl.copy(v[x + z, y_node:2], vb).wait()
            ttl.copy(s[0, 0], sb).wait()
            ttl.copy(vb, y_copy[0, 0:2]).wait()  # the reserved block, read before its push

    @ttl.compute()
    def compute():
        with v_dfb.wait() as vb, s_dfb.wait() as sb, y_dfb.reserve() as yb:
            yb.store(vb * ttl.block.broadcast(sb, dims=[0, 1], shape=(1, 2)) + ttl.block.fill(1.0, shape=(1, 2)))

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[0, 0:2]).wait()


torch.manual_seed(0)
vt = torch.randn(40, dtype=torch.float32)
st = torch.tensor(1.5, dtype=torch.float32)
v, s = ttnn.from_torch(vt, layout=ttnn.TILE_LAYOUT), ttnn.from_torch(st, layout=ttnn.TILE_LAYOUT)
assert tuple(v.padded_shape) == (32, 64) and tuple(s.padded_shape) == (32, 32) and v.tile.tile_shape == (32, 32)
y = ttnn.zeros(ttnn.Shape([40]), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT)
y_copy = ttnn.zeros(ttnn.Shape([40]), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT)
scale(v, s, y, y_copy)
got = ttnn.to_torch(y)
# f32 tiles, fp32 DST off: each product and sum is rounded to bf16 once in DST (relative
# error 2^-8 each), so allow 2 bf16 ulps of the result.
assert got.shape == (40,) and torch.allclose(got, vt * 1.5 + 1, rtol=2 ** -7, atol=2 ** -7), (got, vt * 1.5 + 1)
assert torch.equal(ttnn.to_torch(y_copy), vt)  # copied, not computed: exact
print("PASS")
