# SPDX-License-Identifier: Apache-2.0
# Tile constants and ttnn host names (issue 16 item 5), under ttlx and tt-lang-sim 1.1.6:
# ttl.TILE_SHAPE / ttnn.TILE_SIZE in the operation body and in kernel code, an input in
# L1_MEMORY_CONFIG, an input height-sharded over 4 cores (create_sharded_memory_config),
# the reference computed with ttnn host ops (relu, matmul, Tensor @, multiply, add).
# y = relu(a) * exp(b) + c, one (1, 1) block per tile over a 4x2 grid of tiles on 4 nodes.
# Tolerance: ttlx rounds relu(a), exp(b), their product and the sum to bf16 (four
# roundings of 2^-8 each, exp's own error below that): rtol 2^-5; the host reference
# rounds its own steps to bf16 as well.

import sys

import numpy
import torch
import ttl
import ttnn

TILE = ttnn.TILE_SIZE


@ttl.operation(grid=(4, 1))
def fused(a, b, c, y):
    rows = a.shape[0] // ttl.TILE_SHAPE[0]
    cols = a.shape[1] // ttl.TILE_SHAPE[1]
    rows_per_node = rows // 4
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 1), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.compute()
    def compute():
        for _ in range(rows_per_node * (y.shape[1] // ttnn.TILE_SIZE)):
            with a_dfb.wait() as x, b_dfb.wait() as z, c_dfb.wait() as w, y_dfb.reserve() as o:
                o.store(ttl.math.relu(x) * ttl.math.exp(z) + w)

    @ttl.datamovement()
    def read():
        node = ttl.node(dims=1)
        for r in range(node * rows_per_node, (node + 1) * rows_per_node):
            for col in range(cols):
                with a_dfb.reserve() as x, b_dfb.reserve() as z, c_dfb.reserve() as w:
                    ta = ttl.copy(a[r, col], x)
                    tb = ttl.copy(b[r, col], z)
                    tc = ttl.copy(c[r, col], w)
                    ta.wait()
                    tb.wait()
                    tc.wait()

    @ttl.datamovement()
    def write():
        node = ttl.node(dims=1)
        for r in range(node * rows_per_node, (node + 1) * rows_per_node):
            for col in range(y.shape[1] // ttl.TILE_SHAPE[1]):
                with y_dfb.wait() as o:
                    ttl.copy(o, y[r, col]).wait()


torch.manual_seed(0)
device = ttnn.open_device(device_id=0)
shape = (4 * TILE, 2 * TILE)
at, bt, ct = (torch.randn(shape).to(torch.bfloat16) for _ in range(3))
a = ttnn.from_torch(at, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, device=device,
                    memory_config=ttnn.L1_MEMORY_CONFIG)
sharded = ttnn.create_sharded_memory_config(shape, ttnn.CoreGrid(y=4, x=1), ttnn.ShardStrategy.HEIGHT)
b = ttnn.from_torch(bt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, device=device, memory_config=sharded)
assert ttnn.is_sharded(b) and not ttnn.is_sharded(a)
assert ttnn.get_memory_config(b).shard_spec.shard_shape == (TILE, 2 * TILE)
c = ttnn.to_memory_config(ttnn.from_torch(ct, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, device=device),
                          ttnn.DRAM_MEMORY_CONFIG)
y = ttnn.from_torch(torch.zeros(shape, dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT,
                    device=device)
fused(a, b, c, y)
ttnn.synchronize_device(device)

identity = ttnn.from_torch(torch.eye(shape[1]).to(torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
e = ttnn.from_torch(torch.exp(bt.float()).to(torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
reference = ttnn.add(ttnn.matmul(ttnn.multiply(ttnn.relu(a), e), identity), c) @ identity
want = ttnn.to_torch(reference).float()[: shape[0], : shape[1]]
got = ttnn.to_torch(y).float()[: shape[0], : shape[1]]
ttnn.close_device(device)
print("max error", (got - want).abs().max().item())
assert torch.allclose(got, want, rtol=2**-5, atol=2**-5)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], got.numpy())
