# SPDX-License-Identifier: Apache-2.0
"""Where a DFB's pages live (tt-lang spec 0.22, issue 17 item 2):
ttl.make_tensor_backed_dfb puts a DFB in the node's shard of a
height-sharded L1 tensor (inputs published with dfb.publish(), outputs
pushed into the tensor's own L1), and DFBs of one
ttl.make_dfb_allocation_group() share one L1 region whose members'
lifetimes must not overlap (the runtime checks it). Kernel files check
their results against torch; misuse is an error at the user's line."""

from __future__ import annotations

import pytest
import torch

import ttlx as ttl
from kernel_cli import KERNELS, edited_kernel, expect_located_error, ttlx
from ttlx import lang
from ttlx.lang import ttnn
from ttlx.lang.errors import KernelError
from ttlx.runtime import KernelFault


@pytest.mark.parametrize("kernel", ["tensor_backed_dfb.py", "allocation_group.py"])
def test_kernel_runs_and_matches_torch(kernel):
    result = ttlx("run", str(KERNELS / kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


# (kernel file, text replaced, replacement, the line the error points at, message)
ERRORS = [
    ("tensor_backed_dfb.py", "gate = ttnn.from_torch(gt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=mem)",
     "gate = ttnn.from_torch(gt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=ttnn.L1_MEMORY_CONFIG)",
     "gate_dfb = ttl.make_tensor_backed_dfb(gate",
     "ttl.make_tensor_backed_dfb takes a TILE, height-sharded L1 tensor of bf16 or float32; this tensor is "
     "interleaved in TILE_LAYOUT (make it with a HEIGHT_SHARDED L1 memory config, e.g. "
     "ttnn.create_sharded_memory_config(..., ttnn.ShardStrategy.HEIGHT))"),
    ("tensor_backed_dfb.py", "gate = ttnn.from_torch(gt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=mem)",
     "gate = ttnn.from_torch(gt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)",
     "gate_dfb = ttl.make_tensor_backed_dfb(gate",
     "ttl.make_tensor_backed_dfb takes a TILE, height-sharded L1 tensor of bf16 or float32; this tensor is DRAM in "
     "TILE_LAYOUT"),
    ("tensor_backed_dfb.py", "ttl.make_tensor_backed_dfb(gate, shape", "ttl.make_tensor_backed_dfb(3, shape",
     "gate_dfb = ttl.make_tensor_backed_dfb(3",
     "ttl.make_tensor_backed_dfb takes a TILE, height-sharded L1 tensor of bf16 or float32; got int"),
    ("tensor_backed_dfb.py", "byte_offset=2 * 2048)", "byte_offset=1000)", "byte_offset=1000",
     "byte_offset= of a tensor-backed DFB is a non-negative multiple of the tile size (2048 bytes for "
     "torch.bfloat16); got 1000"),
    ("tensor_backed_dfb.py", "byte_offset=2 * 2048)", "byte_offset=4 * 2048)", "byte_offset=4 * 2048",
     "the tensor-backed DFB needs 8192 bytes (1x2 tiles x 2 blocks) from byte 8192 of a shard of 12288 bytes on "
     "each node; use smaller blocks or fewer of them, or a smaller byte_offset="),
    ("tensor_backed_dfb.py", "ttl.make_tensor_backed_dfb(up, shape=(1, 3), block_count=1)",
     "ttl.make_tensor_backed_dfb(up, shape=(1, 3), block_count=1, allocation_group=ttl.make_dfb_allocation_group())",
     "up_dfb = ttl.make_tensor_backed_dfb(up",
     "a tensor-backed DFB lives in its tensor's L1, so allocation_group= does not apply to it; drop the argument"),
    ("tensor_backed_dfb.py", "        x_dfb.publish()", "        z_dfb.publish()", "        z_dfb.publish()",
     "publish() hands over the blocks of a tensor-backed DFB, already in its tensor's L1; DFB 1 has storage of its "
     "own (make it with ttl.make_tensor_backed_dfb, or reserve, fill and push its blocks)"),
    ("tensor_backed_dfb.py", ("        gate_dfb.publish()\n        up_dfb.publish()", "        g = gate_dfb.wait()"),
     ("        up_dfb.publish()", "        gate_dfb.publish()  # in compute\n        g = gate_dfb.wait()"),
     "        gate_dfb.publish()  # in compute",
     "publish() runs on a data-movement thread; move it to a @ttl.datamovement function"),
    ("allocation_group.py", "block_count=1, allocation_group=group)", "block_count=1, allocation_group=\"g\")",
     "allocation_group=\"g\"",
     "allocation_group= takes a group made by ttl.make_dfb_allocation_group(); got 'g'"),
]


@pytest.mark.parametrize("kernel,old,new,at,message", ERRORS, ids=[e[4][:40] for e in ERRORS])
def test_misuse_is_a_located_error(tmp_path, kernel, old, new, at, message):
    edits = list(zip(old, new)) if isinstance(old, tuple) else [(old, new)]
    path, text = edited_kernel(tmp_path, kernel, *edits)
    expect_located_error(path, text, at, message)


# ----- allocation groups ------------------------------------------------------------------

def scratch_pair(grouped: bool, blocks: int):
    """Two compute scratch DFBs of `blocks` 1x16-tile blocks, one for each
    tile row of x, used one after the other; in one allocation group or
    not. y = (2 x)^2."""

    @ttl.operation(grid=(1, 1))
    def pair(x, y):
        group = ttl.make_dfb_allocation_group() if grouped else None
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 16), block_count=1)
        first = ttl.make_dfb("bf16", shape=(1, 16), block_count=blocks, allocation_group=group)
        second = ttl.make_dfb("bf16", shape=(1, 16), block_count=blocks, allocation_group=group)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 16), block_count=1)

        @ttl.datamovement()
        def read():
            for r in range(2):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[r, 0:16], blk).wait()

        @ttl.compute()
        def compute():
            with x_dfb.wait() as a:
                with first.reserve() as t:
                    t.store(a + a)
            with first.wait() as t, y_dfb.reserve() as o:
                o.store(t * t)
            with x_dfb.wait() as a:
                with second.reserve() as t:
                    t.store(a + a)
            with second.wait() as t, y_dfb.reserve() as o:
                o.store(t * t)

        @ttl.datamovement()
        def write():
            for r in range(2):
                with y_dfb.wait() as blk:
                    ttl.copy(blk, y[r, 0:16]).wait()

    return pair


