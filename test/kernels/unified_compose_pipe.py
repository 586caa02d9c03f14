# SPDX-License-Identifier: Apache-2.0
# unified_pipe.py with the multicast written as an expand-only operation
# taking a pipe net and two dataflow buffers (tt-lang spec 0.19,
# "Composing operations"): `multicast` sends each block of src_dfb through
# the net on its source node and receives into dst_dfb on its destinations;
# `add_broadcast_bias` declares the net and the dataflow buffers and expands
# it in place. Every node adds the bias row to its own row of x, vs torch.
#
# Tolerance: one bf16 addition (rounded in DST and when packed), |values|
# below 4: atol 2^-5.

import torch
import ttnn
import ttl

TILES = 2


@ttl.operation(grid=(1, 4))
def multicast(net: ttl.PipeNet, src_dfb: ttl.DataflowBuffer, dst_dfb: ttl.DataflowBuffer) -> None:
    for t in range(TILES):
        if net.is_src():
            with src_dfb.wait() as s:
                def send(pipe):
                    ttl.copy(s, pipe).wait()

                net.if_src(send)
        if net.is_dst():
            with dst_dfb.reserve() as b:
                def receive(pipe):
                    ttl.copy(pipe, b).wait()

                net.if_dst(receive)


@ttl.operation(grid=(1, 4))
def add_broadcast_bias(bias: ttnn.Tensor, x: ttnn.Tensor, out: ttnn.Tensor) -> None:
    net = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(0, slice(1, 4)))])
    send_dfb = ttl.make_dataflow_buffer_like(bias, shape=(1, 1), block_count=TILES)
    bias_dfb = ttl.make_dataflow_buffer_like(bias, shape=(1, 1), block_count=TILES)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    _, j = ttl.node(dims=2)
    if j == 0:
        for t in range(TILES):
            with send_dfb.reserve() as s:
                ttl.copy(bias[0, t], s).wait()
            with bias_dfb.reserve() as b:
                ttl.copy(bias[0, t], b).wait()
    multicast(net, send_dfb, bias_dfb)
    for t in range(TILES):
        with x_dfb.reserve() as a:
            ttl.copy(x[j, t], a).wait()
        with bias_dfb.wait() as b, x_dfb.wait() as a, out_dfb.reserve() as o:
            o.store(a + b)
        with out_dfb.wait() as o:
            ttl.copy(o, out[j, t]).wait()


torch.manual_seed(2)
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
