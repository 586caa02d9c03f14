# SPDX-License-Identifier: Apache-2.0
# Block operators % and // (Python's floor semantics), abs(block) and -block
# (each with a use of b: the simulator wants every waited block used),
# checked against torch. Usage: math_binary.py [OUT.npy]
# OUT.npy gets the results stacked, for the differential test against
# tt-lang-sim (test/python/test_differential.py).

import sys

import numpy
import torch
import ttnn

import ttl

CASES = {  # name -> torch reference of (a, b)
    "%": torch.remainder,
    "//": torch.floor_divide,
    "abs": lambda a, b: a.abs() * b,
    "neg": lambda a, b: -a + b,
}


def make(name):
    @ttl.operation(grid=(1, 1))
    def apply(a: ttnn.Tensor, b: ttnn.Tensor, y: ttnn.Tensor):
        a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 2), block_count=2)
        b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 2), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

        @ttl.datamovement()
        def read():
            with a_dfb.reserve() as blk:
                ttl.copy(a[0, 0:2], blk).wait()
            with b_dfb.reserve() as blk:
                ttl.copy(b[0, 0:2], blk).wait()

        @ttl.compute()
        def compute():
            with a_dfb.wait() as x, b_dfb.wait() as z, y_dfb.reserve() as o:
                if name == "%":
                    o.store(x % z)
                elif name == "//":
                    o.store(x // z)
                elif name == "abs":
                    o.store(abs(x) * z)
                else:
                    o.store(-x + z)

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0:2]).wait()

    return apply


# Small integers: every quotient and remainder is exact enough in bf16 that
# both implementations floor the same value (|a| <= 8, 1 <= |b| <= 4).
g = torch.Generator().manual_seed(0)
at = torch.randint(-8, 9, (32, 64), generator=g).float()
bt = torch.randint(1, 5, (32, 64), generator=g).float() * (torch.randint(0, 2, (32, 64), generator=g) * 2 - 1)
results = []
for name, reference in CASES.items():
    y = ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    make(name)(*(ttnn.from_torch(t.to(torch.bfloat16), layout=ttnn.TILE_LAYOUT) for t in (at, bt)), y)
    got = ttnn.to_torch(y).float()
    want = reference(at, bt)
    assert torch.allclose(got, want, rtol=2.0**-7, atol=1e-6), (name, (got - want).abs().max())
    results.append(got.numpy())
print("PASS")
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], numpy.stack(results))
