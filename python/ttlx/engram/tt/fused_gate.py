# SPDX-License-Identifier: Apache-2.0
"""The Engram gate on the fused `ttl.math.engram_gate`: one DRAM pass.

The compiler schedules the gate (ttl-decompose-engram); the kernel only
moves data, so that every input byte is read from DRAM once and every
output byte written once. Each node of the 8x8 grid takes every 64th
tile-row, all four branches of it: it reads the row's value once and gates
it four times from L1, so no tile-row waits on another node. Node (b, 0)
reads branch b's two norm weights, multiplies them (only their product
enters the gate) and multicasts the product to every node that has a
tile-row, itself included if it has one, through a PipeNet of its own; each
such node holds the four products for its whole run. The senders are row 0
of the grid: the first cores the host runtime's workers take
(docs/engram.md).
"""

from __future__ import annotations

from functools import lru_cache

import torch

import ttlx as ttl

from .gate import run_gate
from .tensors import TILE, fp32_dest

NODES = 64  # the 8x8 grid


@lru_cache(maxsize=8)  # one Operation per shape (as gate._gate_operation)
def _fused_gate_operation(hidden: int, branches: int, eps: float, fp32: bool):
    dt = hidden // TILE
    if branches != 4:
        raise ValueError("the fused gate kernel holds the weights of 4 branches")
    scale = 1.0 / hidden ** 0.5

    @ttl.operation(grid=(8, 8), fp32_dest_acc_en=fp32)
    def engram_gate_fused(key, query, value, key_weight, query_weight, out):
        rows = -(-key.shape[0] // TILE)
        rows_per_node = -(-rows // NODES)
        # The products go to the nodes that have a tile-row (linear index
        # x * 8 + y below `rows`): whole grid columns, then part of one.
        working = [(slice(0, min(rows, NODES) // 8), slice(0, 8))] if rows >= 8 else []
        if rows < NODES and rows % 8:
            working.append((rows // 8, slice(0, rows % 8)))
        nets = [ttl.PipeNet([ttl.Pipe(src=(b, 0), dst=dst) for dst in working]) for b in range(branches)]
        net0, net1, net2, net3 = nets
        # On node (b, 0) the key and query blocks carry branch b's norm
        # weights before the first row, and an output block their product.
        k_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, dt), block_count=1)
        q_dfb = ttl.make_dataflow_buffer_like(query, shape=(1, dt), block_count=1)
        v_dfb = ttl.make_dataflow_buffer_like(value, shape=(1, dt), block_count=1)
        o_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, dt), block_count=1)
        w_dfbs = [ttl.make_dataflow_buffer_like(key_weight, shape=(1, dt), block_count=1) for _ in range(4)]
        w0_dfb, w1_dfb, w2_dfb, w3_dfb = w_dfbs

        @ttl.datamovement()
        def read_inputs():
            node = ttl.node(dims=1)
            x, y = ttl.node(dims=2)
            if y == 0 and x < branches:
                with k_dfb.reserve() as wk, q_dfb.reserve() as wq:
                    tk = ttl.copy(key_weight[0, x * dt:(x + 1) * dt], wk)
                    tq = ttl.copy(query_weight[0, x * dt:(x + 1) * dt], wq)
                    tk.wait()
                    tq.wait()
            for i in range(rows_per_node):
                row = node + i * NODES
                if row < rows:
                    with v_dfb.reserve() as v:
                        ttl.copy(value[row, 0:dt], v).wait()
                    for b in range(branches):
                        with k_dfb.reserve() as k, q_dfb.reserve() as q:
                            tk = ttl.copy(key[row, b * dt:(b + 1) * dt], k)
                            tq = ttl.copy(query[row, b * dt:(b + 1) * dt], q)
                            tk.wait()
                            tq.wait()

        @ttl.compute()
        def gate():
            node = ttl.node(dims=1)
            x, y = ttl.node(dims=2)
            if y == 0 and x < branches:
                with k_dfb.wait() as wk, q_dfb.wait() as wq, o_dfb.reserve() as w:
                    w.store(wk * wq)

            def gate_branch(v, w):
                with k_dfb.wait() as k, q_dfb.wait() as q, o_dfb.reserve() as o:
                    o.store(ttl.math.engram_gate(k, q, v, w, eps=eps, scale=scale))

            if node < rows:
                with w0_dfb.wait() as w0, w1_dfb.wait() as w1, w2_dfb.wait() as w2, w3_dfb.wait() as w3:
                    for i in range(rows_per_node):
                        row = node + i * NODES
                        if row < rows:
                            with v_dfb.wait() as v:
                                gate_branch(v, w0)
                                gate_branch(v, w1)
                                gate_branch(v, w2)
                                gate_branch(v, w3)

        @ttl.datamovement()
        def share_weights_and_write():
            node = ttl.node(dims=1)

            def send(net):
                if net.is_src():
                    with o_dfb.wait() as w:
                        def to(pipe):
                            ttl.copy(w, pipe).wait()

                        net.if_src(to)

            def receive(net, w_dfb):
                with w_dfb.reserve() as w:
                    def into(pipe):
                        ttl.copy(pipe, w).wait()

                    net.if_dst(into)

            send(net0)  # the node's own product, if it makes one
            send(net1)
            send(net2)
            send(net3)
            if node < rows:
                receive(net0, w0_dfb)
                receive(net1, w1_dfb)
                receive(net2, w2_dfb)
                receive(net3, w3_dfb)
            for i in range(rows_per_node):
                row = node + i * NODES
                if row < rows:
                    for b in range(branches):
                        with o_dfb.wait() as o:
                            ttl.copy(o, out[row, b * dt:(b + 1) * dt]).wait()

    return engram_gate_fused


def tt_gate_fused(keys: list[torch.Tensor] | torch.Tensor, hidden: torch.Tensor, value: torch.Tensor, wk: torch.Tensor,
                  wq: torch.Tensor, eps: float, traffic: list | None = None,
                  counters: dict | None = None, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """As `tt_gate`, on the fused op. `traffic`, when given, receives per
    tensor argument (key, query, value, key weight, query weight, out) the
    DRAM bytes (read, written); `counters` the runtime's total counters."""
    d, branches = hidden.shape[3], hidden.shape[2]
    op, out = run_gate(_fused_gate_operation(d, branches, eps, fp32_dest(dtype)), keys, hidden, value, [wk, wq],
                       dtype)
    if traffic is not None:
        traffic[:] = op.last_traffic
    if counters is not None:
        counters.update(op.last_run.counters["total"])
    return out
