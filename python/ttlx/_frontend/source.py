# SPDX-License-Identifier: Apache-2.0
"""Where kernel code comes from: a function's AST and the names it sees."""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass
from types import CodeType, FunctionType
from typing import Any, Callable

from ..lang.operation_cache import code_names


@dataclass
class Scope:
    """The file position of a parsed function (to map AST positions back to
    the user's file) and the names it resolves: its globals and closure."""

    file: str
    first_line: int
    indent: int
    globals: dict[str, Any]
    closure: dict[str, Any]

    def position(self, node: ast.AST) -> tuple[int, int]:
        """1-based (line, column) of `node` in the file."""
        return (getattr(node, "lineno", 1) + self.first_line - 1,
                getattr(node, "col_offset", 0) + self.indent + 1)


def closure_values(fn: Callable[..., Any]) -> dict[str, Any]:
    """The bound free variables of `fn`, by name."""
    values: dict[str, Any] = {}
    code = getattr(fn, "__code__", None)
    if code is None:
        return values
    for name, cell in zip(code.co_freevars, getattr(fn, "__closure__", None) or ()):
        try:
            values[name] = cell.cell_contents
        except ValueError:  # a free variable not bound yet
            pass
    return values


def named_globals(fn: Callable[..., Any]) -> list[Any]:
    """The values of the module globals `fn` can reach by name: those its
    code names, and those named by the module's functions it reaches so
    (called helpers are inlined), in the module's order. Not the whole
    module: operation calls look for pipe nets here every time, and a
    module's builtins alone are some 150 values."""
    scope = getattr(fn, "__globals__", None)
    if scope is None:
        return []
    names: set[str] = set()
    todo: list[Any] = [fn, *(v for v in closure_values(fn).values() if isinstance(v, FunctionType))]
    seen: set[CodeType] = set()
    while todo:
        code = getattr(todo.pop(), "__code__", None)
        if code is None or code in seen:
            continue
        seen.add(code)
        for name in code_names(code) - names:
            names.add(name)
            value = scope.get(name)
            if isinstance(value, FunctionType) and value.__globals__ is scope:
                todo.append(value)
    return [value for name, value in scope.items() if name in names]


def parse_function(fn: Callable[..., Any]) -> tuple[Scope, ast.stmt]:
    """Raises OSError/TypeError when the source is not available."""
    lines, first_line = inspect.getsourcelines(fn)
    source = "".join(lines)
    indent = len(source) - len(source.lstrip())
    tree = ast.parse(textwrap.dedent(source))
    scope = Scope(inspect.getsourcefile(fn) or "<unknown>", first_line, indent,
                  getattr(fn, "__globals__", {}), closure_values(fn))
    return scope, tree.body[0]


def is_user_function(target: object) -> bool:
    """A plain Python function of the user's (inlined where called), not
    one of ttlx's API stubs."""
    module = target.__module__ or "" if isinstance(target, FunctionType) else ""
    return isinstance(target, FunctionType) and not module.startswith(("ttlx.lang", "ttlx._frontend"))
