# SPDX-License-Identifier: Apache-2.0
"""Tile layout: 32x32 tiles row-major, each four 16x16 faces in row-major
face order, row-major inside a face (as in L1 and DRAM on the device)."""

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
