# SPDX-License-Identifier: Apache-2.0
"""PipeNets compiled as pipe families (ttlx._frontend.pipes): the pipes of a
net that are one pipe moved across the grid become one guarded call and one
`#ttl.pipe<... repeat [cx, cy] step [sx, sy]>` op, so a kernel's code does
not grow with the grid; where a family would change what a node does, the
pipes are compiled one by one. Data are moved, not computed: the outputs
equal the tiles sent, exactly."""

from __future__ import annotations

import re

import pytest
import torch

import ttlx as ttl
from ttlx.compiler import emit_cpp
from ttlx.lang import ttnn


def exchange(n: int):
    """On an n x n grid, tile (x, y) of `a` goes right to (x + 1, y), to its
    pair (x, y ^ 1), and node (n - 1, y) multicasts its tile up its column
    to (0..n-2, y): three nets, written pipe by pipe."""
    right = [ttl.Pipe(src=(x, y), dst=(x + 1, y)) for x in range(n - 1) for y in range(n)]
    pairs = [ttl.Pipe(src=(x, y), dst=(x, y ^ 1)) for x in range(n) for y in range(n)]
    column = [ttl.Pipe(src=(n - 1, y), dst=(slice(0, n - 1), y)) for y in range(n)]

    @ttl.operation(grid=(n, n))
    def op(a, from_left, from_pair, from_column):
        right_net, pair_net, column_net = ttl.PipeNet(right), ttl.PipeNet(pairs), ttl.PipeNet(column)
        out_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
        in_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def send():
            x, y = ttl.node(dims=2)

            def put(pipe):
                with out_dfb.reserve() as blk:
                    ttl.copy(a[x, y], blk).wait()
                with out_dfb.wait() as blk:
                    ttl.copy(blk, pipe).wait()

            right_net.if_src(put)
            pair_net.if_src(put)
            column_net.if_src(put)

        @ttl.datamovement()
        def receive():
            x, y = ttl.node(dims=2)

            def into(target):
                def get(pipe):
                    with in_dfb.reserve() as blk:
                        ttl.copy(pipe, blk).wait()
                    with in_dfb.wait() as blk:
                        ttl.copy(blk, target[x, y]).wait()
                return get

            right_net.if_dst(into(from_left))
            pair_net.if_dst(into(from_pair))
            column_net.if_dst(into(from_column))

        @ttl.compute()
        def compute():
            pass

    return op


def tiles(n: int, seed: int = 0) -> torch.Tensor:
    """An n x n grid of constant 32x32 tiles, each its own value."""
    values = torch.randn(n, n, generator=torch.Generator().manual_seed(seed))
    return values.repeat_interleave(32, 0).repeat_interleave(32, 1)


def zeros(n: int) -> ttnn.Tensor:
    return ttnn.zeros((32 * n, 32 * n), dtype=ttnn.float32)


def test_families_move_every_tile_to_its_pipes_destinations():
    n = 4
    a = tiles(n)
    outs = [zeros(n) for _ in range(3)]
    exchange(n)(ttnn.from_torch(a), *outs)
    left, pair, column = (ttnn.to_torch(t) for t in outs)
    t = a.reshape(n, 32, n, 32)
    want_left, want_pair, want_column = (torch.zeros_like(t) for _ in range(3))
    want_left[1:] = t[:-1]
    want_pair[:, :, :] = t[:, :, [y ^ 1 for y in range(n)]]
    want_column[:-1] = t[n - 1:n].expand(n - 1, 32, n, 32)
    for got, want in ((left, want_left), (pair, want_pair), (column, want_column)):
        assert torch.equal(got, want.reshape(32 * n, 32 * n))


def compiled(n: int):
    a = zeros(n)
    return exchange(n).compile(a, zeros(n), zeros(n), zeros(n))


def test_a_net_of_moved_pipes_is_one_family_op_per_shape():
    """Right: one family of 3x4 pipes; pairs: the even and the odd sources,
    4x2 each, 2 apart; the column multicasts: 1x4. One send and one receive
    op per family, instead of 12 + 16 + 4 each."""
    ir = compiled(4).stage("ttl")
    sends = re.findall(r"ttl\.pipe_send (#ttl\.pipe<.*?>), %", ir)
    receives = re.findall(r"ttl\.pipe_recv (#ttl\.pipe<.*?>), %", ir)
    assert [re.sub(r", net \d+", "", s) for s in sends] == [  # the nets' numbers: the order they are captured
        "#ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 4] step [1, 1]>",
        "#ttl.pipe<[0, 0] -> [0, 1] to [1, 2] repeat [4, 2] step [1, 2]>",
        "#ttl.pipe<[0, 1] -> [0, 0] to [1, 1] repeat [4, 2] step [1, 2]>",
        "#ttl.pipe<[3, 0] -> [0, 0] to [3, 1] repeat [1, 4] step [1, 1]>",
    ], sends
    assert receives == sends


def test_the_kernels_code_does_not_grow_with_the_grid():
    """The same kernels on 4x4 and 8x8 grids (32 and 128 pipes, 448 node
    tests when compiled pipe by pipe) are C++ of the same size: only
    constants differ."""
    sizes = [{k.name: k.source.count("\n") for k in emit_cpp(compiled(n).module)} for n in (4, 8)]
    assert sizes[0] == sizes[1], sizes


