# SPDX-License-Identifier: Apache-2.0
"""Engram's TT kernels (ttlx.engram.tt) end to end on the host runtime,
against the float32 PyTorch reference (ttlx.engram), and the demo.

Tolerances: both paths compute in float32 (the kernels with a 32-bit DST),
differing in summation order and in the SFPU functions (rsqrt, sqrt,
sigmoid, SiLU), a few float32 ulps each: 1e-4 absolute on values of order 1
leaves room for a hundred ulps and still catches any wrong row, shift, tap
or branch (those are off by order 1).

In bfloat16 (a 16-bit DST, no fp32 accumulation) the yardstick is what
storage alone costs: float32 math on inputs rounded to bfloat16, the result
rounded too. The kernels round to bfloat16 at every stage besides (each
product, each partial sum in DST, each SFPU result: the same relative 2^-9
as storage), so they may be a few times further off (BF16_FACTOR, the
demo's rule, argued there); a wrong row, tap or branch is off by order 1,
hundreds of times that.
"""

from __future__ import annotations


import pytest
import torch
from forked_cli import run_module

from ttlx.engram import gate, short_conv
from ttlx.engram.demo import BF16_FACTOR
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


@pytest.mark.parametrize("length", [32, 45, 330, 2100])
def test_fused_gate_matches_reference_in_one_dram_pass(length):
    """The fused op (ttl.math.engram_gate, decomposed by the compiler): key,
    query and value are read from DRAM exactly once, the output written
    once, the norm weights read once. The weights' products go to the nodes
    that have a tile-row: 330 tokens are 11 tile-rows (a grid column and 3
    nodes of the next); 2100 tokens are 66 (the last partial): two of the 64
    nodes take two, the others one."""
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
    # Node (b, 0) reads branch b's weights and multicasts their product.
    assert key_weight == query_weight == (32 * G * D * 4, 0)


def bf16(t: torch.Tensor) -> torch.Tensor:
    return t.to(torch.bfloat16).float()


def reference_gate(keys, hidden, value, wk, wq, rounded=lambda t: t):
    """The gated values in float32 from (rounded) inputs."""
    return torch.stack([gate(rounded(keys[i]), rounded(hidden[:, :, i]), rounded(wk[i]), rounded(wq[i]), EPS)
                        for i in range(G)], dim=2).unsqueeze(-1) * rounded(value).unsqueeze(2)


def assert_within_bf16_rule(got: torch.Tensor, want: torch.Tensor, floor: torch.Tensor):
    """`got` (bfloat16) is within BF16_FACTOR times the error of `floor`,
    float32 math on bfloat16 inputs rounded to bfloat16, in max and mean."""
    assert got.dtype == torch.bfloat16
    err, storage = (got.float() - want).abs(), (bf16(floor) - want).abs()
    assert storage.max() > 0
    assert err.max() <= BF16_FACTOR * storage.max(), (err.max(), storage.max())
    assert err.mean() <= BF16_FACTOR * storage.mean(), (err.mean(), storage.mean())


@pytest.mark.parametrize("fused", [False, True])
def test_gate_kernels_in_bfloat16(fused):
    """bfloat16 in DRAM, a 16-bit DST: within the bf16 rule of the float32
    reference; the fused kernel reads each input's bfloat16 bytes once. The
    caller's tensors (tilized in place while the kernel runs) come back
    unchanged."""
    length = 64
    keys, hidden, value, wk, wq = inputs(length, seed=2)
    before = [t.clone() for t in (*keys, hidden, value)]
    traffic: list = []
    if fused:
        got = tt_gate_fused(keys, hidden, value, wk, wq, EPS, traffic=traffic, dtype=torch.bfloat16)
    else:
        got = tt_gate(keys, hidden, value, wk, wq, EPS, dtype=torch.bfloat16)
    for old, new in zip(before, (*keys, hidden, value)):
        assert torch.equal(old, new)
    want = reference_gate(keys, hidden, value, wk, wq)
    assert_within_bf16_rule(got, want, reference_gate(keys, hidden, value, wk, wq, bf16))
    if fused:
        size = length * D * 2
        assert traffic[0] == traffic[1] == (G * size, 0) and traffic[2] == (size, 0)
        assert traffic[3] == traffic[4] == (32 * G * D * 2, 0) and traffic[5] == (0, G * size)


@pytest.mark.parametrize("fused", [False, True])
def test_conv_kernels_in_bfloat16(fused):
    """ShortConv on 2 sequence nodes in bfloat16, within the bf16 rule; the
    fused kernel reads each input's bfloat16 bytes once and writes the
    output once."""
    gen = torch.Generator().manual_seed(7)
    x = torch.randn(1, 64, G, D, generator=gen)
    norm = torch.rand(G, D, generator=gen) + 0.5
    weight = torch.rand(G * D, 1, 4, generator=gen) - 0.5
    traffic: list = []
    if fused:
        got = tt_short_conv_fused(x, norm, weight, 4, 3, 1e-5, sequence_nodes=2, dtype=torch.bfloat16,
                                  traffic=traffic)
        size, tile_row = 64 * G * D * 2, 32 * G * D * 2
        assert traffic == [(size, 0), (tile_row, 0), (4 * tile_row, 0), (0, size)]
    else:
        got = tt_short_conv(x, norm, weight, 4, 3, 1e-5, sequence_nodes=2, dtype=torch.bfloat16)
    want = x + short_conv(x, norm, weight, 4, 3, 1e-5)
    xb = bf16(x)
    assert_within_bf16_rule(got, want, xb + short_conv(xb, bf16(norm), bf16(weight), 4, 3, 1e-5))


