# SPDX-License-Identifier: Apache-2.0
# On-device argmax of each row of a bf16 tensor, in a data-movement thread:
# element_read in a loop whose loop-carried scalars hold the best value and
# its column, the result patched into the block with element_write. The data
# is mostly negative, so comparing raw bit patterns would pick wrong
# elements. The compute thread only forwards tiles (tt-lang operations have
# one thread of each kind). Run with `ttlx run examples/argmax.py [OUT.npy]`.

import sys

import numpy
import torch
import ttnn

import ttl


@ttl.operation(grid=(1, 1))
def argmax_rows(x: ttnn.Tensor, out: ttnn.Tensor):
    tiles = x.shape[0] // 32
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for t in range(tiles):
            with x_dfb.reserve() as blk:
                tx = ttl.copy(x[t, 0], blk)
                tx.wait()

    @ttl.compute()
    def forward():
        for t in range(tiles):
            with x_dfb.wait() as a, y_dfb.reserve() as b:
                b.store(a)

    @ttl.datamovement()
    def scan():
        for t in range(tiles):
            with y_dfb.wait() as blk:
                for r in range(32):
                    best = ttl.element_read(blk, r, 0)
                    best_col = 0
                    for c in range(1, 32):
                        v = ttl.element_read(blk, r, c)
                        if v > best:
                            best = v
                            best_col = c
                    ttl.element_write(blk, r, 0, best)
                    ttl.element_write(blk, r, 1, best_col)
                tx = ttl.copy(blk, out[t, 0])
                tx.wait()


torch.manual_seed(0)
x = torch.randn(64, 32) * 2 - 3  # mostly negative
x[3] = -torch.arange(1, 33, dtype=torch.float32)  # all negative, best at column 0
x = x.to(torch.bfloat16)
out = ttnn.from_torch(torch.zeros(64, 32, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
argmax_rows(ttnn.from_torch(x, layout=ttnn.TILE_LAYOUT), out)

values, columns = x.float().max(dim=1)
result = ttnn.to_torch(out).float()
ok = torch.equal(result[:, 0], values) and torch.equal(result[:, 1], columns.float())
print("row maxima match:", torch.equal(result[:, 0], values))
print("argmax columns match:", torch.equal(result[:, 1], columns.float()))
print("PASS" if ok else "FAIL")
assert ok
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], ttnn.to_torch(out).float().numpy())
