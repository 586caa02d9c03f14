# SPDX-License-Identifier: Apache-2.0
"""The runtime's tile math, bit for bit: matmul_tiles sums each output's 32
products in order of k (float products and sums, no fused multiply-add) on
every instruction set the runtime picks, element-wise ops round to bf16 the
same on every vector width, and DST tiles not written since
tile_regs_acquire read as zero (the runtime clears them lazily). The tile
calls the op table generates report faults at the kernel's line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import torch

from ttlx.ir import Context, Module
from ttlx.runtime import KernelFault, Program, run


def program(compute_body: str, dtype: str, fp32: bool, n_in: int = 2, in_tiles: int = 1) -> Program:
    """reader: tensors -> DFBs 0.. (1 x in_tiles tiles each); compute: the
    body (%cb0 %cb1 %cbo, i32 %c0..%c3, %n = in_tiles); writer: DFB 2 ->
    out (one tile)."""
    shape = f"32x{32 * in_tiles}x{dtype}"
    dfb = f"!ttl.dfb<[1, {in_tiles}], {dtype}, 1>"
    reads = "\n".join(
        f"""  %in{i} = ttl.bind_dfb {i} : {dfb}
  %r{i} = ttl.dfb_reserve %in{i} : {dfb}
  %x{i} = ttl.copy_to_block %t{i}[%c0, %c0], %r{i} : tensor<{shape}>, tensor<1x{in_tiles}x!ttl.tile<{dtype}>>
  ttl.wait %x{i} : !ttl.transfer_handle<read>
  ttl.dfb_push %in{i} : {dfb}"""
        for i in range(n_in)
    )
    args = ", ".join(f"%t{i}: tensor<{shape}>" for i in range(n_in))
    waits = "\n".join(f"  ttkernel.cb_wait_front %cb{i}, %n" for i in range(n_in))
    pops = "\n".join(f"  ttkernel.cb_pop_front %cb{i}, %n" for i in range(n_in))
    mlir = f"""
