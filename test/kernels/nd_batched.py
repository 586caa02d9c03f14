# SPDX-License-Identifier: Apache-2.0
# Batched matmul and broadcast over a batch dimension on N-d blocks (tt-lang spec
# 0.22, "Block": `[I0, ..., M, K] @ [I0, ..., K, N]`; ttl.block.broadcast along a
# leading dimension), as the spec's batched_matmul_bias example does, with 3 batches
# of 2x1 by 1x2 tiles: y[l] = a[l] @ b + c for a (3, 64, 32), b (32, 64), c (64, 64).
# The (2, 1) and (2, 2) blocks of b and c are unsqueezed to (1, ...) and broadcast to
# the 3 batches.
# Rounding: none. a and b hold -1, 0 and 1 and c small integers, so every product,
# sum and result is an integer below 64 in magnitude: exact in bf16 and in the
# simulator's float32 alike; a wrong tile anywhere shows as a difference.

import sys

import numpy
import torch
import ttl
import ttnn

L = 3


@ttl.operation(grid=(1, 1))
def batched(a, b, c, y):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(L, 2, 1), block_count=1)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 2), block_count=1)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(2, 2), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(L, 2, 2), block_count=1)

    @ttl.datamovement()
    def read():
        with a_dfb.reserve() as ab, b_dfb.reserve() as bb, c_dfb.reserve() as cb:
            ttl.copy(a[0:L, 0:2, 0:1], ab).wait()
            ttl.copy(b[0:1, 0:2], bb).wait()
            ttl.copy(c[0:2, 0:2], cb).wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as ab, b_dfb.wait() as bb, c_dfb.wait() as cb, y_dfb.reserve() as o:
            b3 = ttl.block.broadcast(ttl.block.unsqueeze(bb, dims=[0]), dims=[0], shape=(L, 1, 2))
            c3 = ttl.block.broadcast(ttl.block.unsqueeze(cb, dims=[0]), dims=[0], shape=(L, 2, 2))
            o.store(ab @ b3 + c3)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0:L, 0:2, 0:2]).wait()


def integers(low, high, *shape):
    return torch.randint(low, high, shape).to(torch.bfloat16)


def device(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)


torch.manual_seed(0)
at, bt, ct = integers(-1, 2, L, 64, 32), integers(-1, 2, 32, 64), integers(-8, 9, 64, 64)
y = device(torch.zeros(L, 64, 64))
batched(device(at), device(bt), device(ct), y)
got = ttnn.to_torch(y).float()
want = torch.matmul(at.float(), bt.float()) + ct.float()
assert torch.equal(got, want), (got - want).abs().max()
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], got.numpy())
