# SPDX-License-Identifier: Apache-2.0
"""`with ttl.signpost("name"):` in kernel code: the statements inside are a
named scope of the profiler (docs/profiler.md), `ttl.signpost_begin` /
`ttl.signpost_end` around them, `DeviceZoneScopedN("name")` in the C++."""

from __future__ import annotations

import ast
from typing import Any, Protocol, Sequence

from ..dialects import ttl
from ..lang import api
from ..lang.errors import KernelError
from .emitter import Emitter
from .expressions import Env


class Statements(Protocol):
    """What a signpost needs from the statement translator."""

    em: Emitter

    def expr(self, node: ast.expr, env: Env) -> Any: ...

    def with_(self, stmt: ast.With, env: Env) -> None: ...

    def block(self, stmts: Sequence[ast.stmt], env: Env) -> None: ...


def is_signpost(stmts: Statements, stmt: ast.With, env: Env) -> bool:
    """Whether the first item of `with` is `ttl.signpost(...)`."""
    call = stmt.items[0].context_expr
    if not (isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute))):
        return False
    try:
        return stmts.expr(call.func, env) is api.signpost
    except KernelError:  # not a name in scope: not the signpost either
        return False


def with_signpost(stmts: Statements, stmt: ast.With, env: Env) -> None:
    """Opens the scope, translates the rest of the `with` (more items, then
    the body), closes the scope."""
    item = stmt.items[0]
    call = item.context_expr
    assert isinstance(call, ast.Call)
    if (len(call.args) != 1 or call.keywords or not isinstance(call.args[0], ast.Constant)
            or not isinstance(call.args[0].value, str)):
        raise stmts.em.error(call, 'ttl.signpost takes the scope\'s name, a string constant: '
                                   'with ttl.signpost("name"):')
    if item.optional_vars is not None:
        raise stmts.em.error(item.optional_vars, "ttl.signpost(...) binds no value: drop the 'as' name")
    name = call.args[0].value
    with stmts.em.at(call):
        ttl.signpost_begin(name)
    if len(stmt.items) > 1:
        rest = ast.With(items=stmt.items[1:], body=stmt.body)
        stmts.with_(ast.copy_location(rest, stmt), env)
    else:
        stmts.block(stmt.body, env)
    with stmts.em.at(stmt):
        ttl.signpost_end(name)
