# SPDX-License-Identifier: Apache-2.0
"""Helpers as Python writes them, in kernel code (runs under ttlx and
tt-lang-sim): helpers calling helpers that return values, early
`return value` (from branches, from inside a loop, tuples), `not` on a
value computed at run time, list arithmetic on compile-time lists and the
slice() builtin. Each node picks a source tile through the helpers; the
result is compared with the same helpers run as plain Python."""

import sys

import numpy as np
import torch
import ttnn
import ttl

GRID = (2, 2)
NODES = GRID[0] * GRID[1]
ROWS = 4  # tile rows of x


def clamp(v, hi):
    if v < 0:
        return 0
    if v > hi:
        return hi
    return v


def source_row(i):
    r = clamp(2 * i - 1, ROWS - 1)  # a helper calling a helper that returns a value
    return r


def first_at_least(i, limit):
    for k in range(ROWS):
        if k >= limit - i:
            return k  # from inside a loop
    return ROWS - 1


def column_span(i):
    if i % 2 == 0:
        return i // 2, i // 2 + 1  # a tuple
    return 0, 1


def expected(i):
    """What each node writes: the same helpers as plain Python."""
    offsets = ([0] if ROWS > 1 else []) + [-1]
    r = source_row(i) + offsets[0]
    if not r >= 0:
        return 0, 0
    c0, _ = column_span(i)
    return (r + first_at_least(i, 3)) % ROWS, c0


@ttl.operation(grid=GRID)
def pick_tiles(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        i = ttl.node(dims=1)
        offsets = ([0] if ROWS > 1 else []) + [-1]
        r = source_row(i) + offsets[0]
        row = 0
        col = 0
        if not r >= 0:
            row = 0
        else:
            row = (r + first_at_least(i, 3)) % ROWS
            c0, c1 = column_span(i)
            col = c0
        cols = slice(col, col + 1)
        with x_dfb.reserve() as blk:
            ttl.copy(x[row, cols], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        i = ttl.node(dims=1)
        with x_dfb.wait() as blk:
            ttl.copy(blk, y[i, 0]).wait()


torch.manual_seed(0)
x_host = (torch.randint(-128, 128, (ROWS * 32, 2 * 32)) / 4).to(torch.bfloat16)  # exact in bf16
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
y = ttnn.from_torch(torch.zeros(NODES * 32, 32, dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
pick_tiles(x, y)
result = ttnn.to_torch(y).float()
want = torch.cat([x_host[r * 32:(r + 1) * 32, c * 32:(c + 1) * 32] for r, c in map(expected, range(NODES))]).float()
assert torch.equal(result, want), [expected(i) for i in range(NODES)]
if len(sys.argv) > 1:
    np.save(sys.argv[1], result.numpy())
print("PASS")
