# SPDX-License-Identifier: Apache-2.0
"""Unified-body operations (tt-lang spec 0.19): an `@ttl.operation` whose
body is written once, with no `@ttl.compute` / `@ttl.datamovement`
functions.

Its statements are of three sorts. What Python can run when the operation
is defined (dataflow buffers, pipe nets, shapes and constants: compile-time
constructs) runs here, in order, as the multi-kernel form runs its body.
A call of another operation is expanded in place (composition). The rest
is kernel code, split into three thread functions by `thread_split`; the
translator compiles those as if the user had written them.
"""

from __future__ import annotations

import ast
import builtins
import copy
import inspect
import types
from typing import Any, Iterator

from ..lang import api
from ..lang.errors import KernelError
from ..lang.operation import DataflowBuffer, Operation, OperationContext, Thread, compute, datamovement
from ..lang.pipes import PipeNet
from ..lang.ttnn import Tensor
from .expressions import LocalFunction
from .source import Scope, parse_function
from .thread_split import COMPUTE, Expand, Unit, ExpandCall, split

_MISSING = object()
_THREAD_KIND = {COMPUTE: "compute"}
# Methods of DFBs and pipe nets that only kernel code calls.
_KERNEL_METHODS = {"wait", "reserve", "push", "pop", "store", "if_src", "if_dst", "publish"}


def is_unified(fn: Any) -> bool:
    """No `@ttl.compute` / `@ttl.datamovement` function in the body (by
    name or by value: `dm = ttl.datamovement` counts)."""
    try:
        scope, fn_def = parse_function(fn)
    except (OSError, TypeError):
        return False
    if not isinstance(fn_def, ast.FunctionDef):
        return False
    names = {**scope.globals, **scope.closure}
    for node in ast.walk(fn_def):
        if isinstance(node, ast.FunctionDef) and node is not fn_def:
            for d in node.decorator_list:
                target = d.func if isinstance(d, ast.Call) else d
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in ("compute", "datamovement") or _value(target, names) in (compute, datamovement):
                    return False
    return True


