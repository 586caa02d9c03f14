# SPDX-License-Identifier: Apache-2.0
"""Scalar values in kernel code: index and i32 integers, f32 and bf16
floats, i1 conditions. Python numbers fold at compile time; IR values get
arith ops (data-movement cores run the float ones as integer code, see
docs/element-access.md).

Integers follow Python (`//` and `%` floor toward minus infinity) as long
as the exact result fits their 64 (index) or 32 (i32) bits: the user's
`+ - *`, unary `-`, `abs` and index-to-i32 conversions carry the `nsw` flag,
after which ttkernel-assert-no-wrap checks that nothing wrapped (a fault at
the user's line); on constants it is a compile error here. Floats are IEEE
(comparisons are ordered: false with NaN, except `!=`); mixing an integer
and a float gives a float; `int(x)` truncates toward zero (of NaN, or of a
float whose integer part does not fit 32 bits, a fault at the user's line
through the same pass, or a compile error on a constant), `ttl.bf16(x)`
rounds to nearest even.
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Any, Callable, Sequence

from ..dialects import arith, scf
from ..ir import Attribute, FloatAttr, InsertionPoint, IntegerAttr, Operation, UnitAttr, Value
from .emitter import Emitter, scalar_type
from .values import FLOAT_KINDS, INT_KINDS, Scalar, is_int, is_number

Predicate = type[ast.cmpop]

_INT_OPS: dict[type[ast.operator], Callable[..., Value]] = {
    ast.Add: arith.addi, ast.Sub: arith.subi, ast.Mult: arith.muli}
_INT_WORDS = {ast.Add: "sum", ast.Sub: "difference", ast.Mult: "product"}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
_FLOAT_OPS: dict[type[ast.operator], Callable[..., Value]] = {
    ast.Add: arith.addf, ast.Sub: arith.subf, ast.Mult: arith.mulf, ast.Div: arith.divf}
_CMP_I = {ast.Lt: "slt", ast.LtE: "sle", ast.Gt: "sgt", ast.GtE: "sge", ast.Eq: "eq", ast.NotEq: "ne"}
_CMP_F = {ast.Lt: "olt", ast.LtE: "ole", ast.Gt: "ogt", ast.GtE: "oge", ast.Eq: "oeq", ast.NotEq: "une"}
_PY_CMP: dict[Predicate, Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Eq: operator.eq,
    ast.NotEq: operator.ne, ast.Is: operator.is_, ast.IsNot: operator.is_not, ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b}
# Every Python operator, for compile-time values (numbers, tuples, lists).
PY_BINOP: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow, ast.MatMult: operator.matmul,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor, ast.LShift: operator.lshift,
    ast.RShift: operator.rshift}


# ttkernel.must_fit (include/ttlx/Dialect/TTKernel/Transforms/Passes.h): an
# int(x) whose float operand ttkernel-assert-no-wrap checks at run time.
MUST_FIT = "ttkernel.must_fit"
# arith ops that may fault at run time (ttkernel-assert-divisors), besides
# those carrying overflow flags or MUST_FIT (ttkernel-assert-no-wrap).
_DIVISIONS = {"arith.divsi", "arith.divui", "arith.floordivsi", "arith.ceildivsi", "arith.ceildivui", "arith.remsi",
              "arith.remui"}


def _speculatable(op: Operation) -> bool:
    """An op that may run although its branch is not taken: arith, with no
    run-time check."""
    name = op.name
    attributes = op.attributes
    if not name.startswith("arith.") or name in _DIVISIONS or MUST_FIT in attributes:
        return False
    return "overflowFlags" not in attributes or str(attributes["overflowFlags"]) == "#arith.overflow<none>"


def _is_object(value: object) -> bool:
    """A kernel object (a DFB, tensor, block, pipe, ...), not Python data."""
    return not isinstance(value, (int, float, bool, str, tuple, list, type(None)))


def _is_kernel_object(value: object) -> bool:
    """A DFB, block, tensor, pipe net, transfer handle, ...: an object of
    ttlx or torch, which has no truth value in kernel code."""
    return type(value).__module__.split(".")[0] in ("ttlx", "torch")


def _nsw() -> Attribute:
    """arith's `nsw` overflow flag: the exact result must fit (checked by
    ttkernel-assert-no-wrap)."""
    return Attribute.parse("#arith.overflow<nsw>")


def _bits(kind: str) -> int:
    return 64 if kind == "index" else int(kind[1:])


def _constant(scalar: Scalar) -> int | None:
    """The value of an integer scalar that is an arith.constant, else None."""
    owner = scalar.value.owner
    if getattr(owner, "name", None) != "arith.constant":
        return None
    return IntegerAttr(owner.attributes["value"]).value


def _float_constant(scalar: Scalar) -> float | None:
    """The value of a float scalar that is an arith.constant, else None."""
    owner = scalar.value.owner
    if getattr(owner, "name", None) != "arith.constant":
        return None
    return FloatAttr(owner.attributes["value"]).value


def _float_kind(*values: object) -> str:
    """bf16 when every float IR operand is bf16, else f32."""
    kinds = {v.kind for v in values if isinstance(v, Scalar) and v.kind in FLOAT_KINDS}
    return "bf16" if kinds == {"bf16"} else "f32"


class ScalarTranslator:
    """Scalar constants, conversions, arithmetic, comparisons and selects."""

    def __init__(self, emitter: Emitter):
        self.em = emitter

    # ----- constants and conversions ---------------------------------------
    def flag(self, node: ast.AST, value: bool) -> Scalar:
        with self.em.at(node):
            return Scalar(arith.constant(scalar_type("i1"), int(value)))

    def index(self, node: ast.AST, value: object) -> Scalar:
        return self.intv(node, value, "index")

    def intv(self, node: ast.AST, value: object, kind: str) -> Scalar:
        with self.em.at(node):
            if isinstance(value, Scalar):
                if value.kind == kind:
                    return value
                if value.kind in INT_KINDS:
                    return self._convert(node, value, kind)
                raise self.em.error(node, f"expected an integer, got a {value.kind} value; convert it with int(...)")
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.em.error(node, f"expected an integer, got {type(value).__name__}")
            bits = _bits(kind)
            low, high = (0, 1) if bits == 1 else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
            if not low <= value <= high:
                raise self.em.error(node, f"the integer {value} does not fit in a {bits}-bit kernel integer")
            return Scalar(arith.constant(scalar_type(kind), value))

    def _convert(self, node: ast.AST, value: Scalar, kind: str) -> Scalar:
        """An index as an i32 or the other way round (in the op's location):
        a narrowing keeps the value or faults."""
        if _bits(kind) >= _bits(value.kind):
            return Scalar(arith.index_cast(scalar_type(kind), value.value))
        known = _constant(value)
        if known is not None:
            self.fits(node, known, kind, f"the integer {known}")
        i64 = arith.index_cast(scalar_type("i64"), value.value)
        return Scalar(arith.trunci(scalar_type(kind), i64, overflow_flags=_nsw()))

    def fits(self, node: ast.AST, exact: int, kind: str, what: str) -> None:
        """A located compile error unless `exact` fits a `kind` integer."""
        bits = _bits(kind)
        if not -(1 << (bits - 1)) <= exact < (1 << (bits - 1)):
            raise self.em.error(node, f"{what} is {exact}, which does not fit in a {bits}-bit kernel integer "
                                      f"({'ttl.i32' if kind == 'i32' else 'index'}); on the device it would wrap "
                                      f"around")

    def floatv(self, node: ast.AST, value: object, ftype: str = "f32") -> Scalar:
        with self.em.at(node):
            if isinstance(value, Scalar):
                if value.kind == ftype:
                    return value
                if value.kind in FLOAT_KINDS:
                    convert = arith.extf if ftype == "f32" else arith.truncf
                    return Scalar(convert(scalar_type(ftype), value.value))
                if value.kind in INT_KINDS:
                    i = self.intv(node, value, "i32")
                    return Scalar(arith.sitofp(scalar_type(ftype), i.value))
                raise self.em.error(node, f"expected a number, got a {value.kind} value")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return Scalar(arith.constant(scalar_type(ftype), float(value)))
            raise self.em.error(node, f"expected a number, got {type(value).__name__}")

    def to_int(self, node: ast.AST, value: object, kind: str) -> Scalar:
        """int(x) / ttl.i32(x): floats truncate toward zero."""
        if isinstance(value, Scalar) and value.kind in FLOAT_KINDS:
            known = _float_constant(value)
            if known is not None:
                self.converts(node, known)
            f = self.floatv(node, value, "f32")
            with self.em.at(node):
                i = arith.fptosi(scalar_type("i32"), f.value)
                i.owner.attributes[MUST_FIT] = UnitAttr.get()
            return self.intv(node, Scalar(i), kind)
        if isinstance(value, float):
            value = self.em.evaluate(node, int, value)
        return self.intv(node, value, kind)

    def converts(self, node: ast.AST, known: float) -> None:
        """A located compile error unless int() of the constant `known`
        has a value in the 32 bits of the device's conversion."""
        if math.isnan(known):
            raise self.em.error(node, "int() of NaN: a NaN has no integer value")
        if not -(1 << 31) <= known < (1 << 31):
            raise self.em.error(node, f"int() of {known!r}: its integer part does not fit in the 32 bits of a kernel "
                                      f"float-to-integer conversion [-2147483648, 2147483647]")

    def abs_(self, node: ast.AST, value: object) -> object:
        if not isinstance(value, Scalar):
            return self.em.evaluate(node, abs, value)
        if value.kind in INT_KINDS:
            zero = self.intv(node, 0, value.kind)
            known = _constant(value)
            if known is not None:
                self.fits(node, abs(known), value.kind, f"abs({known})")
            with self.em.at(node):
                neg = arith.subi(zero.value, value.value, overflow_flags=_nsw())
                lt = arith.cmpi(arith.CmpIPredicate.slt, value.value, zero.value)
                return Scalar(arith.select(lt, neg, value.value))
        if value.kind in FLOAT_KINDS:  # clear the sign bit: abs(-0.0) is 0.0, NaN stays NaN
            bits, mask = ("i32", 0x7FFFFFFF) if value.kind == "f32" else ("i16", 0x7FFF)
            with self.em.at(node):
                i = arith.bitcast(scalar_type(bits), value.value)
                cleared = arith.andi(i, arith.constant(scalar_type(bits), mask))
                return Scalar(arith.bitcast(value.type, cleared))
        raise self.em.error(node, f"abs takes a number, got a {value.kind} value")

    def negate(self, node: ast.AST, value: object) -> object:
        if isinstance(value, (int, float)):
            return -value
        if isinstance(value, Scalar) and value.kind in FLOAT_KINDS:
            with self.em.at(node):
                return Scalar(arith.negf(value.value))
        return self.binop(node, ast.Sub(), 0, value)

    # ----- arithmetic ------------------------------------------------------
    def binop(self, node: ast.AST, op: ast.operator, lhs: object, rhs: object) -> object:
        if not (is_number(lhs) and is_number(rhs)):
            raise self.em.error(node, "this operator takes numbers or blocks")
        if not isinstance(lhs, Scalar) and not isinstance(rhs, Scalar):
            return self.em.evaluate(node, PY_BINOP[type(op)], lhs, rhs)
        if is_int(lhs) and is_int(rhs) and not isinstance(op, ast.Div):
            kind = self.int_kind(node, lhs, rhs)
            if isinstance(op, (ast.FloorDiv, ast.Mod)) and not isinstance(rhs, Scalar) and rhs == 0:
                raise self.em.error(node, "integer division or modulo by zero")
            a, b = self.intv(node, lhs, kind), self.intv(node, rhs, kind)
            if isinstance(op, ast.FloorDiv):
                return self.floordiv(node, a, b)
            if isinstance(op, ast.Mod):
                return self.mod(node, a, b, rhs)
            if type(op) not in _INT_OPS:
                raise self.em.error(node, "integers in kernels support + - * / // % and min/max/abs")
            x, y = _constant(a), _constant(b)
            if x is not None and y is not None:
                exact = PY_BINOP[type(op)](x, y)
                if isinstance(op, ast.Sub) and x == 0 and not isinstance(lhs, Scalar):
                    self.fits(node, exact, kind, f"-({y})")
                else:
                    self.fits(node, exact, kind, f"the {_INT_WORDS[type(op)]} {x} {_SYMBOL[type(op)]} {y}")
            with self.em.at(node):
                return Scalar(_INT_OPS[type(op)](a.value, b.value, overflow_flags=_nsw()))
        ftype = _float_kind(lhs, rhs)
        if type(op) not in _FLOAT_OPS:
            raise self.em.error(node, "floats in kernels support + - * / and min/max/abs")
        a, b = self.floatv(node, lhs, ftype), self.floatv(node, rhs, ftype)
        with self.em.at(node):
            return Scalar(_FLOAT_OPS[type(op)](a.value, b.value))

    def int_kind(self, node: ast.AST, *values: object) -> str:
        kinds = {v.kind for v in values if isinstance(v, Scalar)}
        if kinds == {"index", "i32"}:
            raise self.em.error(node, "this mixes an index integer and a ttl.i32; convert one with int(...) or "
                                      "ttl.i32(...)")
        return "i32" if "i32" in kinds else "index"

    def floordiv(self, node: ast.AST, a: Scalar, b: Scalar) -> Scalar:
        """Python's // on integers, computed in a signed type: EmitC makes
        index an unsigned size_t, on which a division of negatives is wrong."""
        with self.em.at(node):
            if a.kind == "i32":
                return Scalar(arith.floordivsi(a.value, b.value))
            i64 = scalar_type("i64")
            q = arith.floordivsi(arith.index_cast(i64, a.value), arith.index_cast(i64, b.value))
            return Scalar(arith.index_cast(scalar_type("index"), q))

    def mod(self, node: ast.AST, a: Scalar, b: Scalar, rhs: object) -> Scalar:
        """Python's % on integers: a - (a // b) * b, with a divisor of -1
        taken as 1 (the same remainder, 0), so that the smallest integer
        % -1 is 0 rather than the overflow of its quotient."""
        if isinstance(rhs, Scalar):
            minus_one, one = self.intv(node, -1, a.kind), self.intv(node, 1, a.kind)
            with self.em.at(node):
                is_minus_one = arith.cmpi(arith.CmpIPredicate.eq, b.value, minus_one.value)
                b = Scalar(arith.select(is_minus_one, one.value, b.value))
        elif rhs == -1:
            return self.intv(node, 0, a.kind)
        q = self.floordiv(node, a, b)
        with self.em.at(node):
            return Scalar(arith.subi(a.value, arith.muli(q.value, b.value)))

    # ----- conditions ------------------------------------------------------
    def compare(self, node: ast.AST, op: Predicate, lhs: object, rhs: object) -> object:
        if not isinstance(lhs, Scalar) and not isinstance(rhs, Scalar):
            if op in (ast.Eq, ast.NotEq) and (_is_object(lhs) and is_number(rhs) or is_number(lhs) and _is_object(rhs)):
                other = lhs if _is_object(lhs) else rhs
                raise self.em.error(node, f"'{'==' if op is ast.Eq else '!='}' compares a {type(other).__name__} "
                                          "with a number, which it never equals; compare numbers with numbers")
            return self.em.evaluate(node, _PY_CMP[op], lhs, rhs)
        if op not in _CMP_I:
            raise self.em.error(node, "kernel values compare with ==, !=, <, <=, >, >=")
        if is_int(lhs) and is_int(rhs):
            kind = self.int_kind(node, lhs, rhs)
            a, b = self.intv(node, lhs, kind), self.intv(node, rhs, kind)
            with self.em.at(node):
                return Scalar(arith.cmpi(getattr(arith.CmpIPredicate, _CMP_I[op]), a.value, b.value))
        if not (is_number(lhs) and is_number(rhs)):
            raise self.em.error(node, "only numbers compare in kernel code")
        ftype = _float_kind(lhs, rhs)
        a, b = self.floatv(node, lhs, ftype), self.floatv(node, rhs, ftype)
        with self.em.at(node):
            return Scalar(arith.cmpf(getattr(arith.CmpFPredicate, _CMP_F[op].upper()), a.value, b.value))

    def fold(self, node: ast.AST, conjunction: bool, values: Sequence[object]) -> Scalar:
        """`values` (i1 or Python bools) combined with arith.andi
        (`conjunction`) or arith.ori."""
        acc: Scalar | None = None
        for v in values:
            flag = self.truth(node, v) if isinstance(v, Scalar) else self.flag(node, self.known_truth(node, v))
            if acc is None:
                acc = flag
            else:
                with self.em.at(node):
                    combine = arith.andi if conjunction else arith.ori
                    acc = Scalar(combine(acc.value, flag.value))
        assert acc is not None, "fold of no values"
        return acc

    def known_truth(self, node: ast.AST, value: object) -> bool:
        """Python's truth of a value known at compile time. A kernel object
        as a condition (`if dfb:`) would always be true: an error."""
        if _is_kernel_object(value):
            raise self.em.error(node, f"a {type(value).__name__} has no truth value in kernel code (as a condition "
                                      "it would always be true); test a number or a comparison")
        return bool(value)

    def truth(self, node: ast.AST, value: Scalar) -> Scalar:
        """i1: Python's truth of a scalar (non-zero; NaN is true)."""
        if value.kind == "i1":
            return value
        if not is_number(value):
            raise self.em.error(node, f"a {value.kind} value has no truth value; compare it")
        result = self.compare(node, ast.NotEq, value, 0)
        assert isinstance(result, Scalar)
        return result

    def negate_flag(self, node: ast.AST, value: Scalar) -> Scalar:
        true = self.flag(node, True)
        with self.em.at(node):
            return Scalar(arith.xori(value.value, true.value))

    def select(self, node: ast.AST, cond: Scalar, a: object, b: object) -> Scalar:
        """arith.select between two scalars of a common type."""
        kind = self.common_kind(node, a, b)
        x, y = self.as_kind(node, a, kind), self.as_kind(node, b, kind)
        with self.em.at(node):
            return Scalar(arith.select(cond.value, x.value, y.value))

    def choose(self, node: ast.AST, cond: Scalar, then: Callable[[], object],
               orelse: Callable[[], object]) -> Scalar:
        """`then() if cond else orelse()` on the device: an scf.if whose
        regions hold what each branch emits, so that the branch not taken
        does not run (its division, overflow or int() check cannot fault);
        an arith.select when neither branch emits an op that can fault."""
        with self.em.at(node):
            op = scf.IfOp(cond.value, [], has_else=True)
        with InsertionPoint(op.then_block):
            a = then()
        with InsertionPoint(op.else_block):
            b = orelse()
        kind = self.common_kind(node, a, b)
        emitted = [o for block in (op.then_block, op.else_block) for o in block.operations]
        if all(_speculatable(o) for o in emitted):
            for o in emitted:
                o.move_before(op)
            op.erase()
            return self.select(node, cond, a, b)
        for block, value in ((op.then_block, a), (op.else_block, b)):
            with InsertionPoint(block):
                result = self.as_kind(node, value, kind)
                with self.em.at(node):
                    scf.yield_([result.value])
        with self.em.at(node) as loc:
            typed = Operation.create("scf.if", results=[scalar_type(kind)], operands=[cond.value], regions=2,
                                     loc=loc, ip=InsertionPoint(op))
        for region, new in zip(op.regions, typed.regions):
            region.blocks[0].append_to(new)
        op.erase()
        return Scalar(typed.results[0])

    def common_kind(self, node: ast.AST, a: object, b: object) -> str:
        """The kind both branches of a conditional expression take."""
        if all(isinstance(v, bool) or isinstance(v, Scalar) and v.kind == "i1" for v in (a, b)):
            return "i1"
        if is_int(a) and is_int(b):
            return self.int_kind(node, a, b)
        if is_number(a) and is_number(b):
            return _float_kind(a, b)
        raise self.em.error(node, "a conditional expression picks between two numbers (or two conditions)")

    def as_kind(self, node: ast.AST, value: object, kind: str) -> Scalar:
        if kind == "i1":
            return value if isinstance(value, Scalar) else self.flag(node, bool(value))
        if kind in FLOAT_KINDS:
            return self.floatv(node, value, kind)
        return self.intv(node, value, kind)

    def min_max(self, node: ast.AST, fn: Callable[..., Any], args: Sequence[object]) -> object:
        """min/max of numbers: folded when all are Python numbers, else a
        compare-and-select chain (a NaN operand gives the other one)."""
        if len(args) == 1:
            args = list(args[0]) if isinstance(args[0], (tuple, list)) else args
        if all(not isinstance(a, Scalar) for a in args):
            return self.em.evaluate(node, fn, *args)
        acc = args[0]
        for v in args[1:]:
            c = self.compare(node, ast.Lt if fn is min else ast.Gt, acc, v)
            assert isinstance(c, Scalar)
            acc = self.select(node, c, acc, v)
        return acc
