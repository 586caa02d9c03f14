# SPDX-License-Identifier: Apache-2.0
"""Host-side tensors of the Engram TT kernels.

The kernels run in float32 with a 32-bit DST, or in bfloat16 with a 16-bit
DST (no fp32 accumulation), as the original port ran on Wormhole. At 32K
tokens one [L, 4 * 1024] float32 tensor is 512 MiB, so the wrappers make no
copy they can avoid: a tensor already in the kernel's dtype becomes the
DRAM buffer itself (the kernels read its tile pages from its rows where it
is, docs/runtime.md "Host I/O"), and outputs are written in rows where they
are and returned as views of their DRAM buffer."""

from __future__ import annotations

import torch

from ttlx.lang import ttnn

TILE = 32
DTYPES = {"f32": torch.float32, "bf16": torch.bfloat16}


def fp32_dest(dtype: torch.dtype) -> bool:
    """A 32-bit DST for float32 kernels; bfloat16 ones keep a 16-bit DST."""
    if dtype not in DTYPES.values():
        raise ValueError(f"the Engram kernels run in float32 or bfloat16, not {dtype}")
    return dtype == torch.float32


def device_tensor(t: torch.Tensor, dtype: torch.dtype) -> ttnn.Tensor:
    """`t` in `dtype` as a DRAM tensor, without a copy when it already is:
    the run reads it where it is and leaves it as it was."""
    return ttnn.Tensor(t.to(dtype))


def output_tensor(shape: tuple[int, int], dtype: torch.dtype) -> ttnn.Tensor:
    """A DRAM tensor for an output the kernel writes whole (every tile,
    padding rows included), in rows: its memory is not filled first, which
    at 32K tokens would be one more pass over 512 MiB, and the kernels'
    writes put their tiles in rows, so reading it converts nothing."""
    rows, cols = shape
    storage = torch.empty(-(-rows // TILE) * TILE, -(-cols // TILE) * TILE, dtype=dtype)
    return ttnn.Tensor(storage, shape=shape)


def values(t: ttnn.Tensor) -> torch.Tensor:
    """The logical values of a DRAM tensor, a view of its storage."""
    return t.data[tuple(slice(0, s) for s in t.shape)]


def tile_row(weight: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """Per-column weights [G, D] in `dtype` as a [32, G*D] tile-row whose
    rows all hold them, so tile math applies them elementwise: one row
    repeated (converted before it is), which the run tilizes natively."""
    return weight.to(dtype).reshape(1, -1).expand(TILE, -1)
