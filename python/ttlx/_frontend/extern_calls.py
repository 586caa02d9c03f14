# SPDX-License-Identifier: Apache-2.0
"""`ttl.call_extern_func(header, name, template_args=..., func_args=...,
dfb_accesses=...)` in kernel code: a call of the user's C++ function `name`
declared in `header`, which the kernel includes (docs/language.md "User
C++"). Its arguments become a `ttl.opaque_call`: DFBs wrapped in
`ttl.dfb_descriptor` / `ttl.get_dfb_id` and compile-time numbers as template
arguments, DFBs and integers as function arguments."""

from __future__ import annotations

import ast
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from ..dialects import ttl
from ..ir import ArrayAttr, Attribute, BoolAttr, IntegerAttr, IntegerType, StringAttr, Value
from ..lang.operation import DataflowBuffer, Kernel, KernelKind
from .emitter import Emitter
from .scalars import ScalarTranslator
from .values import INT_KINDS, Scalar

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
    """`ttl.DFBEffect.<action>(dfb, tiles=n)` in `dfb_effects`."""

    action: str
    dfb: DataflowBuffer


class ExternCallTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator, kernel_file: str):
        self.em, self.scalars, self.kernel_file = emitter, scalars, kernel_file

    def call(self, node: ast.Call, args: list[object], kwargs: dict[str, object]) -> None:
        header, name = args
        path = self.header(node, header)
        self.check_name(node, name, path)
        self.check_kernel(node, kwargs.get("kernel"))
        if kwargs.get("dfb_effects"):
            raise self.em.error(node, "ttl.call_extern_func with dfb_effects (C++ that reserves, pushes, waits or "
                                      "pops a DFB) is not supported by ttlx yet; do the DFB's reserve/push or "
                                      "wait/pop in kernel code around the call")
        templates, template_dfbs = self.template_args(node, self.listed(node, kwargs, "template_args"))
        operands, call_dfbs = self.func_args(node, self.listed(node, kwargs, "func_args"))
        dependencies = self.listed(node, kwargs, "dfb_dependencies")
        for dfb in dependencies:
            if not isinstance(dfb, DataflowBuffer):
                raise self.em.error(node, f"dfb_dependencies lists DFBs; got {_what(dfb)}")
        named = [*template_dfbs, *call_dfbs, *dependencies]
        for access in self.listed(node, kwargs, "dfb_accesses"):
            if not isinstance(access, DFBAccess):
                raise self.em.error(node, "dfb_accesses lists ttl.DFBAccess.inspect(dfb) or "
                                          f"ttl.DFBAccess.interface_preserved(dfb); got {_what(access)}")
            if not any(access.dfb is d for d in named):
                raise self.em.error(node, f"ttl.DFBAccess.{access.kind} names a DFB that the call does not take: "
                                          "pass it in template_args (ttl.dfb_descriptor(dfb)), func_args or "
                                          "dfb_dependencies")
        dfb_values = [self.em.dfb(d, node) for d in template_dfbs]
        with self.em.at(node):
            ttl.opaque_call(StringAttr.get(name), StringAttr.get(str(path)), ArrayAttr.get(templates), dfb_values,
                            operands)

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
            else:
                raise self.em.error(node, "func_args are DFBs (passed as their uint32_t index) and integers; "
                                          f"got {_what(item)} (tensors and ttl.raw_addr are not supported by ttlx)")
        return values, dfbs


def _what(value: object) -> str:
    if isinstance(value, Scalar):
        return f"a {value.kind} value"
    return f"{type(value).__name__} {value!r}" if isinstance(value, (int, float, str)) else type(value).__name__
