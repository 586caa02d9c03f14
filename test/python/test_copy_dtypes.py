# SPDX-License-Identifier: Apache-2.0
"""A copy between a tensor and a block of another dtype (docs/language.md
"Copies"): a NOC copy moves bytes and converts nothing, so ttlx refuses it
with one located line at the user's `ttl.copy` that names both dtypes, says
where the tensor's came from (ttnn's default bfloat16 when no dtype= was
given) and what to change. Both directions, and a copy of matching dtypes
still runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from kernel_cli import expect_located_error, kernel_file, ttlx

# An operation copying x (32x32) through a DFB of `dfb_dtype` into y.
KERNEL = '''\
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def op(x, y):
    dfb = ttl.make_dfb(ttnn.{dfb_dtype}, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


x = {x}
y = {y}
op(x, y)
print("PASS" if torch.equal(ttnn.to_torch(y).float(), ttnn.to_torch(x).float()) else "FAIL")
'''

ZEROS = "ttnn.zeros((32, 32), layout=ttnn.TILE_LAYOUT)"
ZEROS_F32 = "ttnn.zeros((32, 32), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT)"
RAND_F32 = "ttnn.from_torch(torch.rand(32, 32), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT)"
RAND_BF16 = "ttnn.from_torch(torch.rand(32, 32), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)"
RAND_TORCH_F32 = "ttnn.from_torch(torch.rand(32, 32), layout=ttnn.TILE_LAYOUT)"

DEFAULTED = "ttnn.zeros(...) was given no dtype=, and ttnn's default is bfloat16"

CASES = [  # (DFB dtype, x, y, the copy's line, message)
    ("float32", RAND_F32, ZEROS, "ttl.copy(blk, y",
     f"ttl.copy moves bytes without converting them, but the block is float32 and the tensor `y` is bfloat16 "
     f"({DEFAULTED}): make the tensor with dtype=ttnn.float32, or copy from a block of a bfloat16 DFB (made like "
     "the tensor, or with ttl.make_dfb(ttnn.bfloat16, ...))"),
    ("float32", ZEROS, ZEROS_F32, "ttl.copy(x",
     f"ttl.copy moves bytes without converting them, but the tensor `x` is bfloat16 ({DEFAULTED}) and the block "
     "is float32: make the tensor with dtype=ttnn.float32, or copy into a block of a bfloat16 DFB (made like the "
     "tensor, or with ttl.make_dfb(ttnn.bfloat16, ...))"),
    ("float32", RAND_BF16, ZEROS_F32, "ttl.copy(x",
     "ttl.copy moves bytes without converting them, but the tensor `x` is bfloat16 and the block is float32: "
     "make the tensor with dtype=ttnn.float32"),
    ("bfloat16", RAND_TORCH_F32, ZEROS, "ttl.copy(x",
     "ttl.copy moves bytes without converting them, but the tensor `x` is float32 (ttnn.from_torch(...) was given "
     "no dtype= and keeps the torch tensor's dtype) and the block is bfloat16: make the tensor with "
     "dtype=ttnn.bfloat16, or copy into a block of a float32 DFB"),
]


@pytest.mark.parametrize("dfb_dtype, x, y, needle, message", CASES,
                         ids=["block to defaulted tensor", "defaulted tensor to block", "declared dtype",
                              "from_torch keeps float32"])
def test_a_copy_between_dtypes_is_a_located_error(tmp_path: Path, dfb_dtype, x, y, needle, message):
    text = KERNEL.format(dfb_dtype=dfb_dtype, x=x, y=y)
    expect_located_error(kernel_file(tmp_path, text), text, needle, message)


def test_a_copy_of_matching_dtypes_runs(tmp_path: Path):
    # The fix the message suggests: the output made with dtype=ttnn.float32.
    text = KERNEL.format(dfb_dtype="float32", x=RAND_F32, y=ZEROS_F32)
    result = ttlx("run", str(kernel_file(tmp_path, text)))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
