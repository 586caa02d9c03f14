# SPDX-License-Identifier: Apache-2.0
# print in kernel threads (issue 16 item 6, issue 17 item 2): strings, f-strings with
# values known at compile time and computed at run time, several arguments, sep= and
# end=, a float computed at run time (0.25 and 0.75: the same text in Python and fmt). Each node copies its tile of x to y; the threads say what they do. ttlx prints
# each line with tt-metal's DPRINT prefix `0:(x=X,y=Y):BR|NC|TR: `; tt-lang-sim prints
# the bare text. The differential test compares the lines without prefixes (as sets
# of lines per thread kind: threads of different nodes interleave differently).

import sys

import numpy
import torch
import ttl
import ttnn

TILES = 2


@ttl.operation(grid=(2, 1))
def copy_and_tell(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        node = ttl.node(dims=1)
        for t in range(TILES):
            with x_dfb.reserve() as blk:
                ttl.copy(x[node, t], blk).wait()
            print(f"read: node {node} tile {t} of {TILES}")

    @ttl.compute()
    def compute():
        node = ttl.node(dims=1)
        for t in range(TILES):
            with x_dfb.wait() as a, y_dfb.reserve() as o:
                o.store(a + a)
            print("compute: node", node, "tile", t, sep=" ", end=" {doubled}\n")
        print("compute: scale", float(node) * 0.5 + 0.25)

    @ttl.datamovement()
    def write():
        node = ttl.node(dims=1)
        for t in range(TILES):
            with y_dfb.wait() as blk:
                ttl.copy(blk, y[node, t]).wait()
        print("write: done,", node * 10 + TILES, "tiles {x2}")


torch.manual_seed(0)
xt = torch.randn(64, 64).to(torch.bfloat16)
y = ttnn.from_torch(torch.zeros(64, 64, dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
copy_and_tell(ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT), y)
got = ttnn.to_torch(y).float()[:64, :64]
assert torch.equal(got, xt.float() * 2)
print("PASS")
if len(sys.argv) > 1:  # for the differential tests: save the device result (.npy)
    numpy.save(sys.argv[1], got.numpy())
