# SPDX-License-Identifier: Apache-2.0
"""Compile the thread functions of a tt-lang operation to TTL IR.

The thread functions are never executed: their Python AST is translated,
with closure values (ints, floats, DFBs, tensors) folded in as constants.
Every op carries the user's file:line:col. Scalars assigned inside loops and
branches become scf.for iter_args and scf.if results.
"""

from __future__ import annotations

import ast
import types
from dataclasses import dataclass, field

import torch

from . import api
from .control import RETURN, ControlFlow, exits
from .errors import KernelError
from .operation import DataflowBuffer, OperationContext, Thread, dtype_name
from .pipes import Pipe, PipeNet, active_nodes
from .scalars import ScalarMath
from .source import Scope, closure_values, parse_function
from .ttnn import Tensor
from .values import Slice, V

UNARY = {
    "exp": "exp", "log": "log", "sqrt": "sqrt", "rsqrt": "rsqrt", "recip": "recip",
    "reciprocal": "recip", "sigmoid": "sigmoid", "silu": "silu", "tanh": "tanh", "abs": "abs",
    "neg": "neg", "sign": "sign", "square": "square", "relu": "relu",
}
BINARY_MATH = {"max": "max", "min": "min", "maximum": "max", "minimum": "min"}
BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}


# Python outside the kernel subset: (what it is, what to do instead).
UNSUPPORTED = {
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
    ast.JoinedStr: ("strings (f-strings)", "kernels compute numbers; format text on the host"),
    ast.Dict: ("dict values", "use tuples or separate names"),
    ast.Set: ("set values", "use tuples"),
    ast.Starred: ("* unpacking", "pass the arguments one by one"),
    ast.NamedExpr: ("':=' assignments", "assign on a line of its own"),
    ast.Slice: ("slices outside tensor indexing", "slice tensors only: t[r0:r1, c0:c1]"),
}


@dataclass
class Compiled:
    program: object
    tensors: dict[str, list[Tensor]]
    module_text: str
    stages: dict[str, str] = field(default_factory=dict)

    def stage(self, name: str) -> str:
        """The operation at stage ttl, ttkernel, emitc or cpp."""
        if name not in self.stages:
            from ..compiler import run_pipeline
            from ..ir import Context, Module

            pipeline = {"ttkernel": "ttl-to-ttkernel,canonicalize,cse", "emitc": "ttl-to-emitc"}[name]
            with Context():
                module = Module.parse(self.module_text)
                self.stages[name] = str(run_pipeline(module, pipeline)) + "\n"
        return self.stages[name]


@dataclass
class LocalFunction:
    """A `def` inside kernel code: inlined where it is called."""

    node: ast.FunctionDef
    env: dict
    scope: Scope


