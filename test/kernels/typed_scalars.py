# SPDX-License-Identifier: Apache-2.0
# Typed scalars in a data-movement thread, checked against Python / torch:
# all six comparisons on IEEE special values (NaN, signed zeros, infinities),
# f32 -> bf16 rounding to nearest even, float division, int() truncation, i32
# floor division and modulo, abs/min/max, and i32 / bf16 values carried
# through for, while and if nested in each other. Writes its results to argv[1] (.npy) if given.

import math
import sys

import numpy
import torch
import ttnn

import ttl

SPECIAL = [math.nan, -0.0, 0.0, math.inf, -math.inf, 1.5, -2.5, 1.00390625]
ROUNDING = [1.00390625, 1.01171875, -1.00390625, 3.0e38, 1.0e-40, 2.7, -2.7, 65504.5]


@ttl.operation(grid=(1, 1))
def scalars(x, out):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
    o_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=1)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def work():
        with x_dfb.wait() as blk, o_dfb.reserve() as o:
            # A reserved block holds whatever L1 held (ttlx: a NaN pattern):
            # zero it, as the rest of the tile is compared with zeros.
            for r in range(32):
                for c in range(32):
                    ttl.element_write(o, r, c, 0.0)
            # rows 0..7 (a = SPECIAL[row]): <, <=, >, >= against SPECIAL[j] at
            # column 4 j + k; rows 8..15: ==, != at column 2 j + k
            for i in range(8):
                for j in range(8):
                    a = ttl.element_read(blk, 0, i)
                    b = ttl.element_read(blk, 0, j)
                    ttl.element_write(o, i, 4 * j, 1.0 if a < b else 0.0)
                    ttl.element_write(o, i, 4 * j + 1, 1.0 if a <= b else 0.0)
                    ttl.element_write(o, i, 4 * j + 2, 1.0 if a > b else 0.0)
                    ttl.element_write(o, i, 4 * j + 3, 1.0 if a >= b else 0.0)
                    ttl.element_write(o, 8 + i, 2 * j, 1.0 if a == b else 0.0)
                    ttl.element_write(o, 8 + i, 2 * j + 1, 1.0 if a != b else 0.0)
            # row 16: bf16 rounding; row 17: int() truncation; row 18: abs
            for c in range(8):
                v = ttl.element_read(blk, 1, c)
                ttl.element_write(o, 16, c, ttl.f32(ttl.bf16(v)))
                ttl.element_write(o, 17, c, float(int(v)) if abs(v) < 1.0e9 else 0.0)
                ttl.element_write(o, 18, c, abs(ttl.element_read(blk, 0, c)))
            # row 19: i32 arithmetic
            a = ttl.i32(-7)
            b = ttl.i32(2)
            ttl.element_write(o, 19, 0, float(a // b))
            ttl.element_write(o, 19, 1, float(a % b))
            ttl.element_write(o, 19, 2, float(a * b - b))
            ttl.element_write(o, 19, 3, float(abs(a)))
            ttl.element_write(o, 19, 4, float(min(a, b)))
            ttl.element_write(o, 19, 5, float(max(a, b, ttl.i32(5))))
            # row 21: float division (soft-float, correctly rounded)
            for c in range(8):
                ttl.element_write(o, 21, c, ttl.element_read(blk, 1, c) / ttl.element_read(blk, 0, c))
            # row 20: carried values through nested for / if / while
            total = ttl.i32(0)
            acc = ttl.bf16(0.0)
            for i in range(6):
                if i % 2 == 0:
                    j = 0
                    while j < i:
                        total = total + ttl.i32(j)
                        acc = acc + ttl.bf16(ttl.element_read(blk, 1, j))
                        j += 1
            ttl.element_write(o, 20, 0, float(total))
            ttl.element_write(o, 20, 1, ttl.f32(acc))
        with o_dfb.wait() as o:
            ttl.copy(o, out[0, 0]).wait()


x_host = torch.zeros(32, 32)
x_host[0, :8] = torch.tensor(SPECIAL)
x_host[1, :8] = torch.tensor(ROUNDING)
out = ttnn.zeros((32, 32), dtype=ttnn.float32)
scalars(ttnn.from_torch(x_host, dtype=ttnn.float32), out)
got = ttnn.to_torch(out)

want = torch.zeros(32, 32)
preds = [lambda a, b: a < b, lambda a, b: a <= b, lambda a, b: a > b, lambda a, b: a >= b,
         lambda a, b: a == b, lambda a, b: a != b]
vals = [float(torch.tensor(v, dtype=torch.float32)) for v in SPECIAL]
for i in range(8):
    for j in range(8):
        for k in range(4):
            want[i, 4 * j + k] = 1.0 if preds[k](vals[i], vals[j]) else 0.0
        for k in range(2):
            want[8 + i, 2 * j + k] = 1.0 if preds[4 + k](vals[i], vals[j]) else 0.0
rounding = torch.tensor(ROUNDING, dtype=torch.float32)
want[16, :8] = rounding.to(torch.bfloat16).float()
want[17, :8] = torch.tensor([float(int(v)) if abs(v) < 1e9 else 0.0 for v in rounding.tolist()])
want[18, :8] = torch.tensor(vals).abs()
want[19, :6] = torch.tensor([-7 // 2, -7 % 2, -7 * 2 - 2, 7, -7, 5], dtype=torch.float32)
total, acc = 0, torch.tensor(0.0, dtype=torch.bfloat16)
for i in range(0, 6, 2):
    for j in range(i):
        total += j
        acc = acc + rounding[j].to(torch.bfloat16)
want[20, 0], want[20, 1] = total, acc.float()
want[21, :8] = rounding / torch.tensor(vals, dtype=torch.float32)
if len(sys.argv) > 1:
    numpy.save(sys.argv[1], got.numpy())
same = (got == want) | (got.isnan() & want.isnan())
bad = [(int(r), int(c), got[r, c].item(), want[r, c].item()) for r, c in (~same).nonzero()]
assert not bad, bad
print("PASS")
