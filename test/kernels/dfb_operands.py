# SPDX-License-Identifier: Apache-2.0
# Block expressions as operands of ops whose tile calls read a DFB (issue 16
# item 4): ttl.math.reduce_sum(x * x), a @ (b * b), ttl.block.broadcast(c + c),
# ttl.block.transpose(a + a);
# ttlx stores each expression into a DFB it allocates in the compute thread,
# in each of two loop iterations (one tile row each), vs torch.
#
# Tolerance: inputs are bf16 in [0, 1), so every sum is of positive terms.
# tt-lang-sim computes in float32 on unrounded inputs; ttlx rounds the inputs
# (2^-8 relative each, squared: 2^-7), the stored expression (2^-8) and the
# result of each tile reduction, matmul or addition in DST (2^-8 each, at most
# three for the two-tile reduction): at most 6 * 2^-8 relative, rtol 2^-5.

import sys

import numpy
import torch
import ttnn
import ttl

ROWS = 2


@ttl.operation(grid=(1, 1))
def operands(x, a, b, c, s, y, z, t):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(1, 1), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(1, 1), block_count=2)
    s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
    z_dfb = ttl.make_dataflow_buffer_like(z, shape=(1, 2), block_count=2)
    t_dfb = ttl.make_dataflow_buffer_like(t, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for r in range(ROWS):
            with x_dfb.reserve() as xb, a_dfb.reserve() as ab, b_dfb.reserve() as bb, c_dfb.reserve() as cb:
                tx = ttl.copy(x[r, 0:2], xb)
                ta = ttl.copy(a[r, 0], ab)
                tb = ttl.copy(b[r, 0], bb)
                tc = ttl.copy(c[r, 0], cb)
                tx.wait()
                ta.wait()
                tb.wait()
                tc.wait()

    @ttl.compute()
    def compute():
        for r in range(ROWS):
            with x_dfb.wait() as xb, s_dfb.reserve() as sb:
                sb.store(ttl.math.reduce_sum(xb * xb, dims=[-1], shape=(1, 1)))
            with a_dfb.wait() as ab, b_dfb.wait() as bb, y_dfb.reserve() as yb, t_dfb.reserve() as tb:
                yb.store(ab @ (bb * bb))
                tb.store(ttl.block.transpose(ab + ab))
            with c_dfb.wait() as cb, z_dfb.reserve() as zb:
                zb.store(ttl.block.broadcast(cb + cb, dims=[-1], shape=(1, 2)))

    @ttl.datamovement()
    def write():
        for r in range(ROWS):
            with s_dfb.wait() as sb, y_dfb.wait() as yb, z_dfb.wait() as zb, t_dfb.wait() as tb:
                ts = ttl.copy(sb, s[r, 0])
                ty = ttl.copy(yb, y[r, 0])
                tz = ttl.copy(zb, z[r, 0:2])
                tt = ttl.copy(tb, t[r, 0])
                ts.wait()
                ty.wait()
                tz.wait()
                tt.wait()


torch.manual_seed(0)
T = 32
xt, at, bt, ct = (torch.rand(ROWS * T, w).to(torch.bfloat16) for w in (2 * T, T, T, T))
s, y, z, t = (ttnn.from_torch(torch.zeros(ROWS * T, w, dtype=torch.bfloat16)) for w in (T, T, 2 * T, T))
operands(*(ttnn.from_torch(v) for v in (xt, at, bt, ct)), s, y, z, t)

got_s, got_y, got_z, got_t = (ttnn.to_torch(v).float() for v in (s, y, z, t))
x32, a32, b32, c32 = (t.float() for t in (xt, at, bt, ct))
want_s = (x32 * x32).sum(dim=1)  # in column 0 of each tile row
want_y = torch.cat([a32[r * T:(r + 1) * T] @ (b32[r * T:(r + 1) * T] ** 2) for r in range(ROWS)])
want_z = (2 * c32[:, :1]).expand(-1, 2 * T)  # column 0 of each tile, across both tiles
want_t = torch.cat([(2 * a32[r * T:(r + 1) * T]).T for r in range(ROWS)])  # each tile transposed
ok = (torch.allclose(got_s[:, 0], want_s, rtol=2**-5, atol=2**-5)
      and torch.allclose(got_y, want_y, rtol=2**-5, atol=2**-5)
      and torch.allclose(got_z, want_z, rtol=2**-5, atol=2**-5)
      and torch.allclose(got_t, want_t, rtol=2**-5, atol=2**-5))
print("max errors", (got_s[:, 0] - want_s).abs().max().item(), (got_y - want_y).abs().max().item(),
      (got_z - want_z).abs().max().item(), (got_t - want_t).abs().max().item())
print("PASS" if ok else "FAIL")
assert ok
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], torch.cat([got_s[:, :1], got_y, got_z, got_t], dim=1).numpy())