func.func @reader({args}) attributes {{ttl.thread = #ttl.thread<datamovement>}} {{
  %c0 = arith.constant 0 : index
{reads}
  return
}}
func.func @compute() attributes {{ttl.thread = #ttl.thread<compute>}} {{
  %cb0 = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %cb1 = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  %cbo = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c2 = arith.constant 2 : i32
  %c3 = arith.constant 3 : i32
  %n = arith.constant {in_tiles} : i32
  ttkernel.compute_kernel_hw_startup %cb0, %cb1, %cbo
{waits}
{compute_body}
{pops}
  return
}}
func.func @writer(%out: tensor<32x32x{dtype}>) attributes {{ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 1}} {{
  %c0 = arith.constant 0 : index
  %o = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], {dtype}, 1>
  %w = ttl.dfb_wait %o : !ttl.dfb<[1, 1], {dtype}, 1>
  %x = ttl.copy_to_tensor %w, %out[%c0, %c0] : tensor<1x1x!ttl.tile<{dtype}>>, tensor<32x32x{dtype}>
  ttl.wait %x : !ttl.transfer_handle<write>
  ttl.dfb_pop %o : !ttl.dfb<[1, 1], {dtype}, 1>
  return
}}
"""
    with Context():
        prog = Program.from_module(Module.parse(mlir), (1, 1))
    for kernel in prog.kernels:
        kernel.fp32_dest_acc = fp32 and kernel.processor == "compute"
    return prog


def pack_to_out(slot: str = "%c0") -> str:
    return f"""  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.cb_reserve_back %cbo, %c1
  ttkernel.pack_tile {slot}, %cbo, %c0
  ttkernel.cb_push_back %cbo, %c1
  ttkernel.tile_regs_release"""


# DST 0 = A(tile 0) @ B(tile 0), then += A(tile 1) @ B(tile 1).
MATMUL_TWO_STEPS = f"""  ttkernel.matmul_init %cb0, %cb1
  ttkernel.tile_regs_acquire
  ttkernel.matmul_tiles %cb0, %cb1, %c0, %c0, %c0
  ttkernel.matmul_tiles %cb0, %cb1, %c1, %c1, %c0
{pack_to_out()}"""

CASES = {"f32-fp32dst": ("f32", True, torch.float32), "bf16-16bitdst": ("bf16", False, torch.bfloat16)}


def matmul_inputs(dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """Two tiles side by side each; magnitudes spread over 2^-12..2^12 so
    that any other order of the sums would change low bits."""
    gen = torch.Generator().manual_seed(7)

    def make() -> torch.Tensor:
        scale = torch.exp2(torch.randint(-12, 13, (32, 64), generator=gen).float())
        return (torch.randn(32, 64, generator=gen) * scale).to(dtype)

    return make(), make()


def reference_two_steps(a: torch.Tensor, b: torch.Tensor, fp32: bool) -> torch.Tensor:
    """DST = A0 @ B0 + A1 @ B1 for the tiles Ak, Bk (columns 32k.. of a, b)
    by the hardware model's definition, with torch's float32 elementwise ops:
    s = (((0 + a0*b0) + a1*b1) + ...), DST = DST + s per call, rounded to
    bf16 after each call unless DST is 32-bit."""
    a, b = a.float(), b.float()
    dst = torch.zeros(32, 32)
    for step in range(2):
        ta, tb = a[:, 32 * step : 32 * step + 32], b[:, 32 * step : 32 * step + 32]
        s = torch.zeros(32, 32)
        for k in range(32):
            s = s + ta[:, k : k + 1] * tb[k : k + 1, :]
        dst = dst + s
        if not fp32:
            dst = dst.to(torch.bfloat16).float()
    return dst


@pytest.mark.parametrize("case", CASES)
def test_matmul_tiles_sums_in_order_of_k_bit_for_bit(case):
    name, fp32, dtype = CASES[case]
    a, b = matmul_inputs(dtype)
    out = torch.zeros(32, 32, dtype=dtype)
    run(program(MATMUL_TWO_STEPS, name, fp32, in_tiles=2), {"reader": [a, b], "writer": [out]})
    bits = torch.int16 if dtype == torch.bfloat16 else torch.int32
    assert torch.equal(out.view(bits), reference_two_steps(a, b, fp32).to(dtype).view(bits))


def sparse_left_tiles(kind: str) -> tuple[torch.Tensor, torch.Tensor]:
    """A (two tiles side by side) sparse enough for the runtime's sparse
    path, B spread over 2^-12..2^12. "shift": A0 a 0/1 shift tile (row i
    has a 1 at column i - 3, -0 elsewhere in odd rows), A1 zero (+0 and
    -0) except one NaN, and B1 has an inf in row 5 and a NaN in row 9 (0 *
    inf is NaN: those products are never skipped). "quarter": a quarter of
    A's entries nonzero (the sparse limit) and three more in A1 (dense)."""
    gen = torch.Generator().manual_seed(11)
    scale = torch.exp2(torch.randint(-12, 13, (32, 64), generator=gen).float())
    b = torch.randn(32, 64, generator=gen) * scale
    a = torch.zeros(32, 64)
    if kind == "shift":
        for i in range(3, 32):
            a[i, i - 3] = 1.0
        a[1::2, :] = torch.where(a[1::2, :] == 0, torch.tensor(-0.0), a[1::2, :])
        a[7, 32 + 20] = float("nan")
        a[::3, 32:] = -0.0
        b[5, 32 + 4] = float("inf")
        b[9, 32 + 17] = float("nan")
    else:
        for tile, count in ((0, 256), (1, 259)):
            entries = torch.zeros(32 * 32)
            entries[torch.randperm(32 * 32, generator=gen)[:count]] = torch.randn(count, generator=gen)
            a[:, 32 * tile:32 * tile + 32] = entries.view(32, 32)
    return a, b


@pytest.mark.parametrize("kind", ["shift", "quarter"])
@pytest.mark.parametrize("case", CASES)
def test_matmul_of_a_sparse_left_tile_keeps_the_bits_of_the_dense_sum(case, kind):
    """The runtime skips the products of A's zero entries (a sparse path):
    with signed zeros, infinities and NaNs in either tile the result is the
    dense sum's."""
    name, fp32, dtype = CASES[case]
    a, b = (t.to(dtype) for t in sparse_left_tiles(kind))
    out = torch.zeros(32, 32, dtype=dtype)
    run(program(MATMUL_TWO_STEPS, name, fp32, in_tiles=2), {"reader": [a, b], "writer": [out]})
    bits = torch.int16 if dtype == torch.bfloat16 else torch.int32
    want = reference_two_steps(a, b, fp32).to(dtype)
    # NaNs where the dense sum has them (their payload is the CPU's pick:
    # torch writes every bf16 NaN as 0x7fc0), the dense sum's bits elsewhere.
    assert torch.equal(out.isnan(), want.isnan())
    if kind == "shift":
        assert out.isnan().any() and not out.isnan().all()
    finite = ~want.isnan()
    assert torch.equal(out[finite].view(bits), want[finite].view(bits))


