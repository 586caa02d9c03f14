# SPDX-License-Identifier: Apache-2.0
# Multicast through a pipe in a unified operation body: node (0, 0) reads a
# row of bias tiles and sends each through one pipe to nodes (0, 1)..(0, 3);
# every node adds the bias to its own row of tiles (pipe_multicast.py in the
# multi-kernel form). The compiler puts the pipe send on the writer and the
# receive on the reader: a block is received on one data-movement thread and
# sent from the other, so the sender reads its bias twice, once into the
# DFB it sends from and once into the DFB its compute thread adds from.
#
# Tolerance: one bf16 addition (rounded in DST and when packed), |values|
# below 4: atol 2^-5.

import torch
import ttnn
import ttl

TILES = 2


@ttl.operation(grid=(1, 4))
def add_broadcast_bias(bias, x, out):
    net = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(0, slice(1, 4)))])
    send_dfb = ttl.make_dataflow_buffer_like(bias, shape=(1, 1), block_count=2)
    bias_dfb = ttl.make_dataflow_buffer_like(bias, shape=(1, 1), block_count=2)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    _, j = ttl.node(dims=2)
    for t in range(TILES):
        if j == 0:
            with send_dfb.reserve() as s:
                ttl.copy(bias[0, t], s).wait()
            with send_dfb.wait() as s:
                def send(pipe):
                    ttl.copy(s, pipe).wait()

                net.if_src(send)
            with bias_dfb.reserve() as b:
                ttl.copy(bias[0, t], b).wait()
        else:
            with bias_dfb.reserve() as b:
                def receive(pipe):
                    ttl.copy(pipe, b).wait()

                net.if_dst(receive)
        with x_dfb.reserve() as a:
            ttl.copy(x[j, t], a).wait()
        with bias_dfb.wait() as b, x_dfb.wait() as a, out_dfb.reserve() as o:
            o.store(a + b)
        with out_dfb.wait() as o:
            ttl.copy(o, out[j, t]).wait()


torch.manual_seed(1)
bias_host = torch.randn(32, 32 * TILES).to(torch.bfloat16)
x_host = torch.randn(128, 32 * TILES).to(torch.bfloat16)
bias = ttnn.from_torch(bias_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
out = ttnn.from_torch(torch.zeros_like(x_host), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
add_broadcast_bias(bias, x, out)

result = ttnn.to_torch(out).float()
expected = x_host.float() + bias_host.float().repeat(4, 1)
error = (result - expected).abs().max().item()
print(f"max error {error}")
assert error <= 2.0**-5, error
print("PASS")
