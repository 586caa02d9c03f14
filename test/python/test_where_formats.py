# SPDX-License-Identifier: Apache-2.0
"""where_tile<DataFormat>'s format is the width in which the SFPU loads and
stores DST values, so it follows DST's mode (fp32_dest_acc_en), not the
result's dtype (docs/language.md, "Math across dtypes"): ttl.block.where on
bf16 and float32 blocks in both modes against torch, bit for bit, and the
fault the runtime reports for a where_tile whose format is not DST's."""

from __future__ import annotations

import pytest
from kernel_cli import KERNELS, ttlx


def test_where_matches_torch_in_both_dst_modes():
    result = ttlx("run", str(KERNELS / "where_dst_formats.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


# A reader copying a bf16 tile into DFB 0, a compute thread (TTKernel) selecting
# where(x, x, x) in DST and packing it into DFB 1, a writer copying it out.
WHERE = """
func.func @reader(%t: tensor<32x32xbf16>) attributes {{ttl.thread = #ttl.thread<datamovement>}} {{
  %c0 = arith.constant 0 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %r = ttl.dfb_reserve %in : !ttl.dfb<[1, 1], bf16, 2>
  %x = ttl.copy_to_block %t[%c0, %c0], %r : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %x : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[1, 1], bf16, 2>
  return
}}
func.func @compute() attributes {{ttl.thread = #ttl.thread<compute>{dest_acc}}} {{
  %cb0 = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %cb1 = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  ttkernel.compute_kernel_hw_startup %cb0, %cb0, %cb1
  ttkernel.cb_wait_front %cb0, %c1
  ttkernel.cb_reserve_back %cb1, %c1
  ttkernel.tile_regs_acquire
  ttkernel.copy_init %cb0
  ttkernel.copy_tile %cb0, %c0, %c0
  ttkernel.where_tile_init
  ttkernel.where_tile %c0, %c0, %c0, %c0{format}
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.pack_tile %c0, %cb1, %c0
  ttkernel.tile_regs_release
  ttkernel.cb_push_back %cb1, %c1
  ttkernel.cb_pop_front %cb0, %c1
  return
}}
func.func @writer(%out: tensor<32x32xbf16>) attributes {{ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 1}} {{
  %c0 = arith.constant 0 : index
  %o = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %w = ttl.dfb_wait %o : !ttl.dfb<[1, 1], bf16, 2>
  %x = ttl.copy_to_tensor %w, %out[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>>, tensor<32x32xbf16>
  ttl.wait %x : !ttl.transfer_handle<write>
  ttl.dfb_pop %o : !ttl.dfb<[1, 1], bf16, 2>
  return
}}
"""


def run_where(fp32_dest: bool, fp32_format: bool):
    import torch
    from ttlx.ir import Context, Module
    from ttlx.runtime import Program, run

    text = WHERE.format(dest_acc=", ttl.fp32_dest_acc" if fp32_dest else "", format=" {fp32}" if fp32_format else "")
    with Context():
        prog = Program.from_module(Module.parse(text))
    x = torch.randn(32, 32).to(torch.bfloat16)
    out = torch.zeros(32, 32, dtype=torch.bfloat16)
    run(prog, {"reader": [x], "writer": [out]})
    return x, out


@pytest.mark.parametrize("fp32", [False, True], ids=["16-bit DST", "32-bit DST"])
def test_a_where_tile_in_dsts_format_selects(fp32):
    x, out = run_where(fp32, fp32)
    assert (out == x).all()  # where(x, x, x) is x, bf16 in either DST


@pytest.mark.parametrize("fp32, message", [
    (True, "where_tile's DataFormat reads DST as 16-bit values, but this kernel's DST holds 32-bit values "
           "(fp32_dest_acc_en); use DataFormat::Float32"),
    (False, "where_tile's DataFormat reads DST as 32-bit values, but this kernel's DST holds 16-bit values "
            "(no fp32_dest_acc_en); use DataFormat::Float16_b"),
], ids=["Float16_b in a 32-bit DST", "Float32 in a 16-bit DST"])
def test_the_runtime_reports_a_where_tile_in_another_format(fp32, message):
    from ttlx.runtime import KernelFault

    with pytest.raises(KernelFault) as info:
        run_where(fp32, not fp32)
    assert message in str(info.value) and "compute.cpp:" in str(info.value), str(info.value)
