# SPDX-License-Identifier: Apache-2.0
"""The Engram gate on the fused `ttl.math.engram_gate`: one DRAM pass.

The compiler schedules the gate (ttl-decompose-engram); the kernel only
moves data, so that every input byte is read from DRAM once and every
output byte written once. The 8x8 grid is 16 groups of 4 nodes, one node per
branch (node (x, y): branch y % 4, group 2x + y // 4); a group takes every
16th tile-row. A tile-row's value is shared by the 4 branches: the group's
branch-0 node reads it and multicasts it to the other three through a
PipeNet. The norm weights likewise: node (0, b) reads branch b's and
multicasts them to the other 15 nodes of the branch, so every input byte is
read from DRAM once.
"""

from __future__ import annotations

from functools import lru_cache

import torch

import ttlx as ttl

from .gate import run_gate
from .tensors import TILE, fp32_dest

GROUPS = 16


@lru_cache(maxsize=8)  # one Operation per shape (as gate._gate_operation)
def _fused_gate_operation(hidden: int, branches: int, eps: float, fp32: bool):
    dt = hidden // TILE
    if branches != 4:
        raise ValueError("the fused gate kernel maps 4 branches onto the 8x8 grid")
    value_pipes = [ttl.Pipe(src=(x, 4 * h), dst=(x, slice(4 * h + 1, 4 * h + 4))) for x in range(8) for h in range(2)]
    # Branch b lives on nodes (x, b) and (x, b + 4); (0, b) reads its weights.
    weight_pipes = [pipe for b in range(branches) for pipe in (
        ttl.Pipe(src=(0, b), dst=(slice(1, 8), b)), ttl.Pipe(src=(0, b), dst=(slice(0, 8), b + branches)))]
    scale = 1.0 / hidden ** 0.5

    @ttl.operation(grid=(8, 8), fp32_dest_acc_en=fp32)
    def engram_gate_fused(key, query, value, key_weight, query_weight, out):
        rows = -(-key.shape[0] // TILE)
        rows_per_group = -(-rows // GROUPS)
        net = ttl.PipeNet(value_pipes)
        weight_net = ttl.PipeNet(weight_pipes)
        k_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, dt), block_count=1)
        q_dfb = ttl.make_dataflow_buffer_like(query, shape=(1, dt), block_count=1)
        v_dfb = ttl.make_dataflow_buffer_like(value, shape=(1, dt), block_count=1)
        wk_dfb = ttl.make_dataflow_buffer_like(key_weight, shape=(1, dt), block_count=1)
        wq_dfb = ttl.make_dataflow_buffer_like(query_weight, shape=(1, dt), block_count=1)
        o_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, dt), block_count=1)

        def place():
            """This node's branch and group."""
            x, y = ttl.node(dims=2)
            return y % branches, 2 * x + y // branches

        @ttl.datamovement()
        def read_inputs():
            branch, group = place()
            cols = branch * dt
            with wk_dfb.reserve() as wk, wq_dfb.reserve() as wq:
                if group == 0:
                    ttl.copy(key_weight[0, cols:cols + dt], wk).wait()
                    ttl.copy(query_weight[0, cols:cols + dt], wq).wait()

                def send(pipe):
                    ttl.copy(wk, pipe).wait()
                    ttl.copy(wq, pipe).wait()

                def receive(pipe):
                    ttl.copy(pipe, wk).wait()
                    ttl.copy(pipe, wq).wait()

                weight_net.if_src(send)
                weight_net.if_dst(receive)
            for i in range(rows_per_group):
                row = group + i * GROUPS
                if row < rows:
                    with k_dfb.reserve() as k, q_dfb.reserve() as q:
                        tk = ttl.copy(key[row, cols:cols + dt], k)
                        tq = ttl.copy(query[row, cols:cols + dt], q)
                        tk.wait()
                        tq.wait()

        @ttl.compute()
        def gate():
            branch, group = place()
            with wk_dfb.wait() as wk, wq_dfb.wait() as wq:
                for i in range(rows_per_group):
                    row = group + i * GROUPS
                    if row < rows:
                        with k_dfb.wait() as k, q_dfb.wait() as q, v_dfb.wait() as v, o_dfb.reserve() as o:
                            o.store(ttl.math.engram_gate(k, q, v, wk, wq, eps=eps, scale=scale))

        @ttl.datamovement()
        def share_value_and_write():
            branch, group = place()
            for i in range(rows_per_group):
                row = group + i * GROUPS
                if row < rows:
                    with v_dfb.reserve() as v:
                        if branch == 0:
                            ttl.copy(value[row, 0:dt], v).wait()

                        def send(pipe):
                            ttl.copy(v, pipe).wait()

                        def receive(pipe):
                            ttl.copy(pipe, v).wait()

                        net.if_src(send)
                        net.if_dst(receive)
                    with o_dfb.wait() as o:
                        ttl.copy(o, out[row, branch * dt:(branch + 1) * dt]).wait()

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
