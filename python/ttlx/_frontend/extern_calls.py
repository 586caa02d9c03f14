# SPDX-License-Identifier: Apache-2.0
"""`ttl.call_extern_func(header, name, template_args=..., func_args=...,
dfb_accesses=..., dfb_effects=...)` in kernel code: a call of the user's C++
function `name` declared in `header`, which the kernel includes
(docs/language.md "User C++"). Its arguments become a `ttl.opaque_call`: DFBs
wrapped in `ttl.dfb_descriptor` / `ttl.get_dfb_id` and compile-time numbers
as template arguments; DFBs, integers (`ttl.raw_addr(tensor)` among them) and,
in data-movement threads, tensors (a TensorAccessor) as function arguments;
the DFB protocol calls the C++ makes as its effects."""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from ..dialects import ttl
from ..ir import ArrayAttr, Attribute, BoolAttr, DenseI64ArrayAttr, IntegerAttr, IntegerType, StringAttr, Value
from ..lang.dataflow_buffer import pages_per_block
from ..lang.operation import DataflowBuffer, Kernel, KernelKind
from ..lang.ttnn import ROW_MAJOR_LAYOUT, Tensor
from .blocks import BlockTranslator
from .emitter import Emitter
from .scalars import ScalarTranslator
from .values import INT_KINDS, Scalar, Slice

USAGE = "ttl.call_extern_func(header, name, template_args=[...], func_args=[...], dfb_accesses=[...])"
KEYWORDS = ("template_args", "func_args", "dfb_accesses", "dfb_dependencies", "dfb_effects", "kernel")

# A C++ function name, possibly qualified (ns::name).
_CPP_NAME = re.compile(r"(?:[A-Za-z_]\w*::)*[A-Za-z_]\w*")


@dataclass(frozen=True)
class DFBTemplateArg:
    """`ttl.dfb_descriptor(dfb)` ("dfb_descriptor": the C++ type
    `ttlang::DFBDescriptor<...>`) or `ttl.get_dfb_id(dfb)` ("dfb_id": its
    index) in `template_args`."""

    kind: str
    dfb: DataflowBuffer


@dataclass(frozen=True)
class DFBAccess:
    """`ttl.DFBAccess.<kind>(dfb)` in `dfb_accesses`: the C++ reads `dfb`
    (its descriptor or contents) and leaves its queue as it found it."""

    kind: str
    dfb: DataflowBuffer


@dataclass(frozen=True)
class DFBEffect:
    """`ttl.DFBEffect.<action>(dfb, tiles=n)` in `dfb_effects`: the C++ calls
    cb_reserve_back / cb_push_back / cb_wait_front / cb_pop_front on `dfb`
    for `tiles` pages (one block's by default)."""

    action: str
    dfb: DataflowBuffer
    tiles: object = None


class ExternCallTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator, blocks: BlockTranslator, kernel_file: str):
        self.em, self.scalars, self.blocks, self.kernel_file = emitter, scalars, blocks, kernel_file

    def call(self, node: ast.Call, args: list[object], kwargs: dict[str, object]) -> None:
        header, name = args
        path = self.header(node, header)
        self.check_name(node, name, path)
        self.check_kernel(node, kwargs.get("kernel"))
        effects = self.effects(node, self.listed(node, kwargs, "dfb_effects"))
        templates, template_dfbs = self.template_args(node, self.listed(node, kwargs, "template_args"))
        operands, call_dfbs = self.func_args(node, self.listed(node, kwargs, "func_args"))
        dependencies = self.listed(node, kwargs, "dfb_dependencies")
        for dfb in dependencies:
            if not isinstance(dfb, DataflowBuffer):
                raise self.em.error(node, f"dfb_dependencies lists DFBs; got {_what(dfb)}")
        named = [*template_dfbs, *call_dfbs, *dependencies, *(e.dfb for e, _ in effects)]
        for access in self.listed(node, kwargs, "dfb_accesses"):
            if not isinstance(access, DFBAccess):
                raise self.em.error(node, "dfb_accesses lists ttl.DFBAccess.inspect(dfb) or "
                                          f"ttl.DFBAccess.interface_preserved(dfb); got {_what(access)}")
            if not any(access.dfb is d for d in named):
                raise self.em.error(node, f"ttl.DFBAccess.{access.kind} names a DFB that the call does not take: "
                                          "pass it in template_args (ttl.dfb_descriptor(dfb)), func_args or "
                                          "dfb_dependencies")
        dfb_values = [self.em.dfb(d, node) for d in template_dfbs]
        effect_dfbs = [self.em.dfb(e.dfb, node) for e, _ in effects]
        with self.em.at(node):
            ttl.opaque_call(StringAttr.get(name), StringAttr.get(str(path)), ArrayAttr.get(templates), dfb_values,
                            operands, effect_dfbs,
                            effect_actions=ArrayAttr.get([StringAttr.get(e.action) for e, _ in effects]),
                            effect_tiles=DenseI64ArrayAttr.get([tiles for _, tiles in effects]))

    # ----- the pieces ------------------------------------------------------
    def header(self, node: ast.Call, header: object) -> Path:
        """The header's path: absolute, or relative to the kernel file's
        folder (as `#include "..."` finds a file beside its source)."""
        if not isinstance(header, (str, Path)):
            raise self.em.error(node, f"ttl.call_extern_func's header is a path (a string); got {_what(header)}")
        path = Path(header)
        if not path.is_absolute():
            path = Path(self.kernel_file).resolve().parent / path
        if not path.is_file():
            raise self.em.error(node, f"ttl.call_extern_func's header {str(header)!r} is not a file (looked for "
                                      f"{path})")
        return path.resolve()

    def check_name(self, node: ast.Call, name: object, path: Path) -> None:
        if not isinstance(name, str) or not _CPP_NAME.fullmatch(name):
            raise self.em.error(node, f"ttl.call_extern_func's name is a C++ function name (a string such as "
                                      f"\"inspect_dfb\"); got {name!r}")
        last = name.rsplit("::", 1)[-1]
        if not re.search(rf"\b{re.escape(last)}\b", path.read_text(errors="replace")):
            raise self.em.error(node, f"the header {path} does not mention a function named {last!r}; check the "
                                      "name, or the header")

    def check_kernel(self, node: ast.Call, kernel: object) -> None:
        """`kernel=`: the thread it names must be this one (a multi-kernel
        operation's thread function already decides where the call runs)."""
        if kernel is None:
            return
        selectors = kernel if isinstance(kernel, tuple) else (kernel,)
        kinds = set()
        for selector in selectors:
            if isinstance(selector, KernelKind):
                kinds.add(selector.value)
            elif isinstance(selector, Kernel):
                kinds.add(selector.kind.value)
            else:
                raise self.em.error(node, "kernel= takes ttl.KernelKind.COMPUTE, ttl.KernelKind.DATA_MOVEMENT, a "
                                          f"ttl.Kernel or a tuple of them; got {_what(selector)}")
        if self.em.kind not in kinds:
            raise self.em.error(node, f"kernel= selects {' and '.join(sorted(kinds))} kernels, but this call is in a "
                                      f"{self.em.kind} thread; move it, or change kernel=")

    def listed(self, node: ast.Call, kwargs: dict[str, object], key: str) -> list[object]:
        value = kwargs.get(key, [])
        if not isinstance(value, list):
            raise self.em.error(node, f"{key}= is a list (as [a, b]); got {_what(value)}")
        return value

    def template_args(self, node: ast.Call, items: list[object]) -> tuple[list[Attribute], list[DataflowBuffer]]:
        attrs: list[Attribute] = []
        dfbs: list[DataflowBuffer] = []
        for item in items:
            if isinstance(item, DFBTemplateArg):
                attrs.append(StringAttr.get(item.kind))
                dfbs.append(item.dfb)
            elif isinstance(item, DataflowBuffer):
                raise self.em.error(node, "a DFB in template_args is ambiguous: pass ttl.dfb_descriptor(dfb) (a "
                                          "ttlang::DFBDescriptor type) or ttl.get_dfb_id(dfb) (its index)")
            elif isinstance(item, bool):
                attrs.append(BoolAttr.get(item))
            elif isinstance(item, int):
                if not -(1 << 31) <= item < (1 << 31):
                    raise self.em.error(node, f"the template argument {item} does not fit in a 32-bit integer")
                attrs.append(IntegerAttr.get(IntegerType.get_signed(32), item))
            elif isinstance(item, float):
                bits = struct.unpack("<I", struct.pack("<f", item))[0]
                attrs.append(IntegerAttr.get(IntegerType.get_unsigned(32), bits))
            else:
                raise self.em.error(node, "template_args are compile-time values: integers, booleans, floats, "
                                          f"ttl.dfb_descriptor(dfb) or ttl.get_dfb_id(dfb); got {_what(item)}")
        return attrs, dfbs

    def func_args(self, node: ast.Call, items: list[object]) -> tuple[list[Value], list[DataflowBuffer]]:
        values: list[Value] = []
        dfbs: list[DataflowBuffer] = []
        for item in items:
            if isinstance(item, DataflowBuffer):
                values.append(self.em.dfb(item, node))
                dfbs.append(item)
            elif isinstance(item, (bool, int)) or isinstance(item, Scalar) and item.kind in INT_KINDS:
                values.append(self.scalars.intv(node, int(item) if isinstance(item, bool) else item, "i32").value)
            elif isinstance(item, Tensor):
                values.append(self.tensor_arg(node, item))
            elif isinstance(item, Slice):
                raise self.em.error(node, "func_args take whole tensors, not slices: pass the tensor (a "
                                          "TensorAccessor of its pages) or ttl.raw_addr(tensor)")
            else:
                raise self.em.error(node, "func_args are DFBs (passed as their uint32_t index), integers "
                                          "(ttl.raw_addr(tensor) among them) and tensors (a TensorAccessor, in "
                                          f"data-movement threads); got {_what(item)}")
        return values, dfbs

    def tensor_arg(self, node: ast.Call, tensor: Tensor) -> Value:
        """A tensor in func_args: the C++ gets a TensorAccessor of its pages
        (tiles), which data-movement threads have."""
        if self.em.kind != "datamovement":
            raise self.em.error(node, "a tensor in func_args is passed as a TensorAccessor, which only data-movement "
                                      "threads have; in a compute thread pass ttl.raw_addr(tensor) (its address)")
        if tensor.layout == ROW_MAJOR_LAYOUT:
            raise self.em.error(node, "a tensor in func_args is passed as a TensorAccessor of its tiles; this tensor "
                                      "is ROW_MAJOR_LAYOUT (pass ttl.raw_addr(tensor), or make it with "
                                      "layout=ttnn.TILE_LAYOUT)")
        return self.em.tensor(tensor, node)

    def effects(self, node: ast.Call, items: list[object]) -> list[tuple[DFBEffect, int]]:
        """dfb_effects: the DFB protocol calls the C++ makes, in order; each
        claims its side of the DFB for this thread (reserve and push the
        producer's, wait and pop the consumer's), as kernel code would."""
        effects: list[tuple[DFBEffect, int]] = []  # with each one's page count
        for item in items:
            if not isinstance(item, DFBEffect):
                raise self.em.error(node, "dfb_effects lists ttl.DFBEffect.reserve(dfb, tiles=n) (or push, wait, "
                                          f"pop); got {_what(item)}")
            dfb = item.dfb
            tiles = item.tiles
            block_pages = pages_per_block(dfb.shape, dfb.row_major)
            if tiles is None:
                tiles = block_pages
            if isinstance(tiles, bool) or not isinstance(tiles, int) or tiles <= 0:
                raise self.em.error(node, f"ttl.DFBEffect.{item.action}'s tiles= is a positive number known when the "
                                          f"operation compiles; got {_what(tiles)}")
            if tiles > block_pages * dfb.block_count:
                raise self.em.error(node, f"ttl.DFBEffect.{item.action}(tiles={tiles}) asks for more pages than DFB "
                                          f"{dfb.index} holds ({block_pages * dfb.block_count}: {dfb.block_count} "
                                          f"block(s) of {block_pages}), so the C++ would wait forever")
            self.blocks.claim(node, dfb, "producer" if item.action in ("reserve", "push") else "consumer")
            effects.append((item, tiles))
        return effects


def _what(value: object) -> str:
    if isinstance(value, Scalar):
        return f"a {value.kind} value"
    return f"{type(value).__name__} {value!r}" if isinstance(value, (int, float, str)) else type(value).__name__
