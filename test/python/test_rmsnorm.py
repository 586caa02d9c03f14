# SPDX-License-Identifier: Apache-2.0
"""RMSNorm over rows of 1024 columns (1x32-tile blocks) in TTL tile math:
y = x * rsqrt(mean(x^2) + eps), two tile rows streamed through the DFBs,
against torch.

Tolerance: with fp32 accumulation in DST, only the packs into bf16 DFBs
round (u = 2^-8 each): x^2 (u), the mean (u, plus u for the 1/1024 scaler
which is exact here), rsqrt halves the relative error of its input and
rounds (u), the final product rounds (u): about 3u, so rtol = 2^-6. In f32
every step is a float32 computation: rtol 1e-5.
"""

from __future__ import annotations

import pytest
import torch

from ttlx.ir import Context, Module
from ttlx.runtime import Program, run

RMSNORM = """
func.func @reader(%x: tensor<64x1024x{T}>, %s: tensor<32x32x{T}>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 1, 1>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 32], {T}, 2>
  %ds = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], {T}, 1>
  %sb = ttl.dfb_reserve %ds : !ttl.dfb<[1, 1], {T}, 1>
  %sx = ttl.copy_to_block %s[%c0, %c0], %sb : tensor<32x32x{T}>, tensor<1x1x!ttl.tile<{T}>>
  ttl.wait %sx : !ttl.transfer_handle<read>
  ttl.dfb_push %ds : !ttl.dfb<[1, 1], {T}, 1>
  scf.for %r = %c0 to %c2 step %c1 {
    %xb = ttl.dfb_reserve %dx : !ttl.dfb<[1, 32], {T}, 2>
    %xx = ttl.copy_to_block %x[%r, %c0], %xb : tensor<64x1024x{T}>, tensor<1x32x!ttl.tile<{T}>>
    ttl.wait %xx : !ttl.transfer_handle<read>
    ttl.dfb_push %dx : !ttl.dfb<[1, 32], {T}, 2>
  }
  return
}

func.func @compute() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %eps = arith.constant 1.0e-5 : f32
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 32], {T}, 2>
  %ds = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], {T}, 1>
  %dsq = ttl.bind_dfb 2 : !ttl.dfb<[1, 32], {T}, 1>
  %dinv = ttl.bind_dfb 3 : !ttl.dfb<[1, 1], {T}, 1>
  %dout = ttl.bind_dfb 4 : !ttl.dfb<[1, 32], {T}, 2>
  %scaler = ttl.dfb_wait %ds : !ttl.dfb<[1, 1], {T}, 1>
  scf.for %r = %c0 to %c2 step %c1 {
    %x = ttl.dfb_wait %dx : !ttl.dfb<[1, 32], {T}, 2>
    // x^2 into an intermediate DFB: reduce_tile reads circular buffers.
    %sqb = ttl.dfb_reserve %dsq : !ttl.dfb<[1, 32], {T}, 1>
    %sq = ttl.mul %x, %x : tensor<1x32x!ttl.tile<{T}>>, tensor<1x32x!ttl.tile<{T}>> -> tensor<1x32x!ttl.tile<{T}>>
    ttl.store %sq, %sqb : tensor<1x32x!ttl.tile<{T}>>, tensor<1x32x!ttl.tile<{T}>>
    ttl.dfb_push %dsq : !ttl.dfb<[1, 32], {T}, 1>
    // rsqrt(mean(x^2) + eps): the scaler tile holds 1/1024.
    %sqw = ttl.dfb_wait %dsq : !ttl.dfb<[1, 32], {T}, 1>
    %invb = ttl.dfb_reserve %dinv : !ttl.dfb<[1, 1], {T}, 1>
    %mean = ttl.reduce_sum %sqw, %scaler row : tensor<1x32x!ttl.tile<{T}>>, tensor<1x1x!ttl.tile<{T}>> -> tensor<1x1x!ttl.tile<{T}>>
    %shifted = ttl.add %mean, %eps : tensor<1x1x!ttl.tile<{T}>>, f32 -> tensor<1x1x!ttl.tile<{T}>>
    %inv = ttl.rsqrt %shifted : tensor<1x1x!ttl.tile<{T}>>
    ttl.store %inv, %invb : tensor<1x1x!ttl.tile<{T}>>, tensor<1x1x!ttl.tile<{T}>>
    ttl.dfb_push %dinv : !ttl.dfb<[1, 1], {T}, 1>
    ttl.dfb_pop %dsq : !ttl.dfb<[1, 32], {T}, 1>
    // x * broadcast(inv) along each row.
    %invw = ttl.dfb_wait %dinv : !ttl.dfb<[1, 1], {T}, 1>
    %ob = ttl.dfb_reserve %dout : !ttl.dfb<[1, 32], {T}, 2>
    %bc = ttl.broadcast %invw col : tensor<1x1x!ttl.tile<{T}>> -> tensor<1x32x!ttl.tile<{T}>>
    %y = ttl.mul %x, %bc : tensor<1x32x!ttl.tile<{T}>>, tensor<1x32x!ttl.tile<{T}>> -> tensor<1x32x!ttl.tile<{T}>>
    ttl.store %y, %ob : tensor<1x32x!ttl.tile<{T}>>, tensor<1x32x!ttl.tile<{T}>>
    ttl.dfb_push %dout : !ttl.dfb<[1, 32], {T}, 2>
    ttl.dfb_pop %dinv : !ttl.dfb<[1, 1], {T}, 1>
    ttl.dfb_pop %dx : !ttl.dfb<[1, 32], {T}, 2>
  }
  ttl.dfb_pop %ds : !ttl.dfb<[1, 1], {T}, 1>
  return
}

func.func @writer(%y: tensor<64x1024x{T}>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 1, 1>, ttl.base_cta_index = 1} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %dout = ttl.bind_dfb 4 : !ttl.dfb<[1, 32], {T}, 2>
  scf.for %r = %c0 to %c2 step %c1 {
    %ob = ttl.dfb_wait %dout : !ttl.dfb<[1, 32], {T}, 2>
    %xo = ttl.copy_to_tensor %ob, %y[%r, %c0] : tensor<1x32x!ttl.tile<{T}>>, tensor<64x1024x{T}>
    ttl.wait %xo : !ttl.transfer_handle<write>
    ttl.dfb_pop %dout : !ttl.dfb<[1, 32], {T}, 2>
  }
  return
}
"""


@pytest.mark.parametrize("name,dtype,rtol", [("bf16", torch.bfloat16, 2.0**-6), ("f32", torch.float32, 1e-5)])
def test_rmsnorm_1024_columns(name, dtype, rtol):
    with Context():
        prog = Program.from_module(Module.parse(RMSNORM.replace("{T}", name)))
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
