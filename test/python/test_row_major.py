# SPDX-License-Identifier: Apache-2.0
"""ROW_MAJOR_LAYOUT tensors and DFBs whose shapes count elements (issue 16
item 9, issue 17 "row-major DFBs"; docs/language.md "Row-major tensors"):
test/kernels/row_major.py runs under `ttlx run` (test_differential.py
compares it with tt-lang-sim), and each error a user can make with them is
one located line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from kernel_cli import KERNELS, expect_located_error, operation_file, reading, tt_lang_sim, ttlx

def setup(y_layout: str = "ROW_MAJOR_LAYOUT", y_shape: str = "6, 40") -> str:
    return ("x = ttnn.from_torch(torch.ones(6, 40, dtype=torch.bfloat16), layout=ttnn.ROW_MAJOR_LAYOUT)\n"
            f"y = ttnn.from_torch(torch.zeros({y_shape}, dtype=torch.bfloat16), layout=ttnn.{y_layout})\n"
            "op(x, y)  # the call")


def kernel(tmp_path: Path, read: str = "pass", compute: str = "pass", shape: str = "(2, 20)") -> tuple[Path, str]:
    return operation_file(tmp_path, "x, y", f"x_dfb = ttl.make_dataflow_buffer_like(x, shape={shape}, block_count=2)",
                          setup(), read=read, compute=compute)


def test_row_major_kernels_run():
    result = ttlx("run", str(KERNELS / "row_major.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


SLICE_ERRORS = [  # (the copy's source, message)
    ("x[0]", "this ROW_MAJOR_LAYOUT tensor has 2 dimensions: index it with 2 element coordinates"),
    ("x[0:2, 0:10]", "the block has 20 columns (elements) but the slice has 10; make the slice match the block shape"),
    ("x[0:2, 30:50]", "the column slice ends at 50, outside the tensor's columns 0 to 39 (the end is exclusive)"),
    ("x[6:8, 0:20]", "row 6 is outside the tensor's rows 0 to 5"),
    ("x[0:2, 0.5:20]", "tensor column bounds are integers (element coordinates), got a float"),
]


@pytest.mark.parametrize("copy, message", SLICE_ERRORS)
def test_row_major_slice_errors_are_located(tmp_path, copy, message):
    path, text = kernel(tmp_path, read=reading(copy))
    expect_located_error(path, text, "ttl.copy(", message)


def test_a_tiled_dfb_of_a_row_major_tensor_copy_is_located(tmp_path):
    # y is tiled; a DFB like y copied from the row-major x.
    read = "with y_dfb.reserve() as blk:\n    ttl.copy(x[0:32, 0:32], blk).wait()"
    dfbs = ("y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)\n"
            "x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 20), block_count=2)")
    path, text = operation_file(tmp_path, "x, y", dfbs, setup("TILE_LAYOUT", "32, 64"), read=read)
    expect_located_error(path, text, "ttl.copy(", "a ROW_MAJOR_LAYOUT tensor is copied to and from blocks of DFBs "
                                                  "made like a ROW_MAJOR_LAYOUT tensor, and a TILE_LAYOUT tensor with "
                                                  "tiled DFBs; this tensor is row-major and the block's DFB tiled")


def test_row_major_math_kernels_run():
    # test/kernels/row_major_math.py is also compared with tt-lang-sim
    # (test_differential.py); row_major_fill.py has fills and numbers, which
    # tt-lang-sim does not take with row-major blocks, checked against torch.
    for name in ("row_major_math.py", "row_major_fill.py"):
        result = ttlx("run", str(KERNELS / name))
        assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


@pytest.mark.parametrize("call, what, kind", [
    ("ttl.math.reduce_sum(a, dims=[-1], shape=(2, 1))", "ttl.math.reduce_sum", "reduction"),
    ("ttl.math.reduce_max(a * a, dims=[0], shape=(1, 20))", "ttl.math.reduce_max", "reduction"),
    ("ttl.block.broadcast(a, dims=[-1], shape=(2, 20))", "ttl.block.broadcast", "broadcast"),
])
def test_reductions_and_broadcasts_of_a_row_major_block_are_located(tmp_path, call, what, kind):
    """The specification forbids them (appendix B); the message quotes it."""
    path, text = kernel(tmp_path, compute=f"with x_dfb.wait() as a:\n    b = {call}")
    expect_located_error(path, text, call, f"{what} of a row-major block: tt-lang's specification (appendix B) says "
                                           f"'For row-major blocks {kind} is not supported', and this block is of a "
                                           "DFB made like a ROW_MAJOR_LAYOUT tensor; make the tensor with "
                                           f"layout=ttnn.TILE_LAYOUT for a {kind}")


def test_matmul_and_transpose_kernels_run():
    # test/kernels/row_major_matmul.py is also compared with tt-lang-sim
    # (test_differential.py); row_major_transpose.py is checked against torch
    # (tt-lang-sim transposes tiled blocks only).
    for name in ("row_major_matmul.py", "row_major_transpose.py"):
        result = ttlx("run", str(KERNELS / name))
        assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


@pytest.mark.parametrize("call, what, shape", [
    ("a @ a", "@", "(20, 20)"),
    ("ttl.block.transpose(a)", "ttl.block.transpose", "(2, 20)"),
    ("ttl.block.transpose(a)", "ttl.block.transpose", "(40,)"),
])
def test_matmul_and_transpose_of_partial_tiles_are_located(tmp_path, call, what, shape):
    """ttlx tilizes row-major operands (tilize_block), which takes whole
    tiles: blocks whose last two dimensions are not multiples of 32 are
    refused at the call."""
    path, text = kernel(tmp_path, compute=f"with x_dfb.wait() as a:\n    b = {call}", shape=shape)
    expect_located_error(path, text, call, f"ttlx computes {what} of row-major blocks on tiles (tilize_block takes "
                                           "whole 32x32 tiles), so the last two dimensions of each operand must be "
                                           f"multiples of 32, but this one has shape {shape}; give its DFB such a "
                                           "shape (pad the tensor)")


def test_matmul_of_row_major_blocks_with_other_inner_dimensions_is_located(tmp_path):
    path, text = operation_file(
        tmp_path, "x, y", "x_dfb = ttl.make_dataflow_buffer_like(x, shape=(32, 64), block_count=2)",
        "x = ttnn.from_torch(torch.ones(32, 64, dtype=torch.bfloat16), layout=ttnn.ROW_MAJOR_LAYOUT)\n"
        "op(x, x)  # the call", compute="with x_dfb.wait() as a:\n    b = a @ a")
    expect_located_error(path, text, "a @ a", "@ multiplies [..., M, K] by [..., K, N] elements; the inner "
                                              "dimensions of shapes (32, 64) and (32, 64) differ")


def test_matmul_of_a_row_major_and_a_tiled_block_is_located(tmp_path):
    path, text = operation_file(
        tmp_path, "x, y", "x_dfb = ttl.make_dataflow_buffer_like(x, shape=(32, 32), block_count=2)\n"
        "y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)",
        "x = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16), layout=ttnn.ROW_MAJOR_LAYOUT)\n"
        "y = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)\n"
        "op(x, y)  # the call", compute="with x_dfb.wait() as a, y_dfb.wait() as t:\n    b = a @ t")
    expect_located_error(path, text, "a @ t", "@ " + MIXED)


def test_tilized_operands_beyond_l1_are_located(tmp_path):
    """A (384, 1024) bf16 operand is 768 KiB; its tilized copy, which ttlx
    allocates, takes the operation's DFBs past the 1464 KiB of L1."""
    path, text = operation_file(
        tmp_path, "x, w", "x_dfb = ttl.make_dataflow_buffer_like(x, shape=(384, 1024), block_count=1)\n"
        "w_dfb = ttl.make_dataflow_buffer_like(w, shape=(1024, 32), block_count=1)",
        "x = ttnn.from_torch(torch.ones(384, 1024, dtype=torch.bfloat16), layout=ttnn.ROW_MAJOR_LAYOUT)\n"
        "w = ttnn.from_torch(torch.ones(1024, 32, dtype=torch.bfloat16), layout=ttnn.ROW_MAJOR_LAYOUT)\n"
        "op(x, w)  # the call", compute="with x_dfb.wait() as a, w_dfb.wait() as b:\n    c = a @ b")
    expect_located_error(path, text, "a @ b", "the tilized copy of a row-major block @ reads goes to a DFB the "
                                              "compiler allocates (12x32 tiles), but the operation's DFBs then need "
                                              "1600 KiB of the 1464 KiB of L1; use smaller blocks")


