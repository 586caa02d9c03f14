# SPDX-License-Identifier: Apache-2.0
"""Idioms of tt-lang's spec example files that ttlx ran into (the spec-0.22
sweep, docs/testing.md): TILE_LAYOUT vectors and scalars as kernel tensors,
`Tensor.tile`, a row-major scalar's padded shape, a reserved block copied
out before its push, and the grid in three dimensions; through `ttlx run`
(test/kernels/vector_scalar_tiles.py, against torch) and the errors at the
user's line."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from kernel_cli import KERNELS, expect_located_error, ttlx
from ttlx.lang import ttnn


def test_vectors_and_scalars_in_tiles_run_against_torch():
    result = ttlx("run", str(KERNELS / "vector_scalar_tiles.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


@pytest.mark.parametrize("shape,padded,tiles", [((), (32, 32), (1, 1)), ((40,), (32, 64), (1, 2)),
                                                ((2, 40), (32, 64), (1, 2))])
def test_tile_layout_shapes_as_the_spec_gives_them(shape, padded, tiles):
    """The spec's table: a vector is row 0 of a row of tiles, a scalar
    element (0, 0) of one tile; to_torch gives back the logical shape."""
    values = torch.arange(int(torch.tensor(shape).prod()) if shape else 1, dtype=torch.float32).reshape(shape)
    t = ttnn.from_torch(values, layout=ttnn.TILE_LAYOUT)
    assert tuple(t.padded_shape) == padded and t.tile.tile_shape == (32, 32)
    assert ttnn.tile_shape_from_shape(t.padded_shape)[-2:] == tiles
    assert torch.equal(ttnn.to_torch(t), values)
    if len(shape) < 2:
        assert torch.equal(t.data[0, :values.numel()], values.reshape(-1))  # row 0
        assert not t.data[1:].any() and not t.data[0, values.numel():].any()


def test_a_row_major_scalar_is_one_element():
    t = ttnn.from_torch(torch.tensor(2.5), layout=ttnn.ROW_MAJOR_LAYOUT)
    assert list(t.padded_shape) == [1] and tuple(t.shape) == () and ttnn.to_torch(t).item() == 2.5


KERNEL = '''
import torch, ttnn, ttl

@ttl.operation(grid=(2, 1))
def op(x):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    {body}

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
            {reader}

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a:
            pass

op(ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16)))
'''


@pytest.mark.parametrize("body,reader,needle,message", [
    ("n = ttl.grid_size(dims=0)", "pass", "n = ttl", "ttl.grid_size takes dims=1 to 8, got 0"),
    ("pass", "n = ttl.grid_size(dims=0)", "n = ttl", "ttl.grid_size takes dims=1 to 8, got 0"),
    ("pass", "i, j, k = ttl.node(dims='3')", "i, j, k", "ttl.node takes dims=1 to 8, got '3'"),
    # A fuzz finding: a huge count used to be an internal MemoryError.
    ("pass", "n = ttl.node(dims=9223372036854775807)", "n = ttl", "ttl.node takes dims=1 to 8, got "
                                                                 "9223372036854775807"),
    ("pass", "n = ttl.grid_size(dims=9)", "n = ttl", "ttl.grid_size takes dims=1 to 8, got 9"),
])
def test_grid_dimensions_that_are_no_positive_count_are_errors(tmp_path: Path, body, reader, needle, message):
    path = tmp_path / "kernel.py"
    text = KERNEL.replace("{body}", body).replace("{reader}", reader)
    path.write_text(text)
    expect_located_error(path, text, needle, message)
