# SPDX-License-Identifier: Apache-2.0
"""`print(...)` in kernel code: one `ttl.dprint` (tt-metal's DPRINT), whose
format holds the text and the values known at compile time, with a `{}`
for each scalar computed at run time (integers, booleans, bf16/f32
floats). f-strings evaluate to `Text`.

A block from a DFB prints as tt-lang-sim starts it, the other arguments
then `<Block shape=(R, C)>`, followed by its elements: in a data-movement
thread one line per element row, two spaces, then the row's values, read
with `ttl.element_read` in a loop over the rows (a row-major block's rows:
its leading dimensions flattened); in a compute thread each tile as
tt-metal's `print_full_tile` prints it (`ttl.dprint_block`; a row-major
block's pages in memory order, 32 elements a line). A DFB
prints the other arguments, then its state (`ttl.dprint_dfb`, tt-metal's
`print_cb_details`). A tensor (data-movement threads) prints its first
`num_pages` pages: each is read over the NOC into a one-page DFB the
frontend adds to the operation, then printed as a block's rows (a tile page
of a tiled tensor: 32 element rows; a page of a row-major tensor, one row
of its last dimension: one line).
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any, Callable

from ..dialects import arith, scf, ttl
from ..ir import IndexType, InsertionPoint, Value
from ..lang.operation import DataflowBuffer
from ..lang.ttnn import ROW_MAJOR_LAYOUT, Tensor
from .blocks import BlockTranslator
from .emitter import Emitter
from .values import Block, Handle, Scalar, slice_units

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
    if isinstance(value, (Block, DataflowBuffer)):
        raise em.error(node, "a block or DFB is an argument of print of its own, not part of an f-string "
                             "(print(\"a:\", blk))")
    if isinstance(value, Tensor):
        raise em.error(node, "a tensor is an argument of print of its own, not part of an f-string "
                             "(print(\"x:\", x, num_pages=2))")
    if isinstance(value, Handle):
        raise em.error(node, "print takes text, scalars, one tensor, one block of a dataflow buffer or one DFB; a "
                             "transfer handle has nothing to print")
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
        if isinstance(value, (Block, Handle, Text, DataflowBuffer, Tensor)):
            parts.append(value)  # type: ignore[arg-type]  # print reports it
            continue
        converted = {-1: value, ord("r"): repr(value), ord("s"): str(value), ord("a"): ascii(value)}[item.conversion]
        parts.append(format(converted, spec))
    return Text(tuple(parts))


def emit_print(em: Emitter, blocks: BlockTranslator, node: ast.Call, args: list[object],
               kwargs: dict[str, object]) -> None:
    """print(*args, sep=" ", end="\\n") as one ttl.dprint."""
    unknown = kwargs.keys() - {"sep", "end", "num_pages"}
    if unknown:
        raise em.error(node, f"print takes sep=, end= and (with a tensor) num_pages= in kernel code, not "
                             f"{', '.join(sorted(unknown))}=")
    sep, end = kwargs.get("sep", " "), kwargs.get("end", "\n")
    if not isinstance(sep, str) or not isinstance(end, str):
        raise em.error(node, "sep= and end= of print are strings known at compile time")
    objects = [a for a in args if isinstance(a, (Block, DataflowBuffer, Tensor))]
    if len(objects) > 1:
        raise em.error(node, "print prints one block, tensor or DFB at a time (tt-lang's rule), with any text and "
                             "scalars; print the others with print calls of their own")
    if objects and isinstance(objects[0], Block):
        return _print_block(em, node, [a for a in args if a is not objects[0]], objects[0], sep, end)
    if "num_pages" in kwargs and not (objects and isinstance(objects[0], Tensor)):
        raise em.error(node, "num_pages= says how many pages of a tensor print prints; this print has no tensor")
    if objects and isinstance(objects[0], DataflowBuffer):
        return _print_dfb(em, node, [a for a in args if a is not objects[0]], objects[0], sep, end)
    if objects and isinstance(objects[0], Tensor):
        return _print_tensor(em, blocks, node, [a for a in args if a is not objects[0]], objects[0], sep, end,
                             kwargs.get("num_pages", 1))
    pieces = [_piece(em, node, a) for a in args]
    format_text = _escape(sep).join(text for text, _ in pieces) + _escape(end)
    values = [s.value for _, scalars in pieces for s in scalars]
    with em.at(node):
        ttl.dprint(format_text, values)


def _head(em: Emitter, node: ast.Call, args: list[object], sep: str, last: str) -> tuple[str, list[Value]]:
    """The other arguments of a print of a block or DFB, then `last` right
    after them (as tt-lang-sim prints a block: `tile 0<Block shape=(1, 1)>`)."""
    pieces = [_piece(em, node, a) for a in args]
    text = _escape(sep).join(text for text, _ in pieces) + _escape(last)
    return text, [s.value for _, scalars in pieces for s in scalars]


def _print_dfb(em: Emitter, node: ast.Call, args: list[object], dfb: DataflowBuffer, sep: str, end: str) -> None:
    """The other arguments, then the DFB's state (print_cb_details), which
    ends the line."""
    if end != "\n":
        raise em.error(node, "a DFB's state ends its line (tt-metal's print_cb_details); leave out end=")
    head, values = _head(em, node, args, sep, sep if args else "")
    handle = em.dfb(dfb, node)
    with em.at(node):
        if head:
            ttl.dprint(head, values)
        ttl.dprint_dfb(handle)


def _print_tensor(em: Emitter, blocks: BlockTranslator, node: ast.Call, args: list[object], tensor: Tensor,
                  sep: str, end: str, num_pages: object) -> None:
    """The other arguments and `<Tensor shape=S>`, then for each of the
    first `num_pages` pages a line `page P:` and its element rows, read into
    a one-page DFB of this thread: a tiled tensor's pages are its tiles
    (row-major over the tensor's tiles), 32 rows each; a row-major tensor's
    are its rows of the last dimension (row-major over the leading
    dimensions), one line each."""
    if em.kind != "datamovement":
        raise em.error(node, "a tensor's pages print in data-movement threads (they are read over the NOC); print "
                             "it in a @ttl.datamovement function")
    row_major = tensor.layout == ROW_MAJOR_LAYOUT
    units = slice_units(tensor)
    # A row-major page is one row: a slice of one index per leading
    # dimension and the whole last one.
    pages = units[:-1] if row_major else units
    total = math.prod(pages)
    if isinstance(num_pages, bool) or not isinstance(num_pages, int) or not 1 <= num_pages <= total:
        raise em.error(node, f"num_pages= is a count of the tensor's pages known at compile time, 1 to {total}")
    if end != "\n":
        raise em.error(node, "a tensor's pages end with their rows' lines; leave out end=")
    # Its L1 is counted with the operation's other DFBs (compile.check_l1).
    site = (em.scope.file, *em.scope.position(node))
    shape = (units[-1],) if row_major else (1, 1)
    dfb = em.operation.new_dfb(shape, tensor.dtype, 1, site, row_major=row_major,
                               made_for=f"page block of the print at line {site[1]}")
    blocks.claim(node, dfb, "producer")
    blocks.claim(node, dfb, "consumer")
    head, values = _head(em, node, args, sep, f"<Tensor shape={tuple(tensor.shape)}>")
    handle, target = em.dfb(dfb, node), em.tensor(tensor, node)
    index = IndexType.get()
    with em.at(node):
        ttl.dprint(head + "\n", values)
        for page in range(num_pages):
            coords = [0] if row_major else []
            rest = page
            for extent in reversed(pages):
                coords.insert(0, rest % extent)
                rest //= extent
            blk = ttl.dfb_reserve(handle)
            ttl.wait(ttl.copy_to_block(target, [arith.constant(index, c) for c in coords], blk))
            ttl.dfb_push(handle)
            ttl.dprint(f"page {page}:\n", [])
            _print_rows(Block(ttl.dfb_wait(handle), dfb, "wait"), "\n")
            ttl.dfb_pop(handle)


def _print_rows(block: Block, end: str) -> None:
    """Each element row of a 2-d block (of a row-major block: the rows of
    its leading dimensions, one for a 1-d block): two spaces, then its
    values."""
    if block.row_major:
        rows, cols = math.prod(block.shape[:-1]), block.shape[-1]
    else:
        rows, cols = 32 * block.shape[0], 32 * block.shape[1]
    index = IndexType.get()
    lo, hi, one = (arith.constant(index, v) for v in (0, rows, 1))
    loop = scf.ForOp(lo, hi, one)
    with InsertionPoint(loop.body):
        row = loop.induction_variable
        values = [ttl.element_read(block.element_type, block.value, row, arith.constant(index, c))
                  for c in range(cols)]
        ttl.dprint("  " + " ".join(["{}"] * cols) + _escape(end), values)
        scf.yield_([])


def _print_block(em: Emitter, node: ast.Call, args: list[object], block: Block, sep: str, end: str) -> None:
    """The other arguments then `<Block shape=(R, C)>` (tt-lang-sim's first
    line), then each element row of the block (data movement) or each of its
    tiles (compute)."""
    if block.dfb is None:
        raise em.error(node, "print prints a block of a dataflow buffer (from wait() or reserve()); store a "
                             "block expression into one first")
    head, values = _head(em, node, args, sep, f"<Block shape={block.shape}>")
    if em.kind != "datamovement":
        if end != "\n":
            raise em.error(node, "a block printed in a compute thread ends with its tiles' lines; leave out end=")
        with em.at(node):
            ttl.dprint(head + "\n", values)
            ttl.dprint_block(block.value)
        return
    if len(block.shape) != 2 and not block.row_major:
        raise em.error(node, f"ttlx prints the element rows of blocks of two dimensions in data-movement threads; "
                             f"this one has shape {block.shape} (print it in the compute thread, tile by tile)")
    with em.at(node):
        ttl.dprint(head + "\n", values)
        _print_rows(block, end)
