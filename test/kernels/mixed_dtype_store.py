# SPDX-License-Identifier: Apache-2.0
# Storing a block expression into a block of a DFB of the other float dtype (issue 16):
# the value is in DST and the packer writes it in the output DFB's format, rounding to
# bf16 (to nearest, ties to even) when that DFB is bf16. Two operations on float32
# inputs x, s (in [1, 2)) and bf16 inputs w:
#   fp32_dest_acc_en=True (32-bit DST): y = x * s + x and r = row sums of x into bf16
#   DFBs, q = w * w into a float32 DFB;
#   default (DST rounds to bf16): the same y and q.
# Tolerance: with a 32-bit DST, y and r are float32 values rounded once to bf16 when
# packed (2^-8 relative at most; the float32 math and summation order add ~2^-20), and
# q = w * w of bf16 values is exact in float32. With a 16-bit DST, y's product and sum
# round to bf16 too (three roundings, 2^-6) and q rounds once (2^-8). tt-lang-sim 1.1.6
# computes in float32 without rounding: the same bounds hold against it.

import sys

import numpy
import torch
import ttl
import ttnn


def make(fp32):
    @ttl.operation(grid=(1, 1), fp32_dest_acc_en=fp32)
    def mixed(x, s, w, y, r, q):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
        s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 2), block_count=2)
        w_dfb = ttl.make_dataflow_buffer_like(w, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)
        r_dfb = ttl.make_dataflow_buffer_like(r, shape=(1, 1), block_count=2)
        q_dfb = ttl.make_dataflow_buffer_like(q, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def read():
            for _ in range(2):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[0, 0:2], blk).wait()
            with s_dfb.reserve() as blk:
                ttl.copy(s[0, 0:2], blk).wait()
            with w_dfb.reserve() as blk:
                ttl.copy(w[0, 0], blk).wait()

        @ttl.compute()
        def compute():
            with x_dfb.wait() as a, s_dfb.wait() as b, y_dfb.reserve() as o:
                o.store(a * b + a)  # float32 expression into a bf16 block
            with x_dfb.wait() as a, r_dfb.reserve() as o:
                o.store(ttl.math.reduce_sum(a, dims=[-1], shape=(1, 1)))
            with w_dfb.wait() as c, q_dfb.reserve() as o:
                o.store(c * c)  # bf16 expression into a float32 block

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0:2]).wait()
            with r_dfb.wait() as blk:
                ttl.copy(blk, r[0, 0]).wait()
            with q_dfb.wait() as blk:
                ttl.copy(blk, q[0, 0]).wait()

    return mixed


def tiled(t, dtype):
    return ttnn.from_torch(t, dtype=dtype, layout=ttnn.TILE_LAYOUT)


torch.manual_seed(0)
xt = 1.0 + torch.rand(32, 64)
st = 1.0 + torch.rand(32, 64)
wt = (1.0 + torch.rand(32, 32)).to(torch.bfloat16)
results = []
for fp32, rtol_y, rtol_q in ((True, 2.0**-8 + 2.0**-16, 0.0), (False, 2.0**-6, 2.0**-8)):
    y = tiled(torch.zeros(32, 64), ttnn.bfloat16)
    r = tiled(torch.zeros(32, 32), ttnn.bfloat16)
    q = tiled(torch.zeros(32, 32), ttnn.float32)
    make(fp32)(tiled(xt, ttnn.float32), tiled(st, ttnn.float32), tiled(wt, ttnn.bfloat16), y, r, q)
    got_y, got_q = ttnn.to_torch(y).float(), ttnn.to_torch(q).float()
    want_y, want_q = xt * st + xt, wt.float() * wt.float()
    assert torch.allclose(got_y, want_y, rtol=rtol_y, atol=0), ((got_y - want_y) / want_y).abs().max()
    assert torch.allclose(got_q, want_q, rtol=rtol_q, atol=0), ((got_q - want_q) / want_q).abs().max()
    results += [got_y.flatten(), got_q.flatten()]
    if fp32:
        got_r, want_r = ttnn.to_torch(r).float()[:, 0], xt.sum(dim=1)
        assert torch.allclose(got_r, want_r, rtol=2.0**-8 + 2.0**-16, atol=0), ((got_r - want_r) / want_r).abs().max()
        results.append(got_r)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], torch.cat(results).numpy())