def test_gate_takes_stacked_keys_and_lets_go_of_its_tensors():
    """Keys stacked as [B, L, G, D] give what the list gives. The result is
    the kernel's output buffer itself: dropping it frees that buffer at once,
    with the cycle collector off."""
    import gc
    import weakref

    keys, hidden, value, wk, wq = inputs(32, seed=4)
    got = tt_gate(keys, hidden, value, wk, wq, EPS)
    gc.disable()
    try:
        stacked = tt_gate(torch.stack(keys, dim=2), hidden, value, wk, wq, EPS)
        assert torch.equal(stacked, got)
        storage = weakref.ref(stacked._base if stacked._base is not None else stacked)
        del stacked
        assert storage() is None
    finally:
        gc.enable()


def test_gate_reads_the_branches_of_one_stacked_tensor_in_place():
    """Keys that are the branches of one [B, L, G, D] tensor (its
    unbind(dim=2), as a model that projects all branches at once has them)
    are that tensor, not copied: the kernel reads it where it is and gives
    it back unchanged. Keys in another order, or separate tensors, are
    copied side by side."""
    from ttlx.engram.tt.gate import stacked

    keys, hidden, value, wk, wq = inputs(64, seed=6)
    together = torch.stack(keys, dim=2)
    before = together.clone()
    views = list(together.unbind(dim=2))
    whole = stacked(views)
    assert whole is not None and whole.data_ptr() == together.data_ptr() and torch.equal(whole, together)
    assert stacked(views[::-1]) is None and stacked(keys) is None
    got = tt_gate(views, hidden, value, wk, wq, EPS)
    assert torch.equal(together, before)
    assert torch.equal(got, tt_gate(keys, hidden, value, wk, wq, EPS))


