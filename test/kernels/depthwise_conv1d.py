# SPDX-License-Identifier: Apache-2.0
# ttl.math.depthwise_conv1d on one tile-row of 4 channel tiles with its halo
# (the previous tile-row): K = 4, dilation 3, SiLU, against the direct formula.

import torch, ttnn, ttl
from ttlx.engram import short_conv

W = 4  # tiles of channels

@ttl.operation(grid=(1, 1), fp32_dest_acc_en=True)
def op(x, halo, w, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, W), block_count=1)
    h_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, W), block_count=1)
    w_dfbs = [ttl.make_dataflow_buffer_like(w, shape=(1, W), block_count=1) for _ in range(4)]
    w0_dfb, w1_dfb, w2_dfb, w3_dfb = w_dfbs
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, W), block_count=1)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as xb, h_dfb.reserve() as hb:
            ttl.copy(x[0, 0:W], xb).wait()
            ttl.copy(halo[0, 0:W], hb).wait()
        with w0_dfb.reserve() as a, w1_dfb.reserve() as b, w2_dfb.reserve() as c, w3_dfb.reserve() as d:
            ttl.copy(w[0, 0:W], a).wait()
            ttl.copy(w[1, 0:W], b).wait()
            ttl.copy(w[2, 0:W], c).wait()
            ttl.copy(w[3, 0:W], d).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as xb, h_dfb.wait() as hb, w0_dfb.wait() as a, w1_dfb.wait() as b, \
                w2_dfb.wait() as c, w3_dfb.wait() as d, y_dfb.reserve() as yb:
            yb.store(ttl.math.depthwise_conv1d(xb, hb, [a, b, c, d], kernel_size=4, dilation=3, silu=True))

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[0, 0:W]).wait()

g = torch.Generator().manual_seed(0)
C = 32 * W
seq = torch.randn(64, C, generator=g)           # previous tile-row, then this one
taps = torch.rand(4, C, generator=g) - 0.5       # tap j per channel
y = ttnn.zeros((32, C), dtype=ttnn.float32)
op(ttnn.from_torch(seq[32:], dtype=ttnn.float32), ttnn.from_torch(seq[:32], dtype=ttnn.float32),
   ttnn.from_torch(taps.repeat_interleave(32, dim=0), dtype=ttnn.float32), y)
# reference: conv over the 64-row sequence, rows 32.. (no norm: unit weights and no rms -> compute directly)
ref = torch.zeros(64, C)
for t in range(64):
    for j in range(4):
        s = t - 3 * (3 - j)
        if s >= 0:
            ref[t] += taps[j] * seq[s]
ref = torch.nn.functional.silu(ref)[32:]
err = (ttnn.to_torch(y) - ref).abs().max().item()
print("max err", err)
assert err < 1e-4
print("PASS")