def test_row_major_views_and_element_access_match_tt_lang_sim(tmp_path):
    """test/kernels/row_major_views.py: squeeze/unsqueeze and element access
    on row-major blocks; small integers moved or doubled and squared: exact."""
    kernel_path = KERNELS / "row_major_views.py"
    sim_out, ttlx_out = tmp_path / "sim.npy", tmp_path / "ttlx.npy"
    for result in (tt_lang_sim(str(kernel_path), str(sim_out)), ttlx("run", str(kernel_path), str(ttlx_out))):
        assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr
    np.testing.assert_array_equal(np.load(ttlx_out), np.load(sim_out))


MIXED = ("combines a block of a DFB made like a ROW_MAJOR_LAYOUT tensor with a tiled block; their elements lie in "
         "different orders, so both must have one layout (make the tensors with the same layout=)")


@pytest.mark.parametrize("compute, needle, what", [
    ("with x_dfb.wait() as a, y_dfb.wait() as t:\n    b = a + t", "b = a + t", "block math"),
    ("with x_dfb.wait() as a, y_dfb.reserve() as t:\n    t.store(ttl.math.exp(a))", "t.store", "store"),
    ("with x_dfb.wait() as a, y_dfb.wait() as t:\n    b = ttl.block.where(t, a, 0.0)", "ttl.block.where",
     "ttl.block.where"),
])
def test_row_major_and_tiled_blocks_in_one_expression_are_located(tmp_path, compute, needle, what):
    # x is row-major, y tiled; both DFBs' blocks have 2x20 units.
    dfbs = ("x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 20), block_count=2)\n"
            "y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 20), block_count=2)")
    path, text = operation_file(tmp_path, "x, y", dfbs, setup("TILE_LAYOUT", "64, 640"), compute=compute)
    expect_located_error(path, text, needle, f"{what} {MIXED}")


