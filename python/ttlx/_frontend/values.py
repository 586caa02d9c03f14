# SPDX-License-Identifier: Apache-2.0
"""What kernel code computes with while it is translated: IR values typed by
their MLIR types, tensor slices and compile-time fills.

A Python number, bool, tuple or object from the operation body is its own
value (folded at compile time); everything the kernel computes at run time is
one of `Scalar`, `Block` or `Handle` around an `ir.Value`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..dialects.ttl import ElementType, TileType, TransferHandleType
from ..ir import BF16Type, F32Type, IndexType, IntegerType, RankedTensorType, Type, Value
from ..lang.operation import DataflowBuffer
from ..lang.ttnn import ROW_MAJOR_LAYOUT, Tensor

Acquire = Literal["wait", "reserve"]
INT_KINDS = ("index", "i32")
FLOAT_KINDS = ("f32", "bf16")


def scalar_kind(type_: Type) -> str:
    """index, i1/i16/i32/i64, bf16 or f32."""
    if isinstance(type_, IndexType):
        return "index"
    if isinstance(type_, IntegerType):
        return f"i{type_.width}"
    if isinstance(type_, BF16Type):
        return "bf16"
    if isinstance(type_, F32Type):
        return "f32"
    raise TypeError(f"not a scalar type: {type_}")


@dataclass(frozen=True, eq=False)
class Scalar:
    """An index, integer, i1 or float SSA value."""

    value: Value

    @property
    def type(self) -> Type:
        return self.value.type

    @property
    def kind(self) -> str:
        return scalar_kind(self.value.type)


@dataclass(frozen=True, eq=False)
class Block:
    """A block (tensor<...xRxCx!ttl.tile<T>>: leading batch dimensions, then
    tile rows and columns): from a DFB acquire (`dfb` and `acquire` say
    which) or computed by block math."""

    value: Value
    dfb: DataflowBuffer | None = None
    acquire: Acquire | None = None

    @property
    def type(self) -> RankedTensorType:
        return RankedTensorType(self.value.type)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.type.shape)

    @property
    def row_major(self) -> bool:
        """A block of a row-major DFB (tensor<...x!ttl.element<T>>): its
        shape counts elements."""
        return ElementType.isinstance(self.type.element_type)

    @property
    def element_type(self) -> Type:
        """bf16 or f32: the element type of its tiles (or elements)."""
        unit = self.type.element_type
        return ElementType(unit).element_type if self.row_major else TileType(unit).element_type


@dataclass(frozen=True, eq=False)
class ImplicitBroadcast(Block):
    """`ttl.math.broadcast(x, dims=[...])` without its output block (the
    older spelling, lang/deprecated.py): x broadcast along `dims` at its own
    shape (row 0 / column 0 of each tile replicated), and, where it meets a
    larger block in elementwise math, where or a store, `source` broadcast to
    that block's shape instead (BlockTranslator.implicit_broadcasts)."""

    dims: tuple[int, ...] = ()
    source: Block | None = None


@dataclass(frozen=True, eq=False)
class Handle:
    """A transfer handle (read, write, pipe_send, pipe_recv), waited with
    `.wait()`."""

    value: Value

    @property
    def kind(self) -> str:
        return str(TransferHandleType(self.value.type).kind)


@dataclass(frozen=True)
class Slice:
    """`tensor[r, c]`, `tensor[b, r0:r1, c0:c1]`: one index or slice per
    tensor dimension, tile coordinates for the last two."""

    tensor: Tensor
    starts: tuple[object, ...]  # int or Scalar
    stops: tuple[object, ...]  # the slice's ends (int or Scalar), None for a single index
    units: tuple[int, ...]  # the tensor's size: leading dimensions, then tiles (elements when row-major)

    @property
    def row_major(self) -> bool:
        return self.tensor.layout == ROW_MAJOR_LAYOUT

    @property
    def extent(self) -> tuple[int | None, ...]:
        """Extents (tiles for the last two dimensions), when known at compile
        time."""
        def count(start: object, stop: object) -> int | None:
            if stop is None:
                return 1
            return stop - start if isinstance(start, int) and isinstance(stop, int) else None

        return tuple(count(a, b) for a, b in zip(self.starts, self.stops))


def slice_units(tensor: Tensor) -> tuple[int, ...]:
    """A tensor's size as its slices count it: leading dimensions as they
    are, the last two in 32x32 tiles; in elements when it is row-major."""
    if tensor.layout == ROW_MAJOR_LAYOUT:
        return tuple(tensor.storage.shape)
    *lead, rows, cols = tensor.storage.shape
    return (*lead, rows // 32, cols // 32)


def axis_names(rank: int) -> tuple[str, ...]:
    """How errors name the dimensions of a tensor slice (a 1-d row-major
    tensor's one dimension is its columns)."""
    if rank == 1:
        return ("column",)
    return (*(f"dimension {d}" for d in range(rank - 2)), "row", "column")


@dataclass(frozen=True)
class Fill:
    """`ttl.block.fill(value, shape)`: a constant block. It takes the type
    of what it meets: a scalar operand in block math, or the block it is
    stored into; `dtype` (`fill(..., dtype=blk.dtype)`, spec 0.22) says
    which type that must be."""

    value: object
    shape: tuple[int, ...]
    dtype: object = None  # torch.bfloat16 / torch.float32, or None


def is_int(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, Scalar) and value.kind in INT_KINDS)


def is_number(value: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
        isinstance(value, Scalar) and value.kind in INT_KINDS + FLOAT_KINDS)

