# SPDX-License-Identifier: Apache-2.0
"""`ttl.make_dataflow_buffer_like`'s value: what the compiler knows of a DFB.
Its own module so that the operation cache reads it without importing
`operation` (which imports the cache)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import torch


@dataclass(eq=False)
class DataflowBuffer:
    """`ttl.make_dataflow_buffer_like`: a DFB of `block_count` blocks of
    `shape` tiles ((..., rows, cols): leading batch dimensions, then tiles);
    its methods are compiled, not called."""

    index: int
    shape: tuple[int, ...]
    dtype: torch.dtype
    block_count: int
    site: tuple[str, int, int] | None = None  # where the user made it (None: made by the compiler)

    def _outside(self, *_: object, **__: object) -> NoReturn:
        raise RuntimeError("DFB methods run only inside @ttl.compute / @ttl.datamovement functions")

    reserve = wait = push = pop = _outside
