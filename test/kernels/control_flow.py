# SPDX-License-Identifier: Apache-2.0
# Kernel-language control flow beyond tt-lang, checked against Python: break
# (compute and data movement), continue, while with a dynamic condition,
# enumerate, conditional expressions, an inlined helper, min/max, return.

import torch
import ttnn
import ttl

LIMIT = 1.0


def clamp(v, lo, hi):
    return min(max(v, lo), hi)


@ttl.operation(grid=(1, 1))
def scan(x, out):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    o_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for i in range(3):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        for i in range(100):
            if i == 3:
                break
            with x_dfb.wait() as a, y_dfb.reserve() as b:
                b.store(a * ttl.block.fill(float(1), shape=(1, 1)))

    @ttl.datamovement()
    def write():
        done = 0
        while done < 3:
            with y_dfb.wait() as blk:
                with o_dfb.reserve() as o:
                    # first column of row 0 above 1.0
                    first = -1
                    for c in range(32):
                        v = ttl.element_read(blk, 0, c)
                        if v > 1.0:
                            first = c
                            break
                    # positives in row 1, skipping negatives with continue
                    positives = 0
                    for c in range(32):
                        if ttl.element_read(blk, 1, c) < 0.0:
                            continue
                        positives += 1
                    # running sum of row 2 until it passes LIMIT
                    s = 0.0
                    n = 0
                    while n < 32 and s < LIMIT:
                        s = s + ttl.element_read(blk, 2, n)
                        n += 1
                    # enumerate
                    acc = 0
                    for k, c in enumerate(range(4, 12, 2)):
                        acc = acc + k * 100 + c
                    best = ttl.element_read(blk, 3, 0)
                    for c in range(1, 32):
                        v = ttl.element_read(blk, 3, c)
                        best = v if v > best else best
                    ttl.element_write(o, 0, 0, float(first))
                    ttl.element_write(o, 0, 1, float(positives))
                    ttl.element_write(o, 0, 2, s)
                    ttl.element_write(o, 0, 3, float(n))
                    ttl.element_write(o, 0, 4, float(acc))
                    ttl.element_write(o, 0, 5, best)
                    ttl.element_write(o, 0, 6, clamp(best, -0.5, 0.5))
                with o_dfb.wait() as o:
                    ttl.copy(o, out[0, 0]).wait()
            done += 1
            if done == 3:
                return


torch.manual_seed(0)
xt = torch.randn(32, 32).to(torch.bfloat16)
out = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
scan(ttnn.from_torch(xt), out)
got = ttnn.to_torch(out)[0, :7].float()
x = xt.float()
first = next((c for c in range(32) if x[0, c] > 1.0), -1)
positives = int((x[1] >= 0).sum())
s, n = 0.0, 0
while n < 32 and s < LIMIT:
    s = float(torch.tensor(s, dtype=torch.float32) + torch.tensor(x[2, n].item(), dtype=torch.float32)); n += 1
acc = sum(k * 100 + c for k, c in enumerate(range(4, 12, 2)))
best = x[3].max().item()
want = torch.tensor([first, positives, s, n, acc, best, min(max(best, -0.5), 0.5)]).to(torch.bfloat16).float()
print(got.tolist()); print(want.tolist())
assert torch.equal(got, want)
print("PASS")
