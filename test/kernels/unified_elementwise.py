# SPDX-License-Identifier: Apache-2.0
# A unified operation body (tt-lang spec 0.19) on a 2x2 grid: no
# @ttl.compute / @ttl.datamovement functions; the compiler puts the copies
# from a and b on the reader, the block math on the compute thread and the
# copy to out on the writer, and gives each thread the loop and the index
# arithmetic (ttl.node, the row step) it needs. Each node takes every 4th
# row of tiles: out = exp(a) * b + a, vs torch.
#
# Tolerance: exp, the product and the sum each round to bf16 once in DST
# and once when packed (2^-8 relative each): rtol 6 * 2^-8 < 2^-5 of the
# result, atol 2^-6 for results near zero (|a|, |b| < 3).

import torch
import ttnn
import ttl

ROWS, COLS = 8, 2  # tiles


@ttl.operation(grid=(2, 2))
def exp_mul_add(a, b, out):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, COLS), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, COLS), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, COLS), block_count=2)
    nodes = ttl.grid_size(dims=1)

    x, y = ttl.node(dims=2)
    first = y * 2 + x
    for r in range(first, ROWS, nodes):
        with a_dfb.reserve() as a_blk:
            ttl.copy(a[r, 0:COLS], a_blk).wait()
        b_blk = b_dfb.reserve()
        b_xf = ttl.copy(b[r, 0:COLS], b_blk)
        b_xf.wait()
        b_blk.push()
        with a_dfb.wait() as av, b_dfb.wait() as bv, out_dfb.reserve() as o:
            o.store(ttl.math.exp(av) * bv + av)
        with out_dfb.wait() as o:
            ttl.copy(o, out[r, 0:COLS]).wait()


torch.manual_seed(3)
at = (torch.rand(32 * ROWS, 32 * COLS) * 4 - 2).to(torch.bfloat16)
bt = (torch.rand(32 * ROWS, 32 * COLS) * 4 - 2).to(torch.bfloat16)
out = ttnn.from_torch(torch.zeros(32 * ROWS, 32 * COLS, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
exp_mul_add(ttnn.from_torch(at, layout=ttnn.TILE_LAYOUT), ttnn.from_torch(bt, layout=ttnn.TILE_LAYOUT), out)
got = ttnn.to_torch(out).float()
want = torch.exp(at.float()) * bt.float() + at.float()
print("max error", (got - want).abs().max().item())
assert torch.allclose(got, want, rtol=2**-5, atol=2**-6), "exp(a) * b + a"
print("PASS")
