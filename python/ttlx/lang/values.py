# SPDX-License-Identifier: Apache-2.0
"""What kernel code computes with while it is compiled: IR values and
tensor slices."""

from __future__ import annotations

from dataclasses import dataclass

from .operation import DataflowBuffer
from .ttnn import Tensor


@dataclass
class V:
    """An SSA value of the function being built."""

    name: str
    type: str
    kind: str  # index, i1, f32, bf16, block, handle
    shape: tuple[int, int] = (0, 0)
    dfb: DataflowBuffer | None = None
    acquire: str = ""  # "wait" or "reserve" for blocks


@dataclass
class Slice:
    tensor: Tensor
    row: object  # int or V (tile coordinates)
    col: object
    extent: tuple[object, object]  # tile counts when given by a Python slice