def test_a_group_takes_its_largest_members_l1_once():
    """22 blocks of 16 tiles are 720896 bytes: two such DFBs do not fit a
    core's 1499136 bytes of L1 beside the others, one group of them does."""
    x, y = ttnn.zeros((64, 512), dtype=ttnn.bfloat16), ttnn.zeros((64, 512), dtype=ttnn.bfloat16)
    with pytest.raises(KernelError, match=r"the operation's DFBs need 1507392 bytes of L1 on each core"):
        scratch_pair(False, 22)(x, y)
    xt = torch.randn(64, 512).to(torch.bfloat16)
    x = ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    scratch_pair(True, 22)(x, y)
    assert torch.equal(ttnn.to_torch(y).float(), (4 * xt.float() * xt.float()).to(torch.bfloat16).float())


@ttl.operation(grid=(1, 1))
def overlapping(x, y):
    group = ttl.make_dfb_allocation_group()
    a_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2, allocation_group=group)
    b_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2, allocation_group=group)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with a_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        with b_dfb.reserve() as blk:  # a's block is still held: the compute thread waits on both
            ttl.copy(x[0, 1], blk).wait()

    @ttl.compute()
    def compute():
        with a_dfb.wait() as p, b_dfb.wait() as q, y_dfb.reserve() as o:
            o.store(p + q)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