# y = a * b + a in a 16-bit DST: an FPU op on two bf16 tiles, copy_tile,
# an SFPU op, pack: every one rounds to bf16 or quiets NaNs.
ELEMENTWISE = f"""  %d1 = arith.constant 1 : i32
  ttkernel.tile_regs_acquire
  ttkernel.mul_init %cb0, %cb1
  ttkernel.mul_tiles %cb0, %cb1, %c0, %c0, %c0
  ttkernel.copy_init %cb0
  ttkernel.copy_tile %cb0, %c0, %d1
  ttkernel.add_binary_tile_init
  ttkernel.add_binary_tile %c0, %d1, %c0
{pack_to_out()}"""


def elementwise_inputs() -> tuple[torch.Tensor, torch.Tensor]:
    """bf16 tiles whose products and sums land on and near halfway points,
    with infinities, zeros, subnormals and NaNs of several payloads (quiet
    or not) in a and in b, never at the same element (two NaN operands
    give either one's payload: the compiler orders them)."""
    gen = torch.Generator().manual_seed(5)
    a = (torch.randn(32, 32, generator=gen) * 4).bfloat16().view(torch.int16)
    b = (torch.randn(32, 32, generator=gen) * 4).bfloat16().view(torch.int16)
    specials = [0x7F81, 0x7FC1, -0x7F, 0x7F80, -0x80, 0x0000, -0x8000, 0x0001, 0x7F7F]
    for i, bits in enumerate(specials):
        a[i, :8] = bits
        b[i, 8:16] = bits
    return a.view(torch.bfloat16), b.view(torch.bfloat16)


CHILD = """
import ctypes, hashlib, json, sys
import torch
sys.path.insert(0, sys.argv[1])
from test_tile_math import CASES, ELEMENTWISE, MATMUL_TWO_STEPS, elementwise_inputs, matmul_inputs, program
from ttlx.runtime import native, run
isa = native.library().ttlx_rt_tile_isa
isa.restype = ctypes.c_char_p
bits = {"isa": isa().decode()}
for case, (name, fp32, dtype) in CASES.items():
    a, b = matmul_inputs(dtype)
    out = torch.zeros(32, 32, dtype=dtype)
    run(program(MATMUL_TWO_STEPS, name, fp32, in_tiles=2), {"reader": [a, b], "writer": [out]})
    bits[case] = hashlib.sha256(out.view(torch.uint8).numpy().tobytes()).hexdigest()
a, b = elementwise_inputs()
y = torch.zeros(32, 32, dtype=torch.bfloat16)
run(program(ELEMENTWISE, "bf16", False), {"reader": [a, b], "writer": [y]})
bits["elementwise"] = hashlib.sha256(y.view(torch.int16).numpy().tobytes()).hexdigest()
print(json.dumps(bits))
"""


