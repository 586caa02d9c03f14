# SPDX-License-Identifier: Apache-2.0
"""Tiled tensors of more than two dimensions and N-d blocks (issue 16 item 9,
tt-lang spec 0.22 "Dataflow buffer"; docs/language.md "Tensors and blocks of
more than two dimensions"), and ttl.block.squeeze / unsqueeze (issue 17,
spec 0.16): the kernels run under `ttlx run` (test_differential.py compares
nd_tiled.py with tt-lang-sim; the others check against torch), and each
error a user can make with them is one located line."""

from __future__ import annotations

from pathlib import Path

import pytest
from kernel_cli import KERNELS, expect_located_error, operation_file, reading, ttlx


@pytest.mark.parametrize("kernel", ["nd_tiled.py", "nd_rank_align.py", "squeeze.py", "nd_batched.py", "nd_pipe.py",
                                    "nd_reduce.py", "nd_transpose.py", "nd_element_access.py", "tiled_1d.py"])
def test_nd_kernels_run(kernel):
    result = ttlx("run", str(KERNELS / kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_nd_tensors_in_l1(tmp_path):
    """N-d tensors placed in L1 (L1_MEMORY_CONFIG): their pages are those of
    the (prod(...) * H, W) matrix there too."""
    text = (KERNELS / "nd_tiled.py").read_text()
    old = "    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)"
    assert old in text
    path = tmp_path / "nd_l1.py"
    path.write_text(text.replace(old, old[:-1] + ", memory_config=ttnn.L1_MEMORY_CONFIG)"))
    result = ttlx("run", str(path))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


SETUP = """x = ttnn.from_torch(torch.ones(2, 64, 64, dtype=torch.bfloat16))
w = ttnn.from_torch(torch.ones(64, 64, dtype=torch.bfloat16))
y = ttnn.zeros((2, 64, 64), dtype=ttnn.bfloat16)
op(x, w, y)"""


def expect_error(tmp_path: Path, needle: str, message: str, read: str = "pass", compute: str = "pass",
                 shape: str = "(1, 1, 1)") -> None:
    dfbs = (f"x_dfb = ttl.make_dataflow_buffer_like(x, shape={shape}, block_count=2)\n"
            "w_dfb = ttl.make_dataflow_buffer_like(w, shape=(1, 1), block_count=2)")
    path, text = operation_file(tmp_path, "x, w, y", dfbs, SETUP, read=read, compute=compute)
    expect_located_error(path, text, needle, message)


SLICE_ERRORS = [  # (shape of x_dfb, the copy's source, message)
    ("(1, 1, 1)", "x[0, 0]", "this tensor has 3 dimensions: index it with 3 coordinates, batch indices then the tile "
                             "row and column (t[b, row, col])"),
    ("(1, 1, 1)", "x[0:2, 0, 0]", "the block has 1 in dimension 0 but the slice has 2; make the slice match the block "
                                  "shape"),
    ("(1, 1, 1)", "x[2, 0, 0]", "dimension 0 index 2 is outside the tensor's dimension 0 indices 0 to 1"),
    ("(3, 1, 1)", "x[0:3, 0, 0]", "the dimension 0 slice ends at 3, outside the tensor's dimension 0 indices 0 to 1 "
                                  "(the end is exclusive)"),
    ("(1, 1, 1)", "x[0.5, 0, 0]", "tensor dimension 0 bounds are integers (indices), got a float"),
    ("(2, 1, 1)", "w[0, 0]", "the block's shape (2, 1, 1) does not match the slice's shape (1, 1); make the slice "
                             "match the block shape (leading dimensions of extent 1 may be left out of either)"),
    ("(1, 1)", "x[0:2, 0, 0]", "the block's shape (1, 1) does not match the slice's shape (2, 1, 1); make the slice "
                               "match the block shape (leading dimensions of extent 1 may be left out of either)"),
]


@pytest.mark.parametrize("shape,copy,message", SLICE_ERRORS, ids=[c[1] + c[0] for c in SLICE_ERRORS])
def test_nd_slice_errors_are_located(tmp_path, shape, copy, message):
    expect_error(tmp_path, f"ttl.copy({copy}", message, read=reading(copy), shape=shape)


REDUCE_ERRORS = [  # (compute body, message)
    ("with x_dfb.wait() as a:\n    v = ttl.math.reduce_sum(a, dims=[0], shape=(1, 1, 1))",
     "a reduction of a 3-d block runs along its last two dimensions: dims must be [-1], [-2] or [-2, -1], got [0] "
     "(batch dimensions are not reduced)"),
    ("with x_dfb.wait() as a:\n    v = ttl.math.reduce_sum(a, dims=[3], shape=(1, 1, 1))",
     "dims must be [-1], [-2] or [-2, -1], got [3]"),
]


@pytest.mark.parametrize("compute,message", REDUCE_ERRORS, ids=["batch", "range"])
def test_nd_reduction_errors_are_located(tmp_path, compute, message):
    expect_error(tmp_path, "reduce_sum", message, compute=compute)


def test_an_nd_reduction_shape_it_does_not_give_is_located(tmp_path):
    compute = "with x_dfb.wait() as a:\n    v = ttl.math.reduce_sum(a, dims=[-1], shape=(1, 1))"
    expect_error(tmp_path, "reduce_sum", "'ttl.reduce_sum' op row reduction of 1x1x1 tiles gives 1x1x1 tiles, but "
                                         "the result has 1x1", compute=compute)


BATCH_ERRORS = [  # (compute body, the line's needle, message)
    ("with x_dfb.wait() as a, w_dfb.wait() as b:\n    v = a @ b", "a @ b",
     "@ multiplies blocks with the same leading (batch) dimensions, [..., M, K] @ [..., K, N]; got shapes (1, 1, 1) "
     "and (1, 1) (ttl.block.broadcast or unsqueeze one to match)"),
    ("with x_dfb.wait() as a:\n    v = ttl.block.broadcast(a, dims=[-1], shape=(1, 1, 2))", "broadcast(a",
     "ttl.block.broadcast of a 3-d block runs along leading (batch) dimensions 0 to 0 only; got dims=[-1] (squeeze "
     "the block to 2-d to broadcast inside its tiles)"),
    ("with x_dfb.wait() as a:\n    v = ttl.block.broadcast(a, dims=[0], shape=(2, 1))", "broadcast(a",
     "ttl.block.broadcast of a 3-d block takes shape= of 3 dimensions (the result's); got (2, 1)"),
    ("with x_dfb.wait() as a:\n    v = ttl.block.broadcast(a, dims=[0], shape=(2, 1, 2))", "broadcast(a",
     "ttl.block.broadcast of a block of shape (1, 1, 1) along dims=[0] cannot give shape (2, 1, 2): a broadcast "
     "dimension has extent 1, the others keep theirs"),
]


@pytest.mark.parametrize("compute,needle,message", BATCH_ERRORS, ids=["matmul", "inner", "rank", "extent"])
def test_batched_op_errors_are_located(tmp_path, compute, needle, message):
    expect_error(tmp_path, needle, message, compute=compute)


ELEMENT_ERRORS = [  # (the access after the copy, message)
    ("v = ttl.raw_element_read(blk, 0, 0)", "ttl.raw_element_read(block, i0, row, col) takes four arguments; got 3 "
                                            "arguments"),
    ("v = ttl.raw_element_read(blk, 1, 0, 0)", "index 1 of batch dimension 0 is out of range [0, 1) for a block of "
                                               "shape (1, 1, 1) tiles"),
    ("v = ttl.raw_element_read(blk, 0, 32, 0)", "row index 32 is out of range [0, 32) for a block of shape (1, 1, 1) "
                                                "tiles"),
    ("ttl.raw_element_write(blk, 0, 0, 32, 1.0)", "'ttl.element_write' op column index 32 is out of range [0, 32) for "
                                                  "a block of 1x1x1 tiles"),
]


@pytest.mark.parametrize("access,message", ELEMENT_ERRORS, ids=["count", "batch", "row", "column"])
def test_nd_element_access_errors_are_located(tmp_path, access, message):
    read = reading("x[0, 0, 0]") + "\n    " + access
    expect_error(tmp_path, access.split("(")[0].split()[-1], message, read=read)


VIEW_ERRORS = [  # (x_dfb's shape, the call, message)
    ("(1, 1, 1)", "ttl.block.squeeze(a, dims=[3])", "ttl.block.squeeze: dimension 3 is out of range for the block's 3 "
                                                    "dimensions"),
    ("(1, 1, 1)", "ttl.block.squeeze(a, dims=[0, -3])", "ttl.block.squeeze: dims lists dimension 0 twice"),
    ("(2, 1, 1)", "ttl.block.squeeze(a, dims=[0])", "ttl.block.squeeze removes dimension 0 of extent 2; only "
                                                    "dimensions of extent 1 can be removed"),
    ("(1, 1, 1)", "ttl.block.squeeze(a, dims=[0, 1])", "ttl.block.squeeze would leave a block of shape (1,); a tiled "
                                                       "block keeps at least two dimensions (tile rows and columns)"),
    ("(1, 1, 1)", "ttl.block.unsqueeze(a, dims=[4])", "ttl.block.unsqueeze: dimension 4 is out of range for the "
                                                      "result's 4 dimensions"),
    ("(1, 1, 1)", "ttl.block.squeeze(a, dims='x')", "dims of ttl.block.squeeze is a list of dimension indices known "
                                                    "at compile time; got 'x'"),
    ("(1, 1, 1)", "ttl.block.squeeze(2.0, dims=[0])", "ttl.block.squeeze takes a block"),
    ("(1, 1, 1)", "ttl.block.squeeze(a)", "ttl.block.squeeze(x, dims=[...]) takes two arguments; got 1 argument"),
]


@pytest.mark.parametrize("shape,call,message", VIEW_ERRORS, ids=[c[1] + c[0] for c in VIEW_ERRORS])
def test_shape_view_errors_are_located(tmp_path, shape, call, message):
    expect_error(tmp_path, call, message, compute=f"with x_dfb.wait() as a:\n    v = {call}", shape=shape)


def test_shape_view_in_a_data_movement_thread_is_located(tmp_path):
    read = reading("x[0, 0, 0]") + "\n    v = ttl.block.squeeze(blk, dims=[0])"
    expect_error(tmp_path, "ttl.block.squeeze(blk", "ttl.block.squeeze is block math, which runs on compute "
                 "threads, but 'read' is a data-movement thread; compute in the @ttl.compute function (data-movement "
                 "threads move blocks with ttl.copy)", read=read)


@pytest.mark.parametrize("copy, message", [
    ("x[0, 0, 0:2]", "this TILE_LAYOUT vector is indexed with one tile coordinate, t[c0:c1] (a tile holds 32 of "
                     "its elements), or two, t[0, c0:c1] (row 0 of its tiles)"),
    ("x[3:5]", "the column slice ends at 5, outside the tensor's tile columns 0 to 3 (the end is exclusive)"),
    ("x[0:1]", "the block has 2 tile columns but the slice has 1; make the slice match the block shape"),
], ids=["two coordinates", "past the end", "block shape"])
def test_1d_tiled_slice_errors_are_located(tmp_path, copy, message):
    """A 1-d TILE tensor of 128 elements is 4 tiles of 32 (tiled_1d.py runs;
    the spec's two-coordinate form x[0, c0:c1] is vector_scalar_tiles.py's)."""
    setup = ("x = ttnn.Tensor(torch.ones(128, dtype=torch.bfloat16))\n"
             "y = ttnn.Tensor(torch.zeros(128, dtype=torch.bfloat16))\nop(x, y)")
    path, text = operation_file(tmp_path, "x, y", "x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2,), block_count=2)",
                                setup, read=reading(copy))
    expect_located_error(path, text, f"ttl.copy({copy}", message)


def test_nd_copy_ir(tmp_path):
    """The copy carries one index per tensor dimension; the DFB its N-d shape."""
    result = ttlx("compile", str(KERNELS / "nd_tiled.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    assert "!ttl.dfb<[1, 2, 3], bf16, 2>" in result.stdout
    assert "tensor<2x64x96xbf16>, tensor<1x2x3x!ttl.tile<bf16>>" in result.stdout
    assert "!ttl.dfb<[1, 1, 1, 2], bf16, 2>" in result.stdout
