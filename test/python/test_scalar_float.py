# SPDX-License-Identifier: Apache-2.0
"""ttkernel-emulate-scalar-floats, executed: the integer code it emits for bf16/f32
scalars is compiled with the host compiler and run on a table of values
(negatives, both zeros, subnormals, extremes, infinities, NaNs), then
checked against IEEE semantics: Python's float compares for predicates and
torch's float32/bfloat16 arithmetic (round to nearest even) bit for bit.
Compute threads, whose C++ has no bf16 scalar type, run their bf16 scalars
through the same code (a kernel file through `ttlx run`)."""

from __future__ import annotations

import itertools
import math
import struct

import numpy
import pytest
import torch
from kernel_cli import operation_file, ttlx

from ttlx import emit_cpp
from ttlx.ir import Context, Module

F32_VALUES = [
    0.0, -0.0, 1.0, -1.0, 1.5, -2.5, 0.1, -0.1, 0.75, -0.75, 3.0, 65504.0,
    12345.678, -12345.678, 1e-7, 3.4028234663852886e38, -3.4028234663852886e38,
    1.1754943508222875e-38, -1.1754943508222875e-38, 1e-45, -1e-45, 5.9e-39,
    math.inf, -math.inf, math.nan, -math.nan,
]

PREDICATES = ["oeq", "one", "olt", "ole", "ogt", "oge", "ord", "uno",
              "ueq", "une", "ult", "ule", "ugt", "uge", "true", "false"]


def ieee_compare(pred: str, a: float, b: float) -> bool:
    unordered = math.isnan(a) or math.isnan(b)
    ordered = {
        "eq": a == b, "ne": a < b or a > b, "lt": a < b,
        "le": a <= b, "gt": a > b, "ge": a >= b,
    }
    if pred == "true":
        return True
    if pred == "false":
        return False
    if pred == "ord":
        return not unordered
    if pred == "uno":
        return unordered
    if pred == "une":
        return unordered or a != b
    if pred.startswith("o"):
        return not unordered and ordered[pred[1:]]
    return unordered or ordered[pred[1:]]


def f32_bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


def bits_f32(b: int) -> float:
    return struct.unpack("<f", struct.pack("<I", b & 0xFFFFFFFF))[0]


def bf16_bits(x: float) -> int:
    return torch.tensor([x], dtype=torch.float32).to(torch.bfloat16).view(torch.int16).item() & 0xFFFF


def bits_bf16(b: int) -> float:
    return bits_f32((b & 0xFFFF) << 16)


def to_signed(bits: int, width: int) -> int:
    bits &= (1 << width) - 1
    return bits - (1 << width) if bits >> (width - 1) else bits


def compile_functions(mlir: str) -> str:
    with Context():
        kernels = emit_cpp(Module.parse(mlir))
    assert len(kernels) == 1 and kernels[0].name == "module"
    return kernels[0].source


def harness(source: str, calls: list[str]) -> str:
    body = "\n".join(f"  std::printf(\"%lld\\n\", (long long)({c}));" for c in calls)
    return (
        "#include <cstdint>\n#include <cstddef>\n#include <cstdio>\n"
        + source
        + "\nint main() {\n"
        + body
        + "\n  return 0;\n}\n"
    )


