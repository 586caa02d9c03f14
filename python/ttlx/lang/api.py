# SPDX-License-Identifier: Apache-2.0
"""The tt-lang functions kernel code calls.

They are stubs: kernel code is translated, never run, and the translator
(ttlx._frontend.calls) maps each stub to the TTL it builds. Called outside a
kernel they raise.
"""

from __future__ import annotations

import types
from contextvars import ContextVar
from typing import Any, Callable, NoReturn, TypeGuard

from ..optable import OPS
from .errors import KernelError, user_site
from .node_ref import NodeRef

# The elementwise tile ops of ttl.math, from the op table (TTLElementwiseOps.def):
# Python name -> TTL op (`ttl.<op>`). Operators (+ - * /) are not names here.
UNARY_OPS: dict[str, str] = {name: op.ttl_name for op in OPS if op.arity == 1 for name in op.python_names}
BINARY_OPS: dict[str, str] = {name: op.ttl_name for op in OPS if op.arity == 2
                              for name in op.python_names if name.isidentifier()}


def _kernel_only(name: str) -> Callable[..., NoReturn]:
    def stub(*_: object, **__: object) -> NoReturn:
        raise KernelError(f"ttl.{name} can only be used inside @ttl.compute / @ttl.datamovement functions",
                          *user_site())

    stub.__name__ = name
    return stub


copy = _kernel_only("copy")
GroupTransfer = _kernel_only("GroupTransfer")
wait_any = _kernel_only("wait_any")


class ReceiveRequest:
    """What `ttl.copy(pipe, block)` returns in kernel code (spec 0.22): a
    pipe receive into a reserved block, completed by `.wait()` or chosen by
    `ttl.wait_any`. The name is for annotations; kernel code never makes
    one itself."""


class ReadyReceive:
    """What `ttl.wait_any(requests, start=...)` returns: `.index()` is the
    position in `requests` of the receive it completed."""

    def __init__(self, index: Any) -> None:
        self._index = index

    def index(self) -> Any:
        return self._index


# The node whose copy of a unified body with no kernel work Python is
# running (ttlx._frontend.unified runs such a body once per node).
running_on: ContextVar[tuple[int, int] | None] = ContextVar("running_on", default=None)


def node(dims: int = 2) -> Any:
    """ttl.node in the operation body: a NodeRef (kernel code reads this
    node's coordinates there), or the coordinates themselves while Python
    runs a body with no kernel work for one node; in kernel code the
    translator builds it."""
    at = running_on.get()
    if at is None:
        return NodeRef(dims)
    from .operation import current

    coords = node_coordinates(current().grid, at, dims)
    if coords is None:
        raise KernelError(grid_dims_error("ttl.node", dims), *user_site())
    return coords


def grid_size(dims: int = 2) -> Any:
    """The operation's grid in `dims` dimensions (`grid_extent`). Works in
    the operation body and in kernel code."""
    from .operation import current

    extent = grid_extent(current().grid, dims)
    if extent is None:
        raise KernelError(grid_dims_error("ttl.grid_size", dims), *user_site())
    return extent


# The most dimensions ttl.node and ttl.grid_size give (as many as a ttnn
# tensor may have): a mistaken dims= must not build a tuple of billions.
MAX_GRID_DIMS = 8


def grid_dims_ok(dims: object) -> TypeGuard[int]:
    return not isinstance(dims, bool) and isinstance(dims, int) and 1 <= dims <= MAX_GRID_DIMS


def grid_dims_error(call: str, dims: object) -> str:
    return f"{call} takes dims=1 to {MAX_GRID_DIMS}, got {dims!r}"


def grid_extent(grid: tuple[int, int], dims: object) -> Any:
    """A single-device grid (x, y) in `dims` dimensions, as the spec says:
    fewer dimensions flatten the highest (dims=1: the node count), more pad
    with 1 ((x, y, 1) for dims=3); None when `dims` is not an integer from 1
    to MAX_GRID_DIMS."""
    if not grid_dims_ok(dims):
        return None
    gx, gy = grid
    return gx * gy if dims == 1 else (gx, gy) + (1,) * (dims - 2)


def node_coordinates(grid: tuple[int, int], at: tuple[int, int], dims: object) -> Any:
    """Node `at` = (x, y) of `grid` in `dims` dimensions, as the spec says:
    dims=1 is the linear index x * gy + y (row-major over the grid tuple),
    more dimensions pad with 0; None when `dims` is not an integer from 1
    to MAX_GRID_DIMS."""
    if not grid_dims_ok(dims):
        return None
    x, y = at
    return x * grid[1] + y if dims == 1 else (x, y) + (0,) * (dims - 2)


class signpost:  # noqa: N801  (tt-lang's spelling)
    """`with ttl.signpost("name"):` names a scope of kernel code for the
    profiler (docs/profiler.md); outside kernel code it does nothing."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> "signpost":
        return self

    def __exit__(self, *_: object) -> None:
        return None


# User C++ (ttl.call_extern_func, docs/language.md "User C++").
call_extern_func = _kernel_only("call_extern_func")
dfb_descriptor = _kernel_only("dfb_descriptor")
get_dfb_id = _kernel_only("get_dfb_id")
raw_addr = _kernel_only("raw_addr")
DFBAccess = types.SimpleNamespace(inspect=_kernel_only("DFBAccess.inspect"),
                                  interface_preserved=_kernel_only("DFBAccess.interface_preserved"))
DFBEffect = types.SimpleNamespace(**{a: _kernel_only(f"DFBEffect.{a}")
                                     for a in ("reserve", "push", "wait", "pop", "repeat")})

# Typed scalars: ttl.i32(x), ttl.f32(x), ttl.bf16(x) (rounds to nearest even).
i32 = _kernel_only("i32")
f32 = _kernel_only("f32")
bf16 = _kernel_only("bf16")

element_read = _kernel_only("element_read")
element_write = _kernel_only("element_write")
raw_element_read = _kernel_only("raw_element_read")
read_index = _kernel_only("read_index")
raw_element_write = _kernel_only("raw_element_write")

# Aliases share one stub (ttl.math.maximum is ttl.math.max).
_binary_stubs = {op: _kernel_only(f"math.{op}") for op in set(BINARY_OPS.values())}
math = types.SimpleNamespace(
    **{n: _kernel_only(f"math.{n}") for n in UNARY_OPS},
    **{n: _binary_stubs[op] for n, op in BINARY_OPS.items()},
    reduce_sum=_kernel_only("math.reduce_sum"),
    reduce_max=_kernel_only("math.reduce_max"),
    broadcast=_kernel_only("math.broadcast"),
    engram_gate=_kernel_only("math.engram_gate"),
    depthwise_conv1d=_kernel_only("math.depthwise_conv1d"),
    matmul=_kernel_only("math.matmul"),
)
block = types.SimpleNamespace(broadcast=_kernel_only("block.broadcast"), fill=_kernel_only("block.fill"),
                              where=_kernel_only("block.where"), mask=_kernel_only("block.mask"),
                              mask_posinf=_kernel_only("block.mask_posinf"),
                              transpose=_kernel_only("block.transpose"), squeeze=_kernel_only("block.squeeze"),
                              unsqueeze=_kernel_only("block.unsqueeze"))
math.fill = block.fill
