# SPDX-License-Identifier: Apache-2.0
# ttl.block.mask / mask_posinf (masked where the mask is 1), ttl.math.matmul
# and ttl.block.transpose, checked against torch. Usage: block_ops.py [OUT.npy]
# OUT.npy gets the results stacked, for the differential test against
# tt-lang-sim (test/python/test_differential.py).

import sys

import numpy
import torch
import ttnn

import ttl

INF = float("inf")
CASES = {  # name -> torch reference of (a, b, m)
    "mask": lambda a, b, m: torch.where(m == 1, 0.0, a),
    "mask_posinf": lambda a, b, m: torch.where(m == 1, INF, a),
    "matmul": lambda a, b, m: a @ b,
    "transpose": lambda a, b, m: a.T,
}


def make(name):
    # A 32-bit DST: matmul's partial sums over K tiles are not rounded to bf16.
    @ttl.operation(grid=(1, 1), fp32_dest_acc_en=True)
    def apply(a: ttnn.Tensor, b: ttnn.Tensor, m: ttnn.Tensor, y: ttnn.Tensor):
        a_dfb = ttl.make_dataflow_buffer_like(a, shape=(2, 2), block_count=2)
        b_dfb = ttl.make_dataflow_buffer_like(b, shape=(2, 2), block_count=2)
        m_dfb = ttl.make_dataflow_buffer_like(m, shape=(2, 2), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(2, 2), block_count=2)

        @ttl.datamovement()
        def read():
            with a_dfb.reserve() as blk:
                ttl.copy(a[0:2, 0:2], blk).wait()
            if name == "matmul":
                with b_dfb.reserve() as blk:
                    ttl.copy(b[0:2, 0:2], blk).wait()
            elif name != "transpose":
                with m_dfb.reserve() as blk:
                    ttl.copy(m[0:2, 0:2], blk).wait()

        @ttl.compute()
        def compute():
            with a_dfb.wait() as x, y_dfb.reserve() as o:
                if name == "matmul":
                    with b_dfb.wait() as z:
                        o.store(ttl.math.matmul(x, z))
                elif name == "transpose":
                    o.store(ttl.block.transpose(x))
                else:
                    with m_dfb.wait() as k:
                        if name == "mask":
                            o.store(ttl.block.mask(x, k))
                        else:
                            o.store(ttl.block.mask_posinf(x, k))

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0:2, 0:2]).wait()

    return apply


# Multiples of 1/8 in [-2, 2]: exact in bf16; the products of a matmul are
# exact in float32 and so are its 64-term sums (multiples of 1/64 below 2^8).
g = torch.Generator().manual_seed(0)
at = torch.randint(-16, 17, (64, 64), generator=g).float() / 8
bt = torch.randint(-16, 17, (64, 64), generator=g).float() / 8
mt = torch.randint(0, 2, (64, 64), generator=g).float()
names = sys.argv[2:] or list(CASES)
results = []
for name in names:
    y = ttnn.from_torch(torch.zeros(64, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    make(name)(*(ttnn.from_torch(t.to(torch.bfloat16), layout=ttnn.TILE_LAYOUT) for t in (at, bt, mt)), y)
    got = ttnn.to_torch(y).float()
    want = CASES[name](at, bt, mt)
    # Exact but for the bf16 rounding of matmul's results (2^-8 relative).
    assert torch.allclose(got, want, rtol=2.0**-7, atol=0), (name, (got - want).abs().max())
    results.append(got.numpy())
print("PASS")
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], numpy.stack(results))
