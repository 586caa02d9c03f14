# SPDX-License-Identifier: Apache-2.0
"""Two PipeNets whose pipes have the same ends, (0, 0) -> (1, 0), used at
the same time by the two data-movement threads: as in tt-lang each net is
its own channel, so node (1, 0) gets a's tile through net_a and b's through
net_b. (They used to share one mailbox: a deadlock, or the tiles crossed.)"""

import torch
import ttnn
import ttl


@ttl.operation(grid=(2, 1))
def two_nets(a, b, y):
    net_a = ttl.PipeNet([ttl.Pipe((0, 0), (1, 0))])
    net_b = ttl.PipeNet([ttl.Pipe((0, 0), (1, 0))])
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def move_a():
        def send(pipe):
            with a_dfb.reserve() as blk:
                ttl.copy(a[0, 0], blk).wait()
            with a_dfb.wait() as blk:
                ttl.copy(blk, pipe).wait()

        def receive(pipe):
            with a_dfb.reserve() as blk:
                ttl.copy(pipe, blk).wait()
            with a_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0]).wait()

        net_a.if_src(send)
        net_a.if_dst(receive)

    @ttl.datamovement()
    def move_b():
        def send(pipe):
            with b_dfb.reserve() as blk:
                ttl.copy(b[0, 0], blk).wait()
            with b_dfb.wait() as blk:
                ttl.copy(blk, pipe).wait()

        def receive(pipe):
            with b_dfb.reserve() as blk:
                ttl.copy(pipe, blk).wait()
            with b_dfb.wait() as blk:
                ttl.copy(blk, y[1, 0]).wait()

        net_b.if_src(send)
        net_b.if_dst(receive)

    @ttl.compute()
    def compute():
        pass


a = torch.full((32, 32), 1.0, dtype=torch.bfloat16)
b = torch.full((32, 32), 2.0, dtype=torch.bfloat16)
y = ttnn.zeros((64, 32), dtype=ttnn.bfloat16)
two_nets(ttnn.from_torch(a), ttnn.from_torch(b), y)
out = ttnn.to_torch(y)
assert torch.equal(out, torch.cat([a, b])), (out[0, 0].item(), out[32, 0].item())
print("PASS")
