# SPDX-License-Identifier: Apache-2.0
"""Scalar values in kernel code: index and i32 integers, f32 and bf16
floats, i1 conditions. Python numbers fold at compile time; IR values get
arith ops (data-movement cores run the float ones as integer code, see
docs/element-access.md).

Integers follow Python (`//` and `%` floor toward minus infinity); floats
IEEE (comparisons are ordered: false with NaN, except `!=`); mixing an
integer and a float gives a float; `int(x)` truncates toward zero,
`ttl.bf16(x)` rounds to nearest even.
"""

from __future__ import annotations

import ast
import operator

from .values import V

INT_KINDS = ("index", "i32")
FLOAT_KINDS = ("f32", "bf16")
INT_OPS = {ast.Add: "arith.addi", ast.Sub: "arith.subi", ast.Mult: "arith.muli"}
FLOAT_OPS = {ast.Add: "arith.addf", ast.Sub: "arith.subf", ast.Mult: "arith.mulf", ast.Div: "arith.divf"}
CMP_I = {ast.Lt: "slt", ast.LtE: "sle", ast.Gt: "sgt", ast.GtE: "sge", ast.Eq: "eq", ast.NotEq: "ne"}
CMP_F = {ast.Lt: "olt", ast.LtE: "ole", ast.Gt: "ogt", ast.GtE: "oge", ast.Eq: "oeq", ast.NotEq: "une"}
PY_CMP = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
          ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Is: operator.is_, ast.IsNot: operator.is_not,
          ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
PY_BINOP = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
            ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}


def is_int(v) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, V) and v.kind in INT_KINDS)


def is_number(v) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) or (
        isinstance(v, V) and v.kind in INT_KINDS + FLOAT_KINDS)


