# SPDX-License-Identifier: Apache-2.0
# ttl.block.transpose of an N-d block (issue 16 item 9): batch by batch, the tile
# grid and each tile transposed, so a (2, 1, 2)-tile block of a (2, 32, 64) tensor
# becomes (2, 2, 1) tiles of a (2, 64, 32) tensor: y[b] = x[b].T. A transpose of
# an expression (x + x) goes through a DFB the compiler allocates.
# tt-lang-sim 1.1.6 transposes 2-d blocks only, so this file is checked against
# torch. Rounding: the inputs are multiples of 1/4 in [-32, 32), exact in bf16, and
# doubling is exact: tolerance 0.

import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def transpose_batches(x, y, z):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 1, 2), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 2, 1), block_count=1)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(2, 2, 1), block_count=1)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0:2, 0:1, 0:2], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a:
            with y_dfb.reserve() as o:
                o.store(ttl.block.transpose(a))
            with z_dfb.reserve() as o:
                o.store(ttl.block.transpose(a + a))

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0:2, 0:2, 0:1]).wait()
        with z_dfb.wait() as blk:
            ttl.copy(blk, z[0:2, 0:2, 0:1]).wait()


def device(t):
    return ttnn.from_torch(t.to(torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)


torch.manual_seed(0)
xt = torch.randint(-128, 128, (2, 32, 64)) / 4
y, z = device(torch.zeros(2, 64, 32)), device(torch.zeros(2, 64, 32))
transpose_batches(device(xt), y, z)
assert torch.equal(ttnn.to_torch(y).float(), xt.transpose(1, 2))
assert torch.equal(ttnn.to_torch(z).float(), 2 * xt.transpose(1, 2))
print("PASS")
