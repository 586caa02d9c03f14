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
from .errors import KernelError
from .operation import DataflowBuffer, OperationContext, Thread, dtype_name
from .pipes import Pipe, PipeNet, active_nodes
from .source import Scope, parse_function
from .ttnn import Tensor

UNARY = {
    "exp": "exp", "log": "log", "sqrt": "sqrt", "rsqrt": "rsqrt", "recip": "recip",
    "reciprocal": "recip", "sigmoid": "sigmoid", "silu": "silu", "tanh": "tanh", "abs": "abs",
    "neg": "neg", "sign": "sign", "square": "square", "relu": "relu",
}
BINARY_MATH = {"max": "max", "min": "min", "maximum": "max", "minimum": "min"}
BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}
INT_OPS = {ast.Add: "arith.addi", ast.Sub: "arith.subi", ast.Mult: "arith.muli",
           ast.FloorDiv: None, ast.Mod: None}  # // and %: FunctionCompiler.floordiv
FLOAT_OPS = {ast.Add: "arith.addf", ast.Sub: "arith.subf", ast.Mult: "arith.mulf", ast.Div: "arith.divf"}
CMP_I = {ast.Lt: "slt", ast.LtE: "sle", ast.Gt: "sgt", ast.GtE: "sge", ast.Eq: "eq", ast.NotEq: "ne"}
CMP_F = {ast.Lt: "olt", ast.LtE: "ole", ast.Gt: "ogt", ast.GtE: "oge", ast.Eq: "oeq", ast.NotEq: "une"}


@dataclass
class V:
    """An SSA value of the function being built."""

    name: str
    type: str
    kind: str  # index, i1, f32, bf16, block, handle
    shape: tuple[int, int] = (0, 0)
    dfb: DataflowBuffer | None = None
    acquire: str = ""  # "wait" or "reserve" for blocks


@dataclass
class Slice:
    tensor: Tensor
    row: object  # int or V (tile coordinates)
    col: object
    extent: tuple[object, object]  # tile counts when given by a Python slice


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

            pipeline = {"ttkernel": "convert-ttl-to-ttkernel,canonicalize,cse", "emitc": "ttl-to-emitc"}[name]
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


