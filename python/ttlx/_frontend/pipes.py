# SPDX-License-Identifier: Apache-2.0
"""Kernel code that uses pipes: `#ttl.pipe` attributes, the node tests of
`net.if_src/if_dst/is_src/is_dst/is_active`, and the guard that runs a
thread only on the nodes some pipe touches (as tt-lang does).

Node tests compare `ttl.node` coordinates with the pipe's rectangles, so any
grid size works (Blackhole's 13x10 included).

`net.if_src(fn)` calls `fn` once per pipe whose source is this node, in the
net's order (`if_dst` likewise for destinations). Compiled pipe by pipe,
the code would grow with the net (a 8x8 grid of neighbour pipes is 64
guarded copies of `fn`). So the pipes of a net that are one pipe moved
across the grid (the same destination offsets, sources on a strided box of
nodes, destinations that do not overlap) become one guarded call of `fn`
on a family pipe, `#ttl.pipe<... repeat [cx, cy] step [sx, sy]>`, whose
lowering finds this node's member from its coordinates. Where that would
change what a node does (the order of its calls) or `fn` uses its pipe for
more than `ttl.copy`, the pipes are compiled one by one as before."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import partial
from typing import Callable, Sequence

from ..dialects import ttl
from ..ir import Attribute
from ..lang.pipes import DstEnd, Pipe, PipeNet, SrcEnd
from .emitter import Emitter, i64_attr
from .scalars import ScalarTranslator
from .source import is_user_function, parse_function
from .values import Scalar

Rect = tuple[tuple[int, int], tuple[int, int]]  # [lo, hi) in (x, y)
Guard = Callable[[ast.AST, Scalar, Callable[[], object]], None]
Inline = Callable[[ast.AST, object, list[object]], object]


def pipe_attr(em: Emitter, node: ast.AST, end: Pipe | SrcEnd | DstEnd) -> Attribute:
    """`#ttl.pipe<...>` of a pipe end (or of a pipe named directly)."""
    pipe, net = (end, _net_of_pipe(em, end)) if isinstance(end, Pipe) else (end.pipe, end.net)
    try:
        src, lo, hi = pipe.rect(em.operation.grid)
    except ValueError as e:
        raise em.error(node, str(e)) from None
    count, step = (end.count, end.step) if isinstance(end, (SrcEnd, DstEnd)) else ((1, 1), (1, 1))
    members = {} if count == (1, 1) else {"count": list(count), "step": list(step)}
    with em.at(node) as loc:
        return ttl.PipeAttr.get(list(src), list(lo), list(hi), net=net, loc=loc, **members)


def net_number(em: Emitter, net: PipeNet) -> int:
    """The net's number in the operation (`net N` of `#ttl.pipe`): as in
    tt-lang, each PipeNet has its own synchronisation, so two nets whose
    pipes have the same ends are two channels. The nets the threads capture
    are numbered in order; a net built in kernel code (each thread builds
    its own object) is known by its pipes."""
    captured = em.operation.pipe_nets
    for number, known in enumerate(captured):
        if known is net:
            return number
    built = em.operation.kernel_pipe_nets
    return len(captured) + built.setdefault(tuple(net.pipes), len(built))


def _net_of_pipe(em: Emitter, pipe: Pipe) -> int:
    """The number of the first captured net holding `pipe` (the object, else
    an equal pipe); 0 when none does."""
    nets = em.operation.pipe_nets
    for same in (lambda p: p is pipe, lambda p: p == pipe):
        for number, net in enumerate(nets):
            if any(same(p) for p in net.pipes):
                return number
    return 0


def _src_rect(pipe: Pipe, grid: tuple[int, int]) -> Rect:
    (sx, sy), _, _ = pipe.rect(grid)
    return ((sx, sy), (sx + 1, sy + 1))


def _dst_rect(pipe: Pipe, grid: tuple[int, int]) -> Rect:
    _, lo, hi = pipe.rect(grid)
    return (lo, hi)


def node_coordinate(em: Emitter, node: ast.AST, dim: int) -> Scalar:
    """ttl.node: this node's x (dim 0) or y (dim 1) grid coordinate."""
    with em.at(node):
        return Scalar(ttl.node(i64_attr(dim)))


