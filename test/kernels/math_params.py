# SPDX-License-Identifier: Apache-2.0
# ttl.math functions with scalar parameters (and block ** n), one operation
# per call, each checked against torch with the tt-metal kernels' semantics.
# Usage: math_params.py [OUT.npy] [NAME ...]   (default: every case below)
# OUT.npy gets the results stacked in the order of the names, for the
# differential test against tt-lang-sim (test/python/test_differential.py).

import sys

import numpy
import torch
import ttnn

import ttl

F = torch.nn.functional
# name -> (function name, parameters, torch reference). Inputs are multiples
# of 1/64 in [-2.5, 2.5] and parameters are exact in bf16, so both
# implementations see the same numbers.
CASES = {
    "rsub": ("rsub", (2,), lambda x: 2 - x),
    "relu_max": ("relu_max", (1,), lambda x: torch.clamp(torch.relu(x), max=1)),
    "relu_min": ("relu_min", (1,), lambda x: torch.clamp(x, min=1)),
    "leaky_relu": ("leaky_relu", (0.125,), lambda x: F.leaky_relu(x, 0.125)),
    "prelu": ("prelu", (0.25,), lambda x: F.leaky_relu(x, 0.25)),
    "elu": ("elu", (0.5,), lambda x: F.elu(x, 0.5)),
    "celu": ("celu", (2, 0.5), lambda x: F.celu(x, 2.0)),
    "selu": ("selu", (), F.selu),
    "softplus": ("softplus", (2, 0.5, 1.5), lambda x: F.softplus(x, 2.0, 1.5)),
    "hardtanh": ("hardtanh", (-1, 2), lambda x: F.hardtanh(x, -1.0, 2.0)),
    "clamp": ("clamp", (-1, 2), lambda x: torch.clamp(x, -1.0, 2.0)),
    "round": ("round", (0,), torch.round),
    "pow": ("pow", (3,), lambda x: x ** 3),
    "**": ("**", (2,), lambda x: x ** 2),
    # threshold_tile replaces x <= threshold (torch.threshold's rule);
    # tt-lang-sim follows the spec's text (x > threshold): not compared.
    "threshold": ("threshold", (0.5, -2), lambda x: torch.where(x <= 0.5, -2.0, x)),
}


def make(name, params):
    fn = getattr(ttl.math, name) if name != "**" else None
    count = len(params)
    p = tuple(params) + (0, 0, 0)

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
                if name == "**":
                    o.store(a ** p[0])
                elif count == 0:
                    o.store(fn(a))
                elif count == 1:
                    o.store(fn(a, p[0]))
                elif count == 2:
                    o.store(fn(a, p[0], p[1]))
                else:
                    o.store(fn(a, p[0], p[1], p[2]))

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0:2]).wait()

    return apply


names = sys.argv[2:] or list(CASES)
results = []
for seed, case in enumerate(names):
    name, params, reference = CASES[case]
    g = torch.Generator().manual_seed(seed)
    xt = (torch.randint(-160, 161, (32, 64), generator=g).float() / 64).to(torch.bfloat16)
    y = ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    make(name, params)(ttnn.from_torch(xt, layout=ttnn.TILE_LAYOUT), y)
    got = ttnn.to_torch(y).float()
    want = reference(xt.float()).float()
    # One bf16 rounding of the result (2^-8 relative), exact inputs.
    assert torch.allclose(got, want, rtol=2.0**-7, atol=1e-6), (case, (got - want).abs().max())
    results.append(got.numpy())
print("PASS")
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], numpy.stack(results))
