# SPDX-License-Identifier: Apache-2.0
"""Tile layout: 32x32 tiles row-major, each four 16x16 faces in row-major
face order, row-major inside a face (as in L1 and DRAM on the device).
A tensor (..., H, W) has the tiles of the (prod(...) * H, W) matrix.

`tilize` / `untilize` are torch references; the rest convert CPU tensors
with the runtime's native copies (runtime/src/Layout.cpp), which wake no
torch worker threads."""

from __future__ import annotations

import torch


def tilize(x: torch.Tensor) -> torch.Tensor:
    """[H, W] -> flat tiles, tile (i, j) at page i * (W/32) + j."""
    h, w = x.shape
    t = x.reshape(h // 32, 2, 16, w // 32, 2, 16)
    return t.permute(0, 3, 1, 4, 2, 5).contiguous().reshape(-1)


def untilize(flat: torch.Tensor, shape: tuple[int, int]) -> torch.Tensor:
    h, w = shape
    t = flat.reshape(h // 32, w // 32, 2, 2, 16, 16)
    return t.permute(0, 2, 4, 1, 3, 5).contiguous().reshape(h, w)


def rows_cols(t: torch.Tensor) -> tuple[int, int]:
    """The rows and columns of the matrix whose tiles `t` has."""
    return (t.numel() // t.shape[-1] if t.numel() else 0, t.shape[-1])


def _lib():
    from . import native

    return native.library()


def tilize_in_place(t: torch.Tensor) -> None:
    """Puts the values of contiguous `t` in tile order, where they are."""
    if t.numel():
        _lib().ttlx_rt_tilize_in_place(t.data_ptr(), *rows_cols(t), t.element_size())


def untilize_in_place(t: torch.Tensor) -> None:
    """Puts the values of contiguous `t`, in tile order, back in rows."""
    if t.numel():
        _lib().ttlx_rt_untilize_in_place(t.data_ptr(), *rows_cols(t), t.element_size())


def tilize_into(rows: torch.Tensor, tiles: torch.Tensor, row_stride: int | None = None) -> torch.Tensor:
    """Copies `rows` into contiguous `tiles` (same size and dtype) in tile
    order; returns `tiles`. `rows` is contiguous, or its matrix has its rows
    `row_stride` elements apart (any stride, 0 included), each row's
    elements side by side."""
    if rows.numel():
        h, w = rows_cols(rows)
        stride = w if row_stride is None else row_stride
        _lib().ttlx_rt_tilize_copy(rows.data_ptr(), tiles.data_ptr(), h, w, rows.element_size(),
                                   stride * rows.element_size())
    return tiles


def untilize_into(tiles: torch.Tensor, rows: torch.Tensor, row_stride: int | None = None) -> torch.Tensor:
    """Copies contiguous `tiles` (in tile order) into `rows` in row order;
    returns `rows`. `rows` is contiguous, or its matrix has its rows
    `row_stride` elements apart, not overlapping."""
    if rows.numel():
        h, w = rows_cols(rows)
        stride = w if row_stride is None else row_stride
        _lib().ttlx_rt_untilize_copy(tiles.data_ptr(), rows.data_ptr(), h, w, rows.element_size(),
                                     stride * rows.element_size())
    return rows
