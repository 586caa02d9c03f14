# SPDX-License-Identifier: Apache-2.0
# ttl.math functions of one block, one operation per function (its name a
# compile-time value of the factory), each checked against torch. Usage:
#   math_unary.py [OUT.npy] [NAME ...]   (default: every function below)
# OUT.npy gets the results stacked in the order of the names, for the
# differential test against tt-lang-sim (test/python/test_differential.py).

import sys

import numpy
import torch
import ttnn

import ttl

# name -> (torch reference, input domain). Inputs are multiples of 1/64, exact
# in bf16 and float32, so both implementations see the same numbers (the
# simulator does not round its inputs to bf16).
FUNCTIONS = {
    "sin": (torch.sin, "wide"), "cos": (torch.cos, "wide"), "tan": (torch.tan, "unit"),
    "asin": (torch.asin, "unit"), "acos": (torch.acos, "unit"), "atan": (torch.atan, "wide"),
    "asinh": (torch.asinh, "wide"), "acosh": (torch.acosh, "above_one"), "atanh": (torch.atanh, "unit"),
    "expm1": (torch.expm1, "wide"), "exp2": (torch.exp2, "wide"), "logp1": (torch.log1p, "unit"),
    "floor": (torch.floor, "wide"), "ceil": (torch.ceil, "wide"), "trunc": (torch.trunc, "wide"),
    "frac": (torch.frac, "wide"), "signbit": (torch.signbit, "wide"), "gelu": (torch.nn.functional.gelu, "wide"),
    "hardsigmoid": (torch.nn.functional.hardsigmoid, "wide"), "softsign": (torch.nn.functional.softsign, "wide"),
}


def make(fn):
    @ttl.operation(grid=(1, 1))
    def apply(x: ttnn.Tensor, y: ttnn.Tensor):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

        @ttl.datamovement()
        def read():
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, 0:2], blk).wait()

        @ttl.compute()
        def compute():
            with x_dfb.wait() as a, y_dfb.reserve() as o:
                o.store(fn(a))

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0:2]).wait()

    return apply


def sample(domain: str, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    k = torch.randint(-160, 161, (32, 64), generator=g).float() / 64  # [-2.5, 2.5]
    if domain == "unit":
        k = torch.randint(-60, 61, (32, 64), generator=g).float() / 64  # |x| < 1
    elif domain == "above_one":
        k = 1 + torch.randint(1, 161, (32, 64), generator=g).float() / 64
    return k


names = sys.argv[2:] or list(FUNCTIONS)
results = []
for seed, name in enumerate(names):
    reference, domain = FUNCTIONS[name]
    xt = sample(domain, seed).to(torch.bfloat16)
    y = ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    make(getattr(ttl.math, name))(ttnn.from_torch(xt, layout=ttnn.TILE_LAYOUT), y)
    got = ttnn.to_torch(y).float()
    want = reference(xt.float()).float()
    # One bf16 rounding of the result (2^-8 relative), exact inputs.
    assert torch.allclose(got, want, rtol=2.0**-7, atol=1e-6), (name, (got - want).abs().max())
    results.append(got.numpy())
print("PASS")
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], numpy.stack(results))
