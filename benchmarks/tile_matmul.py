# SPDX-License-Identifier: Apache-2.0
"""The runtime's tile math against torch on this machine.

    .venv/bin/python benchmarks/tile_matmul.py [--sizes 1024 2048] [--repeats 5]

matmul: an n^3 product is (n/32)^3 calls of matmul_tiles (32x32x32 each).
A compute kernel makes exactly that many calls on tiles resident in its DFBs
(a K step of 4 tiles into each of the 8 DST tiles of one acquire, as the
matmul tutorial's blocks do), split over one core per host CPU, so the time
is the tile math plus the compute API around it, without data movement. It
is timed against torch.matmul of fp32 n x n tensors with the same number of
threads, alternating the two, and the medians are compared (GFLOP/s counts
2 n^3 flops for both).

eltwise: tiles per second of copy_tile + an FPU add, an SFPU unary op and a
pack, per op, on one core.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import time

import torch

from ttlx.ir import Context, Module
from ttlx.runtime import Program, native, run

K_STEP = 4  # tiles of K per DST tile, as in the matmul tutorial's blocks
DST_TILES = 8  # a 16-bit DST


def _reader(block: str) -> str:
    return f"""
func.func @reader(%a: tensor<{block}>, %b: tensor<{block}>) attributes {{ttl.thread = #ttl.thread<datamovement>}} {{
  %c0 = arith.constant 0 : index
  %in0 = ttl.bind_dfb 0 : !ttl.dfb<[1, {K_STEP}], bf16, 1>
  %in1 = ttl.bind_dfb 1 : !ttl.dfb<[1, {K_STEP}], bf16, 1>
  %r0 = ttl.dfb_reserve %in0 : !ttl.dfb<[1, {K_STEP}], bf16, 1>
  %x0 = ttl.copy_to_block %a[%c0, %c0], %r0 : tensor<{block}>, tensor<1x{K_STEP}x!ttl.tile<bf16>>
  ttl.wait %x0 : !ttl.transfer_handle<read>
  ttl.dfb_push %in0 : !ttl.dfb<[1, {K_STEP}], bf16, 1>
  %r1 = ttl.dfb_reserve %in1 : !ttl.dfb<[1, {K_STEP}], bf16, 1>
  %x1 = ttl.copy_to_block %b[%c0, %c0], %r1 : tensor<{block}>, tensor<1x{K_STEP}x!ttl.tile<bf16>>
  ttl.wait %x1 : !ttl.transfer_handle<read>
  ttl.dfb_push %in1 : !ttl.dfb<[1, {K_STEP}], bf16, 1>
  return
}}
"""


def matmul_program(calls_per_core: int, cores: int) -> Program:
    """`calls_per_core` matmul_tiles per core (a multiple of 32) on a
    cores x 1 grid."""
    acquires = calls_per_core // (DST_TILES * K_STEP)
    block = f"32x{32 * K_STEP}xbf16"
    mlir = _reader(block) + f"""
func.func @compute() attributes {{ttl.thread = #ttl.thread<compute>}} {{
  %cb0 = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %cb1 = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  %k = arith.constant {K_STEP} : i32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %ck = arith.constant {K_STEP} : index
  %cd = arith.constant {DST_TILES} : index
  %cn = arith.constant {acquires} : index
  ttkernel.compute_kernel_hw_startup %cb0, %cb1, %cb0
  ttkernel.cb_wait_front %cb0, %k
  ttkernel.cb_wait_front %cb1, %k
  ttkernel.matmul_init %cb0, %cb1
  scf.for %i = %c0 to %cn step %c1 {{
    ttkernel.tile_regs_acquire
    scf.for %d = %c0 to %cd step %c1 {{
      %dst = arith.index_cast %d : index to i32
      scf.for %t = %c0 to %ck step %c1 {{
        %tile = arith.index_cast %t : index to i32
        ttkernel.matmul_tiles %cb0, %cb1, %tile, %tile, %dst
      }}
    }}
    ttkernel.tile_regs_commit
    ttkernel.tile_regs_wait
    ttkernel.tile_regs_release
  }}
  ttkernel.cb_pop_front %cb0, %k
  ttkernel.cb_pop_front %cb1, %k
  return
}}
"""
    with Context():
        return Program.from_module(Module.parse(mlir), (cores, 1))


ELTWISE = {  # name -> compute body on DST 0 after copy/add
    "copy+pack": "",
    "add (FPU)": "",
    "exp (SFPU)": "  ttkernel.exp_tile_init\n  ttkernel.exp_tile %c0",
    "sigmoid (SFPU)": "  ttkernel.sigmoid_tile_init\n  ttkernel.sigmoid_tile %c0",
    "rsqrt (SFPU)": "  ttkernel.rsqrt_tile_init\n  ttkernel.rsqrt_tile %c0",
    "max (SFPU binary)": "  ttkernel.copy_tile %cb1, %c0, %c1\n"
    "  ttkernel.binary_max_tile_init\n  ttkernel.binary_max_tile %c0, %c1, %c0",
}


def eltwise_program(name: str, tiles: int) -> Program:
    """One core: `tiles` times copy_tile (or add_tiles) into DST 0, the op,
    pack_tile into a DFB the compute thread pops itself."""
    first = (
        "  ttkernel.add_tiles %cb0, %cb1, %c0, %c0, %c0"
        if name == "add (FPU)"
        else "  ttkernel.copy_tile %cb0, %c0, %c0"
    )
    block = "32x32xbf16"
    reader = _reader(block).replace(f"[1, {K_STEP}]", "[1, 1]").replace(f"1x{K_STEP}x", "1x1x")
    mlir = reader + f"""
