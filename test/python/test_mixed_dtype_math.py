# SPDX-License-Identifier: Apache-2.0
"""Block math on blocks of both float dtypes (docs/language.md, "Math across
dtypes"): each operand is unpacked into DST in its own DFB's format, the
result is float32 and packed in the output DFB's format. The kernel file
against torch (tolerances argued in it), the unpacker reconfiguration the
compiler emits between ops reading CBs of different formats, and the fault
the runtime reports when a kernel unpacks a CB in a format the unpacker is not
configured for."""

from __future__ import annotations

import re
from pathlib import Path

from kernel_cli import KERNELS, kernel_file, ttlx

MIXED = KERNELS / "mixed_dtype_math.py"


def test_kernel_file_matches_torch():
    result = ttlx("run", str(MIXED))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_a_bf16_accumulator_rounds_float32_updates():
    """test/kernels/mixed_dtype_accumulator.py: acc = fill(dtype=bf16), then
    acc += x_bf16 * s_f32 in a loop keeps acc bf16, each float32 update
    rounded to it, bit for bit as torch's steps (in both DST modes); so does
    o += x_bf16 * s_f32 on a reserved bf16 block o (its running contents
    were float32 in an operation with DFBs of both dtypes, rounded to bf16
    once when o was pushed)."""
    result = ttlx("run", str(KERNELS / "mixed_dtype_accumulator.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def compute_cpp() -> str:
    result = ttlx("compile", str(MIXED), "--emit", "cpp")
    assert result.returncode == 0, result.stderr
    return result.stdout.split("kernel_main", 3)[2]  # the compute kernel: reader, compute, writer


def test_the_unpacker_follows_the_formats_of_the_cbs():
    """The compute thread reads the bf16 x and mask and the float32 s and k:
    before each program the unpacker's sources take the formats it leaves
    them in, and inside a program they change only where an op reads a CB of
    another format than the previous op."""
    cpp = compute_cpp()
    # x * s on the FPU: srcA takes x's bf16 CB, srcB s's float32 one.
    skip = r"(?:\s|//[^\n]*\n)*"  # blank space and source-location comments
    assert re.search(rf"reconfig_data_format\((\w+), (\w+)\);{skip}for .*\n{skip}tile_regs_acquire\(\);{skip}"
                     r"mul_init\(\1, \2\)", cpp), cpp
    # x @ k: matmul_tiles unpacks in1 (k) into srcA and in0 (x) into srcB.
    matmul = re.search(rf"reconfig_data_format\((\w+), (\w+)\);{skip}tile_regs_acquire\(\);{skip}"
                       r"matmul_init\((\w+), (\w+)\)", cpp)
    assert matmul and (matmul[1], matmul[2]) == (matmul[4], matmul[3]), cpp
    # where(m, s, x) copies bf16 m, float32 s and bf16 x through srcA: s's copy
    # and x's after it reconfigure srcA, m's (the format the tile loop starts
    # with) does not.
    where = cpp[:cpp.index("where_tile_init")]
    where = where[where.rindex("tile_regs_acquire"):]  # the tile's program up to where
    assert where.count("reconfig_data_format_srca(") == 2 and "reconfig_data_format_srcb" not in where, where


def test_one_format_threads_do_not_reconfigure(tmp_path: Path):
    text = unchecked(MIXED.read_text().replace("ttnn.float32", "ttnn.bfloat16"))
    path = kernel_file(tmp_path, text)
    result = ttlx("compile", str(path), "--emit", "cpp")
    assert result.returncode == 0, result.stderr
    calls = result.stdout.replace("pack_reconfig_data_format(", "")
    assert "reconfig_data_format(" not in calls and "reconfig_data_format_src" not in calls


def unchecked(text: str) -> str:
    """The kernel file without its numerical checks (for edited copies)."""
    text = text.replace("    if fp32:\n", "    if False:\n")
    return text.replace('        check("y16"', '        pass  # check("y16"')


# A reader copying a bf16 tile into DFB 0 and a float32 tile into DFB 1; the
# compute thread (TTKernel) copies DFB 1's tile into DST and packs it into the
# float32 DFB 2, which the writer copies out. The startup configures the
# unpacker for DFB 0's format.
UNPACK_F32 = """
func.func @reader(%t0: tensor<32x32xbf16>, %t1: tensor<32x32xf32>) attributes {{ttl.thread = #ttl.thread<datamovement>}} {{
  %c0 = arith.constant 0 : index
  %in0 = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %in1 = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %r0 = ttl.dfb_reserve %in0 : !ttl.dfb<[1, 1], bf16, 2>
  %x0 = ttl.copy_to_block %t0[%c0, %c0], %r0 : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %x0 : !ttl.transfer_handle<read>
  ttl.dfb_push %in0 : !ttl.dfb<[1, 1], bf16, 2>
  %r1 = ttl.dfb_reserve %in1 : !ttl.dfb<[1, 1], f32, 2>
  %x1 = ttl.copy_to_block %t1[%c0, %c0], %r1 : tensor<32x32xf32>, tensor<1x1x!ttl.tile<f32>>
  ttl.wait %x1 : !ttl.transfer_handle<read>
  ttl.dfb_push %in1 : !ttl.dfb<[1, 1], f32, 2>
  return
}}
func.func @compute() attributes {{ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc}} {{
  %cb0 = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %cb1 = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  %cb2 = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  ttkernel.compute_kernel_hw_startup %cb0, %cb0, %cb2
  ttkernel.cb_wait_front %cb0, %c1
  ttkernel.cb_wait_front %cb1, %c1
  ttkernel.cb_reserve_back %cb2, %c1
  ttkernel.tile_regs_acquire
{reconfig}
  ttkernel.copy_init %cb1
  ttkernel.copy_tile %cb1, %c0, %c0
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.pack_tile %c0, %cb2, %c0
  ttkernel.tile_regs_release
  ttkernel.cb_push_back %cb2, %c1
  ttkernel.cb_pop_front %cb0, %c1
  ttkernel.cb_pop_front %cb1, %c1
  return
}}
func.func @writer(%out: tensor<32x32xf32>) attributes {{ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 1}} {{
  %c0 = arith.constant 0 : index
  %o = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], f32, 2>
  %w = ttl.dfb_wait %o : !ttl.dfb<[1, 1], f32, 2>
  %x = ttl.copy_to_tensor %w, %out[%c0, %c0] : tensor<1x1x!ttl.tile<f32>>, tensor<32x32xf32>
  ttl.wait %x : !ttl.transfer_handle<write>
  ttl.dfb_pop %o : !ttl.dfb<[1, 1], f32, 2>
  return
}}
"""


def run_unpack_f32(reconfig: str):
    import torch
    from ttlx.ir import Context, Module
    from ttlx.runtime import Program, run

    with Context():
        prog = Program.from_module(Module.parse(UNPACK_F32.format(reconfig=reconfig)))
    x = torch.randn(32, 32)
    out = torch.zeros(32, 32)
    run(prog, {"reader": [torch.zeros(32, 32, dtype=torch.bfloat16), x], "writer": [out]})
    return x, out


def test_the_runtime_unpacks_a_reconfigured_source():
    x, out = run_unpack_f32("  ttkernel.reconfig_data_format_srca %cb1")
    assert (out == x).all()  # a float32 copy through a 32-bit DST: exact


def test_the_runtime_reports_an_unpack_in_another_format():
    import pytest
    from ttlx.runtime import KernelFault

    with pytest.raises(KernelFault) as info:
        run_unpack_f32("")
    assert ("copy_tile unpacks DFB 1 (float32) through srcA, which is configured for bfloat16; call "
            "reconfig_data_format_srca(1) before the op's init") in str(info.value)
    assert "compute.cpp:" in str(info.value)


def test_a_float32_fill_makes_bf16_math_float32(tmp_path: Path):
    """A fill with dtype=ttnn.float32 is a float32 block: bf16 + it is
    float32."""
    text = unchecked(MIXED.read_text().replace("o.store(xb + sb)", "o.store(xb + ttl.block.fill(1.0, shape=(1, 2), "
                                                                   "dtype=ttnn.float32))"))
    path = kernel_file(tmp_path, text)
    result = ttlx("compile", str(path), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    assert "-> tensor<1x2x!ttl.tile<f32>>" in result.stdout.split("ttl.add %", 2)[2].split("\n")[0]
