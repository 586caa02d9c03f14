# SPDX-License-Identifier: Apache-2.0
"""TTL tile math, compiled (convert-ttl-to-ttkernel's tile programs) and run
on the host runtime, against torch, for blocks of 1x1, 1x4, 2x2 and 1x32
tiles in bf16 and f32.

Tolerances. bf16 keeps 8 significant bits, so each rounding to bf16 costs a
relative error of at most u = 2^-8. With a 16-bit DST, every op result is
rounded once in DST and once more when packed (a no-op if already bf16):
one op on exact inputs stays within 2u (rtol 2^-7). In f32 with fp32
accumulation, results are float32 computations: rtol 1e-6 (1e-5 for the
transcendental functions, whose float32 libm results may differ from
torch's by a few ulps). An op that amplifies input error gets the bound
derived in its test.
"""

from __future__ import annotations

import math

import pytest
import torch

from ttlx import optable
from ttlx.ir import Context, Module
from ttlx.runtime import Program, run

SHAPES = [(1, 1), (1, 4), (2, 2), (1, 32)]
DTYPES = {"bf16": torch.bfloat16, "f32": torch.float32}


def block(shape, dtype):
    return f"tensor<{shape[0]}x{shape[1]}x!ttl.tile<{dtype}>>"


def dfb(shape, dtype):
    return f"!ttl.dfb<[{shape[0]}, {shape[1]}], {dtype}, 2>"


def dram(shape, dtype):
    return f"tensor<{32 * shape[0]}x{32 * shape[1]}x{dtype}>"


def module(expr: str, shape, dtype: str, in_shapes, fp32_acc: bool = False) -> str:
    """reader: input i (of in_shapes[i] tiles) -> DFB i; compute: `expr`
    (TTL, with %a %b ... the waited blocks and %T the output block type)
    stored into DFB 7; writer: DFB 7 -> the output tensor."""
    names = "abcd"[: len(in_shapes)]
    T, D = block(shape, dtype), dfb(shape, dtype)
    reader_args = ", ".join(f"%t{i}: {dram(sh, dtype)}" for i, sh in enumerate(in_shapes))
    reads = "\n".join(
        f"""  %d{i} = ttl.bind_dfb {i} : {dfb(sh, dtype)}
  %r{i} = ttl.dfb_reserve %d{i} : {dfb(sh, dtype)}
  %x{i} = ttl.copy_to_block %t{i}[%c0, %c0], %r{i} : {dram(sh, dtype)}, {block(sh, dtype)}
  ttl.wait %x{i} : !ttl.transfer_handle<read>
  ttl.dfb_push %d{i} : {dfb(sh, dtype)}"""
        for i, sh in enumerate(in_shapes)
    )
    waits = "\n".join(
        f"  %d{i} = ttl.bind_dfb {i} : {dfb(sh, dtype)}\n  %{n} = ttl.dfb_wait %d{i} : {dfb(sh, dtype)}"
        for i, (n, sh) in enumerate(zip(names, in_shapes))
    )
    pops = "\n".join(f"  ttl.dfb_pop %d{i} : {dfb(sh, dtype)}" for i, sh in enumerate(in_shapes))
    attrs = "ttl.thread = #ttl.thread<compute>" + (", ttl.fp32_dest_acc" if fp32_acc else "")
    return f"""
func.func @reader({reader_args}) attributes {{ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 1, 1>}} {{
  %c0 = arith.constant 0 : index
{reads}
  return
}}
func.func @compute() attributes {{{attrs}}} {{
{waits}
  %dout = ttl.bind_dfb 7 : {D}
  %out = ttl.dfb_reserve %dout : {D}
{expr.replace("%T", T)}
  ttl.store %res, %out : {T}, {T}
  ttl.dfb_push %dout : {D}
{pops}
  return
}}
func.func @writer(%o: {dram(shape, dtype)}) attributes {{ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 1, 1>, ttl.base_cta_index = 1}} {{
  %c0 = arith.constant 0 : index
  %dout = ttl.bind_dfb 7 : {D}
  %w = ttl.dfb_wait %dout : {D}
  %x = ttl.copy_to_tensor %w, %o[%c0, %c0] : {T}, {dram(shape, dtype)}
  ttl.wait %x : !ttl.transfer_handle<write>
  ttl.dfb_pop %dout : {D}
  return
}}
"""