@pytest.mark.parametrize("ftype", ["f32", "bf16"])
def test_every_predicate_matches_ieee(ftype, run_cpp):
    itype, width = ("i32", 32) if ftype == "f32" else ("i16", 16)
    values = F32_VALUES if ftype == "f32" else [bits_bf16(bf16_bits(v)) for v in F32_VALUES]
    to_bits = f32_bits if ftype == "f32" else bf16_bits
    funcs = "\n".join(
        f"func.func @cmp_{p}(%a: {ftype}, %b: {ftype}) -> i1 {{\n"
        f"  %r = arith.cmpf {p}, %a, %b : {ftype}\n  return %r : i1\n}}"
        for p in PREDICATES
    )
    source = compile_functions(funcs)
    assert "float" not in source and "bfloat" not in source  # integer code only
    cases = list(itertools.product(PREDICATES, values, values))
    calls = [
        f"cmp_{p}(({'int32_t' if width == 32 else 'int16_t'}){to_signed(to_bits(a), width)}, "
        f"({'int32_t' if width == 32 else 'int16_t'}){to_signed(to_bits(b), width)})"
        for p, a, b in cases
    ]
    results = run_cpp(harness(source, calls)).split()
    assert len(results) == len(cases)
    wrong = [
        (p, a, b, r)
        for (p, a, b), r in zip(cases, results)
        if bool(int(r)) != ieee_compare(p, a, b)
    ]
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"
    del itype


ARITH_OPS = {
    "addf": lambda a, b: a + b,
    "subf": lambda a, b: a - b,
    "mulf": lambda a, b: a * b,
    "divf": lambda a, b: a / b,
}


@pytest.mark.parametrize("ftype", ["f32", "bf16"])
def test_add_sub_mul_div_round_like_torch(ftype, run_cpp):
    """Bit-exact against torch (IEEE, round to nearest even; bf16 results
    computed in f32 and rounded once, as torch does on CPU)."""
    dtype = torch.float32 if ftype == "f32" else torch.bfloat16
    width = 32 if ftype == "f32" else 16
    ctype = "int32_t" if width == 32 else "int16_t"
    values = torch.tensor(F32_VALUES, dtype=torch.float32).to(dtype)
    # Plus values whose sums, products and quotients need careful rounding.
    extra = torch.tensor([1.0000001, 3.0000002, 0.33333334, 1e30, 1e-30, 7.0, -7.0, 3.0, 1.5e-38, 6e37],
                         dtype=torch.float32).to(dtype)
    values = torch.cat([values, extra])
    bits_of = values.view(torch.int32 if width == 32 else torch.int16).tolist()
    funcs = "\n".join(
        f"func.func @{op}(%a: {ftype}, %b: {ftype}) -> {ftype} {{\n"
        f"  %r = arith.{op} %a, %b : {ftype}\n  return %r : {ftype}\n}}"
        for op in ARITH_OPS
    )
    source = compile_functions(funcs)
    n = len(values)
    cases = [(op, i, j) for op in ARITH_OPS for i in range(n) for j in range(n)]
    calls = [f"{op}(({ctype}){bits_of[i]}, ({ctype}){bits_of[j]})" for op, i, j in cases]
    results = [int(r) for r in run_cpp(harness(source, calls)).split()]
    wrong = []
    for (op, i, j), got in zip(cases, results):
        want = ARITH_OPS[op](values[i : i + 1], values[j : j + 1])
        got_value = torch.tensor([got], dtype=torch.int32 if width == 32 else torch.int16).view(dtype)
        if torch.isnan(want).item():
            ok = torch.isnan(got_value).item()
        else:
            want_bits = want.view(torch.int32 if width == 32 else torch.int16).item()
            ok = got == want_bits
        if not ok:
            wrong.append((op, values[i].item(), values[j].item(), got_value.item(), want.item()))
    assert not wrong, f"{len(wrong)} of {len(cases)} wrong, e.g. {wrong[:5]}"


def ieee_maximum(a: float, b: float, propagate_nan: bool, is_max: bool) -> float:
    """IEEE 754-2019 maximum/minimum (NaN wins, -0 < +0) and maxNum/minNum
    (a NaN operand yields the other)."""
    if math.isnan(a) or math.isnan(b):
        if propagate_nan or (math.isnan(a) and math.isnan(b)):
            return math.nan
        return b if math.isnan(a) else a
    if a == b == 0.0:
        neg_a, neg_b = math.copysign(1, a) < 0, math.copysign(1, b) < 0
        pick_neg = (neg_a and neg_b) if is_max else (neg_a or neg_b)
        return -0.0 if pick_neg else 0.0
    return max(a, b) if is_max else min(a, b)


