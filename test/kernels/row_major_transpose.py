# SPDX-License-Identifier: Apache-2.0
# ttl.block.transpose on blocks of DFBs made like ROW_MAJOR_LAYOUT tensors
# (tt-lang spec: a (M, N) block of any DFB becomes (N, M); ttlx tilizes it
# into a DFB it allocates, transposes the tiles and untilizes the result,
# docs/language.md "Row-major tensors"). Checked against torch: tt-lang-sim
# 1.1.6 transposes tiled blocks only.
# - t = transpose(a) for a (64, 96) block: two rows and three columns of
#   tiles, each transposed and moved to (column, row);
# - v = transpose(a * a) - transpose(a): an expression operand goes through
#   a DFB first, and the transposed blocks take part in elementwise math.
# Values k / 4 for integers k in [-16, 16) are exact in bf16, as are their
# squares (k^2 / 16, at most 8 significant bits); a difference may need 9,
# and DST rounds it to bf16 once, as torch's float32 difference rounded to
# bf16 is: every check is exact.

import torch
import ttl
import ttnn


@ttl.operation(grid=(1, 1))
def transposes(a, t, v):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(64, 96), block_count=1)
    t_dfb = ttl.make_dataflow_buffer_like(t, shape=(96, 64), block_count=1)
    v_dfb = ttl.make_dataflow_buffer_like(v, shape=(96, 64), block_count=1)

    @ttl.datamovement()
    def read():
        with a_dfb.reserve() as ab:
            ttl.copy(a[0:64, 0:96], ab).wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as ab:
            at = ttl.block.transpose(ab)
            with t_dfb.reserve() as tb:
                tb.store(at)
            with v_dfb.reserve() as vb:
                vb.store(ttl.block.transpose(ab * ab) - at)

    @ttl.datamovement()
    def write():
        with t_dfb.wait() as tb:
            ttl.copy(tb, t[0:96, 0:64]).wait()
        with v_dfb.wait() as vb:
            ttl.copy(vb, v[0:96, 0:64]).wait()


def row_major(x):
    return ttnn.from_torch(x, dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT)


torch.manual_seed(0)
a = (torch.randint(-16, 16, (64, 96)) / 4).to(torch.bfloat16)
t, v = row_major(torch.zeros(96, 64)), row_major(torch.zeros(96, 64))
transposes(row_major(a), t, v)
a32 = a.float()
torch.testing.assert_close(ttnn.to_torch(t).float(), a32.T, rtol=0.0, atol=0.0)
want = ((a32 * a32).T - a32.T).to(torch.bfloat16).float()
torch.testing.assert_close(ttnn.to_torch(v).float(), want, rtol=0.0, atol=0.0)
print("PASS")