def in_rect(em: Emitter, scalars: ScalarTranslator, node: ast.AST, rect: Rect) -> Scalar:
    """i1: this node lies in the rectangle [lo, hi)."""
    lo, hi = rect
    tests: list[object] = []
    for dim in (0, 1):
        coord = node_coordinate(em, node, dim)
        if hi[dim] - lo[dim] == 1:
            tests.append(scalars.compare(node, ast.Eq, coord, lo[dim]))
        else:
            tests.append(scalars.compare(node, ast.GtE, coord, lo[dim]))
            tests.append(scalars.compare(node, ast.Lt, coord, hi[dim]))
    return scalars.fold(node, True, tests)


@dataclass(frozen=True)
class Family:
    """Pipes of a net (`members`, their indices in its order) that are its
    pipe `base` (the member with the smallest source) moved by (i *
    step[0], j * step[1]), i < count[0], j < count[1]."""

    members: tuple[int, ...]
    base: int
    count: tuple[int, int]
    step: tuple[int, int]


def _family(indices: list[int], rects: list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]) -> Family | None:
    """The family of pipes `indices` (all of one shape), or None when their
    sources are not a strided box with one pipe per node or the members'
    destinations overlap."""
    sources = [rects[k][0] for k in indices]
    if len(set(sources)) != len(sources):
        return None
    count, step = [], []
    for dim in (0, 1):
        values = sorted({s[dim] for s in sources})
        stride = values[1] - values[0] if len(values) > 1 else 1
        if any(b - a != stride for a, b in zip(values, values[1:])):
            return None
        _, lo, hi = rects[indices[0]]
        if len(values) > 1 and hi[dim] - lo[dim] > stride:  # neighbours would share destinations
            return None
        count.append(len(values))
        step.append(stride)
    if count[0] * count[1] != len(sources):
        return None
    low = (min(s[0] for s in sources), min(s[1] for s in sources))
    base = next(k for k in indices if rects[k][0] == low)
    return Family(tuple(indices), base, (count[0], count[1]), (step[0], step[1]))


def families(net: PipeNet, grid: tuple[int, int], dst: bool) -> list[Family]:
    """The net's pipes as families, in the order of their first members,
    when every node takes its pipes as source (`dst` false) or destination
    in the net's order that way; else one family per pipe."""
    rects = [pipe.rect(grid) for pipe in net.pipes]
    shapes: dict[tuple[int, ...], list[int]] = {}
    for k, (src, lo, hi) in enumerate(rects):
        shape = (lo[0] - src[0], lo[1] - src[1], hi[0] - src[0], hi[1] - src[1])
        shapes.setdefault(shape, []).append(k)
    singles = [Family((k,), k, (1, 1), (1, 1)) for k in range(len(rects))]
    found: list[Family] = []
    for indices in shapes.values():
        family = _family(indices, rects) if len(indices) > 1 else None
        found.extend([family] if family else [singles[k] for k in indices])
    found.sort(key=lambda f: f.members[0])
    if len(found) == len(singles):
        return singles

    def takes(k: int, x: int, y: int) -> bool:
        src, lo, hi = rects[k]
        return lo[0] <= x < hi[0] and lo[1] <= y < hi[1] if dst else src == (x, y)

    for x in range(grid[0]):
        for y in range(grid[1]):
            listed = [k for k in range(len(rects)) if takes(k, x, y)]
            if [k for f in found for k in f.members if takes(k, x, y)] != listed:
                return singles
    return found


def _copies_only(fn: object) -> bool:
    """Whether `fn` (a kernel `def` or a Python function) takes one
    parameter and uses it only as an argument of `ttl.copy`."""
    fn_def = getattr(fn, "node", None)
    if not isinstance(fn_def, ast.FunctionDef):
        if not is_user_function(fn):
            return False
        try:
            fn_def = parse_function(fn)[1]  # type: ignore[arg-type]
        except (OSError, TypeError):
            return False
    if not isinstance(fn_def, ast.FunctionDef) or len(fn_def.args.args) != 1:
        return False
    name = fn_def.args.args[0].arg
    copied: set[int] = set()
    for n in ast.walk(fn_def):
        if isinstance(n, ast.Call) and (isinstance(n.func, ast.Attribute) and n.func.attr == "copy"
                                        or isinstance(n.func, ast.Name) and n.func.id == "copy"):
            copied.update(id(a) for a in n.args if isinstance(a, ast.Name) and a.id == name)
    return all(id(n) in copied for n in ast.walk(fn_def) if isinstance(n, ast.Name) and n.id == name)


