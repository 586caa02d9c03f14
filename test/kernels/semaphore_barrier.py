# SPDX-License-Identifier: Apache-2.0
"""ttl.Semaphore on a grid (tt-lang spec "Semaphore"; neither tt-lang tool
runs it): a one-to-many barrier (a multicast set), then a many-to-one
barrier (remote increments), ordering DRAM traffic between nodes.

Grid 4x1, node n = ttl.node(dims=1), tiles of x, y, z in one tile row:
1. node 0 writes y[0] = 2 * x[0], then sets `go` to 1 on every node;
2. nodes 1-3 wait for go == 1, read y[0], write y[n] = y[0] + x[n], and
   add 1 to node 0's `done`;
3. node 0 waits for done == 3, reads y[1..3] and writes their sum to z.
So z = 6 x[0] + x[1] + x[2] + x[3]; without the barriers node 0 could read
y before the other nodes write it (z is then wrong). Inputs are
quarters in [-2, 2]: every value is a multiple of 1/4 below 2^6 in size,
exact in bf16: compared exactly."""

import torch
import ttnn
import ttl


@ttl.operation(grid=(4, 1))
def barriers(x, y, z):
    n = ttl.node(dims=1)
    go = ttl.Semaphore()
    everyone = go.get_remote_multicast()
    done = ttl.Semaphore()
    node_0_done = done.get_remote((0, 0))
    a_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        if n == 0:
            with a_dfb.reserve() as blk:
                ttl.copy(x[0, 0], blk).wait()
            done.wait_eq(3)
            with a_dfb.reserve() as blk:
                ttl.copy(y[0, 1], blk).wait()
            with b_dfb.reserve() as blk:
                ttl.copy(y[0, 2], blk).wait()
            with c_dfb.reserve() as blk:
                ttl.copy(y[0, 3], blk).wait()
        else:
            go.wait_ge(1)
            with a_dfb.reserve() as blk:
                ttl.copy(y[0, 0], blk).wait()
            with b_dfb.reserve() as blk:
                ttl.copy(x[0, n], blk).wait()

    @ttl.compute()
    def compute():
        if n == 0:
            with a_dfb.wait() as a, out_dfb.reserve() as o:
                o.store(a * 2.0)
            with a_dfb.wait() as p, b_dfb.wait() as q, c_dfb.wait() as r, out_dfb.reserve() as o:
                o.store(p + q + r)
        else:
            with a_dfb.wait() as a, b_dfb.wait() as b, out_dfb.reserve() as o:
                o.store(a + b)

    @ttl.datamovement()
    def write():
        if n == 0:
            with out_dfb.wait() as o:
                ttl.copy(o, y[0, 0]).wait()
            everyone.set(1)
            with out_dfb.wait() as o:
                ttl.copy(o, z[0, 0]).wait()
        else:
            with out_dfb.wait() as o:
                ttl.copy(o, y[0, n]).wait()
            node_0_done.inc(1)


torch.manual_seed(0)
x_host = torch.randint(-8, 9, (32, 128)) / 4
x = ttnn.from_torch(x_host.to(torch.bfloat16), layout=ttnn.TILE_LAYOUT)
y = ttnn.from_torch(torch.zeros(32, 128, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
z = ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
barriers(x, y, z)
tiles = x_host.reshape(32, 4, 32).permute(1, 0, 2)  # tiles[n] = x[0, n]
want_y = torch.cat([2 * tiles[0]] + [2 * tiles[0] + tiles[k] for k in (1, 2, 3)], dim=1)
assert torch.equal(ttnn.to_torch(y).float(), want_y), "y"
assert torch.equal(ttnn.to_torch(z).float(), 6 * tiles[0] + tiles[1] + tiles[2] + tiles[3]), "z"
print("PASS")