class FunctionCompiler(ControlFlow, ScalarMath):
    def __init__(self, ctx: OperationContext, thread: Thread):
        self.ctx, self.thread = ctx, thread
        self.scope, self.fn_def = parse_function(thread.fn)
        self.inlining: list[object] = []  # functions being inlined, innermost last
        self.current = (self.scope, self.fn_def)  # the statement being compiled, for internal errors
        # Blocks acquired by explicit dfb.wait()/reserve() and not released
        # yet: (DFB index, "wait"|"reserve", the call, loop level).
        self.held: list[tuple] = []
        self.loop_level = 0
        self.counter = 0
        self.entry: list[str] = []
        self.body: list[list[str]] = [[]]
        self.depth = 1
        self.tensors: list[Tensor] = []
        self.dfb_values: dict[int, str] = {}
        self.scaler: V | None = None
        self.unwaited: dict[str, ast.AST] = {}  # transfer handle -> its copy
        self.pipe_sends: dict[str, tuple] = {}  # pipe_send handle -> (pipe, its copy)

    # ----- diagnostics and emission -------------------------------------
    def loc(self, node) -> str:
        line, col = self.scope.position(node)
        return f'loc("{self.scope.file}":{line}:{col})'

    def error(self, node, message: str) -> KernelError:
        return KernelError(message, self.scope.file, *self.scope.position(node))

    def fresh(self) -> str:
        self.counter += 1
        return f"%v{self.counter}"

    def emit(self, text: str, node) -> None:
        self.body[-1].append("  " * self.depth + f"{text} {self.loc(node)}")

    def op(self, node, text: str, type_: str, kind: str, **extra) -> V:
        name = self.fresh()
        self.emit(f"{name} = {text}", node)
        return V(name, type_, kind, **extra)

    # ----- values ------------------------------------------------------
    def tensor_arg(self, tensor: Tensor) -> int:
        for i, t in enumerate(self.tensors):
            if t is tensor:
                return i
        self.tensors.append(tensor)
        return len(self.tensors) - 1

    def dfb_value(self, dfb: DataflowBuffer) -> str:
        if dfb.index not in self.dfb_values:
            name = f"%dfb{dfb.index}"
            self.entry.append(f"  {name} = ttl.bind_dfb {dfb.index} : {dfb.type}")
            self.dfb_values[dfb.index] = name
        return self.dfb_values[dfb.index]

    def block_type(self, shape, dtype) -> str:
        return f"tensor<{shape[0]}x{shape[1]}x!ttl.tile<{dtype_name(dtype)}>>"

    def claim(self, node, dfb: DataflowBuffer, role: str) -> None:
        """A DFB has one producer thread and one consumer thread."""
        owner = self.ctx.roles.setdefault((dfb.index, role), self.thread.fn.__name__)
        if owner != self.thread.fn.__name__:
            verb = "reserve" if role == "producer" else "wait"
            raise self.error(node, f"DFB {dfb.index} already has a {role} thread ('{owner}'); a DFB connects one "
                                   f"producer and one consumer, so only one thread may {verb}() it")

    # ----- names -------------------------------------------------------
    def lookup(self, node: ast.Name, env: dict):
        if node.id in env:
            return env[node.id]
        if node.id in self.scope.closure:
            return self.scope.closure[node.id]
        if node.id in self.scope.globals:
            return self.scope.globals[node.id]
        builtins = __builtins__ if isinstance(__builtins__, dict) else vars(__builtins__)
        if node.id in builtins:
            return builtins[node.id]
        raise self.error(node, f"name '{node.id}' is not defined")

    # ----- statements --------------------------------------------------
    def compile_reporting(self) -> str:
        """compile(), with any unexpected Python error reported as a
        file:line:col error at the statement being compiled, never as a raw
        exception."""
        try:
            return self.compile()
        except KernelError:
            raise
        except Exception as e:  # a gap in ttlx, not in the user's code
            scope, stmt = self.current
            raise KernelError(f"ttlx cannot compile this statement ({type(e).__name__}: {e}); please report it "
                              "with the kernel", scope.file, *scope.position(stmt)) from None

    def compile(self) -> str:
        fn_def = self.fn_def
        if not isinstance(fn_def, ast.FunctionDef):
            raise self.error(fn_def, "expected a function definition")
        if fn_def.args.args:
            raise self.error(fn_def, "thread functions take no arguments; use values from the operation body")
        env: dict = {}
        if RETURN in exits(fn_def.body):
            env[RETURN] = self.flag(fn_def, False)
        self.block(fn_def.body, env)
        for copy_node in self.unwaited.values():
            raise self.error(copy_node, "this ttl.copy is never waited; call .wait() on the handle it returns "
                                        "before the block is released")
        name = fn_def.name
        args = ", ".join(f"%t{i}: tensor<{t.data.shape[0]}x{t.data.shape[1]}x{dtype_name(t.dtype)}>"
                         for i, t in enumerate(self.tensors))
        kind = self.thread.kind
        gx, gy = self.ctx.grid
        epilogue = []
        if self.scaler is not None:
            epilogue.append(f"  ttl.dfb_pop {self.dfb_values[self.scaler.dfb.index]} : {self.scaler.dfb.type}")
        acc = ", ttl.fp32_dest_acc" if kind == "compute" and self.ctx.fp32_dest_acc else ""
        lines = [f"func.func @{name}({args}) attributes {{ttl.thread = #ttl.thread<{kind}>, "
                 f"ttl.grid = array<i64: {gx}, {gy}>{acc}}} {{"]
        body = self.entry + self.body[0] + epilogue
        if self.ctx.pipe_nets:
            body = self.active_guard(fn_def, body)
        lines += body + ["  return", "}"]
        return "\n".join(lines)

    def active_guard(self, fn_def, body: list[str]) -> list[str]:
        """With PipeNets, only the nodes on some pipe run the threads (as
        tt-lang does): `body` under a test of this node's bit in a mask."""
        gx, gy = self.ctx.grid
        nodes = active_nodes(self.ctx.pipe_nets, self.ctx.grid)
        mask = sum(1 << n for n in nodes)
        if mask == (1 << (gx * gy)) - 1:
            return body
        loc = self.loc(fn_def)
        signed = mask - (1 << 64) if mask >= 1 << 63 else mask
        return [
            f"  %active_x = ttl.node 0 {loc}",
            f"  %active_y = ttl.node 1 {loc}",
            f"  %active_gy = arith.constant {gy} : index {loc}",
            f"  %active_xg = arith.muli %active_x, %active_gy : index {loc}",
            f"  %active_lin = arith.addi %active_xg, %active_y : index {loc}",
            f"  %active_l64 = arith.index_cast %active_lin : index to i64 {loc}",
            f"  %active_mask = arith.constant {signed} : i64 {loc}",
            f"  %active_bits = arith.shrui %active_mask, %active_l64 : i64 {loc}",
            f"  %active = arith.trunci %active_bits : i64 to i1 {loc}",
            "  scf.if %active {",
        ] + ["  " + line for line in body] + [f"  }} {loc}"]

    def statement(self, stmt, env: dict) -> None:
        self.current = (self.scope, stmt)
        if isinstance(stmt, ast.Assign):
            value = self.expr(stmt.value, env)
            for target in stmt.targets:
                self.assign(target, value, env)
        elif isinstance(stmt, ast.AugAssign):
            current = self.expr(stmt.target, env) if isinstance(stmt.target, ast.Name) else None
            if current is None:
                raise self.error(stmt, "augmented assignment needs a simple name")
            value = self.binop(stmt, stmt.op, current, self.expr(stmt.value, env))
            self.assign(stmt.target, value, env)
        elif isinstance(stmt, ast.Expr):
            self.expr(stmt.value, env)
        elif isinstance(stmt, ast.With):
            self.with_(stmt, env)
        elif isinstance(stmt, ast.For):
            self.for_(stmt, env)
        elif isinstance(stmt, ast.While):
            self.while_(stmt, env)
        elif isinstance(stmt, ast.If):
            self.if_(stmt, env)
        elif isinstance(stmt, ast.Pass):
            pass
        elif isinstance(stmt, ast.FunctionDef):
            if stmt.decorator_list:
                raise self.error(stmt, "functions defined in kernel code take no decorators")
            env[stmt.name] = LocalFunction(stmt, env, self.scope)
        else:
            what, instead = UNSUPPORTED.get(type(stmt), (f"'{type(stmt).__name__}' statements",
                                                         "use assignments, loops, if/else and with blocks"))
            raise self.error(stmt, f"{what} are not supported in kernel code; {instead}")

    def assign(self, target, value, env: dict) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, tuple) and len(value) == len(target.elts):
            for t, v in zip(target.elts, value):
                self.assign(t, v, env)
        else:
            raise self.error(target, "only names and tuples of names can be assigned in kernel code")

    # ----- expressions -------------------------------------------------
    def expr(self, node, env: dict):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.lookup(node, env)
        if isinstance(node, ast.Tuple):
            return tuple(self.expr(e, env) for e in node.elts)
        if isinstance(node, ast.List):
            return [self.expr(e, env) for e in node.elts]
        if isinstance(node, ast.Attribute):
            return self.attribute(node, env)
        if isinstance(node, ast.BinOp):
            return self.binop(node, node.op, self.expr(node.left, env), self.expr(node.right, env))
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, self.expr(node.operand, env))
        if isinstance(node, ast.Compare):
            return self.compare(node, env)
        if isinstance(node, ast.BoolOp):
            return self.boolop(node, env)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, env)
        if isinstance(node, ast.Call):
            return self.call(node, env)
        if isinstance(node, ast.IfExp):
            return self.if_expr(node, env)
        what, instead = UNSUPPORTED.get(type(node), (f"'{type(node).__name__}' expressions",
                                                     "use names, numbers, operators and calls"))
        raise self.error(node, f"{what} are not supported in kernel code; {instead}")

    def attribute(self, node: ast.Attribute, env: dict):
        base = self.expr(node.value, env)
        if isinstance(base, V) and base.kind == "block" and node.attr == "shape":
            return base.shape
        if isinstance(base, V):
            return (base, node.attr)  # a bound method, resolved by call()
        if isinstance(base, (DataflowBuffer, PipeNet)):
            return (base, node.attr)
        if isinstance(base, Tensor) and node.attr == "shape":
            return base.shape
        try:
            return getattr(base, node.attr)
        except AttributeError:
            raise self.error(node, f"'{type(base).__name__}' has no attribute '{node.attr}'") from None

    def binop(self, node, op, lhs, rhs):
        from .api import Fill

        if any(isinstance(v, Fill) or isinstance(v, V) and v.kind == "block" for v in (lhs, rhs)):
            return self.block_binop(node, op, lhs, rhs)
        return self.scalar_binop(node, op, lhs, rhs)

    def block_binop(self, node, op, lhs, rhs):
        if isinstance(op, ast.MatMult):
            return self.matmul(node, lhs, rhs)
        if type(op) not in BINOPS:
            raise self.error(node, "blocks support + - * / and @")
        return self.block_math(node, BINOPS[type(op)], lhs, rhs)

    def matmul(self, node, a, b) -> V:
        """`a @ b` on blocks from dfb.wait(): M x K times K x N tiles."""
        for v in (a, b):
            if not (isinstance(v, V) and v.kind == "block" and v.acquire == "wait"):
                raise self.error(node, "@ multiplies blocks from dfb.wait(); store an expression into a DFB "
                                       "before multiplying it")
        if self.thread.kind != "compute":
            raise self.error(node, "matmul runs in compute threads")
        if a.shape[1] != b.shape[0]:
            raise self.error(node, f"cannot multiply {a.shape[0]}x{a.shape[1]} by {b.shape[0]}x{b.shape[1]} "
                                   "tiles: the inner dimensions differ")
        if a.dfb.dtype != b.dfb.dtype:
            raise self.error(node, f"cannot multiply {dtype_name(a.dfb.dtype)} by {dtype_name(b.dfb.dtype)} "
                                   "blocks; use one dtype")
        shape = (a.shape[0], b.shape[1])
        type_ = self.block_type(shape, a.dfb.dtype)
        return self.op(node, f"ttl.matmul {a.name}, {b.name} : {a.type}, {b.type} -> {type_}", type_, "block",
                       shape=shape)

    def block_math(self, node, name: str, lhs, rhs) -> V:
        from .api import Fill

        if not any(isinstance(v, V) and v.kind == "block" for v in (lhs, rhs)):
            raise self.error(node, "block math needs at least one block from a DFB or an expression")
        block = lhs if isinstance(lhs, V) and lhs.kind == "block" else rhs

        def operand(v):
            if isinstance(v, V) and v.kind == "block":
                if v.type != block.type:
                    raise self.error(node, f"block shapes differ: {v.shape} and {block.shape}; broadcast first")
                return v
            if isinstance(v, Fill):
                if v.shape != block.shape:
                    raise self.error(node, f"fill of shape {v.shape} meets a block of {block.shape} tiles")
                v = v.value
            return self.floatv(node, v, "f32")

        a, b = operand(lhs), operand(rhs)
        return self.op(node, f"ttl.{name} {a.name}, {b.name} : {a.type}, {b.type} -> {block.type}",
                       block.type, "block", shape=block.shape)

    def unary(self, node, value):
        if isinstance(node.op, ast.USub):
            if isinstance(value, (int, float)):
                return -value
            if isinstance(value, V) and value.kind == "block":
                return self.op(node, f"ttl.neg {value.name} : {value.type}", value.type, "block", shape=value.shape)
            if isinstance(value, V) and value.kind in ("f32", "bf16"):
                return self.op(node, f"arith.negf {value.name} : {value.kind}", value.type, value.kind)
            return self.binop(node, ast.Sub(), 0, value)
        if isinstance(node.op, ast.Not) and not isinstance(value, V):
            return not value
        raise self.error(node, f"unary '{type(node.op).__name__}' is not supported here")

    def compare(self, node: ast.Compare, env: dict):
        if len(node.ops) != 1:
            raise self.error(node, "chained comparisons are not supported; use 'and'")
        lhs, rhs = self.expr(node.left, env), self.expr(node.comparators[0], env)
        return self.compare_scalars(node, type(node.ops[0]), lhs, rhs)

    def boolop(self, node: ast.BoolOp, env: dict):
        values = [self.expr(v, env) for v in node.values]
        if not any(isinstance(v, V) for v in values):
            return all(values) if isinstance(node.op, ast.And) else any(values)
        return self.fold(node, "arith.andi" if isinstance(node.op, ast.And) else "arith.ori", values)

    def subscript(self, node: ast.Subscript, env: dict):
        base = self.expr(node.value, env)
        index = node.slice
        items = index.elts if isinstance(index, ast.Tuple) else [index]
        if isinstance(base, (tuple, list)) and len(items) == 1:
            return base[self.expr(items[0], env)]
        if not isinstance(base, Tensor):
            raise self.error(node, "only tensors (in tile coordinates) and tuples can be indexed in kernel code")
        if len(items) != 2:
            raise self.error(node, "tensors are indexed with two tile coordinates: t[row, col]")
        starts, extents = [], []
        for item in items:
            if isinstance(item, ast.Slice):
                lo = self.expr(item.lower, env) if item.lower else 0
                hi = self.expr(item.upper, env) if item.upper else None
                if item.step is not None:
                    raise self.error(item, "tensor slices take no step")
                starts.append(lo)
                extents.append(hi - lo if isinstance(hi, int) and isinstance(lo, int) else None)
            else:
                starts.append(self.expr(item, env))
                extents.append(1)
        return Slice(base, starts[0], starts[1], (extents[0], extents[1]))

    # ----- calls -------------------------------------------------------
    def call(self, node: ast.Call, env: dict):
        if isinstance(node.func, ast.Attribute):
            target = self.attribute(node.func, env)
        else:
            target = self.expr(node.func, env)
        args = [self.expr(a, env) for a in node.args]
        kwargs = {k.arg: self.expr(k.value, env) for k in node.keywords}
        if isinstance(target, tuple) and len(target) == 2 and isinstance(target[1], str):
            return self.method(node, target[0], target[1], args, kwargs)
        handler = api.HANDLERS.get(target)
        if handler is not None:
            return handler(self, node, args, kwargs)
        if isinstance(target, LocalFunction) or self.is_user_function(target):
            return self.call_value(node, target, args, kwargs)
        if target in (Pipe, PipeNet):
            if any(isinstance(a, V) for a in [*args, *kwargs.values()]):
                raise self.error(node, f"ttl.{target.__name__} takes node coordinates known at compile time")
            try:
                made = target(*args, **kwargs)
            except (TypeError, ValueError) as e:
                raise self.error(node, str(e)) from None
            if isinstance(made, PipeNet):
                made.site = (self.scope.file, *self.scope.position(node))
            return made

        if target in (min, max) and args and not kwargs:
            return self.min_max(node, target, args)
        if target in (int, float, abs) and len(args) == 1 and not kwargs and isinstance(args[0], V):
            if target is float:
                return self.floatv(node, args[0], "f32")
            return self.to_int(node, args[0], "index") if target is int else self.abs_(node, args[0])
        if target in (int, float, abs, len, bool) and all(not isinstance(a, V) for a in args):
            return target(*args)
        name = getattr(target, "__name__", type(target).__name__)
        raise self.error(node, f"call to '{name}' is not supported in kernel code")

    @staticmethod
    def is_user_function(target) -> bool:
        return isinstance(target, types.FunctionType) and not (target.__module__ or "").startswith("ttlx.lang")

    def call_value(self, node, fn, args, kwargs=None):
        """Calls a kernel-code `def` or a Python helper function by inlining it."""
        kwargs = kwargs or {}
        if isinstance(fn, LocalFunction):
            return self.inline(node, fn.node, fn.scope, fn.env, args, kwargs)
        if self.is_user_function(fn):
            if fn.__name__ == "<lambda>":
                raise self.error(node, "lambdas are not supported in kernel code; define the function with def")
            try:
                scope, fn_def = parse_function(fn)
            except (OSError, TypeError):
                raise self.error(node, f"cannot inline '{fn.__name__}': its source is not available") from None
            return self.inline(node, fn_def, scope, {}, args, kwargs, list(fn.__defaults__ or ()))
        raise self.error(node, f"'{getattr(fn, '__name__', type(fn).__name__)}' is not a function kernel code "
                               "can call")

    def inline(self, node, fn_def: ast.FunctionDef, scope: Scope, env: dict, args, kwargs, defaults=None):
        """Compiles a call of a Python function in place: its parameters
        bound to the arguments, its locals its own; a final `return` gives
        the value of the call."""
        key = (scope.file, scope.position(fn_def))
        if key in self.inlining:
            raise self.error(node, f"'{fn_def.name}' calls itself; recursion is not supported in kernel code")
        params = fn_def.args
        if params.vararg or params.kwarg or params.kwonlyargs or params.posonlyargs:
            raise self.error(node, f"'{fn_def.name}' has *args, **kwargs or keyword-only parameters; kernel "
                                   "helpers take plain parameters")
        names = [a.arg for a in params.args]
        if len(args) > len(names) or any(k not in names for k in kwargs):
            raise self.error(node, f"'{fn_def.name}' takes parameters ({', '.join(names)})")
        saved = self.scope
        self.scope = scope
        try:
            bound = dict(zip(names, args))
            bound.update(kwargs)
            if defaults is None:
                defaults = [self.expr(d, env) for d in params.defaults]
            for n, d in zip(names[len(names) - len(defaults):], defaults):
                bound.setdefault(n, d)
            missing = [n for n in names if n not in bound]
            if missing:
                self.scope = saved
                raise self.error(node, f"call of '{fn_def.name}' misses argument(s) {', '.join(missing)}")
            local = {k: v for k, v in env.items() if not k.startswith("%")}  # not the caller's exits
            local.update(bound)
            self.inlining.append(key)
            body, tail = fn_def.body, None
            if body and isinstance(body[-1], ast.Return) and body[-1].value is not None:
                body, tail = body[:-1], body[-1]
            for early in _returns(body):
                if early.value is not None:
                    raise self.error(early, "a value is returned only by the last statement of a helper function; "
                                            "assign it to a variable and return that at the end")
            if RETURN in exits(body):
                if tail is not None:
                    raise self.error(tail, f"'{fn_def.name}' returns early, so it cannot also return a value "
                                           "at its end; assign the value to a variable the caller reads instead")
                local[RETURN] = self.flag(fn_def, False)
            self.block(body, local)
            result = self.expr(tail.value, local) if tail is not None else None
            self.inlining.pop()
            return result
        finally:
            self.scope = saved

    def released(self, dfb: DataflowBuffer, name: str) -> None:
        kind = "wait" if name == "pop" else "reserve"
        for i in range(len(self.held) - 1, -1, -1):
            if self.held[i][0] == dfb.index and self.held[i][1] == kind:
                del self.held[i]
                return

    def guarded(self, node, cond: V, build) -> None:
        """`scf.if cond { build() }`, with nothing flowing out."""
        self.body.append([])
        self.depth += 1
        build()
        self.depth -= 1
        lines = self.body.pop()
        self.body[-1].append("  " * self.depth + f"scf.if {cond.name} {{")
        self.body[-1].extend(lines)
        self.body[-1].append("  " * self.depth + "} " + self.loc(node))

    def method(self, node, obj, name: str, args, kwargs):
        if isinstance(obj, PipeNet):
            from .pipes import compile_net_method

            return compile_net_method(self, node, obj, name, args, kwargs)
        if isinstance(obj, DataflowBuffer):
            if name in ("wait", "reserve"):
                self.claim(node, obj, "producer" if name == "reserve" else "consumer")
                type_ = self.block_type(obj.shape, obj.dtype)
                op = "ttl.dfb_wait" if name == "wait" else "ttl.dfb_reserve"
                self.held.append((obj.index, name, node, self.loop_level))
                return self.op(node, f"{op} {self.dfb_value(obj)} : {obj.type}", type_, "block",
                               shape=obj.shape, dfb=obj, acquire=name)
            if name in ("push", "pop"):
                self.released(obj, name)
                self.emit(f"ttl.dfb_{name} {self.dfb_value(obj)} : {obj.type}", node)
                return None
        if isinstance(obj, V) and obj.kind == "block":
            if name == "store":
                from .api import Fill

                value = args[0] if args else None
                if isinstance(value, Fill):
                    if value.shape != obj.shape:
                        raise self.error(node, f"cannot store a fill of {value.shape} tiles into {obj.shape}")
                    f = self.floatv(node, value.value, "f32")
                    value = self.op(node, f"ttl.fill {f.name} : f32 -> {obj.type}", obj.type, "block",
                                    shape=obj.shape)
                if not (isinstance(value, V) and value.kind == "block"):
                    raise self.error(node, "store takes a block expression")
                if obj.acquire != "reserve":
                    raise self.error(node, "store writes a reserved block; this block came from wait() — "
                                           "reserve() the output DFB and store into that")
                if value.type != obj.type:
                    raise self.error(node, f"cannot store a block of {value.shape} tiles into one of {obj.shape}")
                self.emit(f"ttl.store {value.name}, {obj.name} : {value.type}, {obj.type}", node)
                return None
            if name in ("push", "pop"):
                self.released(obj.dfb, name)
                self.emit(f"ttl.dfb_{name} {self.dfb_value(obj.dfb)} : {obj.dfb.type}", node)
                return None
        if isinstance(obj, V) and obj.kind == "handle" and name == "wait":
            self.emit(f"ttl.wait {obj.name} : {obj.type}", node)
            self.unwaited.pop(obj.name, None)
            return None
        raise self.error(node, f"'{name}' is not a supported method here")


