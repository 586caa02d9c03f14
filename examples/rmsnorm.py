# SPDX-License-Identifier: Apache-2.0
# RMSNorm over rows of 1024 columns: y = x * rsqrt(mean(x^2) + eps), one row
# of 32 tiles per block, with a row reduction and a broadcast. Run with
# `ttlx run examples/rmsnorm.py [OUT.npy]`.

import sys

import numpy
import torch
import ttnn

import ttl

EPS = 1e-5
COLS = 1024


@ttl.operation(grid=(1, 1), fp32_dest_acc_en=True)
def rmsnorm(x: ttnn.Tensor, y: ttnn.Tensor):
    rows = x.shape[0] // 32
    width = x.shape[1] // 32
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=2)
    sq_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, width), block_count=1)
    inv_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, width), block_count=2)

    @ttl.datamovement()
    def read():
        for r in range(rows):
            with x_dfb.reserve() as blk:
                tx = ttl.copy(x[r, 0:width], blk)
                tx.wait()

    @ttl.compute()
    def compute():
        for r in range(rows):
            with x_dfb.wait() as xb:
                with sq_dfb.reserve() as sq:
                    sq.store(xb * xb)
                with sq_dfb.wait() as sq, inv_dfb.reserve() as inv:
                    total = ttl.math.reduce_sum(sq, dims=[-1], shape=(1, 1))
                    mean = total * ttl.block.fill(1.0 / COLS, shape=(1, 1))
                    inv.store(ttl.math.rsqrt(mean + ttl.block.fill(EPS, shape=(1, 1))))
                with inv_dfb.wait() as inv, y_dfb.reserve() as out:
                    out.store(xb * ttl.block.broadcast(inv, dims=[-1], shape=(1, width)))

    @ttl.datamovement()
    def write():
        for r in range(rows):
            with y_dfb.wait() as blk:
                tx = ttl.copy(blk, y[r, 0:width])
                tx.wait()


torch.manual_seed(0)
x = (torch.randn(64, COLS) * 2 + 0.5).to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(64, COLS, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
rmsnorm(ttnn.from_torch(x, layout=ttnn.TILE_LAYOUT), y)

xf = x.float()
expected = xf * torch.rsqrt(xf.pow(2).mean(dim=1, keepdim=True) + EPS)
result = ttnn.to_torch(y).float()
# Packs into bf16 DFBs round x^2, the scaled sum, rsqrt and the product
# (2^-8 each); rsqrt halves the error of its input: about 3 * 2^-8.
ok = torch.allclose(result, expected, rtol=2**-6, atol=1e-3)
print("max relative error", ((result - expected).abs() / expected.abs().clamp_min(1e-3)).max().item())
print("PASS" if ok else "FAIL")
assert ok
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], ttnn.to_torch(y).float().numpy())