def test_a_fill_kept_across_loops_with_tiled_and_row_major_dfbs_of_its_shape_is_located(tmp_path):
    dfbs = ("x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 20), block_count=2)\n"
            "y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 20), block_count=2)")
    compute = ("acc = ttl.block.fill(0.0, shape=(2, 20))\nfor _ in range(2):\n    with x_dfb.wait() as a:\n"
               "        acc += a")
    path, text = operation_file(tmp_path, "x, y", dfbs, setup("TILE_LAYOUT", "64, 640"), compute=compute)
    # At the loop, where the fill would be put in a DFB to carry it.
    expect_located_error(path, text, "for _ in range(2)", "block variable 'acc' starts as a fill of shape (2, 20), which is "
                                                 "ambiguous in an operation with tiled and row-major DFBs of that "
                                                 "shape; start it from a block expression (for example x * 0.0)")


WAITING_WRITER = "def write():\n        with x_dfb.wait() as blk:\n            pass"  # pops what read pushed


@pytest.mark.parametrize("coords, message", [
    ("2, 0", "index 2 of dimension 0 is out of range [0, 2) for a block of shape (2, 20) elements"),
    ("0, 20", "index 20 of dimension 1 is out of range [0, 20) for a block of shape (2, 20) elements"),
])
def test_element_access_out_of_a_row_major_block_is_located(tmp_path, coords, message):
    read = f"with x_dfb.reserve() as blk:\n    ttl.element_write(blk, {coords}, 1.0)"
    path, text = kernel(tmp_path, read=read)
    expect_located_error(path, text, "element_write", message)


def test_a_run_time_index_out_of_a_row_major_block_faults_at_the_access(tmp_path):
    # Column 15 + 5 = 20 of a 2x20 block: the runtime's check of the access.
    read = ("with x_dfb.reserve() as blk:\n    ttl.copy(x[0:2, 0:20], blk).wait()\n"
            "    for c in range(6):\n        ttl.element_write(blk, 1, 15 + c, 1.0)")
    path, text = kernel(tmp_path, read=read)
    text = text.replace("def write():\n        pass", WAITING_WRITER)
    path.write_text(text)
    result = ttlx("run", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "element_write" in t)
    assert f"{path}:{line}" in result.stderr, result.stderr
    assert "coordinates out of range for a block of 2x20 elements (rows < 2, columns < 20)" in result.stderr, \
        result.stderr


PRINTED = re.compile(r"^0:\(x=0,y=0\):(?:BR|TR): (.*)$")  # a line the kernel printed, without its prefix


