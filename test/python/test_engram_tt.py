# SPDX-License-Identifier: Apache-2.0
"""Engram's TT kernels (ttlx.engram.tt) end to end on the host runtime,
against the float32 PyTorch reference (ttlx.engram), and the demo.

Tolerances: both paths compute in float32 (the kernels with a 32-bit DST),
differing in summation order and in the SFPU functions (rsqrt, sqrt,
sigmoid, SiLU), a few float32 ulps each: 1e-4 absolute on values of order 1
leaves room for a hundred ulps and still catches any wrong row, shift, tap
or branch (those are off by order 1).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from ttlx.engram import gate, short_conv
from ttlx.engram.tt import conv_layout, tt_gate, tt_gate_fused, tt_short_conv, tt_short_conv_fused

D, G, EPS = 1024, 4, torch.finfo(torch.float32).eps


def inputs(length: int, seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    keys = [torch.randn(1, length, D, generator=gen) for _ in range(G)]
    hidden = torch.randn(1, length, G, D, generator=gen)
    value = torch.randn(1, length, D, generator=gen)
    wk, wq = torch.rand(G, D, generator=gen) + 0.5, torch.rand(G, D, generator=gen) + 0.5
    return keys, hidden, value, wk, wq


@pytest.mark.parametrize("length", [32, 45, 96])
def test_gate_kernel_matches_reference(length):
    keys, hidden, value, wk, wq = inputs(length)
    counters: dict = {}
    got = tt_gate(keys, hidden, value, wk, wq, EPS, counters=counters)
    want = torch.stack([gate(keys[i], hidden[:, :, i], wk[i], wq[i], EPS) for i in range(G)],
                       dim=2).unsqueeze(-1) * value.unsqueeze(2)
    assert got.shape == (1, length, G, D)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-4)
    # Each (tile-row, branch) item reads its key, query and value tile-rows
    # once; each of the 64 nodes reads its branch's weights once.
    rows = -(-length // 32)
    row_bytes = 32 * D * 4
    assert counters["dram_bytes_read"] == rows * G * 3 * row_bytes + 64 * row_bytes
    assert counters["dram_bytes_written"] == rows * G * row_bytes


@pytest.mark.parametrize("length", [32, 45, 600])
def test_fused_gate_matches_reference_in_one_dram_pass(length):
    """The fused op (ttl.math.engram_gate, decomposed by the compiler): key,
    query and value are read from DRAM exactly once, the output written
    once; each of the 16 node groups reads the norm weights once. 600
    tokens are 19 tile-rows: some groups take two, some one."""
    keys, hidden, value, wk, wq = inputs(length, seed=1)
    traffic: list = []
    got = tt_gate_fused(keys, hidden, value, wk, wq, EPS, traffic=traffic)
    want = torch.stack([gate(keys[i], hidden[:, :, i], wk[i], wq[i], EPS) for i in range(G)],
                       dim=2).unsqueeze(-1) * value.unsqueeze(2)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-4)
    rows = -(-length // 32)
    size = rows * 32 * D * 4  # one float32 branch-wide tile-row per row
    key, query, val, key_weight, query_weight, out = traffic
    assert key == (G * size, 0) and query == (G * size, 0) and val == (size, 0)
    assert out == (0, G * size)
    assert key_weight == query_weight == (16 * 32 * G * D * 4, 0)


@pytest.mark.parametrize("length,nodes", [(45, 1), (100, 4), (160, 3)])
def test_fused_conv_kernel_matches_reference(length, nodes):
    """ShortConv on ttl.math.depthwise_conv1d (rows shifted by matmuls with
    0/1 tiles) on 1, 4 and 3 sequence nodes; 45 and 100 are not multiples
    of 32."""
    gen = torch.Generator().manual_seed(length + 1)
    x = torch.randn(1, length, G, D, generator=gen)
    norm = torch.rand(G, D, generator=gen) + 0.5
    weight = torch.rand(G * D, 1, 4, generator=gen) - 0.5
    got = tt_short_conv_fused(x, norm, weight, 4, 3, 1e-5, sequence_nodes=nodes)
    want = x + short_conv(x, norm, weight, 4, 3, 1e-5)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-4)


@pytest.mark.parametrize("length,nodes", [(32, 1), (100, 4), (160, 3), (256, 2)])
def test_conv_kernel_matches_reference(length, nodes):
    """Several sequence splits: the halo crosses 0, 3, 2 and 1 node boundaries
    (160 rows over 3 nodes: 2, 2 and 1 tile-rows)."""
    gen = torch.Generator().manual_seed(length)
    x = torch.randn(1, length, G, D, generator=gen)
    norm = torch.rand(G, D, generator=gen) + 0.5
    weight = torch.rand(G * D, 1, 4, generator=gen) - 0.5
    assert conv_layout(length, D, nodes)[0] == nodes
    got = tt_short_conv(x, norm, weight, 4, 3, 1e-5, sequence_nodes=nodes)
    want = x + short_conv(x, norm, weight, 4, 3, 1e-5)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-4)


def test_conv_halo_really_crosses_nodes():
    """A signal only in the last 9 rows of node 0's tile-row must reach the
    first rows of node 1 through the pipe (and nothing else)."""
    x = torch.zeros(1, 64, G, D)
    x[0, 23:32] = torch.randn(9, G, D, generator=torch.Generator().manual_seed(3))
    norm = torch.ones(G, D)
    weight = torch.rand(G * D, 1, 4, generator=torch.Generator().manual_seed(4)) - 0.5
    got = tt_short_conv(x, norm, weight, 4, 3, 1e-5, sequence_nodes=2)
    want = x + short_conv(x, norm, weight, 4, 3, 1e-5)
    assert want[0, 32:41].abs().max() > 0.1  # the reference does carry the halo
    torch.testing.assert_close(got, want, rtol=0, atol=1e-4)


def test_demo_prints_every_stage_and_passes():
    result = subprocess.run([sys.executable, "-m", "ttlx.engram.demo", "--layers", "1"], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for stage in ["Tokens: 14 (with BOS), padded length: 128", "Step 1: hash + embed", "Step 2: key/value",
                  "Step 3: PyTorch gating", "Step 4: TT gating", "Step 5: PyTorch ShortConv",
                  "Step 6: TT conv (4 sequence nodes x 8 column groups", "hyper-connection branch 3",
                  "Overall: max_err", "Config:"]:
        assert stage in out, stage
    assert out.strip().endswith("PASS")
