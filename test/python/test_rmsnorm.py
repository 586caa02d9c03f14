# SPDX-License-Identifier: Apache-2.0
"""RMSNorm over rows of 1024 columns (1x32-tile blocks) in TTL tile math
(test/Target/Cpp/rmsnorm.mlir, and its f32 twin): y = x * rsqrt(mean(x^2) +
eps), two tile rows streamed through the DFBs, against torch.

Tolerance: with fp32 accumulation in DST, only the packs into bf16 DFBs
round (u = 2^-8 each): x^2 (u), the mean (u, plus u for the 1/1024 scaler
which is exact here), rsqrt halves the relative error of its input and
rounds (u), the final product rounds (u): about 3u, so rtol = 2^-6. In f32
every step is a float32 computation: rtol 1e-5.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ttlx.ir import Context, Module
from ttlx.runtime import Program, run

RMSNORM = (Path(__file__).resolve().parents[1] / "Target" / "Cpp" / "rmsnorm.mlir").read_text()


@pytest.mark.parametrize("name,dtype,rtol", [("bf16", torch.bfloat16, 2.0**-6), ("f32", torch.float32, 1e-5)])
def test_rmsnorm_1024_columns(name, dtype, rtol):
    with Context():
        prog = Program.from_module(Module.parse(RMSNORM.replace("bf16", name)))
    g = torch.Generator().manual_seed(11)
    x = (torch.randn(64, 1024, generator=g) * 2 + 0.5).to(dtype)
    scaler = torch.full((32, 32), 1.0 / 1024).to(dtype)  # a power of two: exact
    y = torch.zeros(64, 1024, dtype=dtype)
    result = run(prog, {"reader": [x, scaler], "writer": [y]})
    xf = x.float()
    ref = xf * torch.rsqrt(xf.pow(2).mean(dim=1, keepdim=True) + 1e-5)
    torch.testing.assert_close(y.float(), ref, rtol=rtol, atol=1e-5)
    counters = result.counters["total"]
    assert counters["tile_reduce"] == 2 * 32  # every tile of both rows reduced once
    assert counters["dram_bytes_read"] == x.numel() * x.element_size() + scaler.numel() * scaler.element_size()