def test_printing_a_row_major_block_in_a_data_movement_thread_prints_its_rows(tmp_path):
    read = ("with x_dfb.reserve() as blk:\n    ttl.copy(x[2:4, 0:20], blk).wait()\n"
            "    ttl.element_write(blk, 1, 19, 2.5)\n    print(\"x\", blk)")
    path, text = kernel(tmp_path, read=read)
    text = text.replace("def write():\n        pass", WAITING_WRITER)
    path.write_text(text)
    result = ttlx("run", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [m.group(1) for m in map(PRINTED.match, result.stdout.splitlines()) if m]
    assert lines == ["x<Block shape=(2, 20)>", "  " + " ".join(["1"] * 20), "  " + " ".join(["1"] * 19 + ["2.5"])], \
        result.stdout


def test_printing_a_row_major_block_in_a_compute_thread_prints_its_pages(tmp_path):
    """print_full_tile(cb, page, false): a 2x20 block's one page in memory
    order, 32 elements a line: its 40 elements, then the page's tail."""
    path, text = kernel(tmp_path, read=reading("x[0:2, 0:20]"), compute="with x_dfb.wait() as blk:\n    print(blk)")
    result = ttlx("run", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [m.group(1) for m in map(PRINTED.match, result.stdout.splitlines()) if m]
    assert lines[:2] == ["<Block shape=(2, 20)>", "======"] and lines[34:] == ["++++++"], result.stdout
    assert lines[2].split() == ["0:"] + ["1"] * 32, result.stdout
    assert lines[3].split()[:9] == ["1:"] + ["1"] * 8, result.stdout


@pytest.mark.parametrize("shape", ["()", "(0, 4)", "(2, 2.5)"])
def test_a_row_major_dfb_shape_is_checked_at_its_make_call(tmp_path, shape):
    path, text = kernel(tmp_path, shape=shape)
    expect_located_error(path, text, "make_dataflow_buffer_like", "shape= of a dataflow buffer like a "
                                                                  "ROW_MAJOR_LAYOUT tensor is in elements: one or "
                                                                  "more positive integers")


def test_a_row_major_tensor_in_l1_is_an_error_at_the_call(tmp_path):
    path, text = kernel(tmp_path)
    text = text.replace("layout=ttnn.ROW_MAJOR_LAYOUT)\ny =",
                        "layout=ttnn.ROW_MAJOR_LAYOUT, memory_config=ttnn.L1_MEMORY_CONFIG)\ny =")
    path.write_text(text)
    expect_located_error(path, text, "# the call", "tensor argument 0 is a ROW_MAJOR_LAYOUT tensor in L1; ttlx keeps "
                                                 "row-major tensors in DRAM")


def test_a_dynamic_start_outside_the_tensor_faults_at_the_copy(tmp_path):
    # 30 + 20 columns run past the 40 of the tensor: the runtime's check.
    read = "c = 30 + ttl.node(dims=1)\n" + reading("x[0:2, c:c + 20]")
    path, text = kernel(tmp_path, read=read)
    text = text.replace("def write():\n        pass", WAITING_WRITER)
    path.write_text(text)
    result = ttlx("run", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "ttl.copy(" in t)
    assert f"{path}:{line}" in result.stderr, result.stderr
    assert ("a block of 2x20 elements at coordinates outside the tensor of 6x40 elements (starts 0..4, 0..20 can "
            "start a block)") in result.stderr, result.stderr


# ----- the runtime: row-major DRAM tensors, parts of pages through get_noc_addr -----

def row_major_run(body: str) -> torch.Tensor:
    """A hand-written data-movement kernel over a (4, 16) bf16 row-major
    tensor (pages of one 32-byte row), with a 64-byte DFB; returns the
    tensor after the run."""
    from ttlx.runtime import DFBSpec, KernelSpec, Program, run

    source = ('#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n'
              "  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 32);\n"
              "  cb_reserve_back(0, 1);\n  uint32_t l1 = get_write_ptr(0);\n" + body + "\n}\n")
    t = torch.arange(64, dtype=torch.float32).reshape(4, 16).to(torch.bfloat16)
    run(Program((1, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 64, 1)]), {"k": [t]},
        row_major={id(t)})
    return t


def test_part_of_a_row_is_read_and_written_through_get_noc_addr():
    # Elements 4..11 of row 2 into L1, then written over elements 0..7 of row 0.
    t = row_major_run("noc_async_read(get_noc_addr(2, s, 8), l1, 16); noc_async_read_barrier();\n"
                      "noc_async_write(l1, get_noc_addr(0, s, 0), 16); noc_async_write_barrier();")
    want = torch.arange(64, dtype=torch.float32).reshape(4, 16)
    want[0, 0:8] = want[2, 4:12]
    assert torch.equal(t.float(), want)


@pytest.mark.parametrize("body, message", [
    ("noc_async_read(get_noc_addr(1, s, 16), l1, 32);",
     "noc_async_read of 32 bytes at DRAM address 0x1030 does not lie in one page of its tensor"),
    ("noc_async_write(l1, get_noc_addr(3, s, 30), 4);",
     "noc_async_write of 4 bytes at DRAM address 0x107e does not lie in one page of its tensor"),
    ("uint64_t a = get_noc_addr(4, s, 0);", "DRAM page 4 is out of bounds: the buffer at 0x1000 has 4 page(s) of 32 "
                                            "bytes"),
    ("uint64_t a = get_noc_addr(0, s, 32);", "get_noc_addr: offset 32 is past page 0 of 32 bytes"),
], ids=["read past the row", "write past the row", "page out of range", "offset past the page"])
def test_a_transfer_that_leaves_its_row_faults(body, message):
    from ttlx.runtime import KernelFault

    with pytest.raises(KernelFault) as info:
        row_major_run(body)
    assert message in str(info.value), str(info.value)
    assert "core (0, 0) dm0 kernel 'k': " in str(info.value) and "k.cpp:" in str(info.value)
