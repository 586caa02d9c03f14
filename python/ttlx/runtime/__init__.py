# SPDX-License-Identifier: Apache-2.0
"""The host runtime: run compiled tt-metal kernels on an emulated device.

    program = Program.from_module(module)          # kernels + manifest
    result = run(program, {"reader": [a], "writer": [out]})
    result.counters["total"]["dram_bytes_read"]

Tensors are torch tensors (bf16 or f32, 2 or more dimensions of whole
32x32 tiles); a CPU tensor in rows (contiguous, or its rows at one stride)
serves as its own DRAM buffer of interleaved tile pages where it is, the
kernels' transfers gathering and scattering their bytes (one given in
`tiled=` is in tile order already and stays so); a tensor given an
L1Placement lives in the cores' L1 instead. Faults and
deadlocks raise `KernelFault` with the runtime's report.
"""

from .device import KernelFault, KernelWarning, RunResult, run
from .kernels import CompilerNotFound, compile_kernel, kernel_cache_dir
from .l1 import DFBStorage, L1Placement
from .program import DFBSpec, KernelSpec, Program

__all__ = [
    "CompilerNotFound",
    "DFBSpec",
    "DFBStorage",
    "KernelFault",
    "KernelSpec",
    "KernelWarning",
    "L1Placement",
    "Program",
    "RunResult",
    "compile_kernel",
    "kernel_cache_dir",
    "run",
]
