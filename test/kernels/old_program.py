# SPDX-License-Identifier: Apache-2.0
# The older way to run an operation (tt-lang's early examples): thread functions defined in a
# @ttl.kernel body, handed to ttl.Program(compute, dm0, dm1), which is called with the
# tensors and returned. The writer is defined before the reader, so Program's order, not the
# definition order, decides which thread is dm0. tt-lang-sim 1.1.6 refuses @ttl.kernel and
# needs grid= on its ttl.Program, so the result is checked against torch:
# y = a * b - a on a 2x1 grid, each node doing one tile row of 3 tiles. Tolerance: the product
# and the difference are each rounded to bf16 (2^-8 relative each): rtol 2^-7, and atol 2^-7
# for results near zero, where the difference cancels.

import torch
import ttnn

import ttl
from ttl import Program, copy, make_circular_buffer_like

TILE_SIZE = 32
COLS = 3


@ttl.kernel(grid=(2, 1))
def mul_sub(a: ttnn.Tensor, b: ttnn.Tensor, y: ttnn.Tensor):
    a_cb = make_circular_buffer_like(a, shape=(1, 1), buffer_factor=2)
    b_cb = make_circular_buffer_like(b, shape=(1, 1), buffer_factor=2)
    y_cb = make_circular_buffer_like(y, shape=(1, 1), buffer_factor=2)

    @ttl.datamovement()
    def writer():
        row = ttl.core(dims=1)
        for col in range(COLS):
            with y_cb.wait() as blk:
                copy(blk, y[row, col]).wait()

    @ttl.compute()
    def mul_sub_tiles():
        for _ in range(COLS):
            with a_cb.wait() as x, b_cb.wait() as z, y_cb.reserve() as out:
                out.store(x * z - x)

    @ttl.datamovement()
    def reader():
        row = ttl.core(dims=1)
        for col in range(COLS):
            with a_cb.reserve() as x, b_cb.reserve() as z:
                tx_a = copy(a[row, col], x)
                tx_b = copy(b[row, col], z)
                tx_a.wait()
                tx_b.wait()

    return Program(mul_sub_tiles, reader, writer)(a, b, y)


torch.manual_seed(7)
shape = (2 * TILE_SIZE, COLS * TILE_SIZE)
at = torch.randn(shape).to(torch.bfloat16)
bt = torch.randn(shape).to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(shape, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
mul_sub(ttnn.from_torch(at, layout=ttnn.TILE_LAYOUT), ttnn.from_torch(bt, layout=ttnn.TILE_LAYOUT), y)
want = at.float() * bt.float() - at.float()
got = ttnn.to_torch(y).float()
print("max error", (got - want).abs().max().item())
assert torch.allclose(got, want, rtol=2**-7, atol=2**-7)
print("PASS")