def test_a_function_that_reads_its_pipe_is_compiled_pipe_by_pipe():
    """The sender's `fn` reads `pipe.dst`, a different value for each pipe:
    no family; the receiver's only copies from its pipe: a family."""
    n = 2
    net_pipes = [ttl.Pipe(src=(0, y), dst=(1, y)) for y in range(n)]

    @ttl.operation(grid=(n, n))
    def op(a, out):
        net = ttl.PipeNet(net_pipes)
        dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
        in_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def send():
            def put(pipe):
                with dfb.reserve() as blk:
                    ttl.copy(a[pipe.dst[0], pipe.dst[1]], blk).wait()
                with dfb.wait() as blk:
                    ttl.copy(blk, pipe).wait()

            net.if_src(put)

        @ttl.datamovement()
        def receive():
            x, y = ttl.node(dims=2)

            def get(pipe):
                with in_dfb.reserve() as blk:
                    ttl.copy(pipe, blk).wait()
                with in_dfb.wait() as blk:
                    ttl.copy(blk, out[x, y]).wait()

            net.if_dst(get)

        @ttl.compute()
        def compute():
            pass

    a = tiles(n, seed=1)
    out = zeros(n)
    op(ttnn.from_torch(a), out)
    assert torch.equal(ttnn.to_torch(out)[32:], a[32:])  # node (1, y) got tile (1, y)
    ir = op.compile(ttnn.from_torch(a), zeros(n)).stage("ttl")
    sends = re.findall(r"ttl\.pipe_send (#ttl\.pipe<.*?>), %", ir)
    receives = re.findall(r"ttl\.pipe_recv (#ttl\.pipe<.*?>), %", ir)
    assert sends == ["#ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>", "#ttl.pipe<[0, 1] -> [1, 1] to [2, 2]>"], sends
    assert receives == ["#ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [1, 2] step [1, 1]>"], receives  # `get` only copies


def test_a_family_that_would_reorder_a_nodes_sends_is_not_made():
    """Node (0, 0) sends to (0, 1) before (1, 0), as the net lists them; the
    family of the right-pipes starts earlier in the list (at (0, 1) ->
    (1, 1)), so families would send to (1, 0) first: the pipes are compiled
    one by one, in the net's order."""
    net_pipes = [ttl.Pipe(src=(0, 1), dst=(1, 1)), ttl.Pipe(src=(0, 0), dst=(0, 1)),
                 ttl.Pipe(src=(0, 0), dst=(1, 0)), ttl.Pipe(src=(1, 0), dst=(1, 1))]

    @ttl.operation(grid=(2, 2))
    def op(a, out):
        net = ttl.PipeNet(net_pipes)
        dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def send():
            x, y = ttl.node(dims=2)

            def put(pipe):
                with dfb.reserve() as blk:
                    ttl.copy(a[x, y], blk).wait()
                with dfb.wait() as blk:
                    ttl.copy(blk, pipe).wait()

            net.if_src(put)

        @ttl.compute()
        def compute():
            pass

        @ttl.datamovement()
        def receive():
            pass

    ir = op.compile(zeros(2), zeros(2)).stage("ttl")
    sends = re.findall(r"ttl\.pipe_send (#ttl\.pipe<.*?>), %", ir)
    assert sends == ["#ttl.pipe<[0, 1] -> [1, 1] to [2, 2]>", "#ttl.pipe<[0, 0] -> [0, 1] to [1, 2]>",
                     "#ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>", "#ttl.pipe<[1, 0] -> [1, 1] to [2, 2]>"], sends


@pytest.mark.parametrize("n", [3])
def test_families_on_a_grid_that_is_not_square(n):
    """A 3x5 grid: right pipes on the long side, multicasts on the short."""
    right = [ttl.Pipe(src=(x, y), dst=(x + 1, y)) for x in range(n - 1) for y in range(5)]

    @ttl.operation(grid=(n, 5))
    def op(a, out):
        net = ttl.PipeNet(right)
        dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
        in_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def send():
            x, y = ttl.node(dims=2)

            def put(pipe):
                with dfb.reserve() as blk:
                    ttl.copy(a[x, y], blk).wait()
                with dfb.wait() as blk:
                    ttl.copy(blk, pipe).wait()

            net.if_src(put)

        @ttl.datamovement()
        def receive():
            x, y = ttl.node(dims=2)

            def get(pipe):
                with in_dfb.reserve() as blk:
                    ttl.copy(pipe, blk).wait()
                with in_dfb.wait() as blk:
                    ttl.copy(blk, out[x, y]).wait()

            net.if_dst(get)

        @ttl.compute()
        def compute():
            pass

    a = torch.randn(5, n, generator=torch.Generator().manual_seed(2))
    a = a.T.repeat_interleave(32, 0).repeat_interleave(32, 1)
    out = ttnn.zeros((32 * n, 32 * 5), dtype=ttnn.float32)
    op(ttnn.from_torch(a), out)
    want = torch.zeros_like(a)
    want[32:] = a[:-32]
    assert torch.equal(ttnn.to_torch(out), want)
