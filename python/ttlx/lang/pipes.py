# SPDX-License-Identifier: Apache-2.0
"""`ttl.Pipe` and `ttl.PipeNet`: data sent from one core to others.

A pipe is a value (source node, destination node or node range), built in
the operation body as tt-lang does. Kernel code uses a net through
`net.if_src(fn)` / `net.if_dst(fn)`, which codegen compiles into a guarded
call of `fn` per pipe, with the pipe's end (`SrcEnd` / `DstEnd`) as its
argument; `ttl.copy` to or from an end becomes `ttl.pipe_send` /
`ttl.pipe_recv`.
"""

from __future__ import annotations

import ast
import linecache
import sys
from dataclasses import dataclass

from .errors import KernelError


def _check_coord(item, what: str) -> None:
    if isinstance(item, slice):
        if not (isinstance(item.start, int) and isinstance(item.stop, int)):
            raise ValueError(f"{what} slices need explicit integer start and stop, got {item}")
        if item.start >= item.stop:
            raise ValueError(f"{what} slice start must be < stop, got {item}")
        if item.step not in (None, 1):
            raise ValueError(f"{what} slices take no step (strided multicast is not supported), got {item}")
    elif isinstance(item, bool) or not isinstance(item, int) or item < 0:
        raise ValueError(f"{what} coordinates are non-negative ints or slices, got {item!r}")


