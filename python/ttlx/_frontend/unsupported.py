# SPDX-License-Identifier: Apache-2.0
"""Python outside the kernel subset, and what to write instead."""

from __future__ import annotations

import ast

# Python outside the kernel subset: (what it is, what to do instead).
UNSUPPORTED: dict[type[ast.AST], tuple[str, str]] = {
    ast.Try: ("try statements", "kernels cannot raise or catch exceptions; check inputs on the host"),
    ast.Raise: ("raise statements", "kernels cannot raise exceptions; check inputs on the host"),
    ast.Assert: ("assert statements", "check inputs on the host before calling the operation"),
    ast.Global: ("global statements", "kernel code cannot rebind names outside it; compute values in the "
                                      "operation body and read them"),
    ast.Nonlocal: ("nonlocal statements", "kernel code cannot rebind names outside it; return the value from "
                                          "the helper instead"),
    ast.ClassDef: ("class definitions", "define classes outside the operation"),
    ast.Import: ("import statements", "import at the top of the file"),
    ast.ImportFrom: ("import statements", "import at the top of the file"),
    ast.Delete: ("del statements", "let the name go out of use"),
    ast.AsyncFunctionDef: ("async functions", "use a plain def"),
    ast.AsyncFor: ("async loops", "use for ... in range(...)"),
    ast.AsyncWith: ("async with", "use with dfb.wait() / dfb.reserve()"),
    ast.Match: ("match statements", "use if/elif/else"),
    ast.Lambda: ("lambdas", "define the function with def"),
    ast.ListComp: ("list comprehensions", "use a for loop"),
    ast.SetComp: ("set comprehensions", "use a for loop"),
    ast.DictComp: ("dict comprehensions", "use a for loop"),
    ast.GeneratorExp: ("generator expressions", "use a for loop"),
    ast.Yield: ("yield (generators)", "use a loop in the thread function"),
    ast.YieldFrom: ("yield from (generators)", "use a loop in the thread function"),
    ast.Await: ("await", "kernel threads run to completion; use plain calls"),
    ast.JoinedStr: ("f-strings outside print(...)", "kernels compute numbers; format text in print or on the host"),
    ast.Dict: ("dict values", "use tuples or separate names"),
    ast.Set: ("set values", "use tuples"),
    ast.Starred: ("* unpacking", "pass the arguments one by one"),
    ast.NamedExpr: ("':=' assignments", "assign on a line of its own"),
    ast.Slice: ("slices outside tensor indexing", "slice tensors only: t[r0:r1, c0:c1]"),
}
