# SPDX-License-Identifier: Apache-2.0
"""ttl.Semaphore(n): every node's value starts at n (tt-lang spec,
"Semaphore"; tt-metal's CreateSemaphore initial value). Neither tt-lang tool
runs semaphores, so this is checked against torch.

Grid 2x1. `credits` starts at 3 on both nodes. Node 1 waits for its own 3
(it holds only if the initial value was set), then adds 2 to node 0's, and
copies x's tile 1 to y. Node 0 waits for 5 (3 + node 1's 2) before it
copies x's tile 0. `gate` (id 0) starts at 0: only `credits` (id 1) is
set. Copies of bf16 tiles: compared exactly."""

import torch
import ttnn
import ttl


@ttl.operation(grid=(2, 1))
def credited_copy(x, y):
    n = ttl.node(dims=1)
    gate = ttl.Semaphore()
    credits = ttl.Semaphore(3)
    credits_0 = credits.get_remote((0, 0))
    dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        if n == 1:
            credits.wait_eq(3)
            credits_0.inc(2)
        else:
            gate.wait_eq(0)
            credits.wait_eq(5)
        with dfb.reserve() as blk:
            ttl.copy(x[0, n], blk).wait()

    @ttl.datamovement()
    def write():
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, n]).wait()

    @ttl.compute()
    def compute():
        pass


x = torch.randn(32, 64).to(torch.bfloat16)
y = ttnn.zeros((32, 64), dtype=ttnn.bfloat16)
credited_copy(ttnn.from_torch(x), y)
assert torch.equal(ttnn.to_torch(y), x)
print("PASS")
