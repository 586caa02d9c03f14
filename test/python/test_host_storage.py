# SPDX-License-Identifier: Apache-2.0
"""Host storage of ttnn tensors (lang/ttnn.py `_Storage`, docs/runtime.md
"Host I/O"): a TILE tensor ttnn owns stays in tile order between
operations, so an operation converts nothing; to_torch and `.data` give
rows; a tensor over the caller's torch memory comes back in rows after
each operation; N-d and padded tensors keep the pages of their
(prod(...) * H, W) matrix. Values are checked exactly against torch (x + x
of bf16 values is exact); no operation call keeps its tensors alive."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref

import pytest
import torch

import ttlx.lang as ttl
from ttlx.lang import ttnn
from ttlx.runtime.layout import tilize


@ttl.operation(grid=(1, 1))
def double_2d(x, y):
    rows, cols = x.shape[0] // 32, x.shape[1] // 32
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for r in range(rows):
            for c in range(cols):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[r, c], blk).wait()

    @ttl.compute()
    def compute():
        for _ in range(rows * cols):
            with x_dfb.wait() as a, y_dfb.reserve() as b:
                b.store(a + a)

    @ttl.datamovement()
    def write():
        for r in range(rows):
            for c in range(cols):
                with y_dfb.wait() as blk:
                    ttl.copy(blk, y[r, c]).wait()


@ttl.operation(grid=(1, 1))
def double_3d(x, y):
    batches, rows, cols = x.shape[0], -(-x.shape[1] // 32), -(-x.shape[2] // 32)  # padded tiles too
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for n in range(batches):
            for r in range(rows):
                for c in range(cols):
                    with x_dfb.reserve() as blk:
                        ttl.copy(x[n:n + 1, r, c], blk).wait()

    @ttl.compute()
    def compute():
        for _ in range(batches * rows * cols):
            with x_dfb.wait() as a, y_dfb.reserve() as b:
                b.store(a + a)

    @ttl.datamovement()
    def write():
        for n in range(batches):
            for r in range(rows):
                for c in range(cols):
                    with y_dfb.wait() as blk:
                        ttl.copy(blk, y[n:n + 1, r, c]).wait()


def randn(*shape: int, dtype: torch.dtype = torch.bfloat16, seed: int = 0) -> torch.Tensor:
    """Values exact in bf16 (float32 tile math without fp32_dest_acc goes
    through a 16-bit DST), so that x + x and 4x are exact."""
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)).to(torch.bfloat16).to(dtype)


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_tensors_stay_in_tile_order_between_operations(dtype):
    """from_torch copies straight into tile order, an operation's output
    stays in tile order, and chained calls read it as the kernels wrote it."""
    xt = randn(64, 96, dtype=dtype)
    x = ttnn.from_torch(xt, dtype=dtype)
    assert torch.equal(x.storage.reshape(-1), tilize(xt))  # copied into tiles
    y = ttnn.zeros((64, 96), dtype=dtype)
    z = ttnn.empty((64, 96), dtype=dtype)
    double_2d(x, y)
    double_2d(y, z)
    assert torch.equal(y.storage.reshape(-1), tilize(xt + xt))  # not untilized after the run
    assert torch.equal(ttnn.to_torch(z), 4 * xt)
    assert torch.equal(ttnn.to_torch(y), xt + xt) and torch.equal(ttnn.to_torch(x), xt)  # to_torch: copies
    assert torch.equal(y.storage.reshape(-1), tilize(xt + xt))


def test_an_output_larger_than_the_caches_is_written_whole():
    """The kernels' writes into a DRAM buffer of 8 MiB or more take the
    runtime's streaming stores (kStreamedBytes, runtime/src/StreamingStores.h): a 16 MiB f32
    output, every tile page of it, holds what the kernels wrote."""
    xt = randn(2048, 2048, dtype=torch.float32, seed=3)
    x = ttnn.from_torch(xt, dtype=torch.float32)
    y = ttnn.zeros((2048, 2048), dtype=torch.float32)
    assert y.storage.numel() * 4 >= 8 << 20
    double_2d(x, y)
    assert torch.equal(ttnn.to_torch(y), xt + xt)


def test_data_gives_rows_and_keeps_them():
    """`.data` is the memory in rows; handed out, it stays in rows across
    operations (the caller may hold it)."""
    xt = randn(32, 64)
    x, y = ttnn.from_torch(xt), ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16))
    double_2d(x, y)
    held = y.data
    assert torch.equal(held, xt + xt)
    double_2d(y, x)
    assert torch.equal(held, xt + xt) and held is y.data
    assert torch.equal(ttnn.to_torch(x), 4 * xt)


def test_a_tensor_over_the_callers_memory_comes_back_in_rows():
    xt, yt = randn(64, 64), torch.zeros(64, 64, dtype=torch.bfloat16)
    before = xt.clone()
    double_2d(ttnn.Tensor(xt), ttnn.Tensor(yt))
    assert torch.equal(xt, before) and torch.equal(yt, before + before)


def test_tensors_sharing_storage_see_one_order():
    """to_memory_config shares the storage: both tensors see what the
    operation wrote, in rows through either."""
    xt = randn(32, 64)
    y = ttnn.zeros((32, 64), dtype=ttnn.bfloat16)
    moved = ttnn.to_memory_config(y, ttnn.DRAM_MEMORY_CONFIG)
    double_2d(ttnn.from_torch(xt), y)
    assert torch.equal(ttnn.to_torch(moved), xt + xt) and moved.storage is y.storage


@pytest.mark.parametrize("shape", [(2, 64, 96), (3, 40, 50)])
def test_nd_and_padded_tensors_in_tile_order(shape):
    """An N-d tensor (3, 40, 50) is padded to (3, 64, 64); its tiles are
    those of the (3 * 64, 64) matrix, in tile order between operations."""
    xt = randn(*shape, seed=3)
    x = ttnn.from_torch(xt, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    y, z = ttnn.zeros(shape, dtype=ttnn.bfloat16), ttnn.zeros(shape, dtype=ttnn.bfloat16)
    double_3d(x, y)
    double_3d(y, z)
    padded = torch.zeros(y.padded_shape, dtype=torch.bfloat16)
    padded[:, :shape[1], :shape[2]] = xt + xt
    assert torch.equal(y.storage.reshape(-1), tilize(padded.reshape(-1, padded.shape[-1])))
    assert torch.equal(ttnn.to_torch(z), 4 * xt) and ttnn.to_torch(z).shape == shape


def test_an_l1_tensor_in_tile_order_is_loaded_and_read_back():
    """An L1 tensor's pages go to the cores' L1 from tile order and back."""
    xt = randn(64, 64, seed=4)
    x = ttnn.from_torch(xt)
    y = ttnn.to_memory_config(ttnn.zeros((64, 64), dtype=ttnn.bfloat16), ttnn.L1_MEMORY_CONFIG)
    double_2d(x, y)
    double_2d(y, x)
    assert torch.equal(ttnn.to_torch(y), xt + xt) and torch.equal(ttnn.to_torch(x), 4 * xt)


def test_an_operation_call_keeps_no_tensor_alive():
    """The storages of a call's tensors are freed as soon as the caller
    drops them, without the cycle collector (at Engram's sizes a leaked
    tensor is 512 MiB): a call that reuses its program holds them in no
    reference cycle."""
    double_2d(ttnn.from_torch(randn(32, 64)), ttnn.zeros((32, 64), dtype=ttnn.bfloat16))  # compiled
    x = ttnn.from_torch(randn(32, 64))
    y = ttnn.zeros((32, 64), dtype=ttnn.bfloat16)
    refs = [weakref.ref(x.storage), weakref.ref(y.storage)]
    gc.collect()
    gc.disable()
    try:
        double_2d(x, y)
        del x, y
        assert [r() for r in refs] == [None, None]
    finally:
        gc.enable()


@pytest.mark.parametrize("make", [
    lambda shape: ttnn.zeros(shape, dtype=ttnn.bfloat16), lambda shape: ttnn.ones(shape, dtype=ttnn.bfloat16),
    lambda shape: ttnn.full(shape, 1.5, dtype=ttnn.bfloat16), lambda shape: ttnn.rand(shape, dtype=ttnn.bfloat16),
    lambda shape: ttnn.from_torch(randn(*shape, seed=5), dtype=ttnn.float32),
], ids=["zeros", "ones", "full", "rand", "from_torch converted"])
@pytest.mark.parametrize("shape", [(64, 64), (2, 40, 50)])
def test_created_tensors_read_as_their_values(make, shape):
    """Tensors born in tile order (one value, no padding or zero padding)
    and those tilized at their first operation read the same in kernels."""
    x = make(shape)
    y = ttnn.zeros(shape, dtype=x.dtype)
    (double_3d if len(shape) == 3 else double_2d)(x, y)
    assert torch.equal(ttnn.to_torch(y), 2 * ttnn.to_torch(x))


def test_a_row_major_tensor_is_never_put_in_tile_order():
    """Only TILE_LAYOUT tensors are kept in tile order; a ROW_MAJOR one made
    by ttnn stays in rows when readied for an operation."""
    xt = randn(64, 64)
    x = ttnn.from_torch(xt, layout=ttnn.ROW_MAJOR_LAYOUT)
    assert not x._storage.for_run(x.layout) and torch.equal(x.storage, xt)


def test_importing_ttlx_leaves_torchs_page_size_alone():
    """ttlx does not set THP_MEM_ALLOC_ENABLE: torch's huge pages made a
    fresh 32 MiB tensor cost 3 ms or 40 ms by turns where 4 KiB pages cost
    6 ms (docs/measurements.md); the user's setting is theirs."""
    env = {k: v for k, v in os.environ.items() if k != "THP_MEM_ALLOC_ENABLE"}
    code = "import os, ttlx; print(os.environ.get('THP_MEM_ALLOC_ENABLE'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "None", out.stdout + out.stderr