@pytest.mark.parametrize("kernel", ["gate", "gate fused", "conv", "conv fused"])
def test_wrappers_keep_no_tensor_alive(kernel, monkeypatch):
    """Every device tensor a wrapper makes (the stacked keys, converted
    copies, weights, outputs) is freed when the wrapper's result is dropped,
    with the cycle collector off: nothing of an operation call holds one
    (at 32K tokens one is 512 MiB)."""
    import gc
    import weakref

    from ttlx.lang import ttnn

    made: list = []
    original = ttnn.Tensor.__init__

    def record(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(ttnn.Tensor, "__init__", record)
    keys, hidden, value, wk, wq = inputs(64, seed=5)
    x = torch.randn(1, 64, G, D, generator=torch.Generator().manual_seed(5))
    norm, weight = torch.rand(G, D) + 0.5, torch.rand(G * D, 1, 4) - 0.5
    run = {"gate": lambda: tt_gate(keys, hidden, value, wk, wq, EPS),
           "gate fused": lambda: tt_gate_fused(keys, hidden, value, wk, wq, EPS),
           "conv": lambda: tt_short_conv(x, norm, weight, 4, 3, 1e-5, sequence_nodes=2),
           "conv fused": lambda: tt_short_conv_fused(x, norm, weight, 4, 3, 1e-5, sequence_nodes=2)}[kernel]
    run()  # compiled and cached first
    made.clear()
    gc.collect()
    gc.disable()
    try:
        got = run()
        base = weakref.ref(got._base if got._base is not None else got)
        del got
        assert made and [r() for r in made] == [None] * len(made) and base() is None
    finally:
        gc.enable()


def test_kernels_refuse_other_dtypes():
    keys, hidden, value, wk, wq = inputs(32)
    with pytest.raises(ValueError, match="the Engram kernels run in float32 or bfloat16, not torch.float16"):
        tt_gate(keys, hidden, value, wk, wq, EPS, dtype=torch.float16)


@pytest.mark.parametrize("fused", [False, True], ids=["gate", "gate fused"])
def test_a_hidden_size_too_large_for_a_core_is_a_value_error(fused):
    """The wrapper says which of the caller's sizes does not fit, with the
    compiler's account of the L1, not an error at its own kernel's line."""
    gen = torch.Generator().manual_seed(0)
    d = 1280
    keys = [torch.randn(1, 32, d, generator=gen) for _ in range(G)]
    hidden, value = torch.randn(1, 32, G, d, generator=gen), torch.randn(1, 32, d, generator=gen)
    wk, wq = torch.ones(G, d), torch.ones(G, d)
    with pytest.raises(ValueError) as error:
        (tt_gate_fused if fused else tt_gate)(keys, hidden, value, wk, wq, EPS)
    message = str(error.value)
    assert message.startswith("a gate of hidden size 1280 in float32 does not fit a core: the operation's DFBs "
                              "need "), message
    assert "bytes of L1 on each core" in message and "x 1 block = 163840 bytes" in message, message


@pytest.mark.parametrize("length,nodes", [(45, 1), (100, 4), (160, 3), (256, 2), (480, 8), (320, 1), (448, 2)])
def test_fused_conv_kernel_matches_reference_in_one_dram_pass(length, nodes):
    """ShortConv on ttl.math.depthwise_conv1d (rows shifted by matmuls with
    0/1 tiles) on 1, 4, 3, 2 and 8 sequence nodes (1, 1, 2 or 1, 4, and 2
    or 1 tile-rows per node; 45 and 100 are not multiples of 32; 8 nodes is
    the 8x8 grid of long sequences, its pipes compiled as families). The
    last two swap sums of squares in batches of 3 tile-rows: 10 rows on one
    node are 3 batches and a single row, 14 on two nodes 2 batches on the
    first (its last row goes first, alone) and 2 batches and a single row on
    the second. Every byte of the input and of the weights is read from
    DRAM once (the branch's sum of squares and the halo rows come through
    pipes), every output byte written once."""
    gen = torch.Generator().manual_seed(length + 1)
    x = torch.randn(1, length, G, D, generator=gen)
    norm = torch.rand(G, D, generator=gen) + 0.5
    weight = torch.rand(G * D, 1, 4, generator=gen) - 0.5
    traffic: list = []
    got = tt_short_conv_fused(x, norm, weight, 4, 3, 1e-5, sequence_nodes=nodes, traffic=traffic)
    want = x + short_conv(x, norm, weight, 4, 3, 1e-5)
    torch.testing.assert_close(got, want, rtol=0, atol=1e-4)
    size = -(-length // 32) * 32 * G * D * 4
    tile_row = 32 * G * D * 4
    assert traffic == [(size, 0), (tile_row, 0), (4 * tile_row, 0), (0, size)]


def test_fused_conv_with_a_branch_on_one_node():
    """96 channels are 3 tiles: a branch fits one node (no sum-of-squares
    swap), still read and written once."""
    gen = torch.Generator().manual_seed(96)
    x = torch.randn(1, 100, G, 96, generator=gen)
    norm = torch.rand(G, 96, generator=gen) + 0.5
    weight = torch.rand(G * 96, 1, 4, generator=gen) - 0.5
    assert conv_layout(100, 96, 4) == (4, 3)
    traffic: list = []
    got = tt_short_conv_fused(x, norm, weight, 4, 3, 1e-5, sequence_nodes=4, traffic=traffic)
    torch.testing.assert_close(got, x + short_conv(x, norm, weight, 4, 3, 1e-5), rtol=0, atol=1e-4)
    tile_row = 32 * G * 96 * 4
    assert traffic == [(4 * tile_row, 0), (tile_row, 0), (4 * tile_row, 0), (0, 4 * tile_row)]


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
    """Both runs: float32 (as before) and bfloat16 with the same table."""
    result = run_module("ttlx.engram.demo", ["--layers", "1"])
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for stage in ["Tokens: 14 (with BOS), padded length: 128", "Step 1: hash + embed", "Step 2: key/value",
                  "Step 3: PyTorch gating", "Step 4: TT gating", "Step 5: PyTorch ShortConv",
                  "Step 6: TT conv (4 sequence nodes x 8 column groups", "hyper-connection branch 3",
                  "Overall: max_err", "Config:", "Final comparison (TT vs float32 PyTorch, output = u + ShortConv(u)):", "Step 4 [bf16]: TT gating", "Step 6b [bf16]",
                  "Final comparison (TT bf16 vs float32 PyTorch", "bf16 storage alone", "Overall (bf16): max_err",
                  "Fused paths (bf16): as accurate, inputs read once", "1.00x the inputs' size"]:
        assert stage in out, stage
    assert out.index("Step 4b:") < out.index("Step 5:") < out.index("Step 6:") < out.index("Step 4 [bf16]")
    assert "[1], float32 with 32-bit DST and bfloat16 with 16-bit DST (no fp32 accumulation)" in out
    assert out.strip().endswith("PASS")


def test_demo_length_dtype_profile_and_plot(tmp_path):
    """--length, --dtype bf16 alone, --profile (modeled n150 time per
    kernel) and --plot (a PNG)."""
    picture = tmp_path / "errors.png"
    result = run_module("ttlx.engram.demo", ["--layers", "15", "--length", "64", "--dtype", "bf16", "--profile",
                                             "--plot", str(picture)])
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "padded length: 64" in out and "Step 4 [bf16]" in out and "Step 4:" not in out
    assert out.count("modeled n150") == 4 and out.count("DRAM roofline") == 4
    assert f"Error plot: {picture}" in out and picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.strip().endswith("PASS")


def test_demo_length_limits():
    result = run_module("ttlx.engram.demo", ["--length", "40000"], timeout=120)
    assert result.returncode == 2
    assert "--length must be between 1 and 32768" in result.stderr
