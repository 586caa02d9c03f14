# SPDX-License-Identifier: Apache-2.0
# Tensors in L1 (issue 16 item 5): y = a * b + c on a (4, 1) grid, node k computing
# tile row k, where a is height-sharded over four cores (create_sharded_memory_config),
# b is interleaved over the chip's L1 banks (ttnn.L1_MEMORY_CONFIG), c is
# block-sharded over a 2x2 CoreRangeSet (tt-metal's MemoryConfig(layout, buffer,
# ShardSpec)) and y is width-sharded over two cores (to_memory_config). ttlx puts
# each in its cores' emulated L1; the kernels read and write them through tensor
# slices as they would DRAM tensors, and see the same values.
# Tolerance: a * b + c on bf16 inputs, the product and the sum rounded to bf16 by
# ttlx (tt-lang-sim computes in float32): two roundings of 2^-8, rtol 2^-6.

import sys

import numpy
import torch
import ttl
import ttnn

ROWS, COLS = 4, 2  # tiles


@ttl.operation(grid=(ROWS, 1))
def fma(a, b, c, y):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, COLS), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, COLS), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(1, COLS), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, COLS), block_count=2)

    @ttl.datamovement()
    def read():
        row = ttl.node(dims=1)
        with a_dfb.reserve() as ab, b_dfb.reserve() as bb, c_dfb.reserve() as cb:
            ta = ttl.copy(a[row, 0:COLS], ab)
            tb = ttl.copy(b[row, 0:COLS], bb)
            tc = ttl.copy(c[row, 0:COLS], cb)
            ta.wait()
            tb.wait()
            tc.wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as ab, b_dfb.wait() as bb, c_dfb.wait() as cb, y_dfb.reserve() as yb:
            yb.store(ab * bb + cb)

    @ttl.datamovement()
    def write():
        row = ttl.node(dims=1)
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[row, 0:COLS]).wait()


H, W = ROWS * 32, COLS * 32
torch.manual_seed(7)
at, bt, ct = (torch.randn(H, W).to(torch.bfloat16) for _ in range(3))

height = ttnn.create_sharded_memory_config((H, W), ttnn.CoreGrid(y=1, x=4), ttnn.ShardStrategy.HEIGHT)
block = ttnn.MemoryConfig(
    ttnn.TensorMemoryLayout.BLOCK_SHARDED, ttnn.BufferType.L1,
    ttnn.ShardSpec(ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), ttnn.CoreCoord(1, 1))}),
                   (H // 2, W // 2), ttnn.ShardOrientation.ROW_MAJOR))
width = ttnn.create_sharded_memory_config((H, W), ttnn.CoreGrid(y=1, x=2), ttnn.ShardStrategy.WIDTH)

a = ttnn.from_torch(at, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=height)
b = ttnn.from_torch(bt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=ttnn.L1_MEMORY_CONFIG)
c = ttnn.from_torch(ct, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=block)
y = ttnn.to_memory_config(ttnn.from_torch(torch.zeros(H, W, dtype=torch.bfloat16), dtype=ttnn.bfloat16,
                                          layout=ttnn.TILE_LAYOUT), width)
assert ttnn.is_sharded(a) and ttnn.is_sharded(c) and ttnn.is_sharded(y) and not ttnn.is_sharded(b)
fma(a, b, c, y)
got = ttnn.to_torch(y).float()
want = at.float() * bt.float() + ct.float()
assert torch.allclose(got, want, rtol=2.0**-6, atol=2.0**-6), (got - want).abs().max()
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], got.numpy())
