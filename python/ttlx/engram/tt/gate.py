# SPDX-License-Identifier: Apache-2.0
"""The Engram gate as a TT kernel.

For token t and branch g: s = <rms(k) wk, rms(q) wq> / sqrt(D)
= sum(k q wk wq) * rsqrt(mean(k^2) + eps) * rsqrt(mean(q^2) + eps) / sqrt(D),
gate = sigmoid(sign(s) sqrt(max(|s|, 1e-6))), out = gate * value.

Work items are (tile-row, branch) pairs; node n takes branch n % G and every
(nodes / G)-th tile-row from n // G, so it loads its branch's weights once.
Float32 with a 32-bit DST, or bfloat16 with a 16-bit one (`tensors`).
"""

from __future__ import annotations

import math
from functools import lru_cache

import torch

import ttlx as ttl
from ttlx.lang import ttnn
from ttlx.lang.errors import L1Exhausted

from .tensors import TILE, device_tensor, fp32_dest, output_tensor, tile_row, values

MIN_ABS = 1e-6  # the clamp under the signed square root


@lru_cache(maxsize=8)  # one Operation per shape: calls reuse its compiled program and parsed body
def _gate_operation(hidden: int, branches: int, eps: float, fp32: bool):
    """The operation for rows of `branches` x `hidden` values, with a 32-bit
    DST when `fp32`."""
    dt = hidden // TILE  # tiles across one branch
    inv_hidden = 1.0 / hidden
    inv_sqrt_hidden = 1.0 / math.sqrt(hidden)

    @ttl.operation(grid="auto", fp32_dest_acc_en=fp32)
    def engram_gate(key, query, value, weight, out):
        rows = -(-key.shape[0] // TILE)  # the last tile-row may be partial (zero padded)
        nodes = ttl.grid_size(dims=1)
        slots = nodes // branches  # nodes per branch
        rows_per_slot = -(-rows // slots)

        k_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, dt), block_count=2)
        q_dfb = ttl.make_dataflow_buffer_like(query, shape=(1, dt), block_count=2)
        v_dfb = ttl.make_dataflow_buffer_like(value, shape=(1, dt), block_count=2)
        w_dfb = ttl.make_dataflow_buffer_like(weight, shape=(1, dt), block_count=1)
        p_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, dt), block_count=1)
        skk_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, 1), block_count=1)
        sqq_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, 1), block_count=1)
        skq_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, 1), block_count=1)
        s_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, 1), block_count=1)
        g_dfb = ttl.make_dataflow_buffer_like(key, shape=(1, 1), block_count=1)
        o_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, dt), block_count=2)

        @ttl.datamovement()
        def read():
            node = ttl.node(dims=1)
            branch = node % branches
            slot = node // branches
            if slot < slots:
                with w_dfb.reserve() as w:
                    ttl.copy(weight[0, branch * dt:(branch + 1) * dt], w).wait()
                for i in range(rows_per_slot):
                    row = slot + i * slots
                    if row < rows:
                        with k_dfb.reserve() as k, q_dfb.reserve() as q, v_dfb.reserve() as v:
                            tk = ttl.copy(key[row, branch * dt:(branch + 1) * dt], k)
                            tq = ttl.copy(query[row, branch * dt:(branch + 1) * dt], q)
                            tv = ttl.copy(value[row, 0:dt], v)
                            tk.wait()
                            tq.wait()
                            tv.wait()

        @ttl.compute()
        def compute():
            node = ttl.node(dims=1)
            slot = node // branches
            if slot < slots:
                with w_dfb.wait() as w:
                    for i in range(rows_per_slot):
                        row = slot + i * slots
                        if row < rows:
                            with k_dfb.wait() as k, q_dfb.wait() as q:
                                with p_dfb.reserve() as p:
                                    p.store(k * k)
                                with p_dfb.wait() as p, skk_dfb.reserve() as s:
                                    s.store(ttl.math.reduce_sum(p, dims=[-1], shape=(1, 1)))
                                with p_dfb.reserve() as p:
                                    p.store(q * q)
                                with p_dfb.wait() as p, sqq_dfb.reserve() as s:
                                    s.store(ttl.math.reduce_sum(p, dims=[-1], shape=(1, 1)))
                                with p_dfb.reserve() as p:
                                    p.store(k * q * w)
                                with p_dfb.wait() as p, skq_dfb.reserve() as s:
                                    s.store(ttl.math.reduce_sum(p, dims=[-1], shape=(1, 1)))
                            with skk_dfb.wait() as kk, sqq_dfb.wait() as qq, skq_dfb.wait() as kq, \
                                    s_dfb.reserve() as s:
                                rk = ttl.math.rsqrt(kk * ttl.block.fill(inv_hidden, shape=(1, 1))
                                                    + ttl.block.fill(eps, shape=(1, 1)))
                                rq = ttl.math.rsqrt(qq * ttl.block.fill(inv_hidden, shape=(1, 1))
                                                    + ttl.block.fill(eps, shape=(1, 1)))
                                s.store(kq * rk * rq * ttl.block.fill(inv_sqrt_hidden, shape=(1, 1)))
                            with s_dfb.wait() as s, g_dfb.reserve() as gt:
                                magnitude = ttl.math.max(ttl.math.abs(s), ttl.block.fill(MIN_ABS, shape=(1, 1)))
                                gt.store(ttl.math.sigmoid(ttl.math.sign(s) * ttl.math.sqrt(magnitude)))
                            with g_dfb.wait() as gt, v_dfb.wait() as v, o_dfb.reserve() as o:
                                o.store(v * ttl.block.broadcast(gt, dims=[-1], shape=(1, dt)))

        @ttl.datamovement()
        def write():
            node = ttl.node(dims=1)
            branch = node % branches
            slot = node // branches
            if slot < slots:
                for i in range(rows_per_slot):
                    row = slot + i * slots
                    if row < rows:
                        with o_dfb.wait() as o:
                            ttl.copy(o, out[row, branch * dt:(branch + 1) * dt]).wait()

    return engram_gate