class FunctionCompiler:
    def __init__(self, ctx: OperationContext, thread: Thread):
        self.ctx, self.thread = ctx, thread
        self.scope, self.fn_def = parse_function(thread.fn)
        self.inlining: list[object] = []  # functions being inlined, innermost last
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
    def index(self, node, value) -> V:
        if isinstance(value, V):
            if value.kind != "index":
                raise self.error(node, f"expected an integer, got a {value.kind} value")
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(node, f"expected an integer, got {type(value).__name__}")
        return self.op(node, f"arith.constant {value} : index", "index", "index")

    def floatv(self, node, value, ftype: str = "f32") -> V:
        if isinstance(value, V):
            if value.kind == ftype:
                return value
            if value.kind in ("f32", "bf16"):
                op = "arith.extf" if ftype == "f32" else "arith.truncf"
                return self.op(node, f"{op} {value.name} : {value.kind} to {ftype}", ftype, ftype)
            if value.kind == "index":
                i = self.op(node, f"arith.index_cast {value.name} : index to i32", "i32", "i32")
                return self.op(node, f"arith.sitofp {i.name} : i32 to {ftype}", ftype, ftype)
            raise self.error(node, f"expected a number, got a {value.kind} value")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # Always with a '.' and an exponent, which MLIR's lexer needs.
            literal = f"{float(value):.17e}" if float(value) == float(value) else "0x7FC00000"
            if "inf" in literal:
                literal = "0x7F800000" if value > 0 else "0xFF800000"
                if ftype == "bf16":
                    literal = "0x7F80" if value > 0 else "0xFF80"
            return self.op(node, f"arith.constant {literal} : {ftype}", ftype, ftype)
        raise self.error(node, f"expected a number, got {type(value).__name__}")

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
    def compile(self) -> str:
        fn_def = self.fn_def
        if not isinstance(fn_def, ast.FunctionDef):
            raise self.error(fn_def, "expected a function definition")
        if fn_def.args.args:
            raise self.error(fn_def, "thread functions take no arguments; use values from the operation body")
        env: dict = {}
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

    def block(self, stmts, env: dict) -> None:
        for stmt in stmts:
            self.statement(stmt, env)

    def statement(self, stmt, env: dict) -> None:
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
        elif isinstance(stmt, ast.If):
            self.if_(stmt, env)
        elif isinstance(stmt, ast.Pass):
            pass
        elif isinstance(stmt, ast.FunctionDef):
            if stmt.decorator_list:
                raise self.error(stmt, "functions defined in kernel code take no decorators")
            env[stmt.name] = LocalFunction(stmt, env, self.scope)
        elif isinstance(stmt, ast.Return):
            raise self.error(stmt, "'return' is supported as the last statement of a helper function")
        else:
            raise self.error(stmt, f"'{type(stmt).__name__}' statements are not supported in kernel code; "
                                   "use assignments, for/range loops, if/else and with blocks")

    def assign(self, target, value, env: dict) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, tuple) and len(value) == len(target.elts):
            for t, v in zip(target.elts, value):
                self.assign(t, v, env)
        else:
            raise self.error(target, "only names and tuples of names can be assigned in kernel code")

    def with_(self, stmt: ast.With, env: dict) -> None:
        acquired = []
        for item in stmt.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("wait", "reserve")):
                raise self.error(call, "'with' takes dfb.wait() or dfb.reserve() in kernel code")
            blk = self.expr(call, env)
            acquired.append((blk, call))
            if item.optional_vars is not None:
                self.assign(item.optional_vars, blk, env)
        self.block(stmt.body, env)
        for blk, call in reversed(acquired):
            self.release(call, blk)

    def release(self, node, blk: V) -> None:
        op = "ttl.dfb_pop" if blk.acquire == "wait" else "ttl.dfb_push"
        self.emit(f"{op} {self.dfb_value(blk.dfb)} : {blk.dfb.type}", node)

    @staticmethod
    def assigned_names(stmts) -> list[str]:
        names: list[str] = []
        for node in ast.walk(ast.Module(body=list(stmts), type_ignores=[])):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id not in names:
                names.append(node.id)
        return names

    def carried(self, node, stmts, env: dict) -> list[str]:
        """Scalars bound before `stmts` and reassigned in them; Python
        numbers among them become IR values first."""
        names = []
        for n in self.assigned_names(stmts):
            value = env.get(n)
            if isinstance(value, bool) or not isinstance(value, (int, float, V)):
                continue
            if isinstance(value, int):
                env[n] = self.index(node, value)
            elif isinstance(value, float):
                env[n] = self.floatv(node, value)
            if env[n].kind in ("index", "f32", "bf16", "i1"):
                names.append(n)
        return names

    def region(self, stmts, env: dict, yields: list[str] | None = None, pre_yield=None):
        self.body.append([])
        self.depth += 1
        inner = dict(env)
        self.block(stmts, inner)
        values = []
        if yields:
            values = [inner[n] for n in yields]
            if pre_yield:
                values = pre_yield(values)
            self.body[-1].append("  " * self.depth + "scf.yield " + ", ".join(v.name for v in values) + " : "
                                 + ", ".join(v.type for v in values))
        self.depth -= 1
        return self.body.pop(), inner, values

    def for_(self, stmt: ast.For, env: dict) -> None:
        it = stmt.iter
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                and not stmt.orelse and isinstance(stmt.target, (ast.Name,))):
            raise self.error(stmt, "kernel loops are 'for NAME in range(...)'")
        bounds = [self.expr(a, env) for a in it.args]
        if len(bounds) == 1:
            bounds = [0, bounds[0], 1]
        elif len(bounds) == 2:
            bounds = [bounds[0], bounds[1], 1]
        lo, hi, step = (self.index(it, b) for b in bounds)
        carried = self.carried(stmt, stmt.body, env)
        iv = self.fresh()
        args = [(self.fresh(), env[n]) for n in carried]
        body_env = dict(env)
        body_env[stmt.target.id] = V(iv, "index", "index")
        for (arg, old), n in zip(args, carried):
            body_env[n] = V(arg, old.type, old.kind)

        def cast_back(values):
            return [self.coerce(stmt, v, env[n]) for v, n in zip(values, carried)]

        lines, _, _ = self.region(stmt.body, body_env, carried, cast_back)
        results = self.fresh() if carried else None
        head = f"scf.for {iv} = {lo.name} to {hi.name} step {step.name}"
        if carried:
            head = (f"{results}:{len(carried)} = " + head + " iter_args("
                    + ", ".join(f"{a} = {old.name}" for a, old in args) + ") -> ("
                    + ", ".join(old.type for _, old in args) + ")")
        self.body[-1].append("  " * self.depth + head + " {")
        self.body[-1].extend(lines)
        self.body[-1].append("  " * self.depth + "} " + self.loc(stmt))
        for i, n in enumerate(carried):
            env[n] = V(f"{results}#{i}", env[n].type, env[n].kind)

    def coerce(self, node, value, like: V) -> V:
        if isinstance(value, V) and value.type == like.type:
            return value
        if like.kind == "index":
            return self.index(node, value)
        if like.kind in ("f32", "bf16"):
            return self.floatv(node, value, like.kind)
        raise self.error(node, f"a {like.kind} variable cannot change type inside a loop or branch")

    def if_(self, stmt: ast.If, env: dict) -> None:
        cond = self.expr(stmt.test, env)
        if not isinstance(cond, V):  # decided now: compile one branch
            self.block(stmt.body if cond else stmt.orelse, env)
            return
        if cond.kind != "i1":
            raise self.error(stmt.test, "an if condition must be a comparison")
        results = self.carried(stmt, stmt.body + stmt.orelse, env)

        def cast_back(values):
            return [self.coerce(stmt, v, env[n]) for v, n in zip(values, results)]

        then_lines, _, _ = self.region(stmt.body, env, results, cast_back)
        else_lines, _, _ = self.region(stmt.orelse, env, results, cast_back)
        name = self.fresh() if results else None
        head = f"scf.if {cond.name}"
        if results:
            head = f"{name}:{len(results)} = {head} -> (" + ", ".join(env[n].type for n in results) + ")"
        self.body[-1].append("  " * self.depth + head + " {")
        self.body[-1].extend(then_lines)
        if results or else_lines:
            self.body[-1].append("  " * self.depth + "} else {")
            self.body[-1].extend(else_lines)
        self.body[-1].append("  " * self.depth + "} " + self.loc(stmt))
        for i, n in enumerate(results):
            env[n] = V(f"{name}#{i}", env[n].type, env[n].kind)

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
        if isinstance(node, ast.Lambda):
            raise self.error(node, "lambdas are not supported in kernel code; define the function with def")
        raise self.error(node, f"'{type(node).__name__}' expressions are not supported in kernel code")

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
        if isinstance(lhs, (int, float)) and isinstance(rhs, (int, float)):
            return _python_binop(self, node, op, lhs, rhs)
        from .api import Fill

        if any(isinstance(v, Fill) or isinstance(v, V) and v.kind == "block" for v in (lhs, rhs)):
            return self.block_binop(node, op, lhs, rhs)
        kinds = {v.kind for v in (lhs, rhs) if isinstance(v, V)}
        if kinds <= {"index"} and all(isinstance(v, (int, V)) for v in (lhs, rhs)):
            if type(op) not in INT_OPS:
                raise self.error(node, "integers in kernels support + - * // %; use // for division")
            a, b = self.index(node, lhs), self.index(node, rhs)
            if isinstance(op, (ast.FloorDiv, ast.Mod)):
                q = self.floordiv(node, a, b)
                if isinstance(op, ast.FloorDiv):
                    return q
                qb = self.op(node, f"arith.muli {q.name}, {b.name} : index", "index", "index")
                return self.op(node, f"arith.subi {a.name}, {qb.name} : index", "index", "index")
            return self.op(node, f"{INT_OPS[type(op)]} {a.name}, {b.name} : index", "index", "index")
        ftype = "bf16" if kinds == {"bf16"} else "f32"
        if type(op) not in FLOAT_OPS:
            raise self.error(node, "floats in kernels support + - * /")
        a, b = self.floatv(node, lhs, ftype), self.floatv(node, rhs, ftype)
        return self.op(node, f"{FLOAT_OPS[type(op)]} {a.name}, {b.name} : {ftype}", ftype, ftype)

    def min_max(self, node, fn, args):
        """min/max of numbers: folded when all are Python numbers, else a
        compare-and-select chain (floats compare as IEEE, NaN-unordered)."""
        if len(args) == 1:
            args = list(args[0]) if isinstance(args[0], (tuple, list)) else args
        if all(isinstance(a, (int, float)) for a in args):
            return fn(*args)
        acc = args[0]
        for v in args[1:]:
            kinds = {x.kind for x in (acc, v) if isinstance(x, V)}
            if kinds <= {"index"} and all(isinstance(x, (int, V)) for x in (acc, v)):
                a, b, type_, kind = self.index(node, acc), self.index(node, v), "index", "index"
                pred = "slt" if fn is min else "sgt"
                cmp = f"arith.cmpi {pred}, {a.name}, {b.name} : index"
            else:
                kind = "bf16" if kinds == {"bf16"} else "f32"
                a, b, type_ = self.floatv(node, acc, kind), self.floatv(node, v, kind), kind
                cmp = f"arith.cmpf {'olt' if fn is min else 'ogt'}, {a.name}, {b.name} : {kind}"
            c = self.op(node, cmp, "i1", "i1")
            acc = self.op(node, f"arith.select {c.name}, {a.name}, {b.name} : {type_}", type_, kind)
        return acc

    def floordiv(self, node, a: V, b: V) -> V:
        """Python's // on index values, computed in i64: EmitC makes index
        an unsigned size_t, on which a division of negatives is wrong."""
        a64, b64 = (self.op(node, f"arith.index_cast {v.name} : index to i64", "i64", "i64") for v in (a, b))
        q = self.op(node, f"arith.floordivsi {a64.name}, {b64.name} : i64", "i64", "i64")
        return self.op(node, f"arith.index_cast {q.name} : i64 to index", "index", "index")

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
        op = type(node.ops[0])
        if not isinstance(lhs, V) and not isinstance(rhs, V):
            import operator

            table = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
                     ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Is: operator.is_,
                     ast.IsNot: operator.is_not, ast.In: lambda a, b: a in b,
                     ast.NotIn: lambda a, b: a not in b}
            return table[op](lhs, rhs)
        kinds = {v.kind for v in (lhs, rhs) if isinstance(v, V)}
        if kinds <= {"index"}:
            a, b = self.index(node, lhs), self.index(node, rhs)
            return self.op(node, f"arith.cmpi {CMP_I[op]}, {a.name}, {b.name} : index", "i1", "i1")
        ftype = "bf16" if kinds == {"bf16"} else "f32"
        a, b = self.floatv(node, lhs, ftype), self.floatv(node, rhs, ftype)
        return self.op(node, f"arith.cmpf {CMP_F[op]}, {a.name}, {b.name} : {ftype}", "i1", "i1")

    def boolop(self, node: ast.BoolOp, env: dict):
        values = [self.expr(v, env) for v in node.values]
        if not any(isinstance(v, V) for v in values):
            return all(values) if isinstance(node.op, ast.And) else any(values)
        op = "arith.andi" if isinstance(node.op, ast.And) else "arith.ori"
        acc = None
        for v in values:
            if not isinstance(v, V):
                v = self.op(node, f"arith.constant {'true' if v else 'false'}", "i1", "i1")
            acc = v if acc is None else self.op(node, f"{op} {acc.name}, {v.name} : i1", "i1", "i1")
        return acc

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
        if target in (int, float, abs, len) and all(not isinstance(a, V) for a in args):
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

    def compare_values(self, node, pred: str, a, b) -> V:
        a, b = self.index(node, a), self.index(node, b)
        return self.op(node, f"arith.cmpi {pred}, {a.name}, {b.name} : index", "i1", "i1")

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
            local = dict(env)
            local.update(bound)
            self.inlining.append(key)
            result = None
            for i, stmt in enumerate(fn_def.body):
                if isinstance(stmt, ast.Return) and i == len(fn_def.body) - 1:
                    result = self.expr(stmt.value, local) if stmt.value is not None else None
                else:
                    self.statement(stmt, local)
            self.inlining.pop()
            return result
        finally:
            self.scope = saved

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
                return self.op(node, f"{op} {self.dfb_value(obj)} : {obj.type}", type_, "block",
                               shape=obj.shape, dfb=obj, acquire=name)
            if name in ("push", "pop"):
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
                self.emit(f"ttl.dfb_{name} {self.dfb_value(obj.dfb)} : {obj.dfb.type}", node)
                return None
        if isinstance(obj, V) and obj.kind == "handle" and name == "wait":
            self.emit(f"ttl.wait {obj.name} : {obj.type}", node)
            self.unwaited.pop(obj.name, None)
            return None
        raise self.error(node, f"'{name}' is not a supported method here")


def _python_binop(fc: FunctionCompiler, node, op, a, b):
    import operator

    table = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
             ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}
    if type(op) not in table:
        raise fc.error(node, f"operator '{type(op).__name__}' is not supported")
    return table[type(op)](a, b)


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
        funcs.append(fc.compile())
        tensors[thread.fn.__name__] = fc.tensors
        compilers.append(fc)
    text = "\n".join(funcs) + "\n"
    with Context():
        try:
            module = Module.parse(text)
        except MLIRError as error:
            diagnostics = [(str(d.location), d.message) for d in error.error_diagnostics]
            raise _user_error(diagnostics, compilers[0]) from None
        try:
            program = Program.from_module(module, ctx.grid)
        except EmissionError as error:
            raise _user_error(error.diagnostics, compilers[0]) from None
        stages = {"ttl": str(module) + "\n"}
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
        cells = []
        for cell in fn.__closure__ or ():
            try:
                cells.append(cell.cell_contents)
            except ValueError:
                pass
        for value in [*cells, *fn.__globals__.values()]:
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