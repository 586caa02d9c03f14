# SPDX-License-Identifier: Apache-2.0
# Element access on N-d blocks (issue 16 item 9): ttl.raw_element_read /
# raw_element_write(blk, b, row, col[, value]) take one coordinate per block
# dimension, batch indices then the element row and column. Node n reads the
# (2, 1, 2)-tile block of batches 0 and 1, copies element (b, r, c) to element
# (1 - b, r, 63 - c) for a few (b, r, c) (the batch index computed from the node
# at run time), and writes the block to its own pair of batches of y.
# tt-lang-sim 1.1.6 has no element access, so this file is checked against torch.
# Values are moved, never computed: exact.

import torch
import ttl
import ttnn

POINTS = [(0, 0, 0), (1, 5, 40), (0, 31, 63), (1, 17, 2)]  # the moves of read()


@ttl.operation(grid=(2, 1))
def swap_points(x, y):
    dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 1, 2), block_count=2)

    @ttl.datamovement()
    def read():
        n = ttl.node(dims=1)
        with dfb.reserve() as blk:
            ttl.copy(x[0:2, 0:1, 0:2], blk).wait()

            def move(b, r, c):
                v = ttl.raw_element_read(blk, (b + n) % 2, r, c)
                ttl.raw_element_write(blk, 1 - (b + n) % 2, r, 63 - c, v)

            move(0, 0, 0)
            move(1, 5, 40)
            move(0, 31, 63)
            move(1, 17, 2)

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        n = ttl.node(dims=1)
        with dfb.wait() as blk:
            ttl.copy(blk, y[2 * n:2 * n + 2, 0:1, 0:2]).wait()


torch.manual_seed(0)
xt = (torch.randint(-128, 128, (2, 32, 64)) / 4).to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(4, 32, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
swap_points(ttnn.from_torch(xt, layout=ttnn.TILE_LAYOUT), y)
for n in range(2):
    want = xt.clone()
    for b, r, c in POINTS:
        src = (b + n) % 2
        want[1 - src, r, 63 - c] = want[src, r, c]
    assert torch.equal(ttnn.to_torch(y)[2 * n:2 * n + 2], want), n
print("PASS")
