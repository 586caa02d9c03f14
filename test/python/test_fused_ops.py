# SPDX-License-Identifier: Apache-2.0
"""ttl.math.engram_gate from kernel code: it runs (a 1x1-tile gate against
the reference formula) and each misuse is a located error."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from kernel_cli import KERNELS, edited_kernel, expect_located_error, kernel_file, line_of, ttlx

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
want = gate(k, q, w[0], {query_weight}, eps).unsqueeze(-1) * v
err = (ttnn.to_torch(y) - want).abs().max().item()
assert err < 1e-4, err
print("PASS")
'''
GOOD = "yb.store(ttl.math.engram_gate(kb, qb, vb, wb, wb))"


def run(tmp_path: Path, store: str, query_weight: str = "w[0]") -> tuple[subprocess.CompletedProcess, str, Path]:
    text = KERNEL.format(store=textwrap.indent(store, " " * 12), query_weight=query_weight)
    path = kernel_file(tmp_path, text)
    return ttlx("run", str(path)), text, path


def test_engram_gate_in_kernel_code(tmp_path):
    """Default eps (float32 epsilon) and scale (1/sqrt(32) for one tile)."""
    result, _, _ = run(tmp_path, GOOD)
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


def test_engram_gate_with_one_weight_block(tmp_path):
    """One weight block is the product of the two norm weights: w alone
    gates as the weights (w, 1) do."""
    result, _, _ = run(tmp_path, "yb.store(ttl.math.engram_gate(kb, qb, vb, wb))", "torch.ones_like(w[0])")
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("store,message", [
    ("yb.store(ttl.math.engram_gate(kb, qb, vb))",
     "ttl.math.engram_gate(key, query, value, key_weight, [query_weight,] eps=..., scale=...) "
     "(one weight block: the product of the key's and the query's)"),
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


def l1_message(needed: int, dfbs: list[str]) -> str:
    return (f"the operation's DFBs need {needed} bytes of L1 on each core, more than its 1499136 bytes (1464 KiB, 64 "
            f"of them reserved): {'; '.join(dfbs)}; use fewer or smaller blocks")


def test_the_scratch_blocks_of_the_engram_gate_count_towards_l1(tmp_path):
    """Blocks of 56 f32 tiles: the user's five DFBs fit L1 (1146944 of its
    1499136 bytes), with the gate's scratch blocks (the product and the
    wk * wq weights of 56 tiles, six one-tile columns) they do not. They
    used to be left out of the compiler's check: the runtime then failed
    with a RuntimeError naming no line."""
    text = KERNEL.format(store=textwrap.indent(GOOD, " " * 12), query_weight="w[0]")
    for old, new in [("shape=(1, 1)", "shape=(1, 56)"), ("32, 32, generator", "32, 1792, generator"),
                     ("1, 32, generator", "1, 1792, generator"), ("expand(32, 32)", "expand(32, 1792)"),
                     ("zeros((32, 32)", "zeros((32, 1792)"),
                     *((f"{t}[0, 0]", f"{t}[0, 0:56]") for t in "kqvwy")]:
        assert old in text, old
        text = text.replace(old, new)
    path = kernel_file(tmp_path, text)
    gate = line_of(text, GOOD)
    made = line_of(text, "dfbs = [ttl.make_dataflow_buffer_like"), line_of(text, "y_dfb = ttl.make_dataflow_buffer_like")
    wide, tile = "1x56 f32 tiles x 1 block = 229376 bytes", "1x1 f32 tiles x 1 block = 4096 bytes"
    scratch = f"scratch block of the fused Engram gate at line {gate}"
    expect_located_error(path, text, GOOD, l1_message(1630272, [
        *(f"DFB {i} (line {made[0]}) {wide}" for i in range(4)), f"DFB 4 (line {made[1]}) {wide}",
        f"DFB 5 ({scratch}) {tile}", f"DFB 6 ({scratch}) {wide}",
        *(f"DFB {i} ({scratch}) {tile}" for i in range(7, 12)), f"DFB 12 ({scratch}) {wide}"]))


def test_the_shift_tiles_of_depthwise_conv1d_count_towards_l1(tmp_path):
    """52-tile blocks: the user's seven DFBs fit L1 (1491008 of its 1499136
    bytes), with the conv's six 0/1 shift tiles (two for each of its
    shifts 3, 6 and 9) they do not."""
    path, text = edited_kernel(tmp_path, CONV.name, ("W = 4 ", "W = 52 "))
    conv = line_of(text, CONV_CALL)
    x, h, y = (line_of(text, f"{d} = ttl.make_dataflow_buffer_like") for d in ("x_dfb", "h_dfb", "y_dfb"))
    w = line_of(text, "w_dfbs = [ttl.make_dataflow_buffer_like")
    wide = "1x52 f32 tiles x 1 block = 212992 bytes"
    expect_located_error(path, text, CONV_CALL, l1_message(1515584, [
        f"DFB 0 (line {x}) {wide}", f"DFB 1 (line {h}) {wide}", *(f"DFB {i} (line {w}) {wide}" for i in range(2, 6)),
        f"DFB 6 (line {y}) {wide}",
        *(f"DFB {i} (shift tile of the fused depthwise conv at line {conv}) 1x1 f32 tiles x 1 block = 4096 bytes"
          for i in range(7, 13))]))
