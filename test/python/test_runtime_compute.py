# SPDX-License-Identifier: Apache-2.0
"""Compute kernels written in TTKernel IR, compiled to tt-metal C++ and run
on the host runtime, against torch.

Tolerances: DST holds bf16 (unless fp32 accumulation is on) and packing to
a bf16 CB rounds to nearest even; bf16 keeps 8 significant bits, so each
rounding adds a relative error of at most 2^-8. A one-op kernel on bf16
data rounds at most twice (DST, pack): rtol = 2^-7. Ops that amplify input error (exp) get their own bound. With
f32 CBs and fp32 accumulation nothing rounds to bf16, so the results match
torch's float32 to within float rounding (rtol = 1e-6).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ttlx.ir import Context, Module
from ttlx.runtime import KernelFault, Program, run

TEST_DIR = Path(__file__).resolve().parents[1]
BF16_RTOL = 2.0**-7


def build(compute_body: str, dtype: str = "bf16", n_in: int = 2, grid=(1, 1)) -> Program:
    """reader: tensors a, b -> DFB 0, 1 (one tile each); compute: the body
    (TTKernel, with %cb0 %cb1 %cb2 %cb3 %c0 %c1 defined); writer: DFB 2 -> out."""
    reads = "\n".join(
        f"""  %r{i} = ttl.dfb_reserve %in{i} : !ttl.dfb<[1, 1], {dtype}, 2>
  %x{i} = ttl.copy_to_block %t{i}[%c0, %c0], %r{i} : tensor<32x32x{dtype}>, tensor<1x1x!ttl.tile<{dtype}>>
  ttl.wait %x{i} : !ttl.transfer_handle<read>
  ttl.dfb_push %in{i} : !ttl.dfb<[1, 1], {dtype}, 2>"""
        for i in range(n_in)
    )
    binds = "\n".join(f"  %in{i} = ttl.bind_dfb {i} : !ttl.dfb<[1, 1], {dtype}, 2>" for i in range(n_in))
    args = ", ".join(f"%t{i}: tensor<32x32x{dtype}>" for i in range(n_in))
    mlir = f"""
