# SPDX-License-Identifier: Apache-2.0
"""Whether a name may be read after a statement before it is assigned again
(a conservative answer from the AST: loops may run again, branches either
way, nested functions read whatever they name)."""

from __future__ import annotations

import ast
from typing import Literal, Sequence

First = Literal["read", "write"] | None


def _loads(node: ast.AST | None, name: str) -> bool:
    return node is not None and any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
                                    for n in ast.walk(node))


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) for n in ast.walk(target))


def first_use(stmts: Sequence[ast.stmt], name: str) -> First:
    """"read" when `stmts` may read `name` before assigning it, "write" when
    they assign it (or return) first on every path, None otherwise."""
    for stmt in stmts:
        use = _statement(stmt, name)
        if use is not None:
            return use
    return None


def _statement(stmt: ast.stmt, name: str) -> First:
    if isinstance(stmt, ast.Assign):
        if _loads(stmt.value, name) or any(_loads(t, name) for t in stmt.targets):
            return "read"
        return "write" if any(_binds(t, name) for t in stmt.targets) else None
    if isinstance(stmt, ast.AugAssign):
        return "read" if _binds(stmt.target, name) or _loads(stmt, name) else None
    if isinstance(stmt, ast.If):
        if _loads(stmt.test, name):
            return "read"
        then, orelse = first_use(stmt.body, name), first_use(stmt.orelse, name)
        if "read" in (then, orelse):
            return "read"
        return "write" if then == orelse == "write" else None
    if isinstance(stmt, (ast.For, ast.While)):  # the body may run no time
        test = stmt.iter if isinstance(stmt, ast.For) else stmt.test
        return "read" if _loads(test, name) or first_use(stmt.body, name) == "read" else None
    if isinstance(stmt, ast.With):
        if any(_loads(item.context_expr, name) for item in stmt.items):
            return "read"
        if any(item.optional_vars is not None and _binds(item.optional_vars, name) for item in stmt.items):
            return "write"
        return first_use(stmt.body, name)
    if isinstance(stmt, ast.Return):
        return "read" if _loads(stmt.value, name) else "write"
    return "read" if _loads(stmt, name) else None


def live_after(path: Sequence[tuple[Sequence[ast.stmt], int]], name: str) -> bool:
    """Whether `name` may be read after the statement `path[-1]` (each entry:
    a statement list being translated and the index of its statement being
    translated, outermost first)."""
    for level in range(len(path) - 1, -1, -1):
        stmts, i = path[level]
        use = first_use(stmts[i + 1:], name)
        if use is not None:
            return use == "read"
        if level > 0:
            outer_stmts, j = path[level - 1]
            outer = outer_stmts[j]
            if (isinstance(outer, (ast.For, ast.While)) and any(s is stmts[0] for s in outer.body)
                    and (first_use(outer.body, name) == "read"
                         or (isinstance(outer, ast.While) and _loads(outer.test, name)))):
                return True  # the next iteration reads it
    return False
