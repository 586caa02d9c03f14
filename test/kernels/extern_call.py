# SPDX-License-Identifier: Apache-2.0
# ttl.call_extern_func (tt-lang's user C++, docs/language.md "User C++"): the
# reader calls flip_signs of extern_call.hpp (beside this file) on the block it
# copied from x, which negates its bf16 values in L1; the compute thread calls
# report_dfb, which prints the waited DFB's descriptor and tt-metal's
# LocalCBInterface view of it; y must be -x exactly.

import sys
from pathlib import Path

import torch
import ttl
import ttnn

HEADER = str(Path(__file__).with_name("extern_call.hpp"))


@ttl.operation(grid=(1, 1))
def negate(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

    @ttl.datamovement()
    def read():
        for r in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[r, 0:2], blk).wait()
                ttl.call_extern_func(
                    HEADER, "flip_signs",
                    template_args=[ttl.dfb_descriptor(x_dfb), ttl.get_dfb_id(x_dfb), True],
                    func_args=[x_dfb, 0x8000])

    @ttl.compute()
    def compute():
        for _ in range(2):
            with x_dfb.wait() as a, y_dfb.reserve() as o:
                ttl.call_extern_func("extern_call.hpp", "report_dfb",
                                     template_args=[ttl.dfb_descriptor(x_dfb), 1.5, -3],
                                     dfb_accesses=[ttl.DFBAccess.inspect(x_dfb)])
                o.store(a)

    @ttl.datamovement()
    def write():
        for r in range(2):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[r, 0:2]).wait()


x_torch = torch.randn(64, 64).to(torch.bfloat16)
x = ttnn.from_torch(x_torch, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
y = ttnn.zeros((64, 64), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
negate(x, y)
# A sign flip is exact: y equals -x bit for bit.
if not torch.equal(ttnn.to_torch(y), -x_torch):
    print("FAIL: y is not -x")
    sys.exit(1)
print("PASS")