func.func @reader({args}) attributes {{ttl.thread = #ttl.thread<datamovement>}} {{
  %c0 = arith.constant 0 : index
{binds}
{reads}
  return
}}
func.func @compute() attributes {{ttl.thread = #ttl.thread<compute>}} {{
  %cb0 = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %cb1 = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  %cb2 = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  ttkernel.compute_kernel_hw_startup %cb0, %cb1, %cb2
{compute_body}
  return
}}
func.func @writer(%out: tensor<32x32x{dtype}>) attributes {{ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 1}} {{
  %c0 = arith.constant 0 : index
  %o = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], {dtype}, 2>
  %w = ttl.dfb_wait %o : !ttl.dfb<[1, 1], {dtype}, 2>
  %x = ttl.copy_to_tensor %w, %out[%c0, %c0] : tensor<1x1x!ttl.tile<{dtype}>>, tensor<32x32x{dtype}>
  ttl.wait %x : !ttl.transfer_handle<write>
  ttl.dfb_pop %o : !ttl.dfb<[1, 1], {dtype}, 2>
  return
}}
"""
    with Context():
        return Program.from_module(Module.parse(mlir), grid)


def one_tile(math: str, n_in: int = 2) -> str:
    """Wait the inputs, reserve the output, run `math` in one register-sync
    sequence on DST 0, pack, release everything."""
    waits = "\n".join(f"  ttkernel.cb_wait_front %cb{i}, %c1" for i in range(n_in))
    pops = "\n".join(f"  ttkernel.cb_pop_front %cb{i}, %c1" for i in range(n_in))
    return f"""{waits}
  ttkernel.cb_reserve_back %cb2, %c1
  ttkernel.tile_regs_acquire
{math}
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.pack_tile %c0, %cb2, %c0
  ttkernel.tile_regs_release
  ttkernel.cb_push_back %cb2, %c1
{pops}"""


def run_tile(prog: Program, *inputs: torch.Tensor, dtype=torch.bfloat16) -> tuple[torch.Tensor, dict]:
    out = torch.zeros(32, 32, dtype=dtype)
    result = run(prog, {"reader": list(inputs), "writer": [out]})
    return out, result.counters["total"]


def inputs(n: int, dtype=torch.bfloat16, seed: int = 0, positive=False):
    g = torch.Generator().manual_seed(seed)
    xs = [torch.randn(32, 32, generator=g) for _ in range(n)]
    if positive:
        xs = [x.abs() + 0.1 for x in xs]
    return [x.to(dtype) for x in xs]


def test_translation_test_kernel_exp_of_sum():
    """The lit test's compute kernel: exp(a + b). a + b is rounded to bf16 in
    DST (absolute error <= |a + b| * 2^-8), which exp turns into a relative
    error of the same size; the exp result rounds once more (2^-8)."""
    with Context():
        module = Module.parse((TEST_DIR / "Target" / "Cpp" / "compute-eltwise.mlir").read_text())
        prog = Program.from_module(module)
    assert prog.grid == (8, 8)  # no ttl.grid: the whole device, every core the same tile
    a, b = inputs(2)
    out, counters = run_tile(prog, a, b)
    x = a.float() + b.float()
    ref = torch.exp(x)
    rtol = x.abs() * 2.0**-8 + 2.0**-8
    assert ((out.float() - ref).abs() <= rtol * ref.abs() + 1e-6).all()
    assert counters["tile_fpu"] == 64 and counters["tile_sfpu"] == 64 and counters["tile_pack"] == 64


FPU = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
}


@pytest.mark.parametrize("op", FPU)
def test_fpu_binary(op):
    prog = build(one_tile(f"  ttkernel.{op}_init %cb0, %cb1\n  ttkernel.{op}_tiles %cb0, %cb1, %c0, %c0, %c0"))
    a, b = inputs(2)
    out, counters = run_tile(prog, a, b)
    torch.testing.assert_close(out.float(), FPU[op](a.float(), b.float()), rtol=BF16_RTOL, atol=1e-6)
    assert counters["tile_fpu"] == 1


BCAST = {
    "rows": lambda b: b[0:1, :].expand(32, 32),
    "cols": lambda b: b[:, 0:1].expand(32, 32),
    "scalar": lambda b: b[0:1, 0:1].expand(32, 32),
}


@pytest.mark.parametrize("op", FPU)
@pytest.mark.parametrize("dim", BCAST)
def test_fpu_broadcast(op, dim):
    prog = build(one_tile(
        f"  ttkernel.{op}_bcast_{dim}_init %cb0, %cb1\n"
        f"  ttkernel.{op}_tiles_bcast_{dim} %cb0, %cb1, %c0, %c0, %c0"))
    a, b = inputs(2, seed=1)
    out, _ = run_tile(prog, a, b)
    want = FPU[op](a.float(), BCAST[dim](b.float()))
    torch.testing.assert_close(out.float(), want, rtol=BF16_RTOL, atol=1e-6)


SFPU_UNARY = {
    "exp": (torch.exp, False),
    "log": (torch.log, True),
    "sqrt": (torch.sqrt, True),
    "rsqrt": (torch.rsqrt, True),
    "recip": (torch.reciprocal, True),
    "sigmoid": (torch.sigmoid, False),
    "silu": (torch.nn.functional.silu, False),
    "tanh": (torch.tanh, False),
    "abs": (torch.abs, False),
    "negative": (torch.neg, False),
    "sign": (torch.sign, False),
    "square": (torch.square, False),
    "relu": (torch.relu, False),
}


@pytest.mark.parametrize("op", SFPU_UNARY)
def test_sfpu_unary(op):
    """copy_tile then the SFPU op: the input is exact bf16, the op is
    computed in fp32 and rounded to bf16 twice (DST, pack)."""
    fn, positive = SFPU_UNARY[op]
    prog = build(one_tile(
        f"  ttkernel.copy_init %cb0\n  ttkernel.copy_tile %cb0, %c0, %c0\n"
        f"  ttkernel.{op}_tile_init\n  ttkernel.{op}_tile %c0", n_in=1), n_in=1)
    (a,) = inputs(1, seed=2, positive=positive)
    out, counters = run_tile(prog, a)
    torch.testing.assert_close(out.float(), fn(a.float()), rtol=BF16_RTOL, atol=1e-6)
    assert counters["tile_unpack"] == 1 and counters["tile_sfpu"] == 1


SFPU_BINARY = {
    "add_binary": lambda a, b: a + b,
    "sub_binary": lambda a, b: a - b,
    "mul_binary": lambda a, b: a * b,
    "div_binary": lambda a, b: a / b,
    "binary_max": torch.maximum,
    "binary_min": torch.minimum,
}


@pytest.mark.parametrize("op", SFPU_BINARY)
def test_sfpu_binary_on_dst(op):
    prog = build(one_tile(
        "  %d1 = arith.constant 1 : i32\n"
        "  ttkernel.copy_init %cb0\n  ttkernel.copy_tile %cb0, %c0, %c0\n"
        "  ttkernel.copy_init %cb1\n  ttkernel.copy_tile %cb1, %c0, %d1\n"
        f"  ttkernel.{op}_tile_init\n  ttkernel.{op}_tile %c0, %d1, %c0"))
    a, b = inputs(2, seed=3)
    out, _ = run_tile(prog, a, b)
    torch.testing.assert_close(out.float(), SFPU_BINARY[op](a.float(), b.float()), rtol=BF16_RTOL, atol=1e-6)


REDUCE = {
    ("sum", "row"): lambda x: torch.zeros(32, 32).index_put_((torch.arange(32), torch.zeros(32, dtype=torch.long)), x.sum(1)),
    ("sum", "col"): lambda x: torch.zeros(32, 32).index_put_((torch.zeros(32, dtype=torch.long), torch.arange(32)), x.sum(0)),
    ("sum", "scalar"): lambda x: torch.zeros(32, 32).index_put_((torch.tensor([0]), torch.tensor([0])), x.sum().reshape(1)),
    ("max", "row"): lambda x: torch.zeros(32, 32).index_put_((torch.arange(32), torch.zeros(32, dtype=torch.long)), x.amax(1)),
    ("max", "col"): lambda x: torch.zeros(32, 32).index_put_((torch.zeros(32, dtype=torch.long), torch.arange(32)), x.amax(0)),
}


@pytest.mark.parametrize("pool,dim", REDUCE)
def test_reduce_with_scaler_accumulates_two_tiles(pool, dim):
    """reduce_tile twice into one DST tile (a, then b, both scaled by the
    scaler b[0, 0] = 0.5): sums add up, maxima combine; everything outside the result row/column is zero.
    The sum of 64 bf16 terms is accumulated in fp32 but rounded to bf16 in
    DST after each tile (2^-8 each) and at the pack: atol 2^-7 of the sum
    of magnitudes."""
    prog = build(
        "  ttkernel.cb_wait_front %cb0, %c1\n  ttkernel.cb_wait_front %cb1, %c1\n"
        "  ttkernel.cb_reserve_back %cb2, %c1\n  ttkernel.tile_regs_acquire\n"
        f"  ttkernel.reduce_init {pool} {dim} %cb0, %cb1, %cb2\n"
        f"  ttkernel.reduce_tile {pool} {dim} %cb0, %cb1, %c0, %c0, %c0\n"
        f"  ttkernel.reduce_tile {pool} {dim} %cb1, %cb1, %c0, %c0, %c0\n"
        "  ttkernel.reduce_uninit\n  ttkernel.tile_regs_commit\n  ttkernel.tile_regs_wait\n"
        "  ttkernel.pack_tile %c0, %cb2, %c0\n  ttkernel.tile_regs_release\n"
        "  ttkernel.cb_push_back %cb2, %c1\n  ttkernel.cb_pop_front %cb0, %c1\n  ttkernel.cb_pop_front %cb1, %c1")
    a, b = inputs(2, seed=4)
    b[0, 0] = 0.5  # the scaler is element (0, 0) of the scaler tile (b itself)
    out, counters = run_tile(prog, a, b)
    af, bf = a.float(), b.float()
    if pool == "sum":
        want = REDUCE[(pool, dim)](af * 0.5) + REDUCE[(pool, dim)](bf * 0.5)
        atol = (REDUCE[(pool, dim)](af.abs() * 0.5) + REDUCE[(pool, dim)](bf.abs() * 0.5)).max() * BF16_RTOL
    else:
        want = torch.maximum(REDUCE[(pool, dim)](af * 0.5), REDUCE[(pool, dim)](bf * 0.5))
        atol = 1e-6
    torch.testing.assert_close(out.float(), want, rtol=BF16_RTOL, atol=float(atol))
    assert counters["tile_reduce"] == 2


def test_sixteen_bit_dst_rounds_f32_data():
    """Without fp32 accumulation DST is 16-bit: f32 inputs come out rounded
    to bf16 even though the CBs are f32."""
    prog = build(one_tile("  ttkernel.copy_init %cb0\n  ttkernel.copy_tile %cb0, %c0, %c0", n_in=1), dtype="f32", n_in=1)
    (a,) = inputs(1, dtype=torch.float32, seed=6)
    out, _ = run_tile(prog, a, dtype=torch.float32)
    assert torch.equal(out, a.to(torch.bfloat16).float())



ROUNDED = {  # the op's math in DST, with the operands DST receives
    "mul_tiles": ("  ttkernel.mul_init %cb0, %cb1\n  ttkernel.mul_tiles %cb0, %cb1, %c0, %c0, %c0",
                  lambda a, b: a * b),
    "sub_tiles_bcast_rows": ("  ttkernel.sub_bcast_rows_init %cb0, %cb1\n"
                             "  ttkernel.sub_tiles_bcast_rows %cb0, %cb1, %c0, %c0, %c0",
                             lambda a, b: a - b[0:1, :]),
    "add_binary_tile": ("  %d1 = arith.constant 1 : i32\n"
                        "  ttkernel.copy_init %cb0\n  ttkernel.copy_tile %cb0, %c0, %c0\n"
                        "  ttkernel.copy_init %cb1\n  ttkernel.copy_tile %cb1, %c0, %d1\n"
                        "  ttkernel.add_binary_tile_init\n  ttkernel.add_binary_tile %c0, %d1, %c0",
                        lambda a, b: a.bfloat16().float() + b.bfloat16().float()),
    "square_tile": ("  ttkernel.copy_init %cb0\n  ttkernel.copy_tile %cb0, %c0, %c0\n"
                    "  ttkernel.square_tile_init\n  ttkernel.square_tile %c0",
                    lambda a, b: a.bfloat16().float() * a.bfloat16().float()),
}


@pytest.mark.parametrize("dtype", ["bf16", "f32"])
@pytest.mark.parametrize("op", ROUNDED)
def test_sixteen_bit_dst_rounds_each_result_bit_for_bit(op, dtype):
    """A 16-bit DST holds the op's float32 result rounded to bf16 (nearest
    even), exactly torch's float32 -> bfloat16 conversion: bf16 CBs (two
    tiles combined a face row at a time), f32 CBs (unpacked first),
    broadcasts, SFPU ops on DST. (copy_tile of f32 data rounds it first.)"""
    body, math = ROUNDED[op]
    torch_dtype = torch.bfloat16 if dtype == "bf16" else torch.float32
    prog = build(one_tile(body), dtype=dtype)
    a, b = inputs(2, dtype=torch_dtype, seed=7)
    out, _ = run_tile(prog, a, b, dtype=torch_dtype)
    want = math(a.float(), b.float()).bfloat16()
    assert torch.equal(out.bfloat16(), want) and (dtype == "bf16" or torch.equal(out, want.float()))


def test_fp32_dst_keeps_float32_results_bit_for_bit():
    """With f32 CBs and fp32 accumulation nothing is rounded to bf16: a * b
    and (a * b) + a are torch's float32 results, bit for bit."""
    body = one_tile(
        "  %d1 = arith.constant 1 : i32\n"
        "  ttkernel.mul_init %cb0, %cb1\n  ttkernel.mul_tiles %cb0, %cb1, %c0, %c0, %c0\n"
        "  ttkernel.copy_init %cb0\n  ttkernel.copy_tile %cb0, %c0, %d1\n"
        "  ttkernel.add_binary_tile_init\n  ttkernel.add_binary_tile %c0, %d1, %c0")
    prog = build(body, dtype="f32")
    for kernel in prog.kernels:
        kernel.fp32_dest_acc = kernel.processor == "compute"
    a, b = inputs(2, dtype=torch.float32, seed=8)
    out, _ = run_tile(prog, a, b, dtype=torch.float32)
    assert torch.equal(out, a * b + a)


