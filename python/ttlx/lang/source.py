# SPDX-License-Identifier: Apache-2.0
"""Where kernel code comes from: a function's AST and the names it sees."""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass


@dataclass
class Scope:
    """The file position of a parsed function (to map AST positions back to
    the user's file) and the names it resolves: its globals and closure."""

    file: str
    first_line: int
    indent: int
    globals: dict
    closure: dict

    def position(self, node) -> tuple[int, int]:
        """1-based (line, column) of `node` in the file."""
        return (getattr(node, "lineno", 1) + self.first_line - 1,
                getattr(node, "col_offset", 0) + self.indent + 1)


def closure_values(fn) -> dict:
    """The bound free variables of `fn`, by name."""
    values = {}
    for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            values[name] = cell.cell_contents
        except ValueError:  # a free variable not bound yet
            pass
    return values


def parse_function(fn) -> tuple[Scope, ast.FunctionDef]:
    """Raises OSError/TypeError when the source is not available."""
    lines, first_line = inspect.getsourcelines(fn)
    source = "".join(lines)
    indent = len(source) - len(source.lstrip())
    tree = ast.parse(textwrap.dedent(source))
    scope = Scope(inspect.getsourcefile(fn) or "<unknown>", first_line, indent, fn.__globals__,
                  closure_values(fn))
    fn_def = tree.body[0]
    return scope, fn_def