func.func @compute() attributes {{ttl.thread = #ttl.thread<compute>}} {{
  %cb0 = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %cb1 = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  %cb2 = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %i0 = arith.constant 0 : index
  %i1 = arith.constant 1 : index
  %n = arith.constant {tiles} : index
  ttkernel.compute_kernel_hw_startup %cb0, %cb1, %cb2
  ttkernel.cb_wait_front %cb0, %c1
  ttkernel.cb_wait_front %cb1, %c1
  scf.for %i = %i0 to %n step %i1 {{
    ttkernel.cb_reserve_back %cb2, %c1
    ttkernel.tile_regs_acquire
{first}
{ELTWISE[name]}
    ttkernel.tile_regs_commit
    ttkernel.tile_regs_wait
    ttkernel.pack_tile %c0, %cb2, %c0
    ttkernel.tile_regs_release
    ttkernel.cb_push_back %cb2, %c1
    ttkernel.cb_wait_front %cb2, %c1
    ttkernel.cb_pop_front %cb2, %c1
  }}
  ttkernel.cb_pop_front %cb0, %c1
  ttkernel.cb_pop_front %cb1, %c1
  return
}}
func.func @sink() attributes {{ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 1}} {{
  %o = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 1>
  return
}}
"""
    with Context():
        return Program.from_module(Module.parse(mlir), (1, 1))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_program(prog: Program, block: tuple[int, int]) -> None:
    gen = torch.Generator().manual_seed(0)
    a, b = (torch.randn(*block, generator=gen).to(torch.bfloat16) for _ in range(2))
    run(prog, {"reader": [a, b]})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--eltwise-tiles", type=int, default=20000)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    torch.set_num_threads(cores)
    isa = native.library().ttlx_rt_tile_isa
    isa.restype = ctypes.c_char_p
    print(f"host: {cores} CPU(s); torch threads {torch.get_num_threads()}; runtime tile math: {isa().decode()}")
    print(f"{'n':>6} {'tile calls':>10} {'ttlx s':>8} {'torch s':>8} {'ttlx GF/s':>10} "
          f"{'torch GF/s':>10} {'ttlx/torch':>10}")
    for n in args.sizes:
        calls = (n // 32) ** 3
        prog = matmul_program(calls // cores, cores)
        block = (32, 32 * K_STEP)
        run_program(prog, block)  # compile and warm up
        x, y = torch.randn(n, n), torch.randn(n, n)
        torch.matmul(x, y)
        ours, theirs = [], []
        for _ in range(args.repeats):
            ours.append(timed(lambda: run_program(prog, block)))
            theirs.append(timed(lambda: torch.matmul(x, y)))
        t_ours, t_torch = statistics.median(ours), statistics.median(theirs)
        flops = 2.0 * n**3
        print(f"{n:>6} {calls:>10} {t_ours:>8.3f} {t_torch:>8.3f} {flops / t_ours / 1e9:>10.1f} "
              f"{flops / t_torch / 1e9:>10.1f} {t_ours / t_torch:>10.2f}", flush=True)

    print(f"\n{'eltwise (1 core)':18} {'tiles':>8} {'s':>8} {'tiles/s':>10}")
    for name in ELTWISE:
        prog = eltwise_program(name, args.eltwise_tiles)
        run_program(prog, (32, 32))
        seconds = statistics.median(
            timed(lambda: run_program(prog, (32, 32))) for _ in range(args.repeats))
        print(f"{name:18} {args.eltwise_tiles:>8} {seconds:>8.3f} {args.eltwise_tiles / seconds:>10.0f}",
              flush=True)


if __name__ == "__main__":
    main()