DST_FAULTS = [
    ("  ttkernel.cb_wait_front %cb0, %c1\n  ttkernel.copy_tile %cb0, %c0, %c0\n  ttkernel.cb_pop_front %cb0, %c1",
     "copy_tile writes DST while the registers are released; math goes between tile_regs_acquire and tile_regs_commit"),
    ("  ttkernel.tile_regs_commit",
     "tile_regs_commit called while the DST registers are released; the order is tile_regs_acquire, tile_regs_commit, tile_regs_wait, tile_regs_release"),
    ("  %d9 = arith.constant 9 : i32\n  ttkernel.tile_regs_acquire\n  ttkernel.exp_tile %d9",
     "SFPU unary op uses DST tile 9, but DST holds 8 tiles (16-bit)"),
    ("  ttkernel.cb_wait_front %cb0, %c1\n  ttkernel.tile_regs_acquire\n  ttkernel.copy_tile %cb0, %c1, %c0",
     "copy_tile reads tile 1 of DFB 0, but only 1 page(s) were received with cb_wait_front"),
    ("  ttkernel.tile_regs_acquire\n  ttkernel.tile_regs_commit\n  ttkernel.tile_regs_wait\n  ttkernel.pack_tile %c0, %cb2, %c0",
     "pack_tile writes tile 0 of DFB 2, but only 0 page(s) are reserved with cb_reserve_back"),
    ("  ttkernel.cb_reserve_back %cb2, %c1\n  ttkernel.tile_regs_acquire\n  ttkernel.pack_tile %c0, %cb2, %c0",
     "pack_tile reads DST while the registers are acquired; packing goes between tile_regs_wait and tile_regs_release"),
]


@pytest.mark.parametrize("body,message", DST_FAULTS, ids=[m.split(" ")[0] + str(i) for i, (_, m) in enumerate(DST_FAULTS)])
def test_dst_protocol_faults(body, message):
    prog = build(body, n_in=1)
    with pytest.raises(KernelFault) as info:
        run_tile(prog, *inputs(1))
    assert "compute kernel 'compute': " + message in str(info.value)
    assert "compute.cpp:" in str(info.value)
