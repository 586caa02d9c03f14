# SPDX-License-Identifier: Apache-2.0
"""`ttl.Pipe` and `ttl.PipeNet`: data sent from one core to others.

A pipe is a value (source node, destination node or node range), built in
the operation body as tt-lang does. Kernel code uses a net through
`net.if_src(fn)` / `net.if_dst(fn)`, which the translator turns into a
guarded call of `fn` per pipe, with the pipe's end (`SrcEnd` / `DstEnd`) as
its argument; `ttl.copy` to or from an end becomes `ttl.pipe_send` /
`ttl.pipe_recv` (ttlx._frontend.pipes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, NoReturn

from .errors import KernelError, caller_site, user_site


def _check_coord(item: Any, what: str) -> None:
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
        try:
            for item in self.src if isinstance(self.src, tuple) else (self.src,):
                if isinstance(item, slice):
                    raise ValueError("a pipe has one source node; slices belong in dst")
                _check_coord(item, "pipe src")
            for item in self.dst if isinstance(self.dst, tuple) else (self.dst,):
                _check_coord(item, "pipe dst")
        except ValueError as e:  # at the user's ttl.Pipe(...) (its caller is the dataclass __init__)
            raise KernelError(str(e), *caller_site(2)) from None

    def _key(self) -> tuple[Any, Any]:
        def norm(v: Any) -> Any:
            return tuple((i.start, i.stop) if isinstance(i, slice) else i for i in v) if isinstance(v, tuple) else v

        return (norm(self.src), norm(self.dst))

    def __eq__(self, other: object) -> bool:
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
            elif len(self.dst) == 1:  # linear node indices, row-major as ttl.node(dims=1)
                lo, hi = _linear_rect(self.dst[0], grid)
            else:
                raise ValueError(f"pipe destination {self.dst} is not a rectangle of the {gx}x{gy} grid; "
                                 "give it as (x, y) with slices")
        else:
            d = _node(self.dst, grid)
            lo, hi = d, (d[0] + 1, d[1] + 1)
        if not (src[0] < gx and src[1] < gy and hi[0] <= gx and hi[1] <= gy):
            raise ValueError(f"pipe {_show(self.src)} -> {_show(self.dst)} does not fit the operation's "
                             f"{gx}x{gy} grid; use a larger grid or nodes inside it")
        return src, lo, hi


def _node(coord: Any, grid: tuple[int, int]) -> tuple[int, int]:
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


def _linear_rect(span: slice, grid: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """The rectangle [lo, hi) of the linear node indices span.start to
    span.stop - 1: part of one grid row, or whole rows."""
    gx, gy = grid
    first, last = span.start, span.stop - 1
    if last >= gx * gy:
        raise ValueError(f"pipe destination nodes {first} to {last} do not fit the operation's {gx}x{gy} grid "
                         f"({gx * gy} nodes); use a larger grid or nodes inside it")
    (x0, y0), (x1, y1) = divmod(first, gy), divmod(last, gy)
    if x0 == x1:
        return (x0, y0), (x0 + 1, y1 + 1)
    if y0 == 0 and y1 == gy - 1:
        return (x0, 0), (x1 + 1, gy)
    raise ValueError(f"pipe destination nodes {first} to {last} are not a rectangle of the {gx}x{gy} grid (they "
                     f"wrap from node ({x0}, {y0}) to ({x1}, {y1})); give one pipe per grid row, or (x, y) with slices")


def _show(v: Any) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(f"{i.start}:{i.stop}" if isinstance(i, slice) else str(i) for i in v) + ")"
    return str(v)


class PipeNet:
    """`ttl.PipeNet([pipes])`; `if_src` / `if_dst` are compiled in kernels."""

    def __init__(self, pipes: Iterable[Pipe]):
        self.site: tuple[str, int, int] = caller_site(1)
        try:
            pipes = list(pipes)
        except TypeError:
            raise KernelError("PipeNet takes a list of ttl.Pipe", *self.site) from None
        if not all(isinstance(p, Pipe) for p in pipes):
            raise KernelError("PipeNet takes a list of ttl.Pipe", *self.site)
        if not pipes:
            raise KernelError("PipeNet requires at least one pipe", *self.site)
        ranges = {isinstance(p.dst, tuple) and any(isinstance(i, slice) for i in p.dst) for p in pipes}
        if len(ranges) > 1:
            raise KernelError("a PipeNet's pipes are all unicast or all multicast", *self.site)
        self.pipes: list[Pipe] = pipes

    def check(self, grid: tuple[int, int]) -> None:
        """Raises KernelError at the net's construction when a pipe does
        not fit `grid`."""
        for pipe in self.pipes:
            try:
                pipe.rect(grid)
            except ValueError as e:
                raise KernelError(str(e), *self.site) from None

    def _kernel_only(self, *_: object) -> NoReturn:
        raise KernelError("PipeNet methods run only inside @ttl.compute / @ttl.datamovement functions", *user_site())

    if_src = if_dst = is_src = is_dst = is_active = _kernel_only


@dataclass(frozen=True)
class SrcEnd:
    """What `if_src` passes to its function: the pipe, seen from its source;
    `net` numbers its PipeNet in the operation (each net is a channel).
    `count` and `step` make it the end of several pipes of the net at once,
    `pipe` moved by (i * step[0], j * step[1]) for i < count[0], j <
    count[1], each node taking its own (the translator's compact form of
    `if_src`, used only where the function passes the end to `ttl.copy`
    and nothing else)."""

    pipe: Pipe
    net: int = 0
    count: tuple[int, int] = (1, 1)
    step: tuple[int, int] = (1, 1)

    @property
    def dst(self) -> Any:
        return self.pipe.dst


@dataclass(frozen=True)
class DstEnd:
    """What `if_dst` passes to its function: the pipe, seen from a
    destination (`count` and `step` as for `SrcEnd`)."""

    pipe: Pipe
    net: int = 0
    count: tuple[int, int] = (1, 1)
    step: tuple[int, int] = (1, 1)

    @property
    def src(self) -> Any:
        return self.pipe.src
