# SPDX-License-Identifier: Apache-2.0
"""ttl.GroupTransfer (runs under ttlx and tt-lang-sim): the reader adds two
tile reads to a group and waits for both with one wait_all; the writer
replicates each tile row REPS times along the columns, adding the writes
from a loop (as the spec's upsample example does) and waiting once. The
copies move bits: the result is compared exactly."""

import sys

import numpy as np
import torch
import ttnn
import ttl

ROWS, REPS = 3, 4


@ttl.operation(grid=(1, 1))
def replicate(x, y):
    in_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

    @ttl.datamovement()
    def read():
        for i in range(ROWS):
            with in_dfb.reserve() as blk:
                gxf = ttl.GroupTransfer()
                gxf.add(ttl.copy(x[i, 0:2], blk))
                gxf.wait_all()

    @ttl.compute()
    def compute():
        for i in range(ROWS):
            with in_dfb.wait() as a, out_dfb.reserve() as o:
                o.store(a + a)

    @ttl.datamovement()
    def write():
        for i in range(ROWS):
            with out_dfb.wait() as blk:
                gxf = ttl.GroupTransfer()
                for j in range(REPS):
                    gxf.add(ttl.copy(blk, y[i, 2 * j:2 * j + 2]))
                gxf.wait_all()


torch.manual_seed(0)
x_host = (torch.randint(-128, 128, (ROWS * 32, 64)) / 4).to(torch.bfloat16)  # exact in bf16, and so is x + x
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
y = ttnn.from_torch(torch.zeros(ROWS * 32, REPS * 64, dtype=torch.bfloat16), dtype=ttnn.bfloat16,
                    layout=ttnn.TILE_LAYOUT)
replicate(x, y)
result = ttnn.to_torch(y).float()
want = (2 * x_host.float()).repeat(1, REPS)
assert torch.equal(result, want), (result - want).abs().max()
if len(sys.argv) > 1:
    np.save(sys.argv[1], result.numpy())
print("PASS")
