# SPDX-License-Identifier: Apache-2.0
"""How big the Engram kernels' C++ is and how long the host compiler takes
on it: per kernel of the gate, ShortConv and their fused forms at the
layouts of the given sequence lengths (the conv's grid grows with the
length: 8 sequence nodes from 256 tile-rows up), lines of generated C++
and compiler CPU seconds (children's user + system time of one compile,
flags of the kernel cache, into a fresh cache directory).

    .venv/bin/python benchmarks/engram_codegen.py [--lengths 128 32768] [--dtype f32|bf16]

Nothing runs on the device: the operations are compiled for float32 (or
bfloat16) tensors of the Engram shapes (4 branches of 1024).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile

import torch

from ttlx.compiler import emit_cpp
from ttlx.engram.tt import conv_layout
from ttlx.engram.tt.conv import _conv_operation
from ttlx.engram.tt.fused_conv import _fused_conv_operation
from ttlx.engram.tt.fused_gate import _fused_gate_operation
from ttlx.engram.tt.gate import _gate_operation
from ttlx.engram.tt.tensors import fp32_dest, output_tensor
from ttlx.runtime.kernels import compile_kernel

G, D = 4, 1024


def compile_seconds(name: str, source: str) -> float:
    """Compiler CPU seconds of one kernel into a fresh cache."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    compile_kernel(name, source, list(range(64)))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def operations(length: int, dtype: torch.dtype):
    """(label, operation, its tensor arguments) of the four kernels at `length`."""
    fp32 = fp32_dest(dtype)
    eps = torch.finfo(torch.float32).eps
    rows = -(-length // 32) * 32
    wide = output_tensor((rows, G * D), dtype)
    value = output_tensor((rows, D), dtype)
    weights = output_tensor((32, G * D), dtype)
    taps = output_tensor((4 * 32, G * D), dtype)
    nodes, width = conv_layout(length, D)
    yield "gate", _gate_operation(D, G, eps, fp32), (wide, wide, value, weights, wide)
    yield "gate*", _fused_gate_operation(D, G, eps, fp32), (wide, wide, value, weights, weights, wide)
    yield "conv", _conv_operation(D, G, 4, 3, 1e-5, nodes, width, fp32), (wide, weights, taps, wide)
    yield "conv*", _fused_conv_operation(D, G, 3, 1e-5, nodes, width, fp32), (wide, weights, taps, wide)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[128, 32768])
    parser.add_argument("--dtype", choices=["f32", "bf16"], default="f32")
    args = parser.parse_args()
    dtype = {"f32": torch.float32, "bf16": torch.bfloat16}[args.dtype]
    os.environ["TTLX_CACHE_DIR"] = tempfile.mkdtemp(prefix="ttlx-codegen-")
    print(f"{'kernel':6} {'L':>6} {'grid':>5} {'thread':24} {'C++ lines':>10} {'compile CPU s':>14}")
    for length in args.lengths:
        for label, op, tensors in operations(length, dtype):
            compiled = op.compile(*tensors)
            grid = f"{compiled.grid[0]}x{compiled.grid[1]}"
            for kernel in emit_cpp(compiled.module):
                lines = kernel.source.count("\n")
                seconds = compile_seconds(kernel.name, kernel.source)
                print(f"{label:6} {length:>6} {grid:>5} {kernel.name:24} {lines:>10} {seconds:>14.2f}", flush=True)


if __name__ == "__main__":
    main()
