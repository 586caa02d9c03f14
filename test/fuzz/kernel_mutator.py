# SPDX-License-Identifier: Apache-2.0
"""Mutants of tt-lang kernel files: one change in the code of an operation.

Mutations act on the Python AST of `@ttl.operation` functions (their
decorators, DFB set-up and thread functions), so every mutant is still
Python and reaches ttlx's frontend, compiler and runtime: edge-case numbers,
another name or ttl function in a place, a dropped, repeated or reordered
statement, a call with an argument missing or extra, another operator, a
loop bound one lower.
"""

from __future__ import annotations

import ast
import copy
import random
from collections.abc import Callable

_EDGE_INTS = [0, 1, -1, 2, 3, 31, 32, 33, 64, 65, 1000, 2**31, 2**63 - 1]
_EDGE_FLOATS = ["0.0", "-0.0", "-1.0", "1e-40", "1e400", "float('nan')", "float('inf')"]
_MATH = ["exp", "log", "sqrt", "rsqrt", "recip", "sigmoid", "silu", "tanh", "abs", "neg", "sign",
         "square", "relu", "max", "min", "reduce_sum", "reduce_max", "broadcast", "fill", "matmul",
         "transpose", "no_such_function"]
_METHODS = ["wait", "reserve", "push", "pop", "store", "copy", "shape", "no_such_method"]
_BINOPS = [ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.MatMult, ast.Pow]
_CMPOPS = [ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq]


def _is_operation(fn: ast.FunctionDef) -> bool:
    return any("operation" in ast.unparse(d) for d in fn.decorator_list)


def _targets(tree: ast.Module) -> list[ast.AST]:
    """Every node inside an operation function, its decorators included."""
    nodes: list[ast.AST] = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and _is_operation(fn):
            nodes.extend(n for n in ast.walk(fn) if n is not fn)
    return nodes


def _statement_lists(nodes: list[ast.AST]) -> list[list[ast.stmt]]:
    lists = []
    for n in nodes:
        for field in ("body", "orelse"):
            body = getattr(n, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                lists.append(body)
    return lists


Mutation = Callable[[list[ast.AST], random.Random], bool]


def _int_constant(nodes: list[ast.AST], rng: random.Random) -> bool:
    ints = [n for n in nodes if isinstance(n, ast.Constant) and type(n.value) is int]
    if not ints:
        return False
    rng.choice(ints).value = rng.choice(_EDGE_INTS)
    return True


def _float_constant(nodes: list[ast.AST], rng: random.Random) -> bool:
    numbers = [n for n in nodes if isinstance(n, ast.Constant) and type(n.value) in (int, float)]
    if not numbers:
        return False
    target: ast.AST = rng.choice(numbers)  # becomes the replacement node, of another class
    replacement = ast.parse(rng.choice(_EDGE_FLOATS), mode="eval").body
    target.__class__ = replacement.__class__
    target.__dict__.update(replacement.__dict__)
    return True


def _other_name(nodes: list[ast.AST], rng: random.Random) -> bool:
    names = [n for n in nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    if len(names) < 2:
        return False
    rng.choice(names).id = rng.choice(names).id
    return True


def _other_attribute(nodes: list[ast.AST], rng: random.Random) -> bool:
    attrs = [n for n in nodes if isinstance(n, ast.Attribute)]
    if not attrs:
        return False
    target = rng.choice(attrs)
    target.attr = rng.choice(_MATH if target.attr in _MATH else _METHODS)
    return True


def _drop_statement(nodes: list[ast.AST], rng: random.Random) -> bool:
    lists = _statement_lists(nodes)
    if not lists:
        return False
    body = rng.choice(lists)
    i = rng.randrange(len(body))
    if len(body) == 1:
        body[i] = ast.Pass()
    else:
        del body[i]
    return True


def _repeat_statement(nodes: list[ast.AST], rng: random.Random) -> bool:
    lists = _statement_lists(nodes)
    if not lists:
        return False
    body = rng.choice(lists)
    i = rng.randrange(len(body))
    body.insert(i, copy.deepcopy(body[i]))
    return True


def _swap_statements(nodes: list[ast.AST], rng: random.Random) -> bool:
    lists = [b for b in _statement_lists(nodes) if len(b) > 1]
    if not lists:
        return False
    body = rng.choice(lists)
    i = rng.randrange(len(body) - 1)
    body[i], body[i + 1] = body[i + 1], body[i]
    return True


def _call_arguments(nodes: list[ast.AST], rng: random.Random) -> bool:
    calls = [n for n in nodes if isinstance(n, ast.Call)]
    if not calls:
        return False
    call = rng.choice(calls)
    choice = rng.randrange(4)
    if choice == 0 and call.args:
        call.args.pop()
    elif choice == 1 and call.args:
        call.args.append(copy.deepcopy(rng.choice(call.args)))
    elif choice == 2 and len(call.args) > 1:
        i, j = rng.sample(range(len(call.args)), 2)
        call.args[i], call.args[j] = call.args[j], call.args[i]
    elif call.keywords:
        call.keywords.pop(rng.randrange(len(call.keywords)))
    else:
        call.args.append(ast.Constant(rng.choice(_EDGE_INTS)))
    return True


def _operator(nodes: list[ast.AST], rng: random.Random) -> bool:
    ops = [n for n in nodes if isinstance(n, (ast.BinOp, ast.AugAssign, ast.Compare))]
    if not ops:
        return False
    target = rng.choice(ops)
    if isinstance(target, ast.Compare):
        target.ops[0] = rng.choice(_CMPOPS)()
    else:
        target.op = rng.choice(_BINOPS)()
    return True


def _range_bound(nodes: list[ast.AST], rng: random.Random) -> bool:
    ranges = [n for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
              and n.func.id == "range" and n.args]
    if not ranges:
        return False
    call = rng.choice(ranges)
    i = rng.randrange(len(call.args))
    call.args[i] = ast.BinOp(call.args[i], ast.Sub(), ast.Constant(rng.choice([1, 2, 100])))
    return True


MUTATIONS: list[Mutation] = [_int_constant, _int_constant, _float_constant, _other_name, _other_attribute,
                             _drop_statement, _repeat_statement, _swap_statements, _call_arguments,
                             _operator, _range_bound]


def mutate(source: str, rng: random.Random, rounds: int = 1) -> str | None:
    """`source` with `rounds` mutations inside its operations, or None when
    it has no operation to mutate."""
    tree = ast.parse(source)
    if not _targets(tree):
        return None
    for _ in range(rounds):
        for _attempt in range(8):
            if rng.choice(MUTATIONS)(_targets(tree), rng):
                break
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"