@pytest.mark.parametrize("ftype", ["f32", "bf16"])
def test_max_min_follow_ieee(ftype, run_cpp):
    width = 32 if ftype == "f32" else 16
    ctype = "int32_t" if width == 32 else "int16_t"
    to_bits = f32_bits if width == 32 else bf16_bits
    from_bits = bits_f32 if width == 32 else bits_bf16
    values = [from_bits(to_bits(v)) for v in F32_VALUES]
    ops = {"maximumf": (True, True), "minimumf": (True, False),
           "maxnumf": (False, True), "minnumf": (False, False)}
    funcs = "\n".join(
        f"func.func @{op}(%a: {ftype}, %b: {ftype}) -> {ftype} {{\n"
        f"  %r = arith.{op} %a, %b : {ftype}\n  return %r : {ftype}\n}}"
        for op in ops
    )
    source = compile_functions(funcs)
    cases = [(op, a, b) for op in ops for a in values for b in values]
    calls = [f"{op}(({ctype}){to_signed(to_bits(a), width)}, ({ctype}){to_signed(to_bits(b), width)})"
             for op, a, b in cases]
    results = [int(r) for r in run_cpp(harness(source, calls)).split()]
    wrong = []
    for (op, a, b), got in zip(cases, results):
        want = ieee_maximum(a, b, *ops[op])
        got_value = from_bits(got)
        if math.isnan(want):
            ok = math.isnan(got_value)
        else:
            ok = got_value == want and math.copysign(1, got_value) == math.copysign(1, want)
        if not ok:
            wrong.append((op, a, b, got_value, want))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"


def test_conversions(run_cpp):
    """truncf rounds to nearest even like torch; sitofp matches torch;
    fptosi truncates toward zero and saturates (NaN -> 0)."""
    funcs = """
func.func @trunc(%a: f32) -> bf16 {
  %r = arith.truncf %a : f32 to bf16
  return %r : bf16
}
func.func @ext(%a: bf16) -> f32 {
  %r = arith.extf %a : bf16 to f32
  return %r : f32
}
func.func @itof(%a: i32) -> f32 {
  %r = arith.sitofp %a : i32 to f32
  return %r : f32
}
func.func @ftoi(%a: f32) -> i32 {
  %r = arith.fptosi %a : f32 to i32
  return %r : i32
}
"""
    source = compile_functions(funcs)
    floats = F32_VALUES + [1.00390625, 1.01171875, 1.0078125, 2.5, -2.5, 1e10, -1e10, 2147483520.0]
    ints = [0, 1, -1, 7, 2**24 + 1, 2**24 + 3, -(2**24) - 3, 123456789, 2**31 - 1, -(2**31)]
    calls = [f"trunc((int32_t){to_signed(f32_bits(x), 32)})" for x in floats]
    calls += [f"ext((int16_t){to_signed(bf16_bits(x), 16)})" for x in floats]
    calls += [f"itof((int32_t){i})" for i in ints]
    calls += [f"ftoi((int32_t){to_signed(f32_bits(x), 32)})" for x in floats]
    out = [int(r) for r in run_cpp(harness(source, calls)).split()]
    trunc, ext = out[: len(floats)], out[len(floats) : 2 * len(floats)]
    itof = out[2 * len(floats) : 2 * len(floats) + len(ints)]
    ftoi = out[2 * len(floats) + len(ints) :]
    for x, got in zip(floats, trunc):
        want = torch.tensor([x], dtype=torch.float32).to(torch.bfloat16)
        if math.isnan(x):
            assert math.isnan(bits_bf16(got))
        else:
            assert got & 0xFFFF == want.view(torch.int16).item() & 0xFFFF, x
    for x, got in zip(floats, ext):
        want = bits_bf16(bf16_bits(x))
        assert (math.isnan(want) and math.isnan(bits_f32(got))) or bits_f32(got) == want, x
    for i, got in zip(ints, itof):
        want = torch.tensor([i], dtype=torch.int32).to(torch.float32).view(torch.int32).item()
        assert got == want, i
    for x, got in zip(floats, ftoi):
        f = bits_f32(f32_bits(x))
        if math.isnan(f):
            want = 0
        elif f >= 2**31:
            want = 2**31 - 1
        elif f < -(2**31):
            want = -(2**31)
        else:
            want = math.trunc(f)
        assert got == want, x


