# SPDX-License-Identifier: Apache-2.0
"""Storing a block expression into a block of a DFB of the other float dtype
(docs/language.md, "Storing into a block"): the packer writes DST in the
output DFB's format, so a float32 value stored into a bfloat16 block is
rounded to nearest, ties to even, and a bfloat16 value goes into a float32
block unchanged. The kernel file against torch, the rounding bit by bit on
ties, and the located error that remains for a store of another shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from kernel_cli import KERNELS, expect_located_error, kernel_file, ttlx

TIES = '''
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1), fp32_dest_acc_en=True)
def op(x, s, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        with s_dfb.reserve() as blk:
            ttl.copy(s[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a, s_dfb.wait() as b, y_dfb.reserve() as o:
            o.store({expr})

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


# 1 + s for s = 2^-8 (halfway between bf16 neighbours 1 and 1 + 2^-7: to even, 1),
# 3 * 2^-8 (halfway, to even 1 + 2^-6), 2^-8 + 2^-20 (above halfway: 1 + 2^-7),
# 2^-9 (below: 1) and -2^-8 (exact); truncation would give 1 + 2^-7 for the second.
steps = torch.tensor([2.0**-8, 3 * 2.0**-8, 2.0**-8 + 2.0**-20, 2.0**-9, -(2.0**-8)])
xt = torch.ones(32, 32)
st = steps.repeat(32 * 32 // 5 + 1)[:32 * 32].reshape(32, 32)
y = ttnn.from_torch(torch.zeros(32, 32), dtype={y_dtype}, layout=ttnn.TILE_LAYOUT)
op(ttnn.from_torch(xt, dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT),
   ttnn.from_torch(st, dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT), y)
want = (xt + st).to({want_dtype})
print("PASS" if torch.equal(ttnn.to_torch(y), want) else f"FAIL {{ttnn.to_torch(y)[0, :5]}} {{want[0, :5]}}")
'''


def test_kernel_file_matches_torch():
    """test/kernels/mixed_dtype_store.py: float32 expressions (elementwise and a
    reduction) into bfloat16 blocks and a bfloat16 product into a float32 block,
    with a 32-bit and a 16-bit DST (tolerances argued in the file)."""
    result = ttlx("run", str(KERNELS / "mixed_dtype_store.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


@pytest.mark.parametrize("expr,y_dtype,want_dtype", [
    ("a + b", "ttnn.bfloat16", "torch.bfloat16"),  # rounded when packed into bf16
    ("a + b", "ttnn.float32", "torch.float32"),  # the same sums kept in float32
    ("ttl.block.fill(1.0 + 3 * 2.0**-8, shape=(1, 1), dtype=ttnn.float32) + 0 * b", "ttnn.bfloat16",
     "torch.bfloat16"),
], ids=["f32-to-bf16", "f32-to-f32", "f32-fill-expression-to-bf16"])
def test_pack_rounds_to_nearest_even(tmp_path: Path, expr, y_dtype, want_dtype):
    text = TIES.format(expr=expr, y_dtype=y_dtype, want_dtype=want_dtype)
    if "fill" in expr:  # every element is 1 + 3 * 2^-8: a tie, to even 1 + 2^-6
        text = text.replace("want = (xt + st)", "want = torch.full((32, 32), 1.0 + 3 * 2.0**-8)")
    result = ttlx("run", str(kernel_file(tmp_path, text)))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_stored_fill_of_the_other_dtype_is_packed_in_the_block_dtype(tmp_path: Path):
    """o.store(fill(..., dtype=float32)) into a bf16 block: the fill's value
    rounded to bf16, as any stored float32 value."""
    text = TIES.format(expr="ttl.block.fill(1.0 + 3 * 2.0**-8, shape=(1, 1), dtype=ttnn.float32)",
                       y_dtype="ttnn.bfloat16", want_dtype="torch.bfloat16")
    text = text.replace("want = (xt + st)", "want = torch.full((32, 32), 1.0 + 3 * 2.0**-8)")
    result = ttlx("run", str(kernel_file(tmp_path, text)))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_store_of_another_shape_is_a_located_error(tmp_path: Path):
    text = TIES.format(expr="ttl.block.broadcast(a, dims=[0], shape=(2, 1))", y_dtype="ttnn.bfloat16",
                       want_dtype="torch.bfloat16")
    expect_located_error(kernel_file(tmp_path, text), text, "o.store(",
                         "store of a block of shape (2, 1) into a block of shape (1, 1) (tiles); the shapes "
                         "must be equal")
