# SPDX-License-Identifier: Apache-2.0
"""`print(...)` in kernel code: one `ttl.dprint` (tt-metal's DPRINT), whose
format holds the text and the values known at compile time, with a `{}`
for each scalar computed at run time (integers, booleans, bf16/f32
floats). f-strings evaluate to `Text`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable

from ..dialects import ttl
from .emitter import Emitter
from .values import Block, Handle, Scalar

@dataclass(frozen=True)
class Text:
    """An f-string in kernel code: literal text and run-time scalars, in
    order. Only `print` takes it."""

    parts: tuple[str | Scalar, ...]


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _piece(em: Emitter, node: ast.AST, value: object) -> tuple[str, list[Scalar]]:
    """The format text and run-time arguments of one printed value."""
    if isinstance(value, Text):
        text, args = "", []
        for part in value.parts:
            sub, sub_args = _piece(em, node, part)
            text += sub
            args += sub_args
        return text, args
    if isinstance(value, Scalar):  # index, i32, i1, bf16, f32: every kind kernel code has
        return "{}", [value]
    if isinstance(value, (Block, Handle)):
        raise em.error(node, "print takes text and scalars here; blocks, DFBs and transfer handles are not "
                             "printable by ttlx yet (docs/language.md, \"Debug print\")")
    if isinstance(value, (str, int, float, bool)) or value is None:
        return _escape(str(value)), []
    raise em.error(node, f"print cannot print a {type(value).__name__} in kernel code")


def fstring(em: Emitter, node: ast.JoinedStr, evaluate: Callable[[ast.expr], Any]) -> Text:
    """f"...{x}...": values known now are formatted now (with their format
    spec and conversion); run-time integers stay parts."""
    parts: list[str | Scalar] = []
    for item in node.values:
        if isinstance(item, ast.Constant):
            parts.append(str(item.value))
            continue
        assert isinstance(item, ast.FormattedValue)
        value = evaluate(item.value)
        spec = "".join(str(evaluate(v)) if not isinstance(v, ast.Constant) else str(v.value)
                       for v in item.format_spec.values) if isinstance(item.format_spec, ast.JoinedStr) else ""
        if isinstance(value, Scalar):
            if spec or item.conversion != -1:
                raise em.error(item, "format specs and !r/!s/!a apply to values known at compile time; a value "
                                     "computed at run time prints as {x}")
            parts.append(value)
            continue
        if isinstance(value, (Block, Handle, Text)):
            parts.append(value)  # type: ignore[arg-type]  # print reports it
            continue
        converted = {-1: value, ord("r"): repr(value), ord("s"): str(value), ord("a"): ascii(value)}[item.conversion]
        parts.append(format(converted, spec))
    return Text(tuple(parts))


def emit_print(em: Emitter, node: ast.Call, args: list[object], kwargs: dict[str, object]) -> None:
    """print(*args, sep=" ", end="\\n") as one ttl.dprint."""
    unknown = kwargs.keys() - {"sep", "end"}
    if unknown:
        raise em.error(node, f"print takes sep= and end= in kernel code, not {', '.join(sorted(unknown))}=")
    sep, end = kwargs.get("sep", " "), kwargs.get("end", "\n")
    if not isinstance(sep, str) or not isinstance(end, str):
        raise em.error(node, "sep= and end= of print are strings known at compile time")
    pieces = [_piece(em, node, a) for a in args]
    format_text = _escape(sep).join(text for text, _ in pieces) + _escape(end)
    values = [s.value for _, scalars in pieces for s in scalars]
    with em.at(node):
        ttl.dprint(format_text, values)
