# SPDX-License-Identifier: Apache-2.0
"""Runtime bounds (docs/runtime.md, "Faults"): a block copied at a tile row
or column outside its tensor faults at the copy's line, even where the page
index stays inside the buffer (a column past the width used to land in the
next row); a compile-time argument index beyond what the program passes is
a clear error before the C++ compiler runs."""

from __future__ import annotations

import pytest
import torch

import ttlx as ttl
from ttlx.lang import ttnn
from ttlx.runtime import KernelFault, KernelSpec, Program, run


@ttl.operation(grid=(2, 1))
def shifted_copy(x, out):
    """Node k copies tile (k + ROW, k + SHIFT) of x to tile (0, k) of out
    (both coordinates dynamic, so no static check can see them)."""
    dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        k = ttl.node(dims=1)
        with dfb.reserve() as blk:
            ttl.copy(x[k + ROW, k + SHIFT], blk).wait()

    @ttl.datamovement()
    def write():
        k = ttl.node(dims=1)
        with dfb.wait() as blk:
            ttl.copy(blk, out[0, k]).wait()


ROW, SHIFT = 0, 0


def call(row: int, shift: int) -> torch.Tensor:
    global ROW, SHIFT
    ROW, SHIFT = row, shift
    x = torch.randn(64, 64).to(torch.bfloat16)
    out = ttnn.zeros((32, 64), dtype=ttnn.bfloat16)
    shifted_copy(ttnn.from_torch(x), out)
    return x, ttnn.to_torch(out)


def test_copies_inside_the_tensor_run():
    x, out = call(0, 0)
    assert torch.equal(out[:, :32], x[:32, :32]) and torch.equal(out[:, 32:], x[32:, 32:])


@pytest.mark.parametrize("row,shift", [(0, 1), (1, 0)], ids=["column past the width", "row past the height"])
def test_tile_outside_the_tensor_faults_at_the_copy(row, shift):
    with pytest.raises(KernelFault) as info:
        call(row, shift)
    report = str(info.value)
    line = [n for n, text in enumerate(open(__file__).read().splitlines(), 1) if "ttl.copy(x[k + ROW" in text][0]
    assert f"kernel 'read': ttl.copy_to_block at {__file__}:{line}:" in report, report
    assert "a block of 1x1 tiles at a tile row or column outside the tensor of 2x2 tiles (rows 0..1, columns 0..1 " \
           "can start a block) at read.cpp:" in report, report


def test_compile_time_argument_beyond_the_program_is_a_clear_error():
    source = ('#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n'
              "  uint32_t a = get_compile_time_arg_val(65);\n}\n")
    program = Program((1, 1), [KernelSpec("k", "dm0", source, [0, 1, 2], 0)], [])
    with pytest.raises(ValueError, match=r"^kernel k reads compile-time argument 65 \(get_compile_time_arg_val at "
                                         r"k\.cpp:4\), but the program passes 3 \(indices 0\.\.2\)$"):
        run(program, {})
