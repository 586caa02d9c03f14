# SPDX-License-Identifier: Apache-2.0
# Python range semantics in kernels with bounds known only at run time: a
# negative count runs zero times (range(n - 1) with n = 0), and a range below
# zero counts up through negative values. With an unsigned C++ index the
# first wrapped to about 2^64 iterations and the second ran none.

import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def ranges(out):
    o_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def count():
        n = ttl.node(dims=1)  # 0 on the only node
        with o_dfb.reserve() as o:
            empty = 0
            for i in range(n - 1):
                empty += 1
            below = 0
            for i in range(n - 2, n):
                below = below * 10 + i + 5
            ttl.element_write(o, 0, 0, float(empty))
            ttl.element_write(o, 0, 1, float(below))

    @ttl.datamovement()
    def write():
        with o_dfb.wait() as o:
            ttl.copy(o, out[0, 0]).wait()


out = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
ranges(out)
got = ttnn.to_torch(out)[0, :2].float().tolist()
want = [0.0, 34.0]  # no iteration; i = -2 then -1: (0 * 10 + 3) * 10 + 4
print(got, want)
assert got == want
print("PASS")