@pytest.mark.parametrize("ftype", ["f32", "bf16"])
def test_negf_and_absf_flip_or_clear_the_sign(ftype, run_cpp):
    width = 32 if ftype == "f32" else 16
    ctype = "int32_t" if width == 32 else "int16_t"
    to_bits = f32_bits if width == 32 else bf16_bits
    from_bits = bits_f32 if width == 32 else bits_bf16
    source = compile_functions(
        f"func.func @neg(%a: {ftype}) -> {ftype} {{\n  %r = arith.negf %a : {ftype}\n  return %r : {ftype}\n}}\n"
        f"func.func @abs(%a: {ftype}) -> {ftype} {{\n  %r = math.absf %a : {ftype}\n  return %r : {ftype}\n}}"
    )
    values = [from_bits(to_bits(v)) for v in F32_VALUES]
    calls = [f"{op}(({ctype}){to_signed(to_bits(v), width)})" for op in ("neg", "abs") for v in values]
    results = [from_bits(int(r)) for r in run_cpp(harness(source, calls)).split()]
    for got, (op, v) in zip(results, [(op, v) for op in ("neg", "abs") for v in values]):
        want = -v if op == "neg" else abs(v)
        if math.isnan(v):
            assert math.isnan(got)
        else:
            assert got == want and math.copysign(1, got) == math.copysign(1, want), (op, v)


# Values whose bf16 rounding is a tie (to even), a carry into the exponent,
# an overflow to infinity and a subnormal.
BF16_VALUES = [1.00390625, 1.01171875, -1.00390625, 2.7, -2.7, 65504.5, 3.0e38, 3.4e38, 1.0e-40]


def test_bf16_scalars_in_a_compute_thread_round_like_torch(tmp_path):
    """ttl.bf16(x) in a compute thread (it used to be a C++ __bf16, which
    the host compiler does not know): each printed value is torch's bf16
    of the f32 value; + and * of bf16 values round to bf16 as torch's do;
    abs() of an f32 clears its sign bit (a bitcast, as where a bf16 meets
    an f32); int() of a bf16 truncates."""
    compute = "v = float(ttl.node(dims=1))\n" + "".join(f"print(ttl.bf16(v + {x!r}))\n" for x in BF16_VALUES) + (
        "a = ttl.bf16(v + 1.5)\nb = ttl.bf16(v + 2.7)\nprint(a * b)\nprint(a + b)\nprint(abs(v - 2.5))\n"
        "print(int(ttl.bf16(v - 2.5)))")
    path, _ = operation_file(tmp_path, "x", "pass", "op(ttnn.zeros((32, 32), dtype=ttnn.bfloat16))\nprint('ran')",
                             compute=compute)
    result = ttlx("run", str(path))
    assert result.returncode == 0 and result.stdout.strip().endswith("ran"), result.stdout + result.stderr
    printed = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if ": " in line]
    bf16 = [torch.tensor(x, dtype=torch.float32).to(torch.bfloat16) for x in [*BF16_VALUES, 1.5, 2.7]]
    a, b = bf16[-2:]
    want = [float(v) for v in bf16[:-2]] + [float(a * b), float(a + b), 2.5]
    assert len(printed) == len(want) + 1, result.stdout
    # fmt prints the shortest digits that read back as the same f32.
    assert [numpy.float32(p) for p in printed[:-1]] == [numpy.float32(w) for w in want], printed
    assert printed[-1] == "-2", printed
