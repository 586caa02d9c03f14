# SPDX-License-Identifier: Apache-2.0
"""`ttl.Semaphore` (tt-lang spec, "Semaphore"): a 32-bit value per node,
`ttl.Semaphore(n)`'s n (0 by default) on every node of the grid when the
operation starts, set or incremented by data-movement threads of
any node and waited on by the node's own. Made in the operation body;
`get_remote((x, y))` names one node's value (`set`, `inc`),
`get_remote_multicast(...)` a rectangle of nodes (`set`). The methods that
change or wait are kernel code (ttlx._frontend.semaphores builds them);
outside kernel code they raise.

Nodes are `(x, y)` as `ttl.node(dims=2)` returns them, or linear indices
(row-major over the grid tuple, as `ttl.node(dims=1)`), as for pipes; a
multicast rectangle is `(x, y)` with slices, `(slice(a, b),)` of linear
indices, or nothing (the whole grid).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NoReturn

from .errors import KernelError
from .errors import caller_site
from .operation import current


def _kernel_method(what: str) -> Callable[[Any, Any], NoReturn]:
    """A method kernel code calls (the translator builds it); called in
    Python it raises at the caller's line."""

    def stub(self: Any, value: Any) -> NoReturn:
        raise KernelError(f"{what} runs in @ttl.datamovement functions (kernel code)", *caller_site(1))

    stub.__name__ = what.rsplit(".", 1)[1]
    return stub


@dataclass(frozen=True)
class Semaphore:
    """The operation's `index`-th semaphore."""

    index: int

    def __init__(self, initial_value: Any = 0, *, _index: int | None = None) -> None:
        if _index is None:
            site = caller_site(1)
            if isinstance(initial_value, bool) or not isinstance(initial_value, int) or \
                    not 0 <= initial_value < 2**32:
                raise KernelError(f"ttl.Semaphore({initial_value!r}): the initial value is a semaphore value, an "
                                  "integer in [0, 2^32) known when the operation is defined", *site)
            _index = current().new_semaphore(site, initial_value)
        object.__setattr__(self, "index", _index)

    def get_remote(self, node: Any) -> "UnicastRemoteSemaphore":
        return UnicastRemoteSemaphore(self, node)

    def get_remote_multicast(self, nodes: Any = None) -> "MulticastRemoteSemaphore":
        return MulticastRemoteSemaphore(self, nodes)

    wait_eq = _kernel_method("Semaphore.wait_eq")
    wait_ge = _kernel_method("Semaphore.wait_ge")
    set = _kernel_method("Semaphore.set")


@dataclass(frozen=True)
class UnicastRemoteSemaphore:
    """One node's value of `semaphore`."""

    semaphore: Semaphore
    node: Any

    set = _kernel_method("UnicastRemoteSemaphore.set")
    inc = _kernel_method("UnicastRemoteSemaphore.inc")


@dataclass(frozen=True)
class MulticastRemoteSemaphore:
    """`semaphore` on a rectangle of nodes (None: the whole grid)."""

    semaphore: Semaphore
    nodes: Any

    set = _kernel_method("MulticastRemoteSemaphore.set")
