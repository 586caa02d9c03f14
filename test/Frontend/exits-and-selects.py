# RUN: %python -m ttlx compile %s --emit ttl | FileCheck %s
# The TTL the frontend emits for early exits and conditional expressions.

import torch
import ttnn

import ttl

# A for loop with break: scf.while over the index (carried as i64 across the
# loop boundary) with the break flag in the condition; the best value so far
# is selected with arith.select.
# CHECK-LABEL: func.func @scan
# CHECK: scf.while
# CHECK: arith.cmpi slt
# CHECK: scf.condition
# CHECK: } do {
# CHECK: ttl.element_read
# CHECK: arith.cmpf ogt
# CHECK: arith.select
# CHECK: scf.if
# CHECK: scf.yield

# A while loop whose condition reads a carried integer.
# CHECK: scf.while
# CHECK: arith.cmpi slt
# CHECK: scf.condition


@ttl.operation(grid=(1, 1))
def op(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def scan():
        with x_dfb.wait() as blk:
            best = ttl.element_read(blk, 0, 0)
            for c in range(32):
                v = ttl.element_read(blk, 0, c)
                best = v if v > best else best
                if v > 2.0:
                    break
            n = 0
            while n < 5:
                n += 2
            ttl.element_write(blk, 0, 0, best)
            ttl.element_write(blk, 0, 1, float(n))
            ttl.copy(blk, y[0, 0]).wait()


x = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16))
y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
op(x, y)
