# SPDX-License-Identifier: Apache-2.0
# Composition of unified operations (tt-lang spec 0.19): `load`, `axpy` and
# `save` take dataflow buffers (expand-only operations); `axpy_tensors`
# declares its own dataflow buffers and expands the three in place;
# `both_ways` expands `axpy_tensors` twice (positional and keyword
# arguments), each expansion with dataflow buffers of its own. The
# expanded statements are assigned to threads as if written in the body:
# out1 = 2x + y and out2 = 2y + x, vs torch.
#
# Tolerance: two bf16 additions, each rounded in DST and when packed
# (2^-8 relative each), |values| < 6: rtol 2^-6, atol 2^-6.

import torch
import ttnn
import ttl

R, C = 4, 2  # tiles


@ttl.operation(grid=(1, 1))
def load(t: ttnn.Tensor, dfb: ttl.DataflowBuffer) -> None:
    for r in range(R):
        with dfb.reserve() as blk:
            ttl.copy(t[r, 0:C], blk).wait()


@ttl.operation(grid=(1, 1))
def axpy(x_dfb: ttl.DataflowBuffer, y_dfb: ttl.DataflowBuffer, out_dfb: ttl.DataflowBuffer) -> None:
    for r in range(R):
        with x_dfb.wait() as xb, y_dfb.wait() as yb, out_dfb.reserve() as o:
            o.store(xb + xb + yb)


@ttl.operation(grid=(1, 1))
def save(dfb: ttl.DataflowBuffer, t: ttnn.Tensor) -> None:
    for r in range(R):
        with dfb.wait() as blk:
            ttl.copy(blk, t[r, 0:C]).wait()


@ttl.operation(grid=(1, 1))
def axpy_tensors(x: ttnn.Tensor, y: ttnn.Tensor, out: ttnn.Tensor) -> None:
    # x is read whole before y (one reader thread, in order): room for all of it.
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, C), block_count=R)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, C), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, C), block_count=2)
    load(x, x_dfb)
    load(y, y_dfb)
    axpy(x_dfb, y_dfb, out_dfb)
    save(out_dfb, out)


@ttl.operation(grid=(1, 1))
def both_ways(x: ttnn.Tensor, y: ttnn.Tensor, out1: ttnn.Tensor, out2: ttnn.Tensor) -> None:
    axpy_tensors(x, y, out1)
    axpy_tensors(out=out2, x=y, y=x)


torch.manual_seed(7)
xt = (torch.rand(32 * R, 32 * C) * 2 - 1).to(torch.bfloat16)
yt = (torch.rand(32 * R, 32 * C) * 2 - 1).to(torch.bfloat16)
outs = [ttnn.from_torch(torch.zeros(32 * R, 32 * C, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
        for _ in range(2)]
both_ways(ttnn.from_torch(xt, layout=ttnn.TILE_LAYOUT), ttnn.from_torch(yt, layout=ttnn.TILE_LAYOUT), *outs)
got1, got2 = (ttnn.to_torch(o).float() for o in outs)
want1, want2 = 2 * xt.float() + yt.float(), 2 * yt.float() + xt.float()
print("max error", (got1 - want1).abs().max().item(), (got2 - want2).abs().max().item())
assert torch.allclose(got1, want1, rtol=2**-6, atol=2**-6), "2x + y"
assert torch.allclose(got2, want2, rtol=2**-6, atol=2**-6), "2y + x"

single = ttnn.from_torch(torch.zeros(32 * R, 32 * C, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
axpy_tensors(ttnn.from_torch(xt, layout=ttnn.TILE_LAYOUT), ttnn.from_torch(yt, layout=ttnn.TILE_LAYOUT), single)
assert torch.equal(ttnn.to_torch(single), ttnn.to_torch(outs[0])), "the composed operation called on its own"
print("PASS")
