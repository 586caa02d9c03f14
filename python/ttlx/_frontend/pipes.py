# SPDX-License-Identifier: Apache-2.0
"""Kernel code that uses pipes: `#ttl.pipe` attributes, the node tests of
`net.if_src/if_dst/is_src/is_dst/is_active`, and the guard that runs a
thread only on the nodes some pipe touches (as tt-lang does).

Node tests compare `ttl.node` coordinates with the pipe's rectangles, so any
grid size works (Blackhole's 13x10 included)."""

from __future__ import annotations

import ast
from functools import partial
from typing import Callable, Sequence

from ..dialects import ttl
from ..ir import Attribute
from ..lang.pipes import DstEnd, Pipe, PipeNet, SrcEnd
from .emitter import Emitter, i64_attr
from .scalars import ScalarTranslator
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
    with em.at(node) as loc:
        return ttl.PipeAttr.get(list(src), list(lo), list(hi), net=net, loc=loc)


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


def net_method(em: Emitter, scalars: ScalarTranslator, guard: Guard, inline: Inline, node: ast.AST,
               net: PipeNet, name: str, args: Sequence[object], kwargs: dict[str, object]) -> object:
    net.check(em.operation.grid)
    grid = em.operation.grid
    if name in ("if_src", "if_dst"):
        fn = args[0] if args else kwargs.get("cond_fun")
        if fn is None or len(args) + len(kwargs) != 1:
            raise em.error(node, f"net.{name}(fn) takes one function of the pipe end")
        rect, end = (_src_rect, SrcEnd) if name == "if_src" else (_dst_rect, DstEnd)
        number = net_number(em, net)
        for pipe in net.pipes:
            cond = in_rect(em, scalars, node, rect(pipe, grid))
            guard(node, cond, partial(inline, node, fn, [end(pipe, number)]))
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