def run_expr(expr, shape, dtype, inputs, **kw):
    in_shapes = [(t.shape[0] // 32, t.shape[1] // 32) for t in inputs]
    text = module(expr, shape, dtype, in_shapes, **kw)
    with Context():
        prog = Program.from_module(Module.parse(text))
    out = torch.zeros(32 * shape[0], 32 * shape[1], dtype=DTYPES[dtype])
    result = run(prog, {"reader": list(inputs), "writer": [out]})
    return out.float(), result.counters["total"]


def rand(shape, dtype, seed, positive=False, domain="ALL"):
    """Normal samples, moved into an op's domain (TTLElementwiseOps.def)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(32 * shape[0], 32 * shape[1], generator=g)
    if positive or domain == "POSITIVE":
        x = x.abs() + 0.25
    elif domain == "UNIT":
        x = torch.tanh(x) * 0.96875  # |x| <= 31/32 after bf16 rounding
    elif domain == "ABOVE_ONE":
        x = x.abs() + 1.25
    return x.to(DTYPES[dtype])


def tolerance(dtype, f32_rtol=1e-6):
    if dtype == "bf16":
        return dict(rtol=2.0**-7, atol=1e-6)
    return dict(rtol=f32_rtol, atol=1e-6)


UNARY = [op for op in optable.OPS if op.arity == 1]
BINARY = [op for op in optable.OPS if op.arity == 2]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", UNARY, ids=lambda op: op.ttl_name)
def test_unary(op, dtype, shape):
    assert dtype in op.dtypes
    a = rand(shape, dtype, 1, domain=op.domain)
    # Parameters: the table's default, else its sample value.
    params = {p.name: int(p.sample) if p.type == "i32" else p.sample for p in op.params}
    attrs = ", ".join(f"{k} = {v} : i32" if isinstance(v, int) else f"{k} = {v!r} : f32" for k, v in params.items())
    expr = f"  %res = ttl.{op.ttl_name} %a {{{attrs}}} : %T" if attrs else f"  %res = ttl.{op.ttl_name} %a : %T"
    out, counters = run_expr(expr, shape, dtype, [a], fp32_acc=dtype == "f32")
    # The reference on the same (exact) inputs; signbit's bools as 0.0 / 1.0.
    ref = op.torch_fn()(a.float(), **params).float()
    torch.testing.assert_close(out, ref, **tolerance(dtype, op.f32_rtol))
    assert counters["tile_sfpu"] == shape[0] * shape[1]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.ttl_name)
def test_binary(op, dtype, shape):
    assert dtype in op.dtypes
    a = rand(shape, dtype, 2)
    b = rand(shape, dtype, 3, positive=op.domain == "POSITIVE")
    expr = f"  %res = ttl.{op.ttl_name} %a, %b : %T, %T -> %T"
    out, counters = run_expr(expr, shape, dtype, [a, b], fp32_acc=dtype == "f32")
    torch.testing.assert_close(out, op.torch_fn()(a.float(), b.float()), **tolerance(dtype, op.f32_rtol))
    tiles = shape[0] * shape[1]
    # Ops with an FPU form read two DFB blocks with it; the rest use the SFPU.
    if op.unit == "FPU":
        assert counters["tile_fpu"] == tiles and counters["tile_unpack"] == 0
    else:
        assert counters["tile_sfpu"] == tiles and counters["tile_unpack"] == 2 * tiles


def test_op_table_matches_the_dialect():
    """Every table entry parses as a TTL op of its arity; Python aliases
    resolve to their entry."""
    with Context():
        for op in optable.OPS:
            if op.params:
                continue  # an op with parameters needs its attributes (test_unary gives them)
            operands = "%a" if op.arity == 1 else "%a, %a"
            types = "%T" if op.arity == 1 else "%T, %T -> %T"
            Module.parse(module(f"  %res = ttl.{op.ttl_name} {operands} : {types}", (1, 1), "bf16", [(1, 1)]))
    assert optable.by_python_name("reciprocal").ttl_name == "recip"
    assert optable.by_python_name("maximum").tile_call == "binary_max_tile"


@pytest.mark.parametrize("dtype", DTYPES)
def test_scalar_operand_and_fill(dtype):
    """(a * 0.5) - 3.0 with scalar operands, and fill."""
    shape = (1, 4)
    a = rand(shape, dtype, 4)
    expr = """  %half = arith.constant 0.5 : f32
  %three = arith.constant 3.0 : f32
  %m = ttl.mul %a, %half : %T, f32 -> %T
  %res = ttl.sub %m, %three : %T, f32 -> %T"""
    out, _ = run_expr(expr, shape, dtype, [a], fp32_acc=dtype == "f32")
    torch.testing.assert_close(out, a.float() * 0.5 - 3.0, **tolerance(dtype))
    out, _ = run_expr("  %v = arith.constant -1.25 : f32\n  %res = ttl.fill %v : f32 -> %T", shape, dtype, [a])
    assert torch.equal(out, torch.full_like(out, -1.25))


def test_fused_tree_one_sync_per_tile():
    """sigmoid(a) * b + exp(-abs(a)): one tile program, DST reused."""
    shape = (2, 2)
    a, b = rand(shape, "bf16", 5), rand(shape, "bf16", 6)
    expr = """  %s = ttl.sigmoid %a : %T
  %m = ttl.mul %s, %b : %T, %T -> %T
  %abs = ttl.abs %a : %T
  %n = ttl.neg %abs : %T
  %e = ttl.exp %n : %T
  %res = ttl.add %m, %e : %T, %T -> %T"""
    out, counters = run_expr(expr, shape, "bf16", [a, b])
    af, bf = a.float(), b.float()
    ref = torch.sigmoid(af) * bf + torch.exp(-af.abs())
    # Five rounded ops on values of size ~1: a few u of absolute error.
    torch.testing.assert_close(out, ref, rtol=2.0**-6, atol=2.0**-6)
    # sigmoid, mul (SFPU: one operand is in DST), abs, neg, exp, add.
    assert counters["tile_pack"] == 4 and counters["tile_sfpu"] == 4 * 6


def test_value_used_twice_is_computed_once():
    """exp(a) * exp(a) with one exp value: one exp per tile, one DST tile
    (ttl-assign-dst); exp(e) + e: e is needed after exp overwrote it in
    place, so it is evaluated again (two unpacks, three exps per tile)."""
    shape = (1, 4)
    a = rand(shape, "f32", 7) * 0.5
    square = """  %e = ttl.exp %a : %T
  %res = ttl.mul %e, %e : %T, %T -> %T"""
    out, counters = run_expr(square, shape, "f32", [a], fp32_acc=True)
    torch.testing.assert_close(out, torch.exp(a) ** 2, rtol=1e-5, atol=1e-6)
    assert counters["tile_unpack"] == 4 and counters["tile_sfpu"] == 4 * 2
    again = """  %e = ttl.exp %a : %T
  %ee = ttl.exp %e : %T
  %res = ttl.add %ee, %e : %T, %T -> %T"""
    out, counters = run_expr(again, shape, "f32", [a], fp32_acc=True)
    torch.testing.assert_close(out, torch.exp(torch.exp(a)) + torch.exp(a), rtol=1e-5, atol=1e-6)
    assert counters["tile_unpack"] == 4 * 2 and counters["tile_sfpu"] == 4 * 4


@pytest.mark.parametrize("kind", ["row", "col", "scalar"])
@pytest.mark.parametrize("op", ["add", "mul", "sub"])
def test_broadcast_fpu_form(op, kind):
    """a (2x4 tiles) op broadcast(b): row 0 of each tile of a 1x4 b down the
    rows, column 0 of each tile of a 2x1 b across, or b(0, 0) everywhere."""
    shape = (2, 4)
    bshape = {"row": (1, 4), "col": (2, 1), "scalar": (1, 1)}[kind]
    a, b = rand(shape, "bf16", 7), rand(bshape, "bf16", 8)
    expr = f"  %bb = ttl.broadcast %b {kind} : {block(bshape, 'bf16')} -> %T\n  %res = ttl.{op} %a, %bb : %T, %T -> %T"
    out, counters = run_expr(expr, shape, "bf16", [a, b])
    bf = b.float()
    if kind == "row":
        full = bf[0::32, :].repeat_interleave(32, dim=0).repeat(2, 1)[:64]
    elif kind == "col":
        full = bf[:, 0:1].expand(64, 128)
    else:
        full = bf[0, 0].expand(64, 128)
    ref = {"add": torch.add, "mul": torch.mul, "sub": torch.sub}[op](a.float(), full)
    torch.testing.assert_close(out, ref, rtol=2.0**-7, atol=1e-6)
    assert counters["tile_fpu"] == 8 and counters["tile_unpack"] == 0


def test_broadcast_into_sfpu_expression():
    """exp(broadcast(b)) * a: the broadcast operand is unpacked with
    unary_bcast because exp needs it in DST."""
    shape = (1, 2)
    a, b = rand(shape, "bf16", 9), rand((1, 1), "bf16", 10)
    expr = (f"  %bb = ttl.broadcast %b col : {block((1, 1), 'bf16')} -> %T\n"
            "  %e = ttl.exp %bb : %T\n  %res = ttl.mul %e, %a : %T, %T -> %T")
    out, _ = run_expr(expr, shape, "bf16", [a, b])
    col = b.float()[:, 0:1].expand(32, 64)
    # exp of an exact bf16 input, rounded, then a product, rounded: 3u.
    torch.testing.assert_close(out, torch.exp(col) * a.float(), rtol=3 * 2.0**-8, atol=1e-6)


REDUCE_REF = {
    ("sum", "row"): lambda x: x.reshape(64, 4, 32).sum(dim=(1, 2)),
    ("max", "row"): lambda x: x.reshape(64, 4, 32).amax(dim=(1, 2)),
    ("sum", "col"): lambda x: x.reshape(2, 32, 128).sum(dim=(0, 1)),
    ("max", "col"): lambda x: x.reshape(2, 32, 128).amax(dim=(0, 1)),
    ("sum", "scalar"): lambda x: x.sum(),
    ("max", "scalar"): lambda x: x.amax(),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pool,dim", REDUCE_REF)
def test_reduce(pool, dim, dtype):
    """reduce_sum/max of a 2x4-tile block with a scaler of 1: row results in
    column 0 of a 2x1 block, column results in row 0 of a 1x4 block, the
    scalar at (0, 0); every other element zero. Mostly negative data, so a
    max that started from zero would be wrong. Sums of n terms accumulate in
    fp32 (f32 DST) in another order than torch's: the recursive-summation
    bound n * 2^-24 * sum|x| covers that, and bf16 adds the final rounding:
    2^-7 * sum|x|."""
    shape_in = (2, 4)
    out_shape = {"row": (2, 1), "col": (1, 4), "scalar": (1, 1)}[dim]
    x = (rand(shape_in, dtype, 12).float() - 2.0).to(DTYPES[dtype])
    ones = torch.ones(32, 32).to(DTYPES[dtype])
    expr = (f"  %res = ttl.reduce_{pool} %a, %b {dim} : {block(shape_in, dtype)}, {block((1, 1), dtype)} -> %T")
    out, counters = run_expr(expr, out_shape, dtype, [x, ones], fp32_acc=True)
    want = REDUCE_REF[(pool, dim)](x.float())
    if dim == "row":
        got, rest = out[:, 0], out[:, 1:]
    elif dim == "col":
        got, rest = out[0, :], out[1:, :]
    else:
        got, rest = out[0, 0], out.flatten()[1:]
    assert torch.count_nonzero(rest) == 0
    terms = {"row": 128, "col": 64, "scalar": 8192}[dim]
    if pool == "sum":
        scale = REDUCE_REF[("sum", dim)](x.float().abs())
        tol = (2.0**-7 if dtype == "bf16" else terms * 2.0**-24) * scale + 1e-6
    else:
        tol = 0.0  # a maximum is one of the inputs: exact
    assert ((got - want).abs() <= tol).all(), (got, want)
    assert counters["tile_reduce"] == 8