def in_members(em: Emitter, scalars: ScalarTranslator, node: ast.AST, lo: tuple[int, int],
               extent: tuple[int, int], count: tuple[int, int], step: tuple[int, int]) -> Scalar:
    """i1: this node lies in one of the rectangles `lo + (i * step[0], j *
    step[1])` of size `extent`, i < count[0], j < count[1]."""
    tests: list[object] = []
    for dim in (0, 1):
        coord = node_coordinate(em, node, dim)
        span = (count[dim] - 1) * step[dim] + extent[dim]
        if span == 1:
            tests.append(scalars.compare(node, ast.Eq, coord, lo[dim]))
            continue
        tests.append(scalars.compare(node, ast.GtE, coord, lo[dim]))
        tests.append(scalars.compare(node, ast.Lt, coord, lo[dim] + span))
        if count[dim] > 1 and step[dim] > extent[dim]:  # gaps between the members
            offset = scalars.binop(node, ast.Sub(), coord, lo[dim])
            tests.append(scalars.compare(node, ast.Lt, scalars.binop(node, ast.Mod(), offset, step[dim]),
                                         extent[dim]))
    return scalars.fold(node, True, tests)


def net_method(em: Emitter, scalars: ScalarTranslator, guard: Guard, inline: Inline, node: ast.AST,
               net: PipeNet, name: str, args: Sequence[object], kwargs: dict[str, object]) -> object:
    net.check(em.operation.grid)
    grid = em.operation.grid
    if name in ("if_src", "if_dst"):
        fn = args[0] if args else kwargs.get("cond_fun")
        if fn is None or len(args) + len(kwargs) != 1:
            raise em.error(node, f"net.{name}(fn) takes one function of the pipe end")
        dst = name == "if_dst"
        end = DstEnd if dst else SrcEnd
        number = net_number(em, net)
        groups = families(net, grid, dst) if _copies_only(fn) else [
            Family((k,), k, (1, 1), (1, 1)) for k in range(len(net.pipes))]
        for family in groups:
            pipe = net.pipes[family.base]
            src, lo, hi = pipe.rect(grid)
            if dst:
                cond = in_members(em, scalars, node, lo, (hi[0] - lo[0], hi[1] - lo[1]), family.count, family.step)
            else:
                cond = in_members(em, scalars, node, src, (1, 1), family.count, family.step)
            guard(node, cond, partial(inline, node, fn, [end(pipe, number, family.count, family.step)]))
        return None
    if name in ("is_src", "is_dst", "is_active"):
        tests: list[object] = []
        for pipe in net.pipes:
            if name in ("is_src", "is_active"):
                tests.append(in_rect(em, scalars, node, _src_rect(pipe, grid)))
            if name in ("is_dst", "is_active"):
                tests.append(in_rect(em, scalars, node, _dst_rect(pipe, grid)))
        return scalars.fold(node, False, tests)
    raise em.error(node, f"PipeNet has no method '{name}'; use if_src, if_dst, is_src, is_dst or is_active")


def active_rects(nets: Sequence[PipeNet], grid: tuple[int, int]) -> list[Rect] | None:
    """The rectangles of nodes some pipe of `nets` touches, without
    repeats; None when there are no nets or they touch every node."""
    if not nets:
        return None
    rects: list[Rect] = []
    covered: set[tuple[int, int]] = set()
    for net in nets:
        net.check(grid)
        for pipe in net.pipes:
            for rect in (_src_rect(pipe, grid), _dst_rect(pipe, grid)):
                if rect not in rects:
                    rects.append(rect)
                    (x0, y0), (x1, y1) = rect
                    covered.update((x, y) for x in range(x0, x1) for y in range(y0, y1))
    return None if len(covered) == grid[0] * grid[1] else rects


def active_condition(em: Emitter, scalars: ScalarTranslator, node: ast.AST, nets: Sequence[PipeNet]) -> Scalar | None:
    """i1: this node is on some pipe of `nets` (None: every node is)."""
    rects = active_rects(nets, em.operation.grid)
    if rects is None:
        return None
    return scalars.fold(node, False, [in_rect(em, scalars, node, r) for r in rects])
