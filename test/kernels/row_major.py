# SPDX-License-Identifier: Apache-2.0
# ROW_MAJOR_LAYOUT tensors and DFBs whose shapes count elements (tt-lang spec,
# "Dataflow buffer": the shape unit of a row-major tensor is a scalar; issue 16
# item 9, issue 17 "row-major DFBs"). Runs under ttlx and tt-lang-sim.
# - swap_halves: y[r, 0:20] = x[r, 20:40], y[r, 20:40] = x[r, 0:20] on (6, 40)
#   tensors, in (2, 20)-element blocks, two rows per node;
# - regroup: a (2, 3, 16) tensor written as (3, 2, 16), a (16,) block per row
#   (a 1-d block of a 3-d tensor: leading dimensions of extent 1 left out);
# - reverse_chunks: the 8-element chunks of a 1-d (48,) tensor in reverse order;
# - fan_out: node 0 reads a (2, 24) block and sends it through a pipe to nodes
#   1 and 2; each node writes it to its own two rows of a (6, 24) tensor.
# Every value is moved, never computed: the results are exact (tolerance 0).

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(3, 1))
def swap_halves(x, y):
    dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 20), block_count=2)

    @ttl.datamovement()
    def read():
        r = 2 * ttl.node(dims=1)
        for h in range(2):
            with dfb.reserve() as blk:
                ttl.copy(x[r:r + 2, 20 * h:20 * h + 20], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        r = 2 * ttl.node(dims=1)
        for h in range(2):
            with dfb.wait() as blk:
                ttl.copy(blk, y[r:r + 2, 20 - 20 * h:40 - 20 * h]).wait()


@ttl.operation(grid=(1, 1))
def regroup(t, out):
    dfb = ttl.make_dataflow_buffer_like(t, shape=(16,), block_count=2)

    @ttl.datamovement()
    def read():
        for i in range(2):
            for j in range(3):
                with dfb.reserve() as blk:
                    ttl.copy(t[i, j, 0:16], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        for i in range(2):
            for j in range(3):
                with dfb.wait() as blk:
                    ttl.copy(blk, out[j, i, 0:16]).wait()


@ttl.operation(grid=(1, 1))
def reverse_chunks(v, w):
    dfb = ttl.make_dataflow_buffer_like(v, shape=(8,), block_count=2)

    @ttl.datamovement()
    def read():
        for k in range(6):
            with dfb.reserve() as blk:
                ttl.copy(v[8 * k:8 * k + 8], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        for k in range(6):
            with dfb.wait() as blk:
                ttl.copy(blk, w[40 - 8 * k:48 - 8 * k]).wait()


@ttl.operation(grid=(3, 1))
def fan_out(p, q):
    net = ttl.PipeNet([ttl.Pipe((0,), (slice(1, 3),))])
    in_dfb = ttl.make_dataflow_buffer_like(p, shape=(2, 24), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(q, shape=(2, 24), block_count=2)

    @ttl.datamovement()
    def send():
        i = ttl.node(dims=1)
        if i == 0:
            with in_dfb.reserve() as blk:
                ttl.copy(p[0:2, 0:24], blk).wait()
            with in_dfb.wait() as blk:
                ttl.copy(blk, q[0:2, 0:24]).wait()

                def forward(pipe):
                    ttl.copy(blk, pipe).wait()

                net.if_src(forward)

    @ttl.datamovement()
    def receive():
        i = ttl.node(dims=1)

        def land(pipe):
            with out_dfb.reserve() as blk:
                ttl.copy(pipe, blk).wait()
            with out_dfb.wait() as blk:
                ttl.copy(blk, q[2 * i:2 * i + 2, 0:24]).wait()

        net.if_dst(land)

    @ttl.compute()
    def compute():
        pass


def row_major(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT)


torch.manual_seed(0)
# Multiples of 1/4 in [-32, 32): exact in bf16, and in float32 where tt-lang-sim
# computes (importing it turns torch.bfloat16 into float32).
xt, tt, vt, pt = ((torch.randint(-128, 128, shape) / 4).to(torch.bfloat16)
                  for shape in ((6, 40), (2, 3, 16), (48,), (2, 24)))
y, out, w, q = (row_major(torch.zeros(*shape)) for shape in ((6, 40), (3, 2, 16), (48,), (6, 24)))
swap_halves(row_major(xt), y)
regroup(row_major(tt), out)
reverse_chunks(row_major(vt), w)
fan_out(row_major(pt), q)
got = [ttnn.to_torch(r).float() for r in (y, out, w, q)]
want = [torch.cat([xt[:, 20:], xt[:, :20]], dim=1), tt.transpose(0, 1), vt.reshape(6, 8).flip(0).reshape(48),
        pt.repeat(3, 1)]
for g, e in zip(got, want):
    assert torch.equal(g, e.float()), (g - e.float()).abs().max()
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], numpy.concatenate([g.numpy().ravel() for g in got]))