def test_tile_math_bits_do_not_depend_on_the_instruction_set():
    """The SSE2 matmul kernel (4 lanes, one row at a time), the AVX2 one and
    the widest one this CPU has (more lanes, rows blocked together) give the
    same bits, into a 32-bit DST and into a 16-bit one (each vector rounded
    to bf16 before its store); so do the element-wise loops on 4 lanes, on 8
    and on 16 (the arithmetic ops with AVX-512: rounding to bf16, widening
    and narrowing bf16 tiles)."""
    results = {}
    for cap in ("sse2", "avx2", ""):
        env = dict(os.environ, TTLX_TILE_ISA=cap)
        done = subprocess.run([sys.executable, "-c", CHILD, os.path.dirname(__file__)], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        results[cap] = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["sse2"]["isa"] == "sse2"
    assert set(results[""]) == {"isa", *CASES, "elementwise"}
    assert all(results["sse2"][key] == results[cap][key] for cap in ("avx2", "") for key in [*CASES, "elementwise"]), \
        results


def test_the_isa_tests_elementwise_kernel_gives_torchs_bits():
    """The ISA test's y = a * b + a, checked against torch (float32 math,
    each DST result rounded to bf16): NaNs where torch has them, torch's
    bits elsewhere."""
    a, b = elementwise_inputs()
    y = torch.zeros(32, 32, dtype=torch.bfloat16)
    run(program(ELEMENTWISE, "bf16", False), {"reader": [a, b], "writer": [y]})
    want = ((a.float() * b.float()).bfloat16().float() + a.float()).bfloat16()
    assert torch.equal(y.isnan(), want.isnan()) and y.isnan().any()
    finite = ~want.isnan()
    assert torch.equal(y[finite].view(torch.int16), want[finite].view(torch.int16))


def test_unwritten_dst_tiles_read_as_zero_after_an_earlier_acquire():
    """DST 1 and 2 hold data from a first acquire; after the next acquire
    they read as zero: exp of DST 1 is 1 (fill would hide it), and reduce
    and matmul into DST 2 start from their identity, not from old data."""
    body = f"""  ttkernel.tile_regs_acquire
  ttkernel.copy_tile %cb0, %c0, %c1
  ttkernel.copy_tile %cb0, %c0, %c2
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.tile_regs_release
  ttkernel.tile_regs_acquire
  ttkernel.exp_tile_init
  ttkernel.exp_tile %c1
  ttkernel.matmul_init %cb0, %cb1
  ttkernel.matmul_tiles %cb0, %cb1, %c0, %c0, %c2
  ttkernel.add_binary_tile_init
  ttkernel.add_binary_tile %c1, %c2, %c1
  ttkernel.copy_tile %cb0, %c0, %c0
  ttkernel.sub_binary_tile_init
  ttkernel.sub_binary_tile %c1, %c0, %c3
{pack_to_out("%c3")}"""
    gen = torch.Generator().manual_seed(3)
    a = torch.randn(32, 32, generator=gen) * 100
    eye = torch.eye(32)
    out = torch.zeros(32, 32)
    run(program(body, "f32", True), {"reader": [a, eye], "writer": [out]})
    # exp(0) + (0 + a @ I) - a = 1, in float32.
    want = (torch.ones(32, 32) + a) - a
    assert torch.equal(out, want)


def test_packing_a_dst_tile_never_written_gives_zeros():
    body = f"""  ttkernel.tile_regs_acquire
  ttkernel.copy_tile %cb0, %c0, %c1
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.tile_regs_release
  ttkernel.tile_regs_acquire
{pack_to_out("%c1")}"""
    a = torch.full((32, 32), 5.0)
    out = torch.full((32, 32), 7.0)
    run(program(body, "f32", True, n_in=2), {"reader": [a, a], "writer": [out]})
    assert torch.equal(out, torch.zeros(32, 32))


@pytest.mark.parametrize("call", ["ttkernel.exp_tile %c9", "ttkernel.add_binary_tile %c0, %c0, %c9",
                                  "ttkernel.mul_tiles_bcast_rows %cb0, %cb1, %c0, %c0, %c9"])
def test_table_generated_tile_calls_fault_at_the_kernel_line(call):
    """The tile functions the op table generates name the kernel line of the
    call in a fault, not a line of the runtime headers."""
    body = f"""  %c9 = arith.constant 9 : i32
  ttkernel.tile_regs_acquire
  {call}"""
    prog = program(body, "bf16", False)
    with pytest.raises(KernelFault, match="uses DST tile 9, but DST holds 8 tiles") as info:
        run(prog, {"reader": [torch.zeros(32, 32, dtype=torch.bfloat16)] * 2,
                   "writer": [torch.zeros(32, 32, dtype=torch.bfloat16)]})
    line = int(re.search(r"compute\.cpp:(\d+)", str(info.value)).group(1))
    source = next(k.source for k in prog.kernels if k.name == "compute").splitlines()
    tile_call = call.split()[0].removeprefix("ttkernel.")
    assert f"{tile_call}(" in source[line - 1], source[line - 1]
