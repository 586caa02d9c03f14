# SPDX-License-Identifier: Apache-2.0
"""`ttl.Semaphore` in kernel code (lang/semaphores.py): waits and sets of
this node's value, sets and increments of one node's, sets of a rectangle
of nodes, as the ttl.semaphore_* ops; the nodes in grid coordinates."""

from __future__ import annotations

import ast
from typing import Any

from ..dialects import ttl
from ..lang.pipes import _linear_rect
from ..lang.semaphores import MulticastRemoteSemaphore, Semaphore, UnicastRemoteSemaphore
from .emitter import Emitter, i64_attr
from .scalars import ScalarTranslator
from .values import Scalar, is_int


class SemaphoreTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator):
        self.em, self.scalars = emitter, scalars

    def _value(self, node: ast.AST, value: Any, what: str) -> Scalar:
        if not is_int(value) or (isinstance(value, int) and not 0 <= value < 2**32):
            raise self.em.error(node, f"{what} takes a semaphore value, an integer in [0, 2^32); got {value!r}")
        return self.scalars.intv(node, value, "i32")

    def _data_movement(self, node: ast.AST, what: str) -> None:
        if self.em.kind != "datamovement":
            raise self.em.error(node, f"{what} runs in data-movement threads (tt-lang's semaphores are set, "
                                      "incremented and waited on there); move it to a @ttl.datamovement function")

    def wait(self, node: ast.AST, sem: Semaphore, value: Any, at_least: bool) -> None:
        what = "Semaphore.wait_ge" if at_least else "Semaphore.wait_eq"
        self._data_movement(node, what)
        v = self._value(node, value, what)
        with self.em.at(node):
            ttl.semaphore_wait(i64_attr(sem.index), v.value, at_least=at_least or None)

    def set(self, node: ast.AST, sem: Semaphore, value: Any) -> None:
        self._data_movement(node, "Semaphore.set")
        v = self._value(node, value, "Semaphore.set")
        with self.em.at(node):
            ttl.semaphore_set(i64_attr(sem.index), v.value)

    def node_xy(self, node: ast.AST, where: Any) -> tuple[Scalar, Scalar]:
        """(x, y) index scalars of a node given as (x, y) or a linear index
        (row-major over the grid tuple, as ttl.node(dims=1))."""
        gx, gy = self.em.operation.grid
        if isinstance(where, tuple) and len(where) == 1:
            where = where[0]
        if isinstance(where, tuple) and len(where) == 2 and all(is_int(c) for c in where):
            x, y = where
        elif is_int(where):
            if isinstance(where, int):
                x, y = divmod(where, gy)
            else:
                x = self.scalars.binop(node, ast.FloorDiv(), where, gy)
                y = self.scalars.binop(node, ast.Mod(), where, gy)
        else:
            raise self.em.error(node, f"a remote semaphore's node is (x, y) or a linear node index; got {where!r}")
        if isinstance(x, int) and isinstance(y, int) and not (0 <= x < gx and 0 <= y < gy):
            raise self.em.error(node, f"node ({x}, {y}) is not in the operation's {gx}x{gy} grid")
        return self.scalars.index(node, x), self.scalars.index(node, y)

    def remote(self, node: ast.AST, sem: UnicastRemoteSemaphore, value: Any, inc: bool) -> None:
        what = "UnicastRemoteSemaphore.inc" if inc else "UnicastRemoteSemaphore.set"
        self._data_movement(node, what)
        x, y = self.node_xy(node, sem.node)
        v = self._value(node, value, what)
        op = ttl.semaphore_remote_inc if inc else ttl.semaphore_remote_set
        with self.em.at(node):
            op(i64_attr(sem.semaphore.index), x.value, y.value, v.value)

    def rect(self, node: ast.AST, nodes: Any) -> tuple[tuple[int, int], tuple[int, int]]:
        """[lo, hi) of a multicast's nodes: the grid, (x, y) with slices, or
        linear indices (slice(a, b),), known when the operation compiles."""
        gx, gy = self.em.operation.grid
        if nodes is None:
            return (0, 0), (gx, gy)
        try:
            if (isinstance(nodes, tuple) and len(nodes) == 1 and isinstance(nodes[0], slice)
                    and isinstance(nodes[0].start, int) and isinstance(nodes[0].stop, int)):
                first, last = nodes[0].start, nodes[0].stop - 1
                if not 0 <= first <= last < gx * gy:
                    raise ValueError(f"nodes {first} to {last} are not in the operation's {gx}x{gy} grid "
                                     f"({gx * gy} nodes)")
                try:
                    return _linear_rect(nodes[0], (gx, gy))
                except ValueError:
                    raise ValueError(f"nodes {first} to {last} are not a rectangle of the operation's {gx}x{gy} "
                                     "grid; give (x, y) with slices") from None
            if isinstance(nodes, tuple) and len(nodes) == 2:
                spans = [(c.start or 0, c.stop if c.stop is not None else size) if isinstance(c, slice) else (c, c + 1)
                         for c, size in zip(nodes, (gx, gy))]
                if all(isinstance(a, int) and isinstance(b, int) for a, b in spans):
                    (x0, x1), (y0, y1) = spans
                    if 0 <= x0 < x1 <= gx and 0 <= y0 < y1 <= gy:
                        return (x0, y0), (x1, y1)
                    raise ValueError(f"nodes {nodes!r} are not a non-empty rectangle of the operation's "
                                     f"{gx}x{gy} grid")
        except ValueError as e:
            raise self.em.error(node, str(e)) from None
        raise self.em.error(node, "a multicast semaphore's nodes are (x, y) with slices, (slice(a, b),) of linear "
                                  f"node indices, or nothing (the whole grid), known when the operation compiles; "
                                  f"got {nodes!r}")

    def multicast(self, node: ast.AST, sem: MulticastRemoteSemaphore, value: Any) -> None:
        self._data_movement(node, "MulticastRemoteSemaphore.set")
        (x0, y0), (x1, y1) = self.rect(node, sem.nodes)
        v = self._value(node, value, "MulticastRemoteSemaphore.set")
        bounds = [self.scalars.index(node, c).value for c in (x0, y0, x1, y1)]
        with self.em.at(node):
            ttl.semaphore_multicast_set(i64_attr(sem.semaphore.index), *bounds, v.value)
