# SPDX-FileCopyrightText: (c) 2026 Tenstorrent AI ULC
#
# SPDX-License-Identifier: Apache-2.0
#
# Example source for docs/sphinx/specs/TTLangSpecification.md.
#
# The lines between the "spec:begin" and "spec:end" markers below are included
# verbatim in the specification. Regenerate the specification after editing:
#
#     python docs/sphinx/specs/build_spec.py
#
# Everything outside the markers (imports, scaffolding) exists so the file can
# stand on its own and is not copied into the specification.

import torch

import ttl
import ttnn


# spec:begin
@ttl.operation(grid=(1, 1))
def __add(
    a: ttnn.Tensor,  # input tensor
    b: ttnn.Tensor,  # input tensor
    out: ttnn.Tensor,  # output tensor
) -> None:
    # Dataflow buffers shared by the threads.
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    # One body: the compiler places the copies on the data movement threads
    # and the addition on the compute thread.
    a_dst_blk = a_dfb.reserve()
    b_dst_blk = b_dfb.reserve()
    ttl.copy(a[0:1, 0:1], a_dst_blk).wait()
    ttl.copy(b[0:1, 0:1], b_dst_blk).wait()
    a_dst_blk.push()
    b_dst_blk.push()

    out_blk = out_dfb.reserve()
    a_blk = a_dfb.wait()
    b_blk = b_dfb.wait()
    out_blk.store(a_blk + b_blk)
    a_blk.pop()
    b_blk.pop()

    ttl.copy(out_dfb.wait(), out[0:1, 0:1]).wait()
    out_blk.push()


# Simple wrapper to allow returning output tensor in TT-NN style
def add(a: ttnn.Tensor, b: ttnn.Tensor) -> ttnn.Tensor:
    out = ttnn.zeros(a.shape, layout=ttnn.TILE_LAYOUT)
    __add(a, b, out)
    return out


x = ttnn.rand(ttnn.Shape([32, 32]), layout=ttnn.TILE_LAYOUT)

# TT-Lang operations mix freely with built-in TT-NN operations.
y = ttnn.exp(add(ttnn.abs(x), x))
# spec:end

# Scaffolding: check the result against torch, so the example's own arithmetic is
# verified and not merely run.  The tolerance is exp()'s: the operation itself is
# an exact addition of the same values torch adds.
x_ref = ttnn.to_torch(x)
assert torch.allclose(
    ttnn.to_torch(y), torch.exp(torch.abs(x_ref) + x_ref), atol=1e-5
), "the spec's add example did not compute exp(|x| + x)"