def split_operation(operation: Operation, ctx: OperationContext, site: tuple[str, int, int],
                    args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Runs the Python part of the body and appends the thread functions of
    its kernel code to `ctx.threads`."""
    scope, fn_def = parse_function(operation.fn)
    assert isinstance(fn_def, ast.FunctionDef)
    _check_signature(scope, fn_def)
    try:
        bound = inspect.signature(operation.fn).bind(*args, **kwargs)
    except TypeError as e:
        raise KernelError(f"call of '{operation.__name__}': {e}", *site) from None
    for name, value in bound.arguments.items():
        _check_runtime_argument(operation, scope, fn_def, name, value, site)
    if _python_only(fn_def, {**scope.globals, **scope.closure, **bound.arguments}):
        _run_on_each_node(operation, scope, fn_def, dict(bound.arguments))
        return
    unit = _expand(operation, scope, fn_def, dict(bound.arguments), [operation])
    threads = split(unit)
    if not threads:
        raise KernelError("the operation body has no kernel work: no copy, block expression or store (a unified "
                          "body is split into threads by its kernel statements)", *_position(scope, fn_def))
    counter = [0]
    captured = [v for u in _units(unit) for v in u.scope.closure.values()]  # the pipe nets of every body
    for name, stmts in threads.items():
        closure = dict(unit.scope.closure)
        body = _calls(stmts, name, closure, counter)
        thread_def = ast.FunctionDef(name=name, args=_no_args(), body=body, decorator_list=[], returns=None,
                                     type_comment=None)
        ast.copy_location(thread_def, fn_def)
        thread_scope = Scope(scope.file, scope.first_line, scope.indent, unit.scope.globals, closure)
        ctx.threads.append(Thread(operation.fn, _THREAD_KIND.get(name, "datamovement"), name=name,
                                  source=(thread_scope, thread_def), captured=captured,
                                  arguments=tuple(bound.arguments.values())))


def _python_only(fn_def: ast.FunctionDef, ns: dict[str, Any]) -> bool:
    """A body with no kernel work even where it reads `ttl.node(...)`
    (grid queries, index arithmetic, asserts): nothing for the device."""
    for stmt in fn_def.body:
        if isinstance(stmt, (ast.With, ast.Return, ast.Break, ast.Continue)) or _operation_call(stmt, ns):
            return False
        if _kernel_work(stmt, ns, set(), node_in_python=True):
            return False
    return True


def _run_on_each_node(operation: Operation, scope: Scope, fn_def: ast.FunctionDef, values: dict[str, Any]) -> None:
    """Runs a body with no kernel work in Python once per node of the grid,
    in row-major order, `ttl.node(...)` giving that node's coordinates: the
    body describes each node's work, and here that work is Python's."""
    gx, gy = operation.grid
    for x in range(gx):
        for y in range(gy):
            ns: dict[str, Any] = {**scope.globals, **scope.closure, **values}
            token = api.running_on.set((x, y))
            try:
                for stmt in fn_def.body:
                    _run(scope, stmt, ns)
            finally:
                api.running_on.reset(token)


def _units(unit: Unit) -> Iterator[Unit]:
    """`unit` and the composed operations expanded in it."""
    yield unit
    for stmt in unit.body:
        if isinstance(stmt, Expand):
            yield from _units(stmt.unit)


def _calls(stmts: list[ast.stmt], thread: str, closure: dict[str, Any], counter: list[int]) -> list[ast.stmt]:
    """The thread's statements with each composed operation's part turned
    into a call of a local function of the callee's scope."""
    out: list[ast.stmt] = []
    for stmt in stmts:
        if isinstance(stmt, ExpandCall):
            unit = stmt.expand.unit
            inner = dict(unit.scope.closure)
            body = _calls(stmt.body, thread, inner, counter)
            fn_def = ast.FunctionDef(name=unit.name, args=_no_args(), body=body, decorator_list=[], returns=None,
                                     type_comment=None)
            ast.copy_location(fn_def, stmt.expand.unit.body[0] if stmt.expand.unit.body else stmt)
            counter[0] += 1
            name = f"_ttlx_expand_{counter[0]}"
            closure[name] = LocalFunction(fn_def, {}, Scope(unit.scope.file, unit.scope.first_line,
                                                            unit.scope.indent, unit.scope.globals, inner))
            call = ast.Expr(ast.Call(ast.Name(name, ast.Load()), [], []))
            out.append(ast.fix_missing_locations(ast.copy_location(call, stmt.expand.call)))
        else:  # composed operations are expanded only at the top level of a body
            out.append(stmt)
    return out


def _no_args() -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None,
                         defaults=[])


def _position(scope: Scope, node: ast.AST) -> tuple[str, int, int]:
    return (scope.file, *scope.position(node))


def _error(scope: Scope, node: ast.AST, message: str) -> KernelError:
    return KernelError(message, *_position(scope, node))


# ----- signatures and arguments ---------------------------------------------
def _check_signature(scope: Scope, fn_def: ast.FunctionDef) -> None:
    params = fn_def.args
    if params.defaults or any(d is not None for d in params.kw_defaults):
        default = (params.defaults or [d for d in params.kw_defaults if d is not None])[0]
        raise _error(scope, default, f"operation parameters have no default values ('{fn_def.name}'); pass "
                                     "configuration as a compile-time argument captured from the enclosing scope")
    if params.vararg or params.kwarg:
        star = params.vararg or params.kwarg
        assert star is not None
        raise _error(scope, star, f"an operation's signature takes no *args or **kwargs ('{fn_def.name}'); name "
                                  "each tensor parameter")


def _annotation_kind(fn_def: ast.FunctionDef, name: str) -> str | None:
    for a in [*fn_def.args.posonlyargs, *fn_def.args.args, *fn_def.args.kwonlyargs]:
        if a.arg == name and a.annotation is not None:
            text = ast.unparse(a.annotation)
            if text.endswith("DataflowBuffer"):
                return "dataflow buffer"
            if text.endswith("PipeNet") or "PipeNet[" in text:
                return "pipe net"
    return None


