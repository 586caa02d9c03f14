# SPDX-License-Identifier: Apache-2.0
"""Tensors in L1 (issue 16 item 5; docs/runtime.md, "L1 tensors"): a tensor
whose memory config says L1 lives in the emulated cores' L1, interleaved
over the chip's L1 banks or a shard per core, as tt-metal places it.
Kernels read and write it through tensor slices and see the tensor's
values; its bytes count against each core's L1 (an error at the DFB that
no longer fits, naming the tensors); its traffic is L1 / NOC traffic, not
DRAM, in the counters and the performance model; the race detector and the
uninitialised-memory checks cover its pages."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import torch
from kernel_cli import ttlx

import ttlx as ttl
from ttlx.ir import Context, Module
from ttlx.lang import ttnn
from ttlx.lang.errors import KernelError
from ttlx.lang.ttnn_memory import l1_placement
from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, KernelWarning, L1Placement, Program, run

ROOT = Path(__file__).resolve().parents[2]
CHIP = (8, 8)


# ----- where the pages go ------------------------------------------------------------

def test_interleaved_pages_go_round_robin_over_the_chips_banks():
    where = l1_placement(ttnn.L1_MEMORY_CONFIG, 10, 10, (1, 1), CHIP)
    assert where.kind == "interleaved L1"
    assert where.cores[:3] == ((0, 0), (1, 0), (2, 0)) and where.cores[8] == (0, 1)
    assert where.cores[64] == (0, 0) and where.slots[64] == 1 and where.slots[63] == 0
    assert where.bytes_per_core(2048) == 2 * 2048  # 100 pages over 64 banks


def test_height_width_and_block_shards_are_a_core_each():
    height = ttnn.create_sharded_memory_config((128, 64), ttnn.CoreGrid(y=1, x=4), ttnn.ShardStrategy.HEIGHT)
    where = l1_placement(height, 4, 2, (4, 1), CHIP)
    assert where.cores == ((0, 0), (0, 0), (1, 0), (1, 0), (2, 0), (2, 0), (3, 0), (3, 0))
    assert where.slots == (0, 1) * 4 and where.kind == "height-sharded L1"
    width = ttnn.create_sharded_memory_config((64, 128), ttnn.CoreGrid(y=1, x=2), ttnn.ShardStrategy.WIDTH)
    where = l1_placement(width, 2, 4, (1, 1), CHIP)
    assert where.cores == ((0, 0), (0, 0), (1, 0), (1, 0)) * 2
    assert where.slots == (0, 1, 0, 1, 2, 3, 2, 3)
    # Block shard (i, j) on core (x=j, y=i); COL_MAJOR: on core (x=i, y=j).
    grid = ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), ttnn.CoreCoord(1, 1))})
    for orientation, shard_10 in ((ttnn.ShardOrientation.ROW_MAJOR, (0, 1)), (ttnn.ShardOrientation.COL_MAJOR, (1, 0))):
        block = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.BLOCK_SHARDED, ttnn.BufferType.L1,
                                  ttnn.ShardSpec(grid, (64, 64), orientation))
        where = l1_placement(block, 4, 4, (1, 1), CHIP)
        assert where.cores[0] == (0, 0) and where.cores[2 * 4] == shard_10  # tile (2, 0): shard (1, 0)
        assert where.slots[4 * 3 + 3] == 3  # tile (3, 3): last page of shard (1, 1)


def test_tensor_spec_shards_go_to_its_core_ranges():
    cores = ttnn.CoreRangeSet([ttnn.CoreRange(ttnn.CoreCoord(2, 1), ttnn.CoreCoord(3, 1))])
    spec = ttnn.TensorSpec((64, 32), ttnn.bfloat16, ttnn.TILE_LAYOUT).height_sharded(cores)
    assert l1_placement(spec.memory_config, 2, 1, (1, 1), CHIP).cores == ((2, 1), (3, 1))


def test_a_shard_grid_without_cores_follows_the_operations_nodes():
    """tt-lang-sim's ShardSpec(shard_grid=(n,)): shard k on node k of the
    operation's grid (row-major), else of the chip's grid."""
    spec = ttnn.ShardSpec(shard_grid=(4,), shard_shape=(32, 32))
    config = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.HEIGHT_SHARDED, ttnn.BufferType.L1, spec)
    assert l1_placement(config, 4, 1, (2, 2), CHIP).cores == ((0, 0), (1, 0), (0, 1), (1, 1))
    assert l1_placement(config, 4, 1, (1, 1), CHIP).cores == ((0, 0), (1, 0), (2, 0), (3, 0))
    dram = ttnn.MemoryConfig(strategy=ttnn.ShardingStrategy.HEIGHT_SHARDED, shard_spec=spec)
    assert l1_placement(dram, 4, 1, (1, 1), CHIP) is None  # DRAM-sharded stays in DRAM


# ----- kernels reading and writing L1 tensors ----------------------------------------------

def test_kernel_file_with_height_width_block_sharded_and_interleaved_l1_tensors():
    result = ttlx("run", str(ROOT / "test" / "kernels" / "l1_tensors.py"))
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


@ttl.operation(grid=(2, 1))
def double(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[ttl.node(dims=1), 0:2], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a, y_dfb.reserve() as o:
            o.store(a + a)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[ttl.node(dims=1), 0:2]).wait()


def height_sharded(shape, cores):
    return ttnn.create_sharded_memory_config(shape, ttnn.CoreGrid(y=1, x=cores), ttnn.ShardStrategy.HEIGHT)


@pytest.mark.parametrize("dtype", [ttnn.bfloat16, ttnn.float32])
def test_l1_traffic_is_counted_as_l1_not_dram(dtype):
    xt = torch.randn(64, 64).to(torch.bfloat16).to(dtype)  # exact in the 16-bit DST
    x = ttnn.from_torch(xt, dtype=dtype, layout=ttnn.TILE_LAYOUT, memory_config=height_sharded((64, 64), 2))
    y = ttnn.zeros((64, 64), dtype=dtype, memory_config=ttnn.L1_MEMORY_CONFIG)
    double(x, y)
    assert torch.equal(ttnn.to_torch(y), (xt.float() * 2).to(dtype))  # x + x is exact
    nbytes = xt.numel() * xt.element_size()
    total = double.last_run.counters["total"]
    assert total["dram_bytes_read"] == total["dram_bytes_written"] == 0
    assert total["l1_tensor_bytes_read"] == total["l1_tensor_bytes_written"] == nbytes
    assert double.last_run.counters[(0, 0)]["l1_tensor_bytes_read"] == nbytes // 2  # its shard
    assert double.last_traffic == [(nbytes, 0), (0, nbytes)]


COPY = """
func.func @reader(%src: tensor<128x64xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 1>} {
  %c0 = arith.constant 0 : index
  %x = ttl.node 0
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %blk = ttl.dfb_reserve %in : !ttl.dfb<[1, 2], bf16, 2>
  %xf = ttl.copy_to_block %src[%x, %c0], %blk : tensor<128x64xbf16>, tensor<1x2x!ttl.tile<bf16>>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[1, 2], bf16, 2>
  return
}
func.func @writer(%dst: tensor<128x64xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 1>} {
  %c0 = arith.constant 0 : index
  %x = ttl.node 0
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %blk = ttl.dfb_wait %in : !ttl.dfb<[1, 2], bf16, 2>
  %xf = ttl.copy_to_tensor %blk, %dst[%x, %c0] : tensor<1x2x!ttl.tile<bf16>>, tensor<128x64xbf16>
  ttl.wait %xf : !ttl.transfer_handle<write>
  ttl.dfb_pop %in : !ttl.dfb<[1, 2], bf16, 2>
  return
}
"""


def copy_program() -> Program:
    with Context():
        return Program.from_module(Module.parse(COPY))


def shards(rows: int, cols: int, cores: int) -> L1Placement:
    """Tile rows split evenly over cores (x, 0)."""
    per = rows // cores
    return L1Placement(tuple((r // per, 0) for r in range(rows) for _ in range(cols)),
                       tuple((r % per) * cols + c for r in range(rows) for c in range(cols)))


def test_the_performance_model_charges_noc_not_dram_for_l1_tensors():
    prog = copy_program()
    src = torch.randn(128, 64).to(torch.bfloat16)
    dram_dst, l1_dst = torch.zeros_like(src), torch.zeros_like(src)
    in_dram = run(prog, {"reader": [src.clone()], "writer": [dram_dst]}, profile=True).profile
    in_l1 = run(prog, {"reader": [src], "writer": [l1_dst]}, profile=True,
                placements={id(src): shards(4, 2, 4)}).profile
    assert torch.equal(l1_dst, src) and torch.equal(dram_dst, src)
    nbytes = src.numel() * 2
    assert in_dram.dram_bytes_read == nbytes
    assert in_l1.dram_bytes_read == 0 and in_l1.dram_bytes_written == nbytes
    assert in_l1.noc_bytes == in_dram.noc_bytes == 2 * nbytes
    assert in_l1.time_us < in_dram.time_us  # each node reads its own shard: no DRAM latency


def test_runtime_l1_exhaustion_names_the_l1_tensors():
    prog = copy_program()
    src, dst = torch.randn(128, 64).to(torch.bfloat16), torch.zeros(128, 64, dtype=torch.bfloat16)
    on_one_core = L1Placement(((0, 0),) * 8, (0, 1, 2, 3, 4, 5, 6, 700))  # 701 pages of room
    thirty_two = L1Placement(((0, 0),) * 8, (0, 1, 2, 3, 4, 5, 6, 31))
    with pytest.raises(RuntimeError, match=re.escape(
            "L1 exhausted: L1 tensor 'argument 0 of writer' needs 1435648 bytes on each of its cores, but only "
            "1433536 of 1499136 bytes of L1 are free on each core (L1 tensors at the top of L1: "
            "'argument 0 of reader' 65536 bytes per core)")):
        run(prog, {"reader": [src], "writer": [dst]},
            placements={id(src): thirty_two, id(dst): on_one_core})
    with pytest.raises(RuntimeError, match=re.escape(
            "L1 exhausted: DFB 0 needs 8192 bytes, but only 1984 of 1499136 bytes of L1 are free on each core "
            "(L1 tensors at the top of L1: 'argument 0 of reader' 1497088 bytes per core)")):
        run(prog, {"reader": [src], "writer": [dst]},
            placements={id(src): L1Placement(((0, 0),) * 8, (0, 1, 2, 3, 4, 5, 6, 1499072 // 2048 - 1))})


def test_an_l1_page_beyond_the_tensor_is_a_fault():
    source = ('#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n'
              "auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);\n"
              "cb_reserve_back(0, 1); noc_async_read_tile(1, s, get_write_ptr(0));\n}\n")
    prog = Program((1, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)])
    t = torch.zeros(32, 32, dtype=torch.bfloat16)
    with pytest.raises(KernelFault, match=r"L1 page 1 is out of bounds: the L1 tensor at 0x[0-9a-f]+ has 1 page\(s\) "
                                          r"of 2048 bytes at k\.cpp:"):
        run(prog, {"k": [t]}, placements={id(t): L1Placement(((3, 2),), (0,))})


# ----- capacity at the user's line -------------------------------------------------------

@ttl.operation(grid=(1, 1))
def stream_rows(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 32), block_count=2)  # the DFB line

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0:32], blk).wait()

    @ttl.datamovement()
    def write():
        with x_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0:32]).wait()


def test_l1_tensors_leaving_no_room_for_a_dfb_is_an_error_at_the_dfb():
    x = ttnn.zeros((704, 1024), dtype=ttnn.bfloat16, memory_config=height_sharded((704, 1024), 1))  # 1441792 bytes
    y = ttnn.zeros((32, 1024), dtype=ttnn.bfloat16)
    with pytest.raises(KernelError) as info:
        stream_rows(x, y)
    assert info.value.message == (
        "L1 exhausted: the operation's DFBs need 131136 bytes of L1 on each core and its L1 tensors 1441792 more "
        "('x' (height-sharded L1, 1441792 bytes per core)), more than the 1499136 bytes of a core's L1; use fewer "
        "or smaller blocks, or keep a tensor in DRAM (ttnn.DRAM_MEMORY_CONFIG)")
    assert info.value.file == __file__ and "# the DFB line" in open(__file__).readlines()[info.value.line - 1]


def test_l1_tensors_that_alone_do_not_fit_are_an_error_at_the_call():
    x = ttnn.zeros((32, 1024), dtype=ttnn.bfloat16)
    y = ttnn.zeros((768, 1024), dtype=ttnn.bfloat16, memory_config=height_sharded((768, 1024), 1))
    with pytest.raises(KernelError, match=r"its L1 tensors 1572864 more \('y' \(height-sharded L1, 1572864 bytes "
                                          r"per core\)\)") as info:
        stream_rows(x, y)  # the call line
    assert "# the call line" in open(__file__).readlines()[info.value.line - 1]


def test_nd_sharded_l1_tensors_are_an_error_at_the_call():
    spec = ttnn.NdShardSpec(shard_shape=(32, 32))
    config = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.ND_SHARDED, ttnn.BufferType.L1, spec)
    x = ttnn.from_torch(torch.zeros(32, 1024), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, memory_config=config)
    with pytest.raises(KernelError, match="tensor argument 'x' cannot be placed in L1: ND-sharded tensors in L1 are "
                                          "not placed by ttlx; use height, width or block sharding"):
        stream_rows(x, ttnn.zeros((32, 1024), dtype=ttnn.bfloat16))


# ----- races and uninitialised memory ----------------------------------------------------

@ttl.operation(grid=(2, 1))
def both_write_row_0(x, out):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[ttl.node(dims=1), 0], blk).wait()

    @ttl.datamovement()
    def write():
        with x_dfb.wait() as blk:
            ttl.copy(blk, out[0, 0]).wait()


def test_two_cores_writing_one_l1_tensor_page_race():
    x = ttnn.from_torch(torch.randn(64, 32).to(torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    out = ttnn.zeros((64, 32), dtype=ttnn.bfloat16, memory_config=height_sharded((64, 32), 2))
    with pytest.raises(KernelFault, match=r"dm1 kernel 'write': race: writes L1 tensor 'out' page 0 \(tile row 0, "
                                          r"column 0\) on core \(0, 0\), which core \([01], 0\) dm1 kernel 'write' "
                                          r"wrote at write\.cpp:"):
        both_write_row_0(x, out)


def test_reading_an_uninitialised_l1_tensor_is_reported():
    x = ttnn.empty((64, 32), dtype=ttnn.bfloat16, memory_config=height_sharded((64, 32), 2))
    out = ttnn.zeros((64, 32), dtype=ttnn.bfloat16)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        both_write_row_0(x, out)  # both write the same poison into row 0: a benign race
    messages = [str(w.message) for w in caught if issubclass(w.category, KernelWarning)]
    assert any("dm0 kernel 'read': uninitialised memory: reads L1 tensor 'x' page 0 (tile row 0, column 0) on "
               "core (0, 0), which no kernel wrote (the tensor was created uninitialised, e.g. by ttnn.empty)" in m
               for m in messages), messages