class ScalarMath:
    """Scalar expression compilation, mixed into FunctionCompiler."""

    # ----- constants and conversions ---------------------------------------
    def index(self, node, value) -> V:
        return self.intv(node, value, "index")

    def intv(self, node, value, kind: str) -> V:
        if isinstance(value, V):
            if value.kind == kind:
                return value
            if value.kind in INT_KINDS:
                return self.op(node, f"arith.index_cast {value.name} : {value.type} to {kind}", kind, kind)
            raise self.error(node, f"expected an integer, got a {value.kind} value; convert it with int(...)")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(node, f"expected an integer, got {type(value).__name__}")
        return self.op(node, f"arith.constant {value} : {kind}", kind, kind)

    def floatv(self, node, value, ftype: str = "f32") -> V:
        if isinstance(value, V):
            if value.kind == ftype:
                return value
            if value.kind in FLOAT_KINDS:
                op = "arith.extf" if ftype == "f32" else "arith.truncf"
                return self.op(node, f"{op} {value.name} : {value.kind} to {ftype}", ftype, ftype)
            if value.kind in INT_KINDS:
                i = self.intv(node, value, "i32")
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

    def to_int(self, node, value, kind: str) -> V:
        """int(x) / ttl.i32(x): floats truncate toward zero."""
        if isinstance(value, V) and value.kind in FLOAT_KINDS:
            f = self.floatv(node, value, "f32")
            i = self.op(node, f"arith.fptosi {f.name} : f32 to i32", "i32", "i32")
            return self.intv(node, i, kind)
        if isinstance(value, float):
            value = int(value)
        return self.intv(node, value, kind)

    def abs_(self, node, value):
        if not isinstance(value, V):
            return abs(value)
        if value.kind in INT_KINDS:
            zero = self.intv(node, 0, value.kind)
            neg = self.op(node, f"arith.subi {zero.name}, {value.name} : {value.type}", value.type, value.kind)
            lt = self.op(node, f"arith.cmpi slt, {value.name}, {zero.name} : {value.type}", "i1", "i1")
            return self.op(node, f"arith.select {lt.name}, {neg.name}, {value.name} : {value.type}", value.type,
                           value.kind)
        if value.kind in FLOAT_KINDS:  # clear the sign bit: abs(-0.0) is 0.0, NaN stays NaN
            bits, mask = ("i32", 0x7FFFFFFF) if value.kind == "f32" else ("i16", 0x7FFF)
            i = self.op(node, f"arith.bitcast {value.name} : {value.type} to {bits}", bits, bits)
            m = self.op(node, f"arith.constant {mask} : {bits}", bits, bits)
            a = self.op(node, f"arith.andi {i.name}, {m.name} : {bits}", bits, bits)
            return self.op(node, f"arith.bitcast {a.name} : {bits} to {value.type}", value.type, value.kind)
        raise self.error(node, f"abs takes a number, got a {value.kind} value")

    # ----- arithmetic ------------------------------------------------------
    def scalar_binop(self, node, op, lhs, rhs):
        if not (is_number(lhs) and is_number(rhs)):
            raise self.error(node, "this operator takes numbers or blocks")
        if not isinstance(lhs, V) and not isinstance(rhs, V):
            if type(op) not in PY_BINOP:
                raise self.error(node, f"operator '{type(op).__name__}' is not supported")
            return PY_BINOP[type(op)](lhs, rhs)
        if is_int(lhs) and is_int(rhs) and not isinstance(op, ast.Div):
            kind = self.int_kind(node, lhs, rhs)
            a, b = self.intv(node, lhs, kind), self.intv(node, rhs, kind)
            if isinstance(op, (ast.FloorDiv, ast.Mod)):
                q = self.floordiv(node, a, b)
                if isinstance(op, ast.FloorDiv):
                    return q
                qb = self.op(node, f"arith.muli {q.name}, {b.name} : {kind}", kind, kind)
                return self.op(node, f"arith.subi {a.name}, {qb.name} : {kind}", kind, kind)
            if type(op) not in INT_OPS:
                raise self.error(node, "integers in kernels support + - * / // % and min/max/abs")
            return self.op(node, f"{INT_OPS[type(op)]} {a.name}, {b.name} : {kind}", kind, kind)
        kinds = {v.kind for v in (lhs, rhs) if isinstance(v, V) and v.kind in FLOAT_KINDS}
        ftype = "bf16" if kinds == {"bf16"} else "f32"
        if type(op) not in FLOAT_OPS:
            raise self.error(node, "floats in kernels support + - * / and min/max/abs")
        a, b = self.floatv(node, lhs, ftype), self.floatv(node, rhs, ftype)
        return self.op(node, f"{FLOAT_OPS[type(op)]} {a.name}, {b.name} : {ftype}", ftype, ftype)

    def int_kind(self, node, *values) -> str:
        kinds = {v.kind for v in values if isinstance(v, V)}
        if kinds == {"index", "i32"}:
            raise self.error(node, "this mixes an index integer and a ttl.i32; convert one with int(...) or "
                                   "ttl.i32(...)")
        return "i32" if "i32" in kinds else "index"

    def floordiv(self, node, a: V, b: V) -> V:
        """Python's // on integers, computed in a signed type: EmitC makes
        index an unsigned size_t, on which a division of negatives is wrong."""
        if a.kind == "i32":
            return self.op(node, f"arith.floordivsi {a.name}, {b.name} : i32", "i32", "i32")
        a64, b64 = (self.op(node, f"arith.index_cast {v.name} : index to i64", "i64", "i64") for v in (a, b))
        q = self.op(node, f"arith.floordivsi {a64.name}, {b64.name} : i64", "i64", "i64")
        return self.op(node, f"arith.index_cast {q.name} : i64 to index", "index", "index")

    # ----- comparisons and selections --------------------------------------
    def compare_scalars(self, node, op, lhs, rhs):
        if not isinstance(lhs, V) and not isinstance(rhs, V):
            return PY_CMP[op](lhs, rhs)
        if op not in CMP_I:
            raise self.error(node, "kernel values compare with ==, !=, <, <=, >, >=")
        if is_int(lhs) and is_int(rhs):
            kind = self.int_kind(node, lhs, rhs)
            a, b = self.intv(node, lhs, kind), self.intv(node, rhs, kind)
            return self.op(node, f"arith.cmpi {CMP_I[op]}, {a.name}, {b.name} : {kind}", "i1", "i1")
        if not (is_number(lhs) and is_number(rhs)):
            raise self.error(node, "only numbers compare in kernel code")
        kinds = {v.kind for v in (lhs, rhs) if isinstance(v, V) and v.kind in FLOAT_KINDS}
        ftype = "bf16" if kinds == {"bf16"} else "f32"
        a, b = self.floatv(node, lhs, ftype), self.floatv(node, rhs, ftype)
        return self.op(node, f"arith.cmpf {CMP_F[op]}, {a.name}, {b.name} : {ftype}", "i1", "i1")

    def select(self, node, cond: V, a, b):
        """arith.select between two scalars of a common type."""
        if all(isinstance(v, bool) or isinstance(v, V) and v.kind == "i1" for v in (a, b)):
            a, b = (v if isinstance(v, V) else self.flag(node, v) for v in (a, b))
            type_ = "i1"
        elif is_int(a) and is_int(b):
            type_ = self.int_kind(node, a, b)
            a, b = self.intv(node, a, type_), self.intv(node, b, type_)
        elif is_number(a) and is_number(b):
            kinds = {v.kind for v in (a, b) if isinstance(v, V) and v.kind in FLOAT_KINDS}
            type_ = "bf16" if kinds == {"bf16"} else "f32"
            a, b = self.floatv(node, a, type_), self.floatv(node, b, type_)
        else:
            raise self.error(node, "a conditional expression picks between two numbers (or two conditions)")
        return self.op(node, f"arith.select {cond.name}, {a.name}, {b.name} : {type_}", type_, type_)

    def if_expr(self, node: ast.IfExp, env: dict):
        """`a if c else b`: one branch when c is known now, else both
        evaluated and an arith.select (scalars only)."""
        cond = self.expr(node.test, env)
        if not isinstance(cond, V):
            return self.expr(node.body if cond else node.orelse, env)
        if cond.kind != "i1":
            raise self.error(node.test, "a conditional expression tests a comparison")
        a, b = self.expr(node.body, env), self.expr(node.orelse, env)
        if any(isinstance(v, V) and v.kind == "block" for v in (a, b)):
            raise self.error(node, "a conditional expression picks between scalars; for blocks use "
                                   "ttl.block.where(cond, a, b)")
        return self.select(node, cond, a, b)

    def min_max(self, node, fn, args):
        """min/max of numbers: folded when all are Python numbers, else a
        compare-and-select chain (a NaN operand gives the other one)."""
        if len(args) == 1:
            args = list(args[0]) if isinstance(args[0], (tuple, list)) else args
        if all(not isinstance(a, V) for a in args):
            return fn(*args)
        acc = args[0]
        for v in args[1:]:
            c = self.compare_scalars(node, ast.Lt if fn is min else ast.Gt, acc, v)
            acc = self.select(node, c, acc, v)
        return acc