def _check_runtime_argument(operation: Operation, scope: Scope, fn_def: ast.FunctionDef, name: str, value: Any,
                            site: tuple[str, int, int]) -> None:
    kind = ("dataflow buffer" if isinstance(value, DataflowBuffer) else "pipe net" if isinstance(value, PipeNet)
            else _annotation_kind(fn_def, name))
    if kind is not None:
        raise KernelError(f"'{operation.__name__}' takes a {kind} ('{name}'), so it is an expand-only operation: "
                          "call it from the body of another operation, which expands it in place", *site)
    if isinstance(value, Tensor):
        return
    raise KernelError(f"runtime arguments of an operation are ttnn tensors; '{name}' of '{operation.__name__}' is "
                      f"{type(value).__name__} {value!r}: pass other values as compile-time arguments, captured "
                      "from the enclosing scope", *site)


# ----- the body: Python part, composition, kernel code ---------------------------
def _expand(operation: Operation, scope: Scope, fn_def: ast.FunctionDef, values: dict[str, Any],
            stack: list[Operation]) -> Unit:
    ns: dict[str, Any] = dict(scope.globals)
    ns.update(scope.closure)
    ns.update(values)
    runtime: set[str] = set()  # names kernel code binds
    body: list[ast.stmt] = []
    for i, stmt in enumerate(fn_def.body):
        if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # the docstring
        callee = _operation_call(stmt, ns)
        if callee is not None:
            body.append(_compose(scope, stmt, callee, ns, runtime, stack))
        elif _is_python(stmt, ns, runtime):
            _run(scope, stmt, ns)
        else:
            body.append(stmt)
            runtime |= _bound_names(stmt)
    unit_scope = Scope(scope.file, scope.first_line, scope.indent, scope.globals, ns)
    return Unit(fn_def.name, unit_scope, body)


def _operation_call(stmt: ast.stmt, ns: dict[str, Any]) -> Operation | None:
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        target = _value(stmt.value.func, ns)
        if isinstance(target, Operation):
            return target
    return None


def _compose(scope: Scope, stmt: ast.stmt, callee: Operation, ns: dict[str, Any], runtime: set[str],
             stack: list[Operation]) -> Expand:
    """`other(a, b_dfb)` in an operation body: the callee's body, its
    parameters bound to the caller's values."""
    call = stmt.value  # type: ignore[attr-defined]
    assert isinstance(call, ast.Call)
    if callee in stack:
        cycle = " -> ".join(op.__name__ for op in [*stack[stack.index(callee):], callee])
        raise _error(scope, stmt, f"operation '{callee.__name__}' calls itself ({cycle}); an operation cannot call "
                                  "itself, directly or through a cycle: composition is expanded in full when the "
                                  "operation is defined")
    if not is_unified(callee.fn):
        raise _error(scope, stmt, f"'{callee.__name__}' is a multi-kernel operation (@ttl.compute / "
                                  "@ttl.datamovement functions); multi-kernel operations do not compose: write it "
                                  "with a unified body to call it here")
    for arg in [*call.args, *call.keywords]:
        if isinstance(arg, ast.Starred) or (isinstance(arg, ast.keyword) and arg.arg is None):
            raise _error(scope, arg, f"argument unpacking is not allowed in a call of the operation "
                                     f"'{callee.__name__}'; pass each parameter")
    callee_scope, callee_def = parse_function(callee.fn)
    assert isinstance(callee_def, ast.FunctionDef)
    _check_signature(callee_scope, callee_def)
    names = [a.arg for a in [*callee_def.args.posonlyargs, *callee_def.args.args]]
    keyword_only = [a.arg for a in callee_def.args.kwonlyargs]
    if len(call.args) > len(names):
        raise _error(scope, call, f"'{callee.__name__}' takes {len(names)} parameter(s) ({', '.join(names)}); "
                                  f"got {len(call.args)}")
    given: dict[str, ast.expr] = dict(zip(names, call.args))
    for kw in call.keywords:
        assert kw.arg is not None
        if kw.arg not in names + keyword_only or kw.arg in given:
            raise _error(scope, kw, f"'{callee.__name__}' has no parameter '{kw.arg}' left to pass "
                                    f"(its parameters: {', '.join(names + keyword_only)})")
        given[kw.arg] = kw.value
    missing = [n for n in names + keyword_only if n not in given]
    if missing:
        raise _error(scope, call, f"a call of the composed operation '{callee.__name__}' supplies every "
                                  f"parameter; missing {', '.join(repr(m) for m in missing)}")
    values = {}
    for name, expr in given.items():
        used = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)} & runtime
        if used or _kernel_work(expr, ns, runtime):
            raise _error(scope, expr, f"argument '{name}' of the composed operation '{callee.__name__}' uses "
                                      f"{', '.join(sorted(used)) or 'kernel work'}, known only when the kernel runs; "
                                      "composed operations take tensors, dataflow buffers and pipe nets (values "
                                      "known when the operation is defined)")
        values[name] = _evaluate(scope, expr, ns)
    for node in ast.walk(callee_def):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in given:
            raise _error(callee_scope, node, f"'{node.id}' is a parameter of the composed operation "
                                             f"'{callee.__name__}'; parameters are not reassigned: bind a new name")
    unit = _expand(callee, callee_scope, callee_def, values, [*stack, callee])
    return Expand(stmt, unit)


