# SPDX-License-Identifier: Apache-2.0
"""ttl.wait_any over pipe receive requests (spec 0.22, "Selecting among
completed receives"): node 0 posts a receive on each of two pipes, from
node 1 (tiles of a) and node 2 (tiles of b), and takes whichever is ready.

Round 0: only b's tile is on its way (node 1 holds a's back until node 0
sets `go`), so wait_any(start=0) must skip a, the first candidate, and
select b. Rounds 1-3: both tiles are published before wait_any (the `sent`
count says so), so the start decides, and start = (previous + 1) % 2 rotates
it: a, b, a. Node 0 writes the selected tile to y's row 2r and the other to
row 2r + 1, so y's order records every selection. The selected request's
own .wait() does nothing (wait_any completed it); the other's pulls the
tile. Copies of bf16 tiles: compared exactly."""

import torch
import ttnn
import ttl

ROUNDS = 4


@ttl.operation(grid=(3, 1))
def select_receives(a, b, y):
    n = ttl.node(dims=1)
    pipe_a = ttl.Pipe((1, 0), (0, 0))
    pipe_b = ttl.Pipe((2, 0), (0, 0))
    net_a = ttl.PipeNet([pipe_a])
    net_b = ttl.PipeNet([pipe_b])
    sent = ttl.Semaphore()  # on node 0: tiles published to it so far
    sent_to_0 = sent.get_remote((0, 0))
    go = ttl.Semaphore()  # on node 1: node 0 lets a's first tile go
    go_1 = go.get_remote((1, 0))
    in_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    a_land = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=1)
    b_land = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=1)

    @ttl.datamovement()
    def send():
        def send_tiles(src, pipe):
            for r in range(ROUNDS):
                with in_dfb.reserve() as blk:
                    ttl.copy(src[r, 0], blk).wait()
                with in_dfb.wait() as blk:
                    tx = ttl.copy(blk, pipe)
                    sent_to_0.inc(1)
                    tx.wait()

        def send_a(pipe):
            go.wait_eq(1)
            send_tiles(a, pipe)

        def send_b(pipe):
            send_tiles(b, pipe)

        net_a.if_src(send_a)
        net_b.if_src(send_b)

    @ttl.datamovement()
    def receive():
        def write_pair(first, second, r):
            ttl.copy(first, y[2 * r, 0]).wait()
            ttl.copy(second, y[2 * r + 1, 0]).wait()

        if n == 0:
            sent.wait_ge(1)
            a_blk = a_land.reserve()
            b_blk = b_land.reserve()
            from_a = ttl.copy(pipe_a, a_blk)
            from_b = ttl.copy(pipe_b, b_blk)
            selected = ttl.wait_any((from_a, from_b), start=0).index()
            go_1.set(1)
            from_a.wait()
            from_b.wait()
            a_blk.push()
            b_blk.push()
            with a_land.wait() as ta, b_land.wait() as tb:
                if selected == 1:
                    write_pair(tb, ta, 0)
                else:
                    write_pair(ta, tb, 0)
            start = (selected + 1) % 2
            for r in range(1, ROUNDS):
                sent.wait_ge(2 * r + 2)
                a_blk = a_land.reserve()
                b_blk = b_land.reserve()
                from_a = ttl.copy(pipe_a, a_blk)
                from_b = ttl.copy(pipe_b, b_blk)
                ready = ttl.wait_any((from_a, from_b), start=start)
                selected = ready.index()
                from_a.wait()
                from_b.wait()
                a_blk.push()
                b_blk.push()
                with a_land.wait() as ta, b_land.wait() as tb:
                    if selected == 1:
                        write_pair(tb, ta, r)
                    else:
                        write_pair(ta, tb, r)
                start = (selected + 1) % 2

    @ttl.compute()
    def compute():
        pass


torch.manual_seed(17)
a = torch.randn(32 * ROUNDS, 32).to(torch.bfloat16)
b = torch.randn(32 * ROUNDS, 32).to(torch.bfloat16)
y = ttnn.zeros((64 * ROUNDS, 32), dtype=ttnn.bfloat16)
select_receives(ttnn.from_torch(a), ttnn.from_torch(b), y)
out = ttnn.to_torch(y)
tiles = lambda t, r: t[32 * r:32 * (r + 1)]  # noqa: E731
expected = torch.cat([tiles(b, 0), tiles(a, 0),   # only b was ready
                      tiles(a, 1), tiles(b, 1),   # start 0: a
                      tiles(b, 2), tiles(a, 2),   # start 1: b
                      tiles(a, 3), tiles(b, 3)])  # start 0: a
assert torch.equal(out, expected), [
    [name for name, t in (("a", a), ("b", b)) for s in range(ROUNDS) if torch.equal(out[32 * i:32 * (i + 1)], tiles(t, s))]
    for i in range(2 * ROUNDS)]
print("PASS")
