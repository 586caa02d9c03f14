# SPDX-License-Identifier: Apache-2.0
# ttl.block.squeeze / unsqueeze and element access (ttl.raw_element_read /
# raw_element_write) on blocks of row-major DFBs, which tt-lang's
# specification allows on any block. Runs under ttlx and tt-lang-sim (its
# element access from test/tools/ttlang_sim_run.py).
# - views: a (3, 50)-element block unsqueezed to (1, 3, 50) and stored as
#   y[0] = 2 x (of a block) and y[1] = x^2 (of an expression); each (1, 50)
#   row of x squeezed by dims [0] and by dims [-2] and summed into a 1-d
#   (50,) block: z[50 r:50 r + 50] = 2 x[r].
# - access: after copying x into a (3, 50) block the reader sets
#   x[0, 3] = x[1, 7] and x[2, 40 + c] = x[0, c] for c < 5 (the runtime
#   index c); in a 1-d (40,) block of q, q[4] = q[9], q[39] = 2.5. The
#   writer copies both blocks out unchanged.
# Inputs are integers in [-4, 4]: 2x and x^2 are exact in bf16, element
# access moves bf16 values: ttlx and the simulator agree exactly.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def views(x, y, z):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(3, 50), block_count=2)
    v_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 50), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 3, 50), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(50,), block_count=2)

    @ttl.datamovement()
    def read():
        for _ in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0:3, 0:50], blk).wait()
        for r in range(3):
            with v_dfb.reserve() as blk:
                ttl.copy(x[r:r + 1, 0:50], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a, y_dfb.reserve() as o:
            o.store(ttl.block.unsqueeze(a, dims=[0]) + ttl.block.unsqueeze(a, dims=[0]))
        with x_dfb.wait() as a, y_dfb.reserve() as o:
            o.store(ttl.block.unsqueeze(a * a, dims=[0]))
        for _ in range(3):
            with v_dfb.wait() as row, z_dfb.reserve() as o:
                o.store(ttl.block.squeeze(row, dims=[0]) + ttl.block.squeeze(row, dims=[-2]))

    @ttl.datamovement()
    def write():
        for k in range(2):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[k, 0:3, 0:50]).wait()
        for r in range(3):
            with z_dfb.wait() as blk:
                ttl.copy(blk, z[50 * r:50 * r + 50]).wait()


@ttl.operation(grid=(1, 1))
def access(x, q, y, p):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(3, 50), block_count=2)
    q_dfb = ttl.make_dataflow_buffer_like(q, shape=(40,), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0:3, 0:50], blk).wait()
            ttl.raw_element_write(blk, 0, 3, ttl.raw_element_read(blk, 1, 7))
            for c in range(5):
                ttl.raw_element_write(blk, 2, 40 + c, ttl.raw_element_read(blk, 0, c))
        with q_dfb.reserve() as blk:
            ttl.copy(q[0:40], blk).wait()
            ttl.raw_element_write(blk, 4, ttl.raw_element_read(blk, 9))
            ttl.raw_element_write(blk, 39, 2.5)

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        with x_dfb.wait() as blk:
            ttl.copy(blk, y[0:3, 0:50]).wait()
        with q_dfb.wait() as blk:
            ttl.copy(blk, p[0:40]).wait()


def row_major(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT)


torch.manual_seed(0)
xt = torch.randint(-4, 5, (3, 50)).to(torch.bfloat16)
qt = torch.randint(-4, 5, (40,)).to(torch.bfloat16)
y, z, ya, p = (row_major(torch.zeros(s)) for s in ((2, 3, 50), (150,), (3, 50), (40,)))
views(row_major(xt), y, z)
access(row_major(xt), row_major(qt), ya, p)
x32, q32 = xt.float(), qt.float()
want_ya, want_p = x32.clone(), q32.clone()
want_ya[0, 3] = want_ya[1, 7]
want_ya[2, 40:45] = want_ya[0, 0:5]
want_p[4], want_p[39] = want_p[9], 2.5
got = [ttnn.to_torch(t).float() for t in (y, z, ya, p)]
want = [torch.stack([2 * x32, x32 * x32]), (2 * x32).reshape(150), want_ya, want_p]
for g, e in zip(got, want):
    torch.testing.assert_close(g, e, rtol=0.0, atol=0.0)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([g.numpy().ravel() for g in got]))
