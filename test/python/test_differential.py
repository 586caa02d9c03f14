# SPDX-License-Identifier: Apache-2.0
"""The same kernel files under tt-lang-sim 1.1.6 (Tenstorrent's functional
simulator, the independent oracle; with a test-only element-access plugin,
test/tools/ttlang_sim_run.py) and under `ttlx run`, outputs compared.

Tolerance: importing tt-lang-sim turns torch.bfloat16 into float32 in its
process, so the simulator computes in float32 on unrounded inputs while
ttlx rounds inputs, DST and outputs to bf16 (2^-8 relative each). The
kernels here round at most four times: rtol 2^-6, plus atol 2^-8 for values
near zero. Argmax column indices must agree exactly.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from kernel_cli import tt_lang_sim, ttlx

ROOT = Path(__file__).resolve().parents[2]


def passes(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout


@pytest.mark.parametrize("example", ["elementwise", "argmax", "rmsnorm"])
def test_ttlx_matches_tt_lang_sim(example, tmp_path):
    kernel = ROOT / "examples" / f"{example}.py"
    sim_out, ttlx_out = tmp_path / "sim.npy", tmp_path / "ttlx.npy"
    passes(tt_lang_sim(str(kernel), str(sim_out)))
    passes(ttlx("run", str(kernel), str(ttlx_out)))
    sim, ours = np.load(sim_out), np.load(ttlx_out)
    assert sim.shape == ours.shape
    if example == "argmax":
        np.testing.assert_array_equal(ours[:, 1], sim[:, 1])  # argmax columns
        sim, ours = sim[:, :1], ours[:, :1]  # the maxima themselves
    np.testing.assert_allclose(ours, sim, rtol=2.0**-6, atol=2.0**-8)


# Kernel files of test/kernels (tt-lang constructs ttlx accepts for compatibility),
# each with the tolerance argued in its header from the roundings ttlx does and the
# simulator does not.
KERNEL_TOLERANCES = {
    "host_names.py": 2.0**-5,  # relu, exp, product and sum rounded to bf16: four roundings
    "debug_print.py": 2.0**-8,  # x + x is exact: only ttlx's bf16 rounding of the inputs differs
    # Python in kernel code (helpers with early returns, `not`, list arithmetic,
    # slice(), 1-D pipe coordinates) picking tiles that are copied: exact.
    "helpers.py": 0.0,
    "pipe_1d.py": 0.0,
    # Block expressions as operands of reduce_sum, @ and broadcast, stored into DFBs
    # ttlx allocates: at most six roundings of 2^-8 of positive values (its header).
    "dfb_operands.py": 2.0**-5,
    # a * b + c with tensors in L1 (sharded and interleaved): two roundings (its header).
    "l1_tensors.py": 2.0**-6,
    # N-d tiled tensors and blocks: inputs, product and sum rounded to bf16 (three
    # roundings of 2^-8; its header).
    "nd_tiled.py": 2.0**-6,
    # ttl.block.squeeze / unsqueeze: sums exact in bf16, a one-tile matmul rounded
    # to bf16 once (its header).
    "squeeze.py": 2.0**-8,
    # Batched matmul and broadcast over a batch dimension on integers: exact.
    "nd_batched.py": 0.0,
    # Row, column and whole reductions of a 3-d block of -1, 0 and 1: integer
    # partial sums below 256, exact in bf16.
    "nd_reduce.py": 0.0,
    # A pipe carrying 3-d blocks, doubled on the receivers: inputs exact in bf16,
    # doubling exact.
    "nd_pipe.py": 0.0,
    # Row-major tensors and element-unit DFBs: copies and a pipe move bf16 values
    # without arithmetic: exact.
    "row_major.py": 0.0,
    # Elementwise math on row-major blocks: exp(a) * b + |a - b| adds non-negative
    # terms, each of ttlx's (at most three) roundings to bf16 relative, 2^-8 each
    # at worst; where and the sums of squares (integers up to 64) are exact.
    "row_major_math.py": 2.0**-6,
    # @ on row-major blocks (tilized, multiplied, untilized) of -1, 0 and 1: integer
    # partial sums below 256, exact in bf16 (its header).
    "row_major_matmul.py": 0.0,
    # A 1-d tiled tensor (units of 32 elements): inputs, product and sum rounded
    # to bf16, three roundings of 2^-8 (its header).
    "tiled_1d.py": 2.0**-6,
    # Float32 expressions stored into bf16 blocks and a bf16 product into a float32
    # block: at most three roundings of 2^-8 (a 16-bit DST's product and sum, then the
    # pack; its header).
    "mixed_dtype_store.py": 2.0**-6,
    # Math on bf16 and float32 blocks together: float32 results within 2^-18 with a
    # 32-bit DST, the bf16-packed sum (2^-8) and the 16-bit DST's two roundings of
    # y16 (2^-7); where, abs and neg exact (its header).
    "mixed_dtype_math.py": 2.0**-7,
    # Block expressions read after the `with` that popped their operands, tiled
    # and row-major: integers below 256 throughout, exact in bf16 (its header).
    "block_after_with.py": 0.0,
}


@pytest.mark.parametrize("kernel", sorted(KERNEL_TOLERANCES))
def test_kernel_file_matches_tt_lang_sim(kernel, tmp_path):
    path = ROOT / "test" / "kernels" / kernel
    sim_out, ttlx_out = tmp_path / "sim.npy", tmp_path / "ttlx.npy"
    passes(tt_lang_sim(str(path), str(sim_out)))
    passes(ttlx("run", str(path), str(ttlx_out)))
    sim, ours = np.load(sim_out), np.load(ttlx_out)
    assert sim.shape == ours.shape
    rtol = KERNEL_TOLERANCES[kernel]
    np.testing.assert_allclose(ours, sim, rtol=rtol, atol=rtol)


# Functions both run with the same semantics: threshold differs (the
# simulator replaces x > threshold, threshold_tile x <= threshold) and the
# simulator has no ttl.math.pow (it has block ** n).
MATH_FILES = {
    "math_unary.py": [],
    "math_binary.py": [],
    "block_ops.py": [],
    "math_params.py": ["rsub", "relu_max", "relu_min", "leaky_relu", "prelu", "elu", "celu", "selu", "softplus",
                       "hardtanh", "clamp", "round", "**"],
}


@pytest.mark.parametrize("kernel", MATH_FILES)
def test_math_functions_match_tt_lang_sim(kernel, tmp_path):
    """The ttl.math functions and block operators of test/kernels/math_*.py
    that both run.
    Inputs are exact in bf16, so the only difference is ttlx's rounding of
    each result to bf16: rtol 2^-7."""
    path, names = ROOT / "test" / "kernels" / kernel, MATH_FILES[kernel]
    sim_out, ttlx_out = tmp_path / "sim.npy", tmp_path / "ttlx.npy"
    passes(tt_lang_sim(str(path), str(sim_out), *names))
    passes(ttlx("run", str(path), str(ttlx_out), *names))
    sim, ours = np.load(sim_out), np.load(ttlx_out)
    assert sim.shape == ours.shape
    np.testing.assert_allclose(ours, sim, rtol=2.0**-7, atol=1e-6)
