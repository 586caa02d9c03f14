# SPDX-License-Identifier: Apache-2.0
"""`ttl.Program(compute, dm0, dm1)(tensors...)`: the older way (tt-lang's
early examples) to run an operation's thread functions, called at the end
of a `@ttl.kernel` / `@ttl.operation` body. An operation now runs its
threads when it is called, so ttlx keeps the old meaning without
`ttl.Program` doing any run of its own: it checks that the three functions
are the operation's compute thread and its two data-movement threads, and
gives the data-movement threads the processors of their places (dm0, dm1).
tt-lang-sim 1.1.6's `ttl.Program` also takes `grid=`; ttlx accepts it when
it is the operation's grid. The call's arguments are the tensors the
threads capture (tt-lang-sim ignores them too). One warning per place
(lang/deprecated.py)."""

from __future__ import annotations

from typing import Any, Callable

from . import deprecated
from .errors import KernelError, caller_site
from .operation import _resolve_grid, current

_DROP = "drop it: a @ttl.operation runs its @ttl.compute and @ttl.datamovement functions when it is called"
_PLACES = ("compute", "datamovement", "datamovement")


def Program(*threads: Any, grid: Any = None) -> Callable[..., None]:
    site = caller_site(1)
    deprecated.warn("ttl.Program", "", *site[:2], advice=_DROP)  # host code: column 1, as the others
    ctx = current()
    usage = "ttl.Program takes the operation's compute thread function, then its two data-movement thread functions"
    if len(threads) != 3:
        raise KernelError(f"{usage}; got {len(threads)} argument{'' if len(threads) == 1 else 's'}", *site)
    if grid is not None and _resolve_grid(grid, site) != ctx.grid:
        raise KernelError(f"grid={grid!r} of ttl.Program is not the operation's grid {ctx.grid}; drop grid= (the "
                          "operation's decorator sets the grid)", *site)
    registered = {id(t.fn): t for t in ctx.threads}
    ordered = []
    for place, (fn, kind) in enumerate(zip(threads, _PLACES), 1):
        thread = registered.get(id(fn))
        if thread is None:
            what = f"'{fn.__name__}'" if callable(fn) and hasattr(fn, "__name__") else repr(fn)
            raise KernelError(f"{usage}; argument {place}, {what}, is not a @ttl.compute or @ttl.datamovement "
                              "function of this operation", *site)
        if thread.kind != kind:
            raise KernelError(f"{usage}; argument {place}, '{thread.name}', is a {thread.kind} thread", *site)
        if thread in ordered:
            raise KernelError(f"{usage}; '{thread.name}' is given twice", *site)
        ordered.append(thread)
    ctx.threads[:] = ordered  # the processors follow the order: compute, dm0, dm1

    def run(*tensors: Any, **named: Any) -> None:
        """The threads run when the operation is called; nothing to do here."""

    return run