def tt_gate(keys: list[torch.Tensor] | torch.Tensor, hidden: torch.Tensor, value: torch.Tensor, wk: torch.Tensor,
            wq: torch.Tensor, eps: float, counters: dict | None = None,
            dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Gated values [B, L, G, D] from keys (G x [B, L, D], or stacked as
    [B, L, G, D]; used without a copy when stacked or when the G tensors are
    the branches of one stacked tensor, e.g. its `unbind(dim=2)`), hidden [B, L, G, D],
    value [B, L, D] and the key/query norm weights [G, D], on the TT kernel
    in `dtype` (float32 or bfloat16; the result has it too).
    `counters`, when given, receives the runtime's total counters."""
    b, length, branches, d = hidden.shape
    # Only the product of the two norm weights enters the dot product.
    op, out = run_gate(_gate_operation(d, branches, eps, fp32_dest(dtype)), keys, hidden, value, [wk * wq], dtype)
    if counters is not None:
        counters.update(op.last_run.counters["total"])
    return out


def stacked(keys: list[torch.Tensor]) -> torch.Tensor | None:
    """The contiguous [B, L, G, D] tensor whose branches the G keys
    [B, L, D] are (as `unbind(dim=2)` gives them), as a view of the same
    memory, or None when they are not that."""
    first = keys[0]
    if first.dim() != 3 or first.stride(2) != 1:
        return None
    b, length, d = first.shape
    g = len(keys)
    shape, strides = (b, length, g, d), (length * g * d, g * d, d, 1)
    for i, k in enumerate(keys):
        if (k.shape != first.shape or k.dtype != first.dtype or k.device != first.device
                or k.untyped_storage().data_ptr() != first.untyped_storage().data_ptr()
                or k.storage_offset() != first.storage_offset() + i * d
                or any(k.stride(n) != strides[n] for n in (0, 1) if k.shape[n] > 1)):
            return None
    return first.as_strided(shape, strides)


def run_gate(op, keys: list[torch.Tensor] | torch.Tensor, hidden: torch.Tensor, value: torch.Tensor,
             weights: list[torch.Tensor], dtype: torch.dtype):
    """Runs a gate operation on key and query [B*L, G*D] (branch g in
    columns g*D..), value [B*L, D], the weights as tile-rows, and an output
    like the key, all in `dtype`; returns the operation and the output
    [B, L, G, D] (a view of the operation's output tensor)."""
    b, length, branches, d = hidden.shape
    if d % TILE:
        raise ValueError(f"hidden size {d} is not a multiple of {TILE}")
    rows = b * length
    out = output_tensor((rows, branches * d), dtype)
    key = keys if isinstance(keys, torch.Tensor) else stacked(keys)
    if key is None:
        key = torch.empty(b, length, branches, d, dtype=dtype)  # the keys side by side, converted as copied
        for i, k in enumerate(keys):
            key[:, :, i].copy_(k)
    args = [device_tensor(key.reshape(rows, branches * d), dtype),
            device_tensor(hidden.reshape(rows, branches * d), dtype),
            device_tensor(value.reshape(rows, d), dtype), *(device_tensor(tile_row(w, dtype), dtype) for w in weights)]
    try:
        op(*args, out)
    except L1Exhausted as error:  # said of the caller's shapes, not at this package's kernel line
        raise ValueError(f"a gate of hidden size {d} in {str(dtype).removeprefix('torch.')} does not fit a core: "
                         f"{error.message}") from None
    return op, values(out).reshape(b, length, branches, d)
