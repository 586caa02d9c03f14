# SPDX-License-Identifier: Apache-2.0
"""`print(...)` in kernel code: one `ttl.dprint` (tt-metal's DPRINT), whose
format holds the text and the values known at compile time, with a `{}`
for each scalar computed at run time (integers, booleans, bf16/f32
floats). f-strings evaluate to `Text`.

A block from a DFB in a data-movement thread prints as tt-lang-sim
starts it, the other arguments then `<Block shape=(R, C)>`, followed by
its elements: one line per element row, two spaces, then the row's
values, read with `ttl.element_read` in a loop over the rows.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable

from ..dialects import arith, scf, ttl
from ..ir import IndexType, InsertionPoint
from ..lang.operation import DataflowBuffer
from ..lang.ttnn import Tensor
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
    if isinstance(value, (Block, Handle, DataflowBuffer, Tensor)):
        raise em.error(node, "print takes text, scalars and one block of a dataflow buffer (in a data-movement "
                             "thread); DFBs, tensors and transfer handles are not printable by ttlx yet "
                             "(docs/language.md, \"Debug print\")")
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
    objects = [a for a in args if isinstance(a, (Block, DataflowBuffer, Tensor))]
    if len(objects) > 1:
        raise em.error(node, "print prints one block, tensor or DFB at a time (tt-lang's rule), with any text and "
                             "scalars; print the others with print calls of their own")
    if objects and isinstance(objects[0], Block):
        return _print_block(em, node, [a for a in args if a is not objects[0]], objects[0], sep, end)
    pieces = [_piece(em, node, a) for a in args]
    format_text = _escape(sep).join(text for text, _ in pieces) + _escape(end)
    values = [s.value for _, scalars in pieces for s in scalars]
    with em.at(node):
        ttl.dprint(format_text, values)


def _print_block(em: Emitter, node: ast.Call, args: list[object], block: Block, sep: str, end: str) -> None:
    """The other arguments then `<Block shape=(R, C)>` (tt-lang-sim's first
    line), then each element row of the block."""
    if em.kind != "datamovement":
        raise em.error(node, "ttlx prints a block's elements in data-movement threads (they read L1 as "
                             "ttl.element_read does); print the block there, e.g. after copying it out of this "
                             "thread's dataflow buffer")
    if block.dfb is None:
        raise em.error(node, "print prints a block of a dataflow buffer (from wait() or reserve()); store a "
                             "block expression into one first")
    if len(block.shape) != 2:
        raise em.error(node, f"ttlx prints blocks of two dimensions; this one has shape {block.shape}")
    rows, cols = 32 * block.shape[0], 32 * block.shape[1]
    pieces = [_piece(em, node, a) for a in args]
    head = _escape(sep).join(text for text, _ in pieces) + _escape(f"<Block shape={block.shape}>") + "\n"
    with em.at(node):
        ttl.dprint(head, [s.value for _, scalars in pieces for s in scalars])
        index = IndexType.get()
        lo, hi, one = (arith.constant(index, v) for v in (0, rows, 1))
        loop = scf.ForOp(lo, hi, one)
        with InsertionPoint(loop.body):
            row = loop.induction_variable
            values = [ttl.element_read(block.element_type, block.value, row, arith.constant(index, c))
                      for c in range(cols)]
            ttl.dprint("  " + " ".join(["{}"] * cols) + _escape(end), values)
            scf.yield_([])