def _returns(stmts):
    """The return statements of a function body (not of nested defs)."""
    todo = list(stmts)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return):
            yield node
        if not isinstance(node, (ast.FunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def compile_operation(ctx: OperationContext) -> Compiled:
    from ..compiler import EmissionError
    from ..ir import Context, MLIRError, Module
    from ..runtime import Program

    funcs, tensors = [], {}
    compilers = []
    ctx.pipe_nets = _captured_pipe_nets(ctx)
    for net in ctx.pipe_nets:
        net.check(ctx.grid)
    for thread in ctx.threads:
        fc = FunctionCompiler(ctx, thread)
        funcs.append(fc.compile_reporting())
        tensors[thread.fn.__name__] = fc.tensors
        compilers.append(fc)
    text = "\n".join(funcs) + "\n"
    with Context():
        try:
            module = Module.parse(text)
            stages = {"ttl": str(module) + "\n"}
            program = Program.from_module(module, ctx.grid)
        except EmissionError as error:
            raise _user_error(error.diagnostics, compilers[0]) from None
        except MLIRError as error:
            diagnostics = [(str(d.location), d.message) for d in error.error_diagnostics]
            raise _user_error(diagnostics, compilers[0]) from None
    compiled = Compiled(program, tensors, text, stages)
    compiled.stages["cpp"] = "".join(f"// ===== kernel {k.name} ({k.processor}) =====\n{k.source}"
                                     for k in program.kernels)
    return compiled


def _captured_pipe_nets(ctx: OperationContext) -> list[PipeNet]:
    """The PipeNets the thread functions see (closures, then globals), in
    first-seen order, as tt-lang finds an operation's nets."""
    nets: dict[int, PipeNet] = {}
    for thread in ctx.threads:
        fn = thread.fn
        for value in [*closure_values(fn).values(), *fn.__globals__.values()]:
            if isinstance(value, PipeNet):
                nets.setdefault(id(value), value)
    return list(nets.values())


def _user_error(diagnostics: list[tuple[str, str]], fc: FunctionCompiler) -> KernelError:
    """The first MLIR diagnostic, (location, message), as a file:line:col error."""
    import re

    for location, message in diagnostics:
        m = re.match(r'loc\("(.*)":(\d+):(\d+)\)', location)
        if m:
            return KernelError(message, m[1], int(m[2]), int(m[3]))
    message = diagnostics[0][1] if diagnostics else "unknown error"
    return KernelError(f"ttlx could not compile this operation's kernels (internal: {message})",
                       fc.scope.file, fc.scope.first_line, 1)