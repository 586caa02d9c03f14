# SPDX-License-Identifier: Apache-2.0
# ttl.block.squeeze and ttl.block.unsqueeze (issue 17 item 4; tt-lang spec 0.16:
# remove or insert dimensions of extent 1 of a block). The spec's functionality matrix
# lists them as supported by neither tt-lang tool, but tt-lang-sim 1.1.6 has them: this
# file runs under both (test_differential.py) and checks against torch.
# - flatten_batch: a (1, 2, 3)-tile block of a (2, 64, 96) tensor squeezed to (2, 3),
#   added to a 2-d bias block, stored into a 2-d block written to y[b];
# - lift: z[b] = unsqueeze(x[b] * 2, dims=[0]) + unsqueeze(fill(1), dims=[-3]): a
#   block expression (times a fill: the simulator has no block * number) unsqueezed
#   (through a DFB ttlx allocates) into a (1, 2, 3)
#   block of a 3-d tensor.
# - batched_matmul: y[b] = squeeze(a[b]) @ squeeze(c[b]) for (2, 32, 32) tensors:
#   (1, 1, 1) blocks squeezed to matrices for @, the product unsqueezed back.
# Rounding: the inputs are multiples of 1/16 below 4 in magnitude, exact in bf16 and
# float32 alike, so the sums are exact in both tools. The matmul (one K tile) sums
# in float32 and rounds its result to bf16 once (the simulator does not): rtol 2^-8.

import sys

import numpy
import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def flatten_batch(x, bias, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2, 3), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(bias, shape=(2, 3), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 3), block_count=2)
    B = x.shape[0]

    @ttl.datamovement()
    def read():
        with b_dfb.reserve() as blk:
            ttl.copy(bias[0:2, 0:3], blk).wait()
        for b in range(B):
            with x_dfb.reserve() as blk:
                ttl.copy(x[b, 0:2, 0:3], blk).wait()

    @ttl.compute()
    def compute():
        with b_dfb.wait() as bb:
            for _ in range(B):
                with x_dfb.wait() as xb, y_dfb.reserve() as o:
                    o.store(ttl.block.squeeze(xb, dims=[0]) + bb)

    @ttl.datamovement()
    def write():
        for b in range(B):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[b * 2:b * 2 + 2, 0:3]).wait()


@ttl.operation(grid=(1, 1))
def lift(x, z):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(2, 3), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(1, 2, 3), block_count=2)
    B = z.shape[0]

    @ttl.datamovement()
    def read():
        for b in range(B):
            with x_dfb.reserve() as blk:
                ttl.copy(x[b * 2:b * 2 + 2, 0:3], blk).wait()

    @ttl.compute()
    def compute():
        for _ in range(B):
            with x_dfb.wait() as xb, z_dfb.reserve() as o:
                one = ttl.block.unsqueeze(ttl.block.fill(1.0, shape=(2, 3)), dims=[-3])
                o.store(ttl.block.unsqueeze(xb * ttl.block.fill(2.0, shape=(2, 3)), dims=[0]) + one)

    @ttl.datamovement()
    def write():
        for b in range(B):
            with z_dfb.wait() as blk:
                ttl.copy(blk, z[b, 0:2, 0:3]).wait()


@ttl.operation(grid=(1, 1))
def batched_matmul(a, c, y):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1, 1), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(1, 1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1, 1), block_count=2)
    B = a.shape[0]

    @ttl.datamovement()
    def read():
        for b in range(B):
            with a_dfb.reserve() as ab, c_dfb.reserve() as cb:
                ttl.copy(a[b, 0:1, 0:1], ab).wait()
                ttl.copy(c[b, 0:1, 0:1], cb).wait()

    @ttl.compute()
    def compute():
        for _ in range(B):
            with a_dfb.wait() as ab, c_dfb.wait() as cb, y_dfb.reserve() as o:
                o.store(ttl.block.unsqueeze(ttl.block.squeeze(ab, dims=[0]) @ ttl.block.squeeze(cb, dims=[0]),
                                            dims=[0]))

    @ttl.datamovement()
    def write():
        for b in range(B):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[b, 0:1, 0:1]).wait()


def device(t):
    return ttnn.from_torch(t, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)


def exact(*shape):
    """Multiples of 1/16 in [-4, 4): the same values in bf16 and in float32 (the
    simulator's bfloat16), so both tools start from the same inputs."""
    return (torch.randint(-64, 64, shape) / 16).to(torch.bfloat16)


torch.manual_seed(0)
xt = exact(2, 64, 96)
bt = exact(64, 96)
y = device(torch.zeros(128, 96))
flatten_batch(device(xt), device(bt), y)
want_y = (xt.float() + bt.float()).to(torch.bfloat16).reshape(128, 96).float()
assert torch.equal(ttnn.to_torch(y).float(), want_y)

x2 = exact(128, 96)
z = device(torch.zeros(2, 64, 96))
lift(device(x2), z)
want_z = ((x2.float() * 2).to(torch.bfloat16).float() + 1).to(torch.bfloat16).reshape(2, 64, 96).float()
assert torch.equal(ttnn.to_torch(z).float(), want_z)
at = exact(2, 32, 32)
ct = exact(2, 32, 32)
ym = device(torch.zeros(2, 32, 32))
batched_matmul(device(at), device(ct), ym)
want_m = torch.bmm(at.float(), ct.float()).to(torch.bfloat16).float()
assert torch.allclose(ttnn.to_torch(ym).float(), want_m, rtol=2.0**-8, atol=2.0**-8)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    results = [ttnn.to_torch(t).float().numpy().ravel() for t in (y, z, ym)]
    numpy.save(sys.argv[1], numpy.concatenate(results))
