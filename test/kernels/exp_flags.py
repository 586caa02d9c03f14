# SPDX-License-Identifier: Apache-2.0
# ttl.math.exp with exp_tile's flags (spec 0.20), checked against torch:
# scale multiplies the input (as bf16), iterations < 8 leaves the face rows
# the skipped SFPU passes would reach (each pass covers two rows of a 16x16
# face) holding the input; approx and skip_clamp_check are hardware
# approximation modes the host computes exactly.

import torch
import ttnn

import ttl

CASES = {  # name -> (flags, reference of x)
    "plain": ({}, torch.exp),
    "scale": ({"scale": 2.0}, lambda x: torch.exp(2.0 * x)),
    "approx": ({"approx": True, "skip_clamp_check": True}, torch.exp),
    "iterations": ({"iterations": 3}, None),
}


def make(flags):
    approx = flags.get("approx", False)
    scale = flags.get("scale", None)
    skip = flags.get("skip_clamp_check", False)
    iterations = flags.get("iterations", 8)
    plain = not flags

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
                if plain:
                    o.store(ttl.math.exp(a))
                else:
                    o.store(ttl.math.exp(a, approx=approx, scale=scale, skip_clamp_check=skip,
                                         iterations=iterations))

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0:2]).wait()

    return apply


g = torch.Generator().manual_seed(0)
xt = (torch.randint(-128, 129, (32, 64), generator=g).float() / 64).to(torch.bfloat16)  # [-2, 2]
x = xt.float()
for name, (flags, reference) in CASES.items():
    y = ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    make(flags)(ttnn.from_torch(xt, layout=ttnn.TILE_LAYOUT), y)
    got = ttnn.to_torch(y).float()
    if reference is None:  # 3 passes: face rows 0-5 of each face, i.e. tile rows 0-5 and 16-21
        rows = torch.zeros(32, dtype=torch.bool)
        rows[0:6] = rows[16:22] = True
        want = torch.where(rows[:, None], torch.exp(x), x)
    else:
        want = reference(x)
    # exp of exact inputs (2.0 * x exact too), one bf16 rounding: 2^-8 relative.
    assert torch.allclose(got, want, rtol=2.0**-7, atol=0), (name, (got - want).abs().max())
print("PASS")
