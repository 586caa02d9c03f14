# SPDX-License-Identifier: Apache-2.0
# Tensor-backed DFBs (tt-lang spec 0.22, issue 17 item 2): ttl.make_tensor_backed_dfb
# puts a DFB's whole capacity in the node's shard of a height-sharded L1 tensor.
# Inputs are made readable with publish() (no copy); the output's blocks are
# reserved, stored and pushed into the output tensor's own L1, then waited and
# popped (no copy either). y = gate * sigmoid(gate) * up on two nodes, each with a
# 1x3-tile shard; then z = x + 1 where x's shard holds two 1x2 blocks read at a
# byte offset of one tile row. Tolerance: sigmoid, two products, rounded to bf16
# each: rtol 2^-6 (and the same atol near zero); x + 1 rounds once: 2^-7.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(2, 1))
def swiglu(gate, up, out):
    gate_dfb = ttl.make_tensor_backed_dfb(gate, shape=(1, 3), block_count=1)
    up_dfb = ttl.make_tensor_backed_dfb(up, shape=(1, 3), block_count=1)
    out_dfb = ttl.make_tensor_backed_dfb(out, shape=(1, 3), block_count=1)

    @ttl.compute()
    def compute():
        g = gate_dfb.wait()
        u = up_dfb.wait()
        o = out_dfb.reserve()
        o.store(g * ttl.math.sigmoid(g) * u)
        o.push()
        u.pop()
        g.pop()

    @ttl.datamovement()
    def publish_inputs():
        gate_dfb.publish()
        up_dfb.publish()

    @ttl.datamovement()
    def consume_output():
        o = out_dfb.wait()
        o.pop()


@ttl.operation(grid=(2, 1))
def add_one(x, z):
    # Each shard is 3x2 tiles; the DFB skips its first tile row (2 tiles).
    x_dfb = ttl.make_tensor_backed_dfb(x, shape=(1, 2), block_count=2, byte_offset=2 * 2048)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(1, 2), block_count=2)

    @ttl.compute()
    def compute():
        for _ in range(2):
            with x_dfb.wait() as a, z_dfb.reserve() as o:
                o.store(a + ttl.block.fill(1.0, shape=(1, 2)))

    @ttl.datamovement()
    def publish_x():
        x_dfb.publish()

    @ttl.datamovement()
    def write():
        node = ttl.node(dims=1)
        for r in range(2):
            with z_dfb.wait() as blk:
                ttl.copy(blk, z[2 * node + r, 0:2]).wait()


def height_sharded(shape):
    return ttnn.create_sharded_memory_config(shape, ttnn.CoreGrid(y=1, x=2), ttnn.ShardStrategy.HEIGHT)


torch.manual_seed(3)
gt, ut = torch.randn(64, 96).to(torch.bfloat16), torch.randn(64, 96).to(torch.bfloat16)
mem = height_sharded((64, 96))
gate = ttnn.from_torch(gt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=mem)
up = ttnn.from_torch(ut, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=mem)
out = ttnn.zeros((64, 96), dtype=ttnn.bfloat16, memory_config=mem)
swiglu(gate, up, out)
got = ttnn.to_torch(out).float()
want = torch.nn.functional.silu(gt.float()) * ut.float()
assert torch.allclose(got, want, rtol=2.0**-6, atol=2.0**-6), (got - want).abs().max()

xt = torch.randn(192, 64).to(torch.bfloat16)
x = ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=height_sharded((192, 64)))
z = ttnn.zeros((128, 64), dtype=ttnn.bfloat16)
add_one(x, z)
zt = ttnn.to_torch(z).float()
# Node k's shard is x's tile rows 3k..3k+2; its DFB starts one tile row in.
want_z = torch.cat([xt[32:96], xt[128:192]]).float() + 1
assert torch.allclose(zt, want_z, rtol=2.0**-7, atol=2.0**-7), (zt - want_z).abs().max()
print("PASS")
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], numpy.concatenate([got.numpy().ravel(), zt.numpy().ravel()]))
