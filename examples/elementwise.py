# SPDX-License-Identifier: Apache-2.0
# y = a * b + c over 256x256 bf16 tensors in 2x2-tile blocks, spread over the
# whole device (grid="auto"). Run with `ttlx run examples/elementwise.py [OUT.npy]`.

import sys

import numpy
import torch
import ttnn

import ttl

TILE = 32
BLOCK = 2


@ttl.operation(grid="auto")
def fused_multiply_add(a: ttnn.Tensor, b: ttnn.Tensor, c: ttnn.Tensor, y: ttnn.Tensor):
    rows = a.shape[0] // TILE // BLOCK
    cols = a.shape[1] // TILE // BLOCK
    grid_cols, grid_rows = ttl.grid_size(dims=2)
    rows_per_node = -(-rows // grid_rows)
    cols_per_node = -(-cols // grid_cols)

    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(BLOCK, BLOCK), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(BLOCK, BLOCK), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(BLOCK, BLOCK), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(BLOCK, BLOCK), block_count=2)

    @ttl.compute()
    def compute():
        node_col, node_row = ttl.node(dims=2)
        for local_row in range(rows_per_node):
            row = node_row * rows_per_node + local_row
            if row < rows:
                for local_col in range(cols_per_node):
                    col = node_col * cols_per_node + local_col
                    if col < cols:
                        with a_dfb.wait() as a_blk, b_dfb.wait() as b_blk, c_dfb.wait() as c_blk, \
                                y_dfb.reserve() as y_blk:
                            y_blk.store(a_blk * b_blk + c_blk)

    @ttl.datamovement()
    def read():
        node_col, node_row = ttl.node(dims=2)
        for local_row in range(rows_per_node):
            row = node_row * rows_per_node + local_row
            if row < rows:
                for local_col in range(cols_per_node):
                    col = node_col * cols_per_node + local_col
                    if col < cols:
                        r0 = row * BLOCK
                        c0 = col * BLOCK
                        with a_dfb.reserve() as a_blk, b_dfb.reserve() as b_blk, c_dfb.reserve() as c_blk:
                            tx_a = ttl.copy(a[r0:r0 + BLOCK, c0:c0 + BLOCK], a_blk)
                            tx_b = ttl.copy(b[r0:r0 + BLOCK, c0:c0 + BLOCK], b_blk)
                            tx_c = ttl.copy(c[r0:r0 + BLOCK, c0:c0 + BLOCK], c_blk)
                            tx_a.wait()
                            tx_b.wait()
                            tx_c.wait()

    @ttl.datamovement()
    def write():
        node_col, node_row = ttl.node(dims=2)
        for local_row in range(rows_per_node):
            row = node_row * rows_per_node + local_row
            if row < rows:
                for local_col in range(cols_per_node):
                    col = node_col * cols_per_node + local_col
                    if col < cols:
                        with y_dfb.wait() as y_blk:
                            tx = ttl.copy(y_blk, y[row * BLOCK:(row + 1) * BLOCK, col * BLOCK:(col + 1) * BLOCK])
                            tx.wait()


torch.manual_seed(0)
device = ttnn.open_device(device_id=0)
shape = (256, 256)
a, b, c = (torch.rand(shape).to(torch.bfloat16) for _ in range(3))
y = ttnn.from_torch(torch.zeros(shape, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT, device=device)
fused_multiply_add(*(ttnn.from_torch(t, layout=ttnn.TILE_LAYOUT, device=device) for t in (a, b, c)), y)
ttnn.close_device(device)

expected = a.float() * b.float() + c.float()
# a * b is rounded to bf16 in DST, then the sum: two bf16 roundings.
ok = torch.allclose(ttnn.to_torch(y).float(), expected, rtol=2**-7, atol=2**-7)
print("max error", (ttnn.to_torch(y).float() - expected).abs().max().item())
print("PASS" if ok else "FAIL")
assert ok
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], ttnn.to_torch(y).float().numpy())
