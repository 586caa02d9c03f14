# SPDX-License-Identifier: Apache-2.0
# Reductions of N-d blocks (issue 16 item 9; tt-lang spec 0.22, "Block operators and
# math functions": a reduction of a block with leading dimensions runs batch by
# batch): a (2, 2, 3)-tile block of a (2, 64, 96) tensor reduced by rows
# (reduce_sum, dims=[-1]), by columns (reduce_max, dims=[-2]) and whole
# (reduce_sum, dims=[-2, -1]) of each batch. Runs under ttlx and tt-lang-sim.
# Rounding: the inputs are -1, 0 and 1, each nonzero about once in 11 and the two
# signs about as often in every tile, so every partial sum is an integer of
# magnitude below 256 (a tile holds 94 of each at most), exact in bf16: tolerance 0.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def reduce_batches(x, rows, cols, whole):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 2, 3), block_count=1)
    r_dfb = ttl.make_dataflow_buffer_like(rows, shape=(2, 2, 1), block_count=1)
    c_dfb = ttl.make_dataflow_buffer_like(cols, shape=(2, 1, 3), block_count=1)
    s_dfb = ttl.make_dataflow_buffer_like(whole, shape=(2, 1, 1), block_count=1)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0:2, 0:2, 0:3], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a:
            with r_dfb.reserve() as r:
                r.store(ttl.math.reduce_sum(a, dims=[-1], shape=(2, 2, 1)))
            with c_dfb.reserve() as c:
                c.store(ttl.math.reduce_max(a, dims=[-2], shape=(2, 1, 3)))
            with s_dfb.reserve() as s:
                s.store(ttl.math.reduce_sum(a, dims=[-2, -1], shape=(2, 1, 1)))

    @ttl.datamovement()
    def write():
        with r_dfb.wait() as blk:
            ttl.copy(blk, rows[0:2, 0:2, 0:1]).wait()
        with c_dfb.wait() as blk:
            ttl.copy(blk, cols[0:2, 0:1, 0:3]).wait()
        with s_dfb.wait() as blk:
            ttl.copy(blk, whole[0:2, 0:1, 0:1]).wait()


def device(t):
    return ttnn.from_torch(t.to(torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)


b, i, j = torch.meshgrid(torch.arange(2), torch.arange(64), torch.arange(96), indexing="ij")
phase = (7 * i + 3 * j + b) % 11
xt = (phase == 0).float() - (phase == 5).float()  # sparse +1 and -1, about as many of each in every tile
rows, cols, whole = device(torch.zeros(2, 64, 32)), device(torch.zeros(2, 32, 96)), device(torch.zeros(2, 32, 32))
reduce_batches(device(xt), rows, cols, whole)
got = [ttnn.to_torch(t).float() for t in (rows, cols, whole)]
want_rows, want_cols, want_whole = torch.zeros(2, 64, 32), torch.zeros(2, 32, 96), torch.zeros(2, 32, 32)
want_rows[:, :, 0] = xt.sum(dim=2)  # each row into column 0 of its tile
want_cols[:, 0, :] = xt.amax(dim=1)  # each column into row 0
want_whole[:, 0, 0] = xt.sum(dim=(1, 2))  # everything into element (0, 0)
for g, w in zip(got, (want_rows, want_cols, want_whole)):
    assert torch.equal(g, w), (g - w).abs().max()
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([g.numpy().ravel() for g in got]))
