# SPDX-License-Identifier: Apache-2.0
"""ttl.make_dfb (a scratch DFB of an explicit element type): the input and
output DFBs are made from their element type instead of a tensor, in bf16
("bf16", ttnn.bfloat16) and f32 ("float32", ttnn.float32). y = x * x + x on
inputs exact in bf16 whose results are exact too (multiples of 1/16 up to
8): compared exactly."""

import torch
import ttnn
import ttl


def make(in_type, out_type):
    @ttl.operation(grid=(1, 1))
    def square_plus(x, y):
        x_dfb = ttl.make_dfb(in_type, shape=(1, 2), block_count=2)
        y_dfb = ttl.make_dfb(out_type, shape=(1, 2))

        @ttl.datamovement()
        def read():
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, 0:2], blk).wait()

        @ttl.compute()
        def compute():
            with x_dfb.wait() as a, y_dfb.reserve() as o:
                o.store(a * a + a)

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0:2]).wait()

    return square_plus


torch.manual_seed(0)
x_host = torch.randint(-8, 9, (32, 64)) / 4  # [-2, 2] in quarters: x * x + x exact in bf16
for in_type, out_type, dtype in [("bf16", ttnn.bfloat16, torch.bfloat16), ("float32", ttnn.float32, torch.float32)]:
    x = ttnn.from_torch(x_host.to(dtype), layout=ttnn.TILE_LAYOUT)
    y = ttnn.from_torch(torch.zeros(32, 64, dtype=dtype), layout=ttnn.TILE_LAYOUT)
    make(in_type, out_type)(x, y)
    got = ttnn.to_torch(y)
    assert got.dtype == dtype and torch.equal(got.float(), x_host * x_host + x_host), in_type
print("PASS")
