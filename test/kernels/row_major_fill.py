# SPDX-License-Identifier: Apache-2.0
# ttl.block.fill and numbers with blocks of DFBs made like ROW_MAJOR_LAYOUT
# tensors: a fill's shape counts what the blocks it meets count, elements here.
# tt-lang-sim cannot run this file (its fills are always tiled, and it has no
# number x block), so it is checked against torch.
# - constant: y = fill(2.5) stored into (2, 20)-element blocks;
# - scaled: y = x * 0.5 + fill(1.0) on (4, 40) tensors in (2, 40) blocks;
# - running_sum: acc = fill(0), then acc += x[k] for four (3, 50) blocks, the
#   running sum held across loop iterations in a DFB the compiler allocates
#   (row-major, as the fill's shape is that of the row-major DFBs).
# Inputs are integers in [-8, 8]: every result is exact in bf16 (tolerance 0).

import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def constant(y):
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 20), block_count=2)

    @ttl.datamovement()
    def read():
        pass

    @ttl.compute()
    def compute():
        for _ in range(3):
            with y_dfb.reserve() as out:
                out.store(ttl.block.fill(2.5, shape=(2, 20)))

    @ttl.datamovement()
    def write():
        for i in range(3):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[2 * i:2 * i + 2, 0:20]).wait()


@ttl.operation(grid=(1, 1))
def scaled(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 40), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 40), block_count=2)

    @ttl.datamovement()
    def read():
        for i in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[2 * i:2 * i + 2, 0:40], blk).wait()

    @ttl.compute()
    def compute():
        for _ in range(2):
            with x_dfb.wait() as a, y_dfb.reserve() as out:
                out.store(a * 0.5 + ttl.block.fill(1.0, shape=(2, 40)))

    @ttl.datamovement()
    def write():
        for i in range(2):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[2 * i:2 * i + 2, 0:40]).wait()


@ttl.operation(grid=(1, 1))
def running_sum(x, s):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(3, 50), block_count=2)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(3, 50), block_count=1)

    @ttl.datamovement()
    def read():
        for k in range(4):
            with x_dfb.reserve() as blk:
                ttl.copy(x[k, 0:3, 0:50], blk).wait()

    @ttl.compute()
    def compute():
        acc = ttl.block.fill(0.0, shape=(3, 50))
        for _ in range(4):
            with x_dfb.wait() as blk:
                acc += blk
        with s_dfb.reserve() as out:
            out.store(acc)

    @ttl.datamovement()
    def write():
        with s_dfb.wait() as blk:
            ttl.copy(blk, s[0:3, 0:50]).wait()


def row_major(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT)


torch.manual_seed(0)
xt = torch.randint(-8, 9, (4, 40)).to(torch.bfloat16)
st = torch.randint(-8, 9, (4, 3, 50)).to(torch.bfloat16)
y1, y2, s = (row_major(torch.zeros(*shape)) for shape in ((6, 20), (4, 40), (3, 50)))
constant(y1)
scaled(row_major(xt), y2)
running_sum(row_major(st), s)
got = [ttnn.to_torch(r).float() for r in (y1, y2, s)]
want = [torch.full((6, 20), 2.5), xt.float() * 0.5 + 1.0, st.float().sum(dim=0)]
for g, e in zip(got, want):
    assert torch.equal(g, e), (g - e).abs().max()
print("PASS")
