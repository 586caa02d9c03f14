# SPDX-License-Identifier: Apache-2.0
"""Replacing a waited block with Block.store (tt-lang spec 0.22): after
`s.store(v)` or `s += v` on a block from `dfb.wait()`, every read of `s`
reads the new contents until `s` is popped. Each form in one compute
thread, in bf16 and f32, on 1x2-tile blocks:
- in a `with`: s.store(s * 2), then s += 0.5 in a loop of three, then
  o.store(s * s) reads it twice;
- an explicit s = dfb.wait() ... s.pop(), the replacement made in a branch
  on a run-time value (taken on every call here) and read after it;
- a waited block replaced and the original DFB's next block waited after
  the pop: the producer's data, not the replacement.
Inputs are quarters in [-2, 2], so every value is a multiple of 1/16 below
2^8 and exact in bf16 and f32 (no rounding anywhere): compared exactly."""

import torch
import ttnn
import ttl


def make(dtype_name):
    @ttl.operation(grid=(1, 1))
    def replace(x, y):
        x_dfb = ttl.make_dfb(dtype_name, shape=(1, 2), block_count=2)
        y_dfb = ttl.make_dfb(dtype_name, shape=(1, 2), block_count=2)

        @ttl.datamovement()
        def read():
            for i in range(3):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[i, 0:2], blk).wait()

        @ttl.compute()
        def compute():
            with x_dfb.wait() as s, y_dfb.reserve() as o:
                s.store(s * 2.0)
                for _ in range(3):
                    s += ttl.block.fill(0.5, shape=s.shape, dtype=s.dtype)
                o.store(s * s)
            s = x_dfb.wait()
            n, _ = ttl.node(dims=2)
            if n == 0:
                s.store(-s)
            with y_dfb.reserve() as o:
                o.store(s + 1.0)
            s.pop()
            with x_dfb.wait() as t, y_dfb.reserve() as o:
                o.store(t)

        @ttl.datamovement()
        def write():
            for i in range(3):
                with y_dfb.wait() as blk:
                    ttl.copy(blk, y[i, 0:2]).wait()

    return replace


torch.manual_seed(0)
x_host = torch.randint(-8, 9, (96, 64)) / 4
expected = torch.cat([(x_host[:32] * 2 + 1.5) ** 2, 1 - x_host[32:64], x_host[64:]])
for name, dtype in [("bf16", torch.bfloat16), ("float32", torch.float32)]:
    x = ttnn.from_torch(x_host.to(dtype), layout=ttnn.TILE_LAYOUT)
    y = ttnn.from_torch(torch.zeros(96, 64, dtype=dtype), layout=ttnn.TILE_LAYOUT)
    make(name)(x, y)
    got = ttnn.to_torch(y)
    assert got.dtype == dtype and torch.equal(got.float(), expected), (name, (got.float() - expected).abs().max())
print("PASS")
