# SPDX-License-Identifier: Apache-2.0
# DFB allocation groups (tt-lang spec 0.22, issue 17 item 2): the two scratch DFBs
# of the compute thread are made with one ttl.make_dfb_allocation_group(), so they
# share one L1 region (the larger one's, 4 tiles) instead of two. Their lifetimes
# are disjoint: `first` is reserved, pushed, waited and popped before `second` is
# reserved (the runtime checks it on every core). y = (x * x + 1, 2x - 1) per tile
# row. Inputs are multiples of 1/4 in [-2, 2]: every result is exact in bf16. The
# threads name kernel identities (ttl.Kernel, kernel=) as the spec's example does.

import torch
import ttl
import ttnn


reader_kernel = ttl.Kernel(ttl.KernelKind.DATA_MOVEMENT)
compute_kernel = ttl.Kernel(ttl.KernelKind.COMPUTE)


@ttl.operation(grid=(1, 1))
def two_phases(x, y):
    group = ttl.make_dfb_allocation_group()
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    first = ttl.make_dfb("bf16", shape=(1, 2), block_count=1, allocation_group=group)
    second = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2, allocation_group=group)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

    @ttl.datamovement(kernel=reader_kernel)
    def read():
        for r in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[r, 0:2], blk).wait()

    @ttl.compute(kernel=compute_kernel)
    def compute():
        with x_dfb.wait() as a:
            with first.reserve() as t:
                t.store(a * a)
        with first.wait() as t, y_dfb.reserve() as o:
            o.store(t + ttl.block.fill(1.0, shape=o.shape))
        with x_dfb.wait() as a:
            with second.reserve() as t:
                t.store(a + a)
        with second.wait() as t, y_dfb.reserve() as o:
            o.store(t - ttl.block.fill(1.0, shape=(1, 2)))

    @ttl.datamovement()
    def write():
        for r in range(2):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[r, 0:2]).wait()


torch.manual_seed(5)
xt = (torch.randint(-8, 9, (64, 64)) / 4).to(torch.bfloat16)
y = ttnn.zeros((64, 64), dtype=ttnn.bfloat16)
two_phases(ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT), y)
got = ttnn.to_torch(y).float()
assert torch.equal(got[:32], xt[:32].float() ** 2 + 1)
assert torch.equal(got[32:], 2 * xt[32:].float() - 1)
print("PASS")