def _is_python(stmt: ast.stmt, ns: dict[str, Any], runtime: set[str]) -> bool:
    """A statement Python runs when the operation is defined: no kernel
    work and no name kernel code binds."""
    if isinstance(stmt, (ast.With, ast.Return, ast.Break, ast.Continue)):
        return False
    if isinstance(stmt, ast.FunctionDef):
        if stmt.decorator_list:
            return True
        free = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        local = _bound_names(stmt) | {a.arg for a in ast.walk(stmt) if isinstance(a, ast.arg)}
        unknown = {n for n in free - local if n not in ns and not hasattr(builtins, n)}
        return not unknown and not _kernel_work(stmt, ns, runtime | unknown)
    if _bound_names(stmt) & runtime:
        return False
    return not _kernel_work(stmt, ns, runtime)


def _kernel_work(node: ast.AST, ns: dict[str, Any], runtime: set[str], node_in_python: bool = False) -> bool:
    """Whether `node` needs kernel code (`node_in_python`: `ttl.node(...)`
    does not)."""
    python = (api.grid_size, api.node) if node_in_python else (api.grid_size,)
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in runtime:
            return True
        if isinstance(n, ast.Call):
            target = _value(n.func, ns)
            if isinstance(target, Operation):  # not a statement of its own: thread_split says why
                return True
            if target is print or (isinstance(target, types.FunctionType) and target not in python
                                   and (target.__module__ or "") == "ttlx.lang.api"):
                return True
            if isinstance(n.func, ast.Attribute) and n.func.attr in _KERNEL_METHODS:
                receiver = _value(n.func.value, ns)
                if receiver is _MISSING or isinstance(receiver, (DataflowBuffer, PipeNet)):
                    return True
            if any(target is v for v in [*vars(api.math).values(), *vars(api.block).values()]):
                return True
    return False


def _value(node: ast.expr, ns: dict[str, Any]) -> Any:
    """A name or attribute chain's value in `ns`, or _MISSING."""
    if isinstance(node, ast.Name):
        if node.id in ns:
            return ns[node.id]
        return getattr(builtins, node.id, _MISSING)
    if isinstance(node, ast.Attribute):
        base = _value(node.value, ns)
        if base is _MISSING:
            return _MISSING
        try:
            return getattr(base, node.attr)
        except Exception:  # an unknown ttl name: reported where the kernel code uses it
            return _MISSING
    return _MISSING


def _bound_names(stmt: ast.AST) -> set[str]:
    names = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
        names.add(stmt.name)
    return names


def _at_file(node: ast.AST, scope: Scope) -> ast.AST:
    """A copy of `node` at its position in the user's file."""
    node = copy.deepcopy(node)
    for n in ast.walk(node):
        if getattr(n, "col_offset", None) is not None:
            n.col_offset += scope.indent  # type: ignore[attr-defined]
            if getattr(n, "end_col_offset", None) is not None:
                n.end_col_offset += scope.indent  # type: ignore[attr-defined]
    ast.increment_lineno(node, scope.first_line - 1)
    return node


def _run(scope: Scope, stmt: ast.stmt, ns: dict[str, Any]) -> None:
    module = ast.Module(body=[_at_file(stmt, scope)], type_ignores=[])  # type: ignore[list-item]
    exec(compile(module, scope.file, "exec"), ns)


def _evaluate(scope: Scope, expr: ast.expr, ns: dict[str, Any]) -> Any:
    tree = ast.Expression(body=_at_file(expr, scope))  # type: ignore[arg-type]
    return eval(compile(tree, scope.file, "eval"), ns)
