# SPDX-License-Identifier: Apache-2.0
"""ttl.math.engram_gate from kernel code: it runs (a 1x1-tile gate against
the reference formula) and each misuse is a located error."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from kernel_cli import KERNELS, edited_kernel, expect_located_error, kernel_file, ttlx

KERNEL = '''
import math

import torch
import ttnn

import ttl
from ttlx.engram import gate


@ttl.operation(grid=(1, 1), fp32_dest_acc_en=True)
def op(k, q, v, w, y):
    dfbs = [ttl.make_dataflow_buffer_like(t, shape=(1, 1), block_count=1) for t in (k, q, v, w)]
    k_dfb, q_dfb, v_dfb, w_dfb = dfbs
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=1)

    @ttl.datamovement()
    def read():
        with k_dfb.reserve() as kb, q_dfb.reserve() as qb, v_dfb.reserve() as vb, w_dfb.reserve() as wb:
            ttl.copy(k[0, 0], kb).wait()
            ttl.copy(q[0, 0], qb).wait()
            ttl.copy(v[0, 0], vb).wait()
            ttl.copy(w[0, 0], wb).wait()

    @ttl.compute()
    def compute():
        with k_dfb.wait() as kb, q_dfb.wait() as qb, v_dfb.wait() as vb, w_dfb.wait() as wb, \\
                y_dfb.reserve() as yb:
{store}

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[0, 0]).wait()


g = torch.Generator().manual_seed(0)
k, q, v = (torch.randn(32, 32, generator=g) for _ in range(3))
w = torch.rand(1, 32, generator=g) + 0.5
y = ttnn.zeros((32, 32), dtype=ttnn.float32)
op(*(ttnn.from_torch(t, dtype=ttnn.float32) for t in (k, q, v, w.expand(32, 32).contiguous())), y)
eps = torch.finfo(torch.float32).eps
want = gate(k, q, w[0], w[0], eps).unsqueeze(-1) * v
err = (ttnn.to_torch(y) - want).abs().max().item()
assert err < 1e-4, err
print("PASS")
'''
GOOD = "yb.store(ttl.math.engram_gate(kb, qb, vb, wb, wb))"


def run(tmp_path: Path, store: str) -> tuple[subprocess.CompletedProcess, str, Path]:
    text = KERNEL.format(store=textwrap.indent(store, " " * 12))
    path = kernel_file(tmp_path, text)
    return ttlx("run", str(path)), text, path


def test_engram_gate_in_kernel_code(tmp_path):
    """Default eps (float32 epsilon) and scale (1/sqrt(32) for one tile)."""
    result, _, _ = run(tmp_path, GOOD)
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("store,message", [
    ("yb.store(ttl.math.engram_gate(kb, qb, vb, wb))",
     "ttl.math.engram_gate(key, query, value, key_weight, query_weight, eps=..., scale=...)"),
    ("yb.store(ttl.math.engram_gate(kb, qb, vb * vb, wb, wb))",
     "'ttl.engram_gate' op value must be a block from 'ttl.dfb_wait'"),
    ("yb.store(ttl.math.engram_gate(kb, qb, vb, wb, wb, eps=kb))",
     "eps and scale of ttl.math.engram_gate are numbers known at compile time"),
    ("yb.store(ttl.math.exp(ttl.math.engram_gate(kb, qb, vb, wb, wb)))",
     "'ttl.engram_gate' op result must be stored directly with 'ttl.store'"),
    ("yb.store(ttl.math.engram_gate(kb, qb, vb, wb, wb, eps=0.0))",
     "'ttl.engram_gate' op eps must be positive, but it is 0"),
])
def test_engram_gate_errors_at_the_line(tmp_path, store, message):
    result, text, path = run(tmp_path, store)
    expect_located_error(path, text, store, message, result=result)


CONV = KERNELS / "depthwise_conv1d.py"
CONV_CALL = "ttl.math.depthwise_conv1d(xb, hb, [a, b, c, d], kernel_size=4, dilation=3, silu=True)"


def test_depthwise_conv1d_in_kernel_code():
    result = ttlx("run", str(CONV))
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


def test_compile_prints_the_ttkernel_stage_of_fused_ops():
    """`--emit ttkernel` runs the fused-op decomposition too (ttl-to-ttkernel)."""
    result = ttlx("compile", str(CONV), "--emit", "ttkernel")
    assert result.returncode == 0, result.stderr
    assert "ttkernel.matmul_tiles" in result.stdout and "ttl.depthwise_conv1d" not in result.stdout


@pytest.mark.parametrize("call,message", [
    ("ttl.math.depthwise_conv1d(xb, hb)",
     "ttl.math.depthwise_conv1d(x, halo, weights, kernel_size=..., dilation=..., silu=...)"),
    ("ttl.math.depthwise_conv1d(xb * xb, hb, [a, b, c, d], kernel_size=4, dilation=3)",
     "'ttl.depthwise_conv1d' op input must be a block from 'ttl.dfb_wait'"),
    ("ttl.math.depthwise_conv1d(xb, hb, [a, b, c, d], kernel_size=4, dilation=3, silu=1)",
     "kernel_size, dilation and silu of ttl.math.depthwise_conv1d are known at compile time"),
    ("ttl.math.depthwise_conv1d(xb, hb, [a, b], kernel_size=4, dilation=3)",
     "'ttl.depthwise_conv1d' op has 2 weight blocks, but kernel_size is 4"),
])
def test_depthwise_conv1d_errors_at_the_line(tmp_path, call, message):
    path, text = edited_kernel(tmp_path, CONV.name, (CONV_CALL, call))
    expect_located_error(path, text, call, message)
