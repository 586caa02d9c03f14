# SPDX-License-Identifier: Apache-2.0
"""The function being built: where ops go, the user's locations and errors,
the thread's tensor arguments and DFB handles.

Every translator shares one Emitter per thread function. Ops are created
through the generated dialect bindings at the current `InsertionPoint`,
under the `Location` of the AST node they come from (`with emitter.at(node)`).
"""

from __future__ import annotations

import ast
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from .. import hardware
from ..dialects import ttl
from ..ir import (Attribute, BF16Type, Block as IRBlock, F32Type, IndexType, InsertionPoint, IntegerAttr, IntegerType,
                  Location, RankedTensorType, Type, Value)
from ..lang.errors import KernelError
from ..lang.operation import DataflowBuffer, OperationContext, Thread, dtype_name
from ..lang.ttnn import ROW_MAJOR_LAYOUT, Tensor
from .source import Scope


def scalar_type(kind: str) -> Type:
    """The MLIR type of a scalar kind (index, i1, i16, i32, i64, bf16, f32)."""
    if kind == "index":
        return IndexType.get()
    if kind == "bf16":
        return BF16Type.get()
    if kind == "f32":
        return F32Type.get()
    return IntegerType.get_signless(int(kind[1:]))


def element_type(dtype: Any) -> Type:
    """bf16 or f32 for a torch dtype (raises TypeError for others)."""
    return scalar_type(dtype_name(dtype))


def torch_dtype(elem: Type) -> Any:
    """The torch dtype of a bf16 or f32 element type."""
    import torch

    return torch.bfloat16 if isinstance(elem, BF16Type) else torch.float32


def tensor_type(tensor: Tensor) -> RankedTensorType:
    """tensor<...xT> of a tiled tensor's (padded) shape; a row-major tensor's
    has the encoding #ttl.layout<row_major>."""
    if tensor.layout == ROW_MAJOR_LAYOUT:
        return RankedTensorType.get(list(tensor.storage.shape), element_type(tensor.dtype),
                                    Attribute.parse("#ttl.layout<row_major>"))
    return RankedTensorType.get(list(tensor.storage.shape), element_type(tensor.dtype))


def dfb_type(dfb: DataflowBuffer, loc: Location) -> Type:
    return ttl.DFBType.get(list(dfb.shape), element_type(dfb.dtype), dfb.block_count, row_major=dfb.row_major,
                           loc=loc)


def block_type(shape: tuple[int, ...], elem: Type) -> RankedTensorType:
    return RankedTensorType.get(list(shape), ttl.TileType.get(elem))


def promoted_type(block: RankedTensorType, *elems: Type) -> RankedTensorType:
    """`block`'s type (tiles or row-major elements, its shape) with the data
    type elementwise math on blocks of `elems` gives: f32 when any is f32,
    else bf16."""
    elem = F32Type.get() if any(isinstance(e, F32Type) for e in elems) else BF16Type.get()
    unit = block.element_type
    if ttl.ElementType.isinstance(unit):  # the bindings make !ttl.element types by parsing only
        return RankedTensorType.get(list(block.shape), Type.parse(f"!ttl.element<{elem}>"))
    return RankedTensorType.get(list(block.shape), ttl.TileType.get(elem))


class Emitter:
    def __init__(self, operation: OperationContext, thread: Thread, scope: Scope, entry: IRBlock):
        self.operation, self.thread, self.scope = operation, thread, scope
        self.entry_block = entry  # the function's entry block: its arguments are the tensors
        self.body = entry  # the block the thread's statements start in
        self._entry_ops = 0  # ops at the start of `body` that bind DFBs and set up scalers
        self.tensors: list[Tensor] = []
        self._tensor_args: list[Value] = []
        self._dfbs: dict[int, Value] = {}
        self.bound_dfbs: list[DataflowBuffer] = []  # the DFBs bound, in order

    # ----- locations and errors -----------------------------------------
    @staticmethod
    def location(scope: Scope, node: ast.AST) -> Location:
        line, col = scope.position(node)
        return Location.file(scope.file, line, col)

    def loc(self, node: ast.AST) -> Location:
        return self.location(self.scope, node)

    def at(self, node: ast.AST) -> Location:
        """`with emitter.at(node):` builds ops at `node`'s source position."""
        return self.loc(node)

    def error(self, node: ast.AST, message: str, kind: type[KernelError] = KernelError) -> KernelError:
        return kind(message, self.scope.file, *self.scope.position(node))

    def evaluate(self, node: ast.AST, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`fn(*args, **kwargs)` on compile-time values (Python folds it now);
        a Python exception is the user's error at `node`, not a crash."""
        try:
            return fn(*args, **kwargs)
        except (ArithmeticError, LookupError, TypeError, ValueError) as e:
            raise self.error(node, f"this fails when evaluated at compile time: {type(e).__name__}: {e}") from None

    @property
    def kind(self) -> str:
        """The thread kind: compute or datamovement."""
        return self.thread.kind

    # ----- the entry section: DFB handles and scalers --------------------
    @contextmanager
    def entry(self) -> Iterator[None]:
        """Builds ops at the end of the entry section, before every
        statement of the thread (so a DFB bound late is still bound first)."""
        ops = self.body.operations
        before = len(ops)
        ip = InsertionPoint(ops[self._entry_ops]) if before > self._entry_ops else InsertionPoint(self.body)
        with ip:
            yield
        self._entry_ops += len(self.body.operations) - before

    def dfb(self, dfb: DataflowBuffer, node: ast.AST) -> Value:
        """The thread's handle of `dfb` (a ttl.bind_dfb in the entry section)."""
        if dfb.index not in self._dfbs:
            self._check_dfb_limit(dfb.index, node)
            with self.entry(), self.at(node) as loc:
                try:
                    type_ = dfb_type(dfb, loc)
                except ValueError as e:  # the DFB type's verifier: at the first use of the DFB
                    raise self.error(node, str(e)) from None
                self._dfbs[dfb.index] = ttl.bind_dfb(type_, i64_attr(dfb.index))
                self.bound_dfbs.append(dfb)
        return self._dfbs[dfb.index]

    def _check_dfb_limit(self, index: int, node: ast.AST) -> None:
        """DFB `index` exists on the target chip (ttl.bind_dfb cannot even be
        built past the largest chip's count; ttl-verify-arch-limits says the
        same for IR that does not come from here)."""
        arch = hardware.arch()
        count = hardware.DFBS[arch]
        if index < count:
            return
        message = f"binds DFB {index}, but a {arch} core has {count} DFBs (0 to {count - 1}); use fewer DFBs"
        larger = max(hardware.DFBS, key=hardware.DFBS.__getitem__)
        if index < hardware.DFBS[larger]:
            message += f", or target {larger} ({hardware.DFBS[larger]} DFBs: --arch {larger} or TTLX_ARCH={larger})"
        raise self.error(node, message)

    def tensor(self, tensor: Tensor, node: ast.AST) -> Value:
        """The function argument of `tensor` (added on first use)."""
        for i, t in enumerate(self.tensors):
            if t is tensor:
                return self._tensor_args[i]
        self.tensors.append(tensor)
        self._tensor_args.append(self.entry_block.add_argument(tensor_type(tensor), self.loc(node)))
        return self._tensor_args[-1]

    @property
    def argument_types(self) -> list[Type]:
        return [a.type for a in self._tensor_args]


def i64_attr(value: int) -> IntegerAttr:
    return IntegerAttr.get(IntegerType.get_signless(64), value)
