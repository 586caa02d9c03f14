# SPDX-License-Identifier: Apache-2.0
"""A unified body with no kernel work (spec 0.19 grid and node functions):
grid queries, index arithmetic and asserts. Python runs it once per node,
`ttl.node(...)` giving that node's coordinates, and records what each node
saw; the host checks every node was visited once with the spec's
coordinates (dims=1 the linear index x * 3 + y, dims=3 padded with 0)."""

import ttl

GX, GY = 2, 3
seen = []


@ttl.operation(grid=(GX, GY))
def grid_queries() -> None:
    n = ttl.node(dims=1)
    x, y = ttl.node(dims=2)
    cube = ttl.node(dims=3)
    assert ttl.grid_size(dims=1) == GX * GY and ttl.grid_size(dims=3) == (GX, GY, 1)
    assert n == x * GY + y and cube == (x, y, 0)
    seen.append((n, x, y))


grid_queries()
assert seen == [(x * GY + y, x, y) for x in range(GX) for y in range(GY)], seen
print("PASS")
