# SPDX-License-Identifier: Apache-2.0
"""Expressions of kernel code: names, constants, operators, subscripts and
calls. Python values fold at compile time; IR values go to the scalar and
block translators; calls go through the call table (calls.py) or inline a
Python function (the statement translator)."""

from __future__ import annotations

import ast
import builtins
import operator
import types
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from ..lang import deprecated
from ..lang.api import ReadyReceive
from ..lang.errors import UnknownName, unknown_name
from ..lang.operation import DataflowBuffer
from ..lang.node_ref import NodeRef
from ..lang.pipes import PipeNet
from ..lang.semaphores import MulticastRemoteSemaphore, Semaphore, UnicastRemoteSemaphore
from ..lang.ttnn import ROW_MAJOR_LAYOUT, Tensor
from . import calls, prints
from .blocks import BlockTranslator
from .emitter import Emitter, torch_dtype
from .scalars import PY_BINOP, ScalarTranslator
from .scratch import BlockCarrier, InScratch, Reassigned, has_scratch_parts, replaced_name
from .source import Scope, is_user_function
from .transfers import TransferGroup
from .unsupported import UNSUPPORTED
from .values import Block, Fill, Handle, Scalar, Slice, axis_names, is_int, slice_units

Env = dict[str, Any]


@dataclass(eq=False)
class LocalFunction:
    """A `def` inside kernel code: inlined where it is called."""

    node: ast.FunctionDef
    env: Env
    scope: Scope


_PY_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {ast.Not: operator.not_, ast.UAdd: operator.pos, ast.USub: operator.neg, ast.Invert: operator.invert}
_UNARY_SIGN = {ast.Not: "not", ast.UAdd: "+", ast.USub: "-", ast.Invert: "~"}
_BINOP_SIGN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
               ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<",
               ast.RShift: ">>"}


def _describe(value: object) -> str:
    if isinstance(value, Scalar):
        return f"{value.kind} value"
    return {Block: "block", Handle: "transfer handle", Fill: "fill"}.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class BoundMethod:
    """`obj.name` of a DFB, block, handle or PipeNet: resolved when called."""

    obj: object
    name: str


class ExpressionTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator, blocks: BlockTranslator,
                 body: calls.Body, carrier: BlockCarrier):
        self.em, self.scalars, self.blocks = emitter, scalars, blocks
        # The statement translator owns this one; a proxy, not a reference
        # cycle, so a compile's objects (and its tensors) go when it returns.
        self.body = weakref.proxy(body)
        self.carrier = carrier

    def __call__(self, node: ast.expr, env: Env) -> Any:
        return self.expr(node, env)

    def expr(self, node: ast.expr, env: Env) -> Any:
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
        raise self.em.error(node, f"{what} are not supported in kernel code; {instead}")

    # ----- names and attributes ----------------------------------------------
    def lookup(self, node: ast.Name, env: Env) -> Any:
        scope = self.em.scope
        value = env.get(node.id)
        if isinstance(value, InScratch) or has_scratch_parts(value):
            return self.carrier.read(node, node.id, env)
        if replaced_name(node.id) in env:  # a waited block given new contents
            return self.carrier.read(node, replaced_name(node.id), env)
        if isinstance(value, Reassigned):
            raise self.em.error(node, value.message())
        for names in (env, scope.closure, scope.globals, vars(builtins)):
            if node.id in names:
                found = names[node.id]
                if isinstance(found, NodeRef):  # ttl.node(...) of the operation body: this node's, read here
                    return calls.node_value(self.em, self.scalars, node, found.dims)
                return found
        raise self.em.error(node, f"name '{node.id}' is not defined")

    def attribute(self, node: ast.Attribute, env: Env) -> Any:
        base = self.expr(node.value, env)
        if isinstance(base, Block) and node.attr == "shape":
            return base.shape
        if isinstance(base, Block) and node.attr == "dtype":  # ttnn.bfloat16 / ttnn.float32 (torch dtypes)
            return torch_dtype(base.element_type)
        if isinstance(base, (Scalar, Block, Handle, DataflowBuffer, PipeNet, TransferGroup, Semaphore,
                             UnicastRemoteSemaphore, MulticastRemoteSemaphore, ReadyReceive)):
            return BoundMethod(base, node.attr)
        if isinstance(base, Tensor) and node.attr == "shape":
            return base.shape
        if _is_ttl(base) and node.attr not in vars(base) and deprecated.new_spelling(node.attr):  # ttl.core, ...
            deprecated.warn(f"ttl.{node.attr}", str(deprecated.new_spelling(node.attr)), self.em.scope.file,
                            *self.em.scope.position(node))
            return deprecated.resolve(base, node.attr)
        try:
            return getattr(base, node.attr)
        except UnknownName as e:  # ttl.<name> / ttnn.<name>: the message names the closest known ones
            raise self.em.error(node, str(e)) from None
        except AttributeError:
            if isinstance(base, (types.ModuleType, types.SimpleNamespace)):  # ttl.math, ttl.block, user modules
                raise self.em.error(node, str(unknown_name(ast.unparse(node.value), node.attr, dir(base)))) from None
            raise self.em.error(node, f"'{type(base).__name__}' has no attribute '{node.attr}'") from None

    # ----- operators -----------------------------------------------------------
    def binop(self, node: ast.AST, op: ast.operator, lhs: object, rhs: object) -> Any:
        if any(isinstance(v, (Block, Fill)) for v in (lhs, rhs)):
            self.blocks.compute_only(node, f"'{_BINOP_SIGN[type(op)]}' on blocks")
            return self.blocks.binop(node, op, lhs, rhs)
        if not any(isinstance(v, (Scalar, Handle)) for v in (lhs, rhs)):  # e.g. [0] + [-1]: Python, now
            return self.em.evaluate(node, PY_BINOP[type(op)], lhs, rhs)
        return self.scalars.binop(node, op, lhs, rhs)

    def unary(self, node: ast.UnaryOp, value: object) -> Any:
        runtime = isinstance(value, (Scalar, Block, Handle, Fill))
        if isinstance(node.op, ast.USub):
            if isinstance(value, Block):
                self.blocks.compute_only(node, "'-' on a block")
                return self.blocks.unary(node, "neg", "neg", value)
            return self.scalars.negate(node, value)
        if not runtime:
            if isinstance(node.op, ast.Not):
                return not self.scalars.known_truth(node.operand, value)
            return self.em.evaluate(node, _PY_UNARY[type(node.op)], value)
        if isinstance(node.op, ast.Not) and isinstance(value, Scalar):
            return self.scalars.negate_flag(node, self.scalars.truth(node, value))
        if isinstance(node.op, ast.UAdd) and isinstance(value, Scalar) and value.kind != "i1":
            return value
        raise self.em.error(node, f"unary '{_UNARY_SIGN[type(node.op)]}' does not apply to a "
                                  f"{_describe(value)} in kernel code")

    def compare(self, node: ast.Compare, env: Env) -> Any:
        if len(node.ops) != 1:
            raise self.em.error(node, "chained comparisons are not supported; use 'and'")
        lhs, rhs = self.expr(node.left, env), self.expr(node.comparators[0], env)
        return self.scalars.compare(node, type(node.ops[0]), lhs, rhs)

    def boolop(self, node: ast.BoolOp, env: Env) -> Any:
        """Python's and/or on compile-time values (the first false, for or
        true, operand, else the last); with a run-time operand an i1 whose
        later operands are evaluated only when the earlier ones leave the
        result open (a guard such as `d != 0 and n // d > 1` holds)."""
        result = self.chain(node, node.values, env)
        return self.scalars.truth(node, result) if isinstance(result, Scalar) else result

    def chain(self, node: ast.BoolOp, operands: list[ast.expr], env: Env) -> Any:
        """boolop() from `operands` on (a method, not a recursive closure,
        which would be a reference cycle holding `env`)."""
        conjunction = isinstance(node.op, ast.And)
        value = self.expr(operands[0], env)
        if len(operands) == 1:
            return value
        if not isinstance(value, Scalar):
            if self.scalars.known_truth(operands[0], value) != conjunction:
                return value
            return self.chain(node, operands[1:], env)
        flag = self.scalars.truth(operands[0], value)

        def rest() -> Any:
            return self.flag(node, self.chain(node, operands[1:], env))
        if conjunction:
            return self.scalars.choose(node, flag, rest, lambda: False)
        return self.scalars.choose(node, flag, lambda: True, rest)

    def flag(self, node: ast.AST, value: object) -> Any:
        """The truth of an operand of and/or as an i1 or a Python bool."""
        if isinstance(value, Scalar):
            return self.scalars.truth(node, value)
        return self.scalars.known_truth(node, value)

    def if_expr(self, node: ast.IfExp, env: Env) -> Any:
        """`a if c else b`: one branch when c is known now, else the one c
        picks at run time (scalars only; ScalarTranslator.choose)."""
        cond = self.expr(node.test, env)
        if not isinstance(cond, Scalar):
            return self.expr(node.body if self.scalars.known_truth(node.test, cond) else node.orelse, env)

        def branch(expr: ast.expr) -> Callable[[], Any]:
            def translate() -> Any:
                value = self.expr(expr, env)
                if isinstance(value, Block):
                    raise self.em.error(node, "a conditional expression picks between scalars; for blocks use "
                                              "ttl.block.where(cond, a, b)")
                return value
            return translate

        return self.scalars.choose(node, self.scalars.truth(node.test, cond), branch(node.body), branch(node.orelse))

    def subscript(self, node: ast.Subscript, env: Env) -> Any:
        base = self.expr(node.value, env)
        if isinstance(base, Tensor):
            return self.tensor_slice(node, base, env)
        key = self.key(node.slice, env)
        if isinstance(base, (Scalar, Block, Handle, Fill)):
            raise self.em.error(node, f"a {_describe(base)} cannot be indexed in kernel code; index tensors (in tile "
                                      "coordinates) and tuples")
        if any(isinstance(k, (Scalar, Block, Handle)) for k in (key if isinstance(key, tuple) else (key,))):
            raise self.em.error(node.slice, "tuples and lists are indexed with integers known at compile time; "
                                            "a value computed at run time cannot pick an item")
        return self.em.evaluate(node, operator.getitem, base, key)

    def key(self, index: ast.expr, env: Env) -> Any:
        """The index of a subscript of a compile-time value: a value, a
        Python slice for `a:b`, or a tuple of these."""
        if isinstance(index, ast.Slice):
            parts = [self.expr(p, env) if p is not None else None for p in (index.lower, index.upper, index.step)]
            return self.em.evaluate(index, slice, *parts)
        if isinstance(index, ast.Tuple):
            return tuple(self.key(e, env) for e in index.elts)
        return self.expr(index, env)

    def tensor_slice(self, node: ast.Subscript, tensor: Tensor, env: Env) -> Slice:
        """`t[r, c]`, `t[r0:r1, c0:c1]`, `t[b, r, c]` (or slice() objects):
        one index or slice per tensor dimension, tile coordinates for the
        last two; integer bounds, inside the tensor when known now."""
        index = node.slice
        items = index.elts if isinstance(index, ast.Tuple) else [index]
        rank = len(tensor.storage.shape)
        row_major = tensor.layout == ROW_MAJOR_LAYOUT
        if not row_major and len(tensor.shape) == 1:  # row 0 of a row of tiles (lang.operation.is_1d_tiled)
            if len(items) not in (1, 2):
                raise self.em.error(node, "this TILE_LAYOUT vector is indexed with one tile coordinate, t[c0:c1] "
                                          "(a tile holds 32 of its elements), or two, t[0, c0:c1] (row 0 of its "
                                          "tiles)")
            if len(items) == 1:
                items = [ast.copy_location(ast.Constant(0), node), *items]
        if len(items) != rank and row_major:
            raise self.em.error(node, f"this ROW_MAJOR_LAYOUT tensor has {rank} dimension{'s' * (rank > 1)}: index "
                                      f"it with {rank} element coordinate{'s' * (rank > 1)}")
        if len(items) != rank:
            if rank == 2:
                raise self.em.error(node, "tensors are indexed with two tile coordinates: t[row, col]")
            raise self.em.error(node, f"this tensor has {rank} dimensions: index it with {rank} coordinates, "
                                      "batch indices then the tile row and column (t[b, row, col])")
        units = slice_units(tensor)
        starts: list[object] = []
        stops: list[object] = []
        for item, size, axis in zip(items, units, axis_names(rank)):
            if isinstance(item, ast.Slice):
                if item.step is not None:
                    raise self.em.error(item, "tensor slices take no step")
                lo = self.expr(item.lower, env) if item.lower else 0
                hi = self.expr(item.upper, env) if item.upper else size
            else:
                value = self.expr(item, env)
                if isinstance(value, slice):
                    if value.step is not None:
                        raise self.em.error(item, "tensor slices take no step")
                    lo = 0 if value.start is None else value.start
                    hi = size if value.stop is None else value.stop
                else:
                    lo, hi = value, None
            for bound in (lo, hi):
                if bound is not None and not is_int(bound):
                    unit = ("element coordinates" if row_major else
                            "tile coordinates" if axis in ("row", "column") else "indices")
                    raise self.em.error(item, f"tensor {axis} bounds are integers ({unit}), got a "
                                              f"{_describe(bound)}")
            starts.append(lo)
            stops.append(hi)
        return Slice(tensor, tuple(starts), tuple(stops), units)

    # ----- calls ---------------------------------------------------------------
    def call(self, node: ast.Call, env: Env) -> Any:
        target = self.expr(node.func, env)
        if target is print:  # f-strings are print arguments
            args = [prints.fstring(self.em, a, lambda e: self.expr(e, env)) if isinstance(a, ast.JoinedStr)
                    else self.expr(a, env) for a in node.args]
        else:
            args = [self.expr(a, env) for a in node.args]
        kwargs = {k.arg: self.expr(k.value, env) for k in node.keywords if k.arg is not None}
        if isinstance(target, BoundMethod):
            return calls.call_method(self.site(node, target.obj, target.name, args, kwargs))
        handler = calls.handler_for(target)
        if handler is not None:
            name = getattr(target, "__name__", "")
            if name.startswith(("math.", "block.")) and any(isinstance(a, (Block, Fill))
                                                            for a in [*args, *kwargs.values()]):
                self.blocks.compute_only(node, f"ttl.{name}")
            return handler(self.site(node, target, name, args, kwargs))
        if isinstance(target, LocalFunction) or is_user_function(target):
            return self.body.call_function(node, target, args, kwargs)
        name = getattr(target, "__name__", type(target).__name__)
        raise self.em.error(node, f"call to '{name}' is not supported in kernel code")

    def site(self, node: ast.Call, target: object, name: str, args: list[Any], kwargs: dict[str, Any]) -> calls.Site:
        return calls.Site(node, target, name, args, kwargs, self.em, self.scalars, self.blocks, self.body)


def _is_ttl(value: object) -> bool:
    """The kernel API module, as `ttl` (ttlx.lang) or `import ttlx as ttl`."""
    return isinstance(value, types.ModuleType) and value.__name__ in ("ttlx.lang", "ttlx")
