# SPDX-License-Identifier: Apache-2.0
# ttl.call_extern_func moving tiles with user C++ (extern_effects.hpp, beside
# this file), which does the DFB protocol itself and says so in dfb_effects:
# the reader's load_block takes the tensor x (a TensorAccessor) and reserves,
# fills and pushes a block of x_dfb; the writer's store_block takes
# ttl.raw_addr(y) (the address of y's buffer) and waits for, writes and pops a
# block of y_dfb. Kernel code only computes y = 2 * x in between; the effects
# make the reader x_dfb's producer and the writer y_dfb's consumer. The compute
# and writer threads also print y's address from their C++. Doubling is exact:
# y must be 2 * x bit for bit.

import sys
from pathlib import Path

import torch
import ttl
import ttnn

HEADER = str(Path(__file__).with_name("extern_effects.hpp"))


@ttl.operation(grid=(1, 1))
def double(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

    @ttl.datamovement()
    def read():
        for r in range(2):
            ttl.call_extern_func(HEADER, "load_block", template_args=[ttl.dfb_descriptor(x_dfb)],
                                 func_args=[x, r * 2],
                                 dfb_effects=[ttl.DFBEffect.reserve(x_dfb, tiles=2),
                                              ttl.DFBEffect.push(x_dfb, tiles=2)])

    @ttl.compute()
    def compute():
        ttl.call_extern_func(HEADER, "report_address", func_args=[ttl.raw_addr(y)])
        for _ in range(2):
            with x_dfb.wait() as a, y_dfb.reserve() as o:
                o.store(a * 2.0)

    @ttl.datamovement()
    def write():
        ttl.call_extern_func(HEADER, "report_address", func_args=[ttl.raw_addr(y)])
        ttl.call_extern_func(HEADER, "store_block", template_args=[ttl.dfb_descriptor(y_dfb)],
                             func_args=[ttl.raw_addr(y), 0],
                             dfb_effects=ttl.DFBEffect.repeat(1, [ttl.DFBEffect.wait(y_dfb, tiles=2),
                                                                  ttl.DFBEffect.pop(y_dfb, tiles=2)]))
        ttl.call_extern_func(HEADER, "store_block", template_args=[ttl.dfb_descriptor(y_dfb)],
                             func_args=[ttl.raw_addr(y), 2],
                             dfb_effects=[ttl.DFBEffect.wait(y_dfb), ttl.DFBEffect.pop(y_dfb)])


x_torch = torch.randn(64, 64).to(torch.bfloat16)
x = ttnn.from_torch(x_torch, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
y = ttnn.zeros((64, 64), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
double(x, y)
if not torch.equal(ttnn.to_torch(y), 2 * x_torch):
    print("FAIL: y is not 2 * x")
    sys.exit(1)
print("PASS")
