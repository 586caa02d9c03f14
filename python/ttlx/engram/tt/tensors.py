# SPDX-License-Identifier: Apache-2.0
"""Host-side tensors of the Engram TT kernels."""

from __future__ import annotations

import torch

from ttlx.lang import ttnn

TILE = 32


def float32_tensor(t: torch.Tensor) -> ttnn.Tensor:
    return ttnn.from_torch(t.float().contiguous(), dtype=ttnn.float32)


def tile_row(weight: torch.Tensor) -> torch.Tensor:
    """Per-column weights [G, D] as a [32, G*D] tile-row whose rows all hold
    them, so tile math applies them elementwise."""
    return weight.reshape(1, -1).expand(TILE, -1)