@dataclass(frozen=True, eq=False)
class Pipe:
    """`ttl.Pipe(src=node, dst=node | node range)`; nodes are ints (linear
    index) or (x, y) tuples, ranges have slices: `(0, slice(1, 4))`."""

    src: object
    dst: object

    def __post_init__(self) -> None:
        for item in self.src if isinstance(self.src, tuple) else (self.src,):
            if isinstance(item, slice):
                raise ValueError("a pipe has one source node; slices belong in dst")
            _check_coord(item, "pipe src")
        for item in self.dst if isinstance(self.dst, tuple) else (self.dst,):
            _check_coord(item, "pipe dst")

    def _key(self):
        norm = lambda v: tuple((i.start, i.stop) if isinstance(i, slice) else i for i in v) \
            if isinstance(v, tuple) else v
        return (norm(self.src), norm(self.dst))

    def __eq__(self, other) -> bool:
        return isinstance(other, Pipe) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def rect(self, grid: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        """(src, dst_lo, dst_hi) in (x, y) grid coordinates; raises
        ValueError when the pipe does not fit `grid`."""
        gx, gy = grid
        src = _node(self.src, grid)
        if isinstance(self.dst, tuple) and any(isinstance(i, slice) for i in self.dst):
            if len(self.dst) == 2:
                spans = [(i.start, i.stop) if isinstance(i, slice) else (i, i + 1) for i in self.dst]
                lo, hi = (spans[0][0], spans[1][0]), (spans[0][1], spans[1][1])
            elif len(self.dst) == 1 and gy == 1:
                lo, hi = (self.dst[0].start, 0), (self.dst[0].stop, 1)
            else:
                raise ValueError(f"pipe destination {self.dst} is not a rectangle of the {gx}x{gy} grid; "
                                 "give it as (x, y) with slices")
        else:
            d = _node(self.dst, grid)
            lo, hi = d, (d[0] + 1, d[1] + 1)
        if not (src[0] < gx and src[1] < gy and hi[0] <= gx and hi[1] <= gy):
            raise ValueError(f"pipe {_show(self.src)} -> {_show(self.dst)} does not fit the operation's "
                             f"{gx}x{gy} grid; use a larger grid or nodes inside it")
        if lo[0] <= src[0] < hi[0] and lo[1] <= src[1] < hi[1]:
            raise ValueError(f"pipe {_show(self.src)} -> {_show(self.dst)} sends to its own source; a node "
                             "keeps its own data in its DFBs")
        return src, lo, hi

    def attr(self, grid) -> str:
        src, lo, hi = self.rect(grid)
        return f"#ttl.pipe<[{src[0]}, {src[1]}] -> [{lo[0]}, {lo[1]}] to [{hi[0]}, {hi[1]}]>"


def _caller_site() -> tuple[str, int, int]:
    """file, line, column of the user code that called our caller."""
    frame = sys._getframe(2)
    file, line = frame.f_code.co_filename, frame.f_lineno
    text = linecache.getline(file, line)
    return (file, line, len(text) - len(text.lstrip()) + 1)


def _node(coord, grid) -> tuple[int, int]:
    """(x, y) of a node given as a linear index (row-major, as
    `ttl.node(dims=1)`) or an (x, y) tuple."""
    gx, gy = grid
    if isinstance(coord, int):
        return (coord // gy, coord % gy)
    if len(coord) == 1:
        return (coord[0] // gy, coord[0] % gy)
    if len(coord) == 2:
        return (coord[0], coord[1])
    raise ValueError(f"pipe nodes are ints or (x, y) tuples, got {coord!r}")


def _show(v) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(f"{i.start}:{i.stop}" if isinstance(i, slice) else str(i) for i in v) + ")"
    return str(v)


class PipeNet:
    """`ttl.PipeNet([pipes])`; `if_src` / `if_dst` are compiled in kernels."""

    def __init__(self, pipes):
        pipes = list(pipes)
        if not pipes:
            raise ValueError("PipeNet requires at least one pipe")
        if not all(isinstance(p, Pipe) for p in pipes):
            raise TypeError("PipeNet takes a list of ttl.Pipe")
        ranges = {isinstance(p.dst, tuple) and any(isinstance(i, slice) for i in p.dst) for p in pipes}
        if len(ranges) > 1:
            raise ValueError("a PipeNet's pipes are all unicast or all multicast")
        self.pipes = pipes
        self.site = _caller_site()

    def check(self, grid) -> None:
        """Raises KernelError at the net's construction when a pipe does
        not fit `grid`."""
        for pipe in self.pipes:
            try:
                pipe.rect(grid)
            except ValueError as e:
                raise KernelError(str(e), *self.site) from None

    def _kernel_only(self, *_: object):
        raise RuntimeError("PipeNet methods run only inside @ttl.compute / @ttl.datamovement functions")

    if_src = if_dst = is_src = is_dst = is_active = _kernel_only


@dataclass(frozen=True)
class SrcEnd:
    """What `if_src` passes to its function: the pipe, seen from its source."""

    pipe: Pipe

    @property
    def dst(self):
        return self.pipe.dst


@dataclass(frozen=True)
class DstEnd:
    """What `if_dst` passes to its function: the pipe, seen from a destination."""

    pipe: Pipe

    @property
    def src(self):
        return self.pipe.src


# ----- compiling kernel code that uses pipes ---------------------------------

def pipe_attr(fc, node, pipe: Pipe) -> str:
    try:
        return pipe.attr(fc.ctx.grid)
    except ValueError as e:
        raise fc.error(node, str(e)) from None


def _on_src(fc, node, pipe: Pipe):
    """i1: this node is the pipe's source."""
    (sx, sy), _, _ = pipe.rect(fc.ctx.grid)
    return _in_rect(fc, node, (sx, sy), (sx + 1, sy + 1))


def _on_dst(fc, node, pipe: Pipe):
    _, lo, hi = pipe.rect(fc.ctx.grid)
    return _in_rect(fc, node, lo, hi)


def _in_rect(fc, node, lo, hi):
    """i1: this node lies in [lo, hi)."""
    tests = []
    for dim in (0, 1):
        coord = fc.op(node, f"ttl.node {dim}", "index", "index")
        if hi[dim] - lo[dim] == 1:
            tests.append(fc.compare_scalars(node, ast.Eq, coord, lo[dim]))
        else:
            tests.append(fc.compare_scalars(node, ast.GtE, coord, lo[dim]))
            tests.append(fc.compare_scalars(node, ast.Lt, coord, hi[dim]))
    return fc.fold(node, "arith.andi", tests)


def compile_net_method(fc, node, net: PipeNet, name: str, args, kwargs):
    net.check(fc.ctx.grid)
    if name in ("if_src", "if_dst"):
        fn = args[0] if args else kwargs.get("cond_fun")
        if fn is None or len(args) + len(kwargs) != 1:
            raise fc.error(node, f"net.{name}(fn) takes one function of the pipe end")
        on, end = (_on_src, SrcEnd) if name == "if_src" else (_on_dst, DstEnd)
        for pipe in net.pipes:
            fc.guarded(node, on(fc, node, pipe), lambda: fc.call_value(node, fn, [end(pipe)]))
        return None
    if name in ("is_src", "is_dst", "is_active"):
        tests = []
        for pipe in net.pipes:
            if name in ("is_src", "is_active"):
                tests.append(_on_src(fc, node, pipe))
            if name in ("is_dst", "is_active"):
                tests.append(_on_dst(fc, node, pipe))
        return fc.fold(node, "arith.ori", tests)
    raise fc.error(node, f"PipeNet has no method '{name}'; use if_src, if_dst, is_src, is_dst or is_active")


def active_nodes(nets, grid) -> set[int] | None:
    """Linear indices of the nodes on some pipe of `nets` (None: no nets,
    every node runs)."""
    if not nets:
        return None
    gx, gy = grid
    nodes = set()
    for net in nets:
        net.check(grid)
        for pipe in net.pipes:
            (sx, sy), lo, hi = pipe.rect(grid)
            nodes.add(sx * gy + sy)
            nodes.update(x * gy + y for x in range(lo[0], hi[0]) for y in range(lo[1], hi[1]))
    return nodes
