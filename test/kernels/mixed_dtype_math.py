# SPDX-License-Identifier: Apache-2.0
# Block math on blocks of both float dtypes (issue 16): each operand is unpacked
# into DST in its own DFB's format (the compiler reconfigures the unpacker's
# sources between them), the result is float32, and the packer writes it in the
# output DFB's format. Inputs x (bf16) and s, k (float32) in [1, 2), m (bf16) of
# 0s and 1s.
#   fp32_dest_acc_en=True (32-bit DST): y = x * s + x and p = x @ k into float32
#   DFBs, z = x + s into a bf16 DFB, w = where(m, s, x) into a float32 DFB, and,
#   each op on one dtype, a = |x| into bf16 and n = -s into float32 (the thread
#   still reads both formats);
#   default (DST holds bf16): the same, y16 = x * s + x checked.
# Tolerance: x is exact in float32, so with a 32-bit DST y is the float32 math of
# exact inputs (two roundings of 2^-24), p sums 64 positive products in float32
# (2^-18 relative at most), z rounds once when packed into bf16 (2^-8), w, a and n
# select or negate (exact). With a 16-bit DST, y16's product and sum round to bf16
# in DST (2^-8 each, 2^-7). tt-lang-sim 1.1.6 computes in float32 without rounding: the same bounds
# hold against it.

import sys

import numpy
import torch
import ttl
import ttnn


def make(fp32):
    @ttl.operation(grid=(1, 1), fp32_dest_acc_en=fp32)
    def mixed(x, s, m, k, y, p, z, w, a, n):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
        s_dfb = ttl.make_dataflow_buffer_like(s, shape=(1, 2), block_count=2)
        m_dfb = ttl.make_dataflow_buffer_like(m, shape=(1, 2), block_count=2)
        k_dfb = ttl.make_dataflow_buffer_like(k, shape=(2, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)
        p_dfb = ttl.make_dataflow_buffer_like(p, shape=(1, 1), block_count=2)
        z_dfb = ttl.make_dataflow_buffer_like(z, shape=(1, 2), block_count=2)
        w_dfb = ttl.make_dataflow_buffer_like(w, shape=(1, 2), block_count=2)
        a_dfb = ttl.make_dataflow_buffer_like(a, shape=(1, 2), block_count=2)
        n_dfb = ttl.make_dataflow_buffer_like(n, shape=(1, 2), block_count=2)

        @ttl.datamovement()
        def read():
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, 0:2], blk).wait()
            with s_dfb.reserve() as blk:
                ttl.copy(s[0, 0:2], blk).wait()
            with m_dfb.reserve() as blk:
                ttl.copy(m[0, 0:2], blk).wait()
            with k_dfb.reserve() as blk:
                ttl.copy(k[0:2, 0], blk).wait()

        @ttl.compute()
        def compute():
            with x_dfb.wait() as xb, s_dfb.wait() as sb, m_dfb.wait() as mb, k_dfb.wait() as kb:
                with y_dfb.reserve() as o:
                    o.store(xb * sb + xb)
                with p_dfb.reserve() as o:
                    o.store(xb @ kb)
                with z_dfb.reserve() as o:
                    o.store(xb + sb)
                with w_dfb.reserve() as o:
                    o.store(ttl.block.where(mb, sb, xb))
                with a_dfb.reserve() as o:
                    o.store(ttl.math.abs(xb))
                with n_dfb.reserve() as o:
                    o.store(-sb)

        @ttl.datamovement()
        def write():
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0:2]).wait()
            with p_dfb.wait() as blk:
                ttl.copy(blk, p[0, 0]).wait()
            with z_dfb.wait() as blk:
                ttl.copy(blk, z[0, 0:2]).wait()
            with w_dfb.wait() as blk:
                ttl.copy(blk, w[0, 0:2]).wait()
            with a_dfb.wait() as blk:
                ttl.copy(blk, a[0, 0:2]).wait()
            with n_dfb.wait() as blk:
                ttl.copy(blk, n[0, 0:2]).wait()

    return mixed


def tiled(t, dtype):
    return ttnn.from_torch(t, dtype=dtype, layout=ttnn.TILE_LAYOUT)


def zeros(rows, cols, dtype):
    return tiled(torch.zeros(rows, cols), dtype)


def check(name, got, want, rtol):
    assert torch.allclose(got, want, rtol=rtol, atol=0), (name, ((got - want) / want).abs().max())


torch.manual_seed(0)
xt = (1.0 + torch.rand(32, 64)).to(torch.bfloat16).float()
st = 1.0 + torch.rand(32, 64)
mt = (torch.rand(32, 64) > 0.5).float()
kt = 1.0 + torch.rand(64, 32)
results = []
for fp32 in (True, False):
    y, p, w, n = zeros(32, 64, ttnn.float32), zeros(32, 32, ttnn.float32), zeros(32, 64, ttnn.float32), \
        zeros(32, 64, ttnn.float32)
    z, a = zeros(32, 64, ttnn.bfloat16), zeros(32, 64, ttnn.bfloat16)
    make(fp32)(tiled(xt, ttnn.bfloat16), tiled(st, ttnn.float32), tiled(mt, ttnn.bfloat16), tiled(kt, ttnn.float32),
               y, p, z, w, a, n)
    got = {name: ttnn.to_torch(t).float() for name, t in zip("ypzwan", (y, p, z, w, a, n))}
    if fp32:
        check("y", got["y"], xt * st + xt, 2.0**-22)
        check("p", got["p"], xt @ kt, 2.0**-18)
        check("z", got["z"], xt + st, 2.0**-8)
        assert torch.equal(got["w"], torch.where(mt != 0, st, xt)), "w"
        assert torch.equal(got["a"], xt.abs()), "a"
        assert torch.equal(got["n"], -st), "n"
        results += [got[name].flatten() for name in "ypzwan"]
    else:
        check("y16", got["y"], xt * st + xt, 2.0**-7)
        results.append(got["y"].flatten())
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device results (.npy)
    numpy.save(sys.argv[1], torch.cat(results).numpy())