def test_overlapping_lifetimes_in_a_group_are_a_fault_at_the_reserve():
    x = ttnn.from_torch(torch.randn(32, 64).to(torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    with pytest.raises(KernelFault) as info:
        overlapping(x, ttnn.zeros((32, 32), dtype=ttnn.bfloat16))
    report = str(info.value)
    assert ("dm0 kernel 'read': cb_reserve_back of DFB 1, which shares its L1 with DFB 0 (one allocation group), "
            "while DFB 0 holds 1 page(s): the lifetimes of a group's DFBs must not overlap; finish with DFB 0 first "
            "or give the two DFBs separate storage at read.cpp:") in report, report
    assert "test_dfb_storage.py:" in report and "# a's block is still held" in \
        open(__file__).read().splitlines()[int(report.split("test_dfb_storage.py:")[1].split(":")[0]) - 1]


# ----- tensor-backed DFBs -------------------------------------------------------------------

@ttl.operation(grid=(1, 1))
def sum_shard(x, y):
    x_dfb = ttl.make_tensor_backed_dfb(x, shape=(20, 32), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=1)

    @ttl.datamovement()
    def publish():
        x_dfb.publish()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a, y_dfb.reserve() as o:
            o.store(ttl.math.reduce_sum(ttl.math.reduce_sum(a, dims=[0], shape=(1, 32)), dims=[-1], shape=(1, 1)))

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


def test_a_tensor_backed_dfb_takes_no_l1_of_its_own():
    """The shard (640 x 1024 bf16, 1310720 bytes) and a DFB over all of it
    would not fit a core's L1 twice; the DFB is the shard."""
    config = ttnn.create_sharded_memory_config((640, 1024), ttnn.CoreGrid(y=1, x=1), ttnn.ShardStrategy.HEIGHT)
    xt = torch.ones(640, 1024, dtype=torch.bfloat16)
    x = ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=config)
    y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
    sum_shard(x, y)
    assert ttnn.to_torch(y)[0, 0].item() == 640 * 1024  # a power of two: exact in bf16
    assert sum_shard.last_run.counters["total"]["dram_bytes_read"] == 0  # nothing copied in


def test_kernel_of_the_wrong_kind_is_an_error():
    # `import ttlx as ttl`: ttl.Kernel and ttl.KernelKind are tt-lang's (the compiled kernel is
    # ttlx.compiler.Kernel).
    assert ttl.Kernel is lang.Kernel and ttl.KernelKind is lang.KernelKind
    reader = ttl.Kernel(ttl.KernelKind.DATA_MOVEMENT)
    with pytest.raises(KernelError, match=r"kernel= of @ttl\.compute is a ttl\.Kernel of kind "
                                          r"ttl\.KernelKind\.COMPUTE; got .* of kind DATA_MOVEMENT"):
        ttl.compute(kernel=reader)
    with pytest.raises(KernelError, match=r"ttl\.Kernel takes ttl\.KernelKind\.COMPUTE or "
                                          r"ttl\.KernelKind\.DATA_MOVEMENT; got 'compute'"):
        ttl.Kernel("compute")


@ttl.operation(grid=(2, 1))
def unified_double(x, y):
    x_dfb = ttl.make_tensor_backed_dfb(x, shape=(1, 2))
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2))
    x_dfb.publish()
    with x_dfb.wait() as a, y_dfb.reserve() as o:
        o.store(a + a)
    with y_dfb.wait() as o:
        ttl.copy(o, y[ttl.node(dims=1), 0:2]).wait()


@ttl.operation(grid=(2, 1))
def unified_double_into_shards(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2))
    y_dfb = ttl.make_tensor_backed_dfb(y, shape=(1, 2))
    n = ttl.node(dims=1)
    with x_dfb.reserve() as a:
        ttl.copy(x[n, 0:2], a).wait()
    with x_dfb.wait() as a, y_dfb.reserve() as o:
        o.store(a + a)
    with y_dfb.wait() as o:
        pass


def test_a_tensor_backed_output_is_consumed_in_a_unified_body():
    """The store writes y's own shard; the wait that pops it uses the block
    for nothing, and goes to the writer (it used to be an error: no
    statement said which thread acquires it)."""
    mem = ttnn.create_sharded_memory_config((32, 64), ttnn.CoreGrid(y=1, x=2), ttnn.ShardStrategy.HEIGHT)
    xt = torch.randn(64, 64).to(torch.bfloat16)
    x = ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    y = ttnn.from_torch(torch.zeros(64, 64, dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT,
                        memory_config=mem)
    ir = unified_double_into_shards.compile(x, y).stage("ttl")
    writer = ir[ir.index("func.func @writer"):]
    assert "ttl.dfb_wait" in writer and "ttl.dfb_pop" in writer and "ttl.copy" not in writer
    unified_double_into_shards(x, y)
    assert torch.equal(ttnn.to_torch(y).float(), xt.float() * 2)  # x + x is exact in bf16


def test_publish_in_a_unified_body_goes_to_a_data_movement_thread():
    mem = ttnn.create_sharded_memory_config((64, 64), ttnn.CoreGrid(y=1, x=2), ttnn.ShardStrategy.HEIGHT)
    xt = torch.randn(64, 64).to(torch.bfloat16)
    x = ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=mem)
    y = ttnn.zeros((64, 64), dtype=ttnn.bfloat16)
    unified_double(x, y)
    assert torch.equal(ttnn.to_torch(y).float(), xt.float() * 2)
