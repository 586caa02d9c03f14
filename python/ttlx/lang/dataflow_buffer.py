# SPDX-License-Identifier: Apache-2.0
"""`ttl.make_dataflow_buffer_like`'s value: what the compiler knows of a DFB.
Its own module so that the operation cache reads it without importing
`operation` (which imports the cache)."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any, NoReturn

import torch

from .. import hardware
from .errors import KernelError, user_site


def pages_per_block(shape: tuple[int, ...], row_major: bool) -> int:
    """DFB pages (one tile each) in a block of `shape`: its tiles; when
    row-major, the tiles its elements fill, row-major from the first page
    (the last page's tail is padding, so that the compute engines, which
    unpack and pack whole tiles, compute elementwise on it in place)."""
    units = prod(shape)
    per_tile = hardware.TILE_ROWS * hardware.TILE_COLS
    return -(-units // per_tile) if row_major else units


@dataclass(eq=False)
class DataflowBuffer:
    """`ttl.make_dataflow_buffer_like`: a DFB of `block_count` blocks of
    `shape` tiles ((..., rows, cols): leading batch dimensions, then tiles;
    elements, of any rank, when `row_major`: a DFB like a ROW_MAJOR_LAYOUT
    tensor); its methods are compiled, not called. `backing`: the ttnn tensor whose
    L1 holds its pages from `byte_offset` on (`ttl.make_tensor_backed_dfb`);
    `group`: the ordinal, in its operation, of the allocation group whose
    storage it shares."""

    index: int
    shape: tuple[int, ...]
    dtype: torch.dtype
    block_count: int
    site: tuple[str, int, int] | None = None  # where the user made it (None: made by the compiler)
    backing: Any = None
    byte_offset: int = 0
    group: int | None = None
    row_major: bool = False
    made_for: str = ""  # what the compiler made it for, at `site` (a pipe send's staging block); "": the user's

    @property
    def block_bytes(self) -> int:
        """L1 bytes of one block: its pages, a tile of its dtype each."""
        tile = hardware.TILE_ROWS * hardware.TILE_COLS * (4 if self.dtype == torch.float32 else 2)
        return pages_per_block(self.shape, self.row_major) * tile

    def _outside(self, *_: object, **__: object) -> NoReturn:
        raise KernelError("DFB methods run only inside @ttl.compute / @ttl.datamovement functions", *user_site())

    reserve = wait = push = pop = publish = _outside


class DFBAllocationGroup:
    """`ttl.make_dfb_allocation_group()`: DFBs made with the same group
    (`allocation_group=`) share one L1 region, the size of the largest;
    their lifetimes must not overlap (the runtime checks it on every core)."""

    def __repr__(self) -> str:
        return f"DFBAllocationGroup(at 0x{id(self):x})"
