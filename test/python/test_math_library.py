# SPDX-License-Identifier: Apache-2.0
"""tt-lang's math library (appendix B of the spec) through `ttlx run`: the
kernel files under test/kernels check each function against torch inside
(tolerance argued there: exact inputs, one bf16 rounding of the result), and
calls outside the table's signatures are located errors. The same files run
under tt-lang-sim in test_differential.py."""

from __future__ import annotations

import pytest

from kernel_cli import KERNELS, edited_kernel, expect_located_error, ttlx


@pytest.mark.parametrize("kernel", ["math_unary.py", "math_params.py", "math_binary.py", "block_ops.py",
                                    "exp_flags.py"])
def test_math_functions_match_torch(kernel):
    result = ttlx("run", str(KERNELS / kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


STORE = "o.store(ttl.block.where(m, a * a, ttl.block.fill(-1.0, shape=(1, 2))))"
CALL_ERRORS = [
    ("o.store(ttl.math.clamp(a, -1.0))", "ttl.math.clamp(x, min, max) needs 'max'"),
    ("o.store(ttl.math.clamp(a, 1.0, 2.0, 3.0))", "ttl.math.clamp(x, min, max) takes a block and 2 numbers"),
    ("o.store(ttl.math.leaky_relu(a, negative_slope=0.1))",
     "ttl.math.leaky_relu(x, slope) has no parameter 'negative_slope' (or it was given twice)"),
    ("o.store(ttl.math.leaky_relu(a, ttl.f32(0.5)))",
     "the slope of ttl.math.leaky_relu must be a number known when the operation compiles (a Python constant), "
     "not a runtime value"),
    ("o.store(ttl.math.round(a, 0.5))", "the decimals of ttl.math.round must be an integer, got 0.5"),
    ("o.store(a ** a)", "block ** n takes a number known when the operation compiles as the exponent "
                        "(ttl.math.pow(block, n))"),
    ("o.store(a ^ a)", "blocks have no ^ (a bitwise XOR of floats); for a power write block ** n"),
    ("o.store(a << a)", "blocks support + - * / // % ** and @"),
    ("o.store(ttl.block.mask(a, 1.0))", "ttl.block.mask(x, mask) takes two blocks"),
    ("o.store(ttl.block.transpose(a, a))", "ttl.block.transpose(x) takes one block"),
    ("o.store(ttl.block.transpose(1.0))", "ttl.block.transpose takes a block"),
    ("o.store(ttl.math.matmul(a))", "ttl.math.matmul(a, b) takes two blocks"),
    ("o.store(a * ttl.block.fill(shape=(1, 2)))", "ttl.block.fill(value, shape=(rows, cols)) takes the value to fill with"),
    ("o.store(ttl.math.exp(a, fast=True))",
     "ttl.math.exp(x, *, approx=False, scale=None, skip_clamp_check=False, iterations=8) "
     "takes one argument and keyword flags; got unknown keyword 'fast'"),
    ("o.store(ttl.math.exp(a, iterations=9))",
     "the flags of ttl.math.exp are known when the operation compiles: approx and skip_clamp_check booleans, "
     "scale a number, iterations an integer from 1 to 8"),
]


@pytest.mark.parametrize("new,message", CALL_ERRORS, ids=[m[:40] for _, m in CALL_ERRORS])
def test_math_call_errors_are_located(tmp_path, new, message):
    path, text = edited_kernel(tmp_path, "where.py", (STORE, new))
    expect_located_error(path, text, new, message)
