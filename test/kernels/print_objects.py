# SPDX-License-Identifier: Apache-2.0
# print of a DFB, of blocks in a compute thread and of a tensor (tt-lang spec "Debug
# printing"): the reader prints x's two tile pages, then x_dfb's state after its reserve
# and after its push; the compute thread prints y_dfb's state, the waited block of x
# (two tiles, read pointer) and the reserved block of y after storing 2x into it (write
# pointer). x[r, c] = 8 r + c % 8
# (integers below 256, and their doubles below 512, are exact in bf16), so
# test/python/test_debug_print.py checks every printed value exactly.

import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def double(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

    @ttl.datamovement()
    def read():
        print("x:", x, num_pages=2)
        with x_dfb.reserve() as blk:
            print("x_dfb after reserve:", x_dfb)
            ttl.copy(x[0, 0:2], blk).wait()
        print("x_dfb after push:", x_dfb)

    @ttl.compute()
    def compute():
        print(y_dfb)
        with x_dfb.wait() as a, y_dfb.reserve() as o:
            print("a", a)
            o.store(a + a)
            print("o", o)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0:2]).wait()


rows = torch.arange(32).reshape(32, 1) * 8 + torch.arange(64).reshape(1, 64) % 8
xt = rows.to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
double(ttnn.from_torch(xt, layout=ttnn.TILE_LAYOUT), y)
assert torch.equal(ttnn.to_torch(y), xt * 2)
