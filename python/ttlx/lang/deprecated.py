# SPDX-License-Identifier: Apache-2.0
"""Older tt-lang spellings (spec 0.15 and before, still in published
kernels), kept with their old meaning and a one-line warning naming the
new spelling (docs/language.md, "Older spellings"):

- `ttl.kernel(grid=...)` is `ttl.operation(grid=...)`;
- `ttl.core(dims=...)` is `ttl.node(dims=...)`;
- `ttl.make_circular_buffer_like(t, shape, buffer_factor=n)` is
  `ttl.make_dataflow_buffer_like(t, shape, block_count=n)` (`buffer_factor=`
  is accepted by both);
- `ttl.<op>(...)` for an elementwise op is `ttl.math.<op>(...)`;
- `ttl.math.broadcast(x, out, dims=...)` is
  `ttl.block.broadcast(x, dims=..., shape=out.shape)` (calls.py); without
  `out`, the shape of the block it meets (values.ImplicitBroadcast);
- `ttl.Program(compute, dm0, dm1)(...)` has no new spelling: an operation
  runs its threads when called (program.py).
"""

from __future__ import annotations

import sys
from typing import Any

from ..optable import OPS

RENAMED = {"kernel": "operation", "core": "node", "make_circular_buffer_like": "make_dataflow_buffer_like"}
# The elementwise ops, once also top-level names (ttl.exp): from the op table, as ttl.math's.
MATH_NAMES = {name for op in OPS for name in op.python_names if name.isidentifier()}

_warned: set[tuple[str, int, int, str]] = set()


def new_spelling(name: str) -> str | None:
    """`ttl.<name>`'s current spelling, for an old top-level name."""
    if name in RENAMED:
        return f"ttl.{RENAMED[name]}"
    if name in MATH_NAMES:
        return f"ttl.math.{name}"
    return None


def resolve(ttl: Any, name: str) -> Any:
    """The object an old top-level `ttl.<name>` stands for, `ttl` being
    the module (ttlx.lang or ttlx)."""
    return getattr(ttl, RENAMED[name]) if name in RENAMED else getattr(ttl.math, name)


def warn(old: str, new: str, file: str, line: int, col: int = 1, *, advice: str = "") -> None:
    """`file:line:col: warning: <old> is deprecated; write <new>` (or
    `; <advice>` for an old construct with no new spelling), once per place."""
    key = (file, line, col, old)
    if key in _warned:
        return
    _warned.add(key)
    instead = advice or f"write {new}"
    print(f"{file}:{line}:{col}: warning: {old} is deprecated (tt-lang spec 0.15 and before); {instead}",
          file=sys.stderr)

