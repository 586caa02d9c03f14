# SPDX-License-Identifier: Apache-2.0
"""Calls of an operation reuse its compiled program while nothing the
compiler read changed (ttlx/lang/operation_cache.py): the tensors of the
call are the ones run, and a changed global, shape or captured value
compiles again."""

from __future__ import annotations

import ast
import gc
import weakref
from pathlib import Path

import torch

import ttlx
import ttlx.lang as ttl
from ttlx.lang import ttnn
from ttlx.lang.operation_cache import OperationCache

COLS = 1  # tile columns the kernels double; a global the kernels read


def make_double(cols: int | None = None):
    """An operation doubling the first `cols` tile columns of x into y (a
    value its kernels capture), or the first COLS (a global they read) when
    None. A factory makes a new Operation per call, as library wrappers do."""

    @ttl.operation(grid=(1, 1))
    def double(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def read():
            for c in range(COLS if cols is None else cols):
                with x_dfb.reserve() as blk:
                    tx = ttl.copy(x[0, c], blk)
                    tx.wait()

        @ttl.compute()
        def compute():
            for _ in range(COLS if cols is None else cols):
                with x_dfb.wait() as a, y_dfb.reserve() as b:
                    b.store(a + a)

        @ttl.datamovement()
        def write():
            for c in range(COLS if cols is None else cols):
                with y_dfb.wait() as blk:
                    tx = ttl.copy(blk, y[0, c])
                    tx.wait()

    return double


double_cols = make_double()


def run_double(width: int = 96, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.randn(32, width, generator=torch.Generator().manual_seed(seed)).to(torch.bfloat16)
    y = ttnn.zeros((32, width), dtype=ttnn.bfloat16)
    double_cols(ttnn.from_torch(x), y)
    return x, ttnn.to_torch(y)


def expected(x: torch.Tensor, cols: int) -> torch.Tensor:
    want = torch.zeros_like(x)
    want[:, : 32 * cols] = x[:, : 32 * cols] + x[:, : 32 * cols]
    return want


def test_a_second_call_reuses_the_program_on_its_own_tensors():
    double_cols.cache = OperationCache()
    x1, y1 = run_double(seed=1)
    x2, y2 = run_double(seed=2)
    assert (double_cols.cache.misses, double_cols.cache.hits) == (1, 1)
    assert torch.equal(y1, expected(x1, 1)) and torch.equal(y2, expected(x2, 1))


def test_a_changed_global_compiles_again():
    global COLS
    double_cols.cache = OperationCache()
    run_double()
    COLS = 2
    try:
        x, y = run_double()
    finally:
        COLS = 1
    assert (double_cols.cache.misses, double_cols.cache.hits) == (2, 0)
    assert torch.equal(y, expected(x, 2))
    x, y = run_double()  # COLS = 1 again: the first program
    assert double_cols.cache.hits == 1 and torch.equal(y, expected(x, 1))


def test_a_changed_shape_compiles_again():
    double_cols.cache = OperationCache()
    run_double(width=96)
    x, y = run_double(width=64)
    assert (double_cols.cache.misses, double_cols.cache.hits) == (2, 0)
    assert torch.equal(y, expected(x, 1))


class Settings:
    """An object the fingerprint cannot describe: its calls always compile."""

    def __init__(self, cols: int):
        self.cols = cols


def make_triple(settings: Settings):
    @ttl.operation(grid=(1, 1))
    def triple(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def read():
            for c in range(settings.cols):
                with x_dfb.reserve() as blk:
                    tx = ttl.copy(x[0, c], blk)
                    tx.wait()

        @ttl.compute()
        def compute():
            for _ in range(settings.cols):
                with x_dfb.wait() as a, y_dfb.reserve() as b:
                    b.store(a + a)

        @ttl.datamovement()
        def write():
            for c in range(settings.cols):
                with y_dfb.wait() as blk:
                    tx = ttl.copy(blk, y[0, c])
                    tx.wait()

    return triple


def test_values_the_fingerprint_cannot_describe_compile_every_call():
    settings = Settings(1)
    op = make_triple(settings)
    op.cache = OperationCache()  # counts this operation's calls only
    x = torch.randn(32, 64).to(torch.bfloat16)
    y = ttnn.zeros((32, 64), dtype=ttnn.bfloat16)
    op(ttnn.from_torch(x), y)
    settings.cols = 2
    op(ttnn.from_torch(x), y)
    assert (op.cache.misses, op.cache.hits) == (2, 0)
    assert torch.equal(ttnn.to_torch(y), expected(x, 2))


def test_operations_made_per_call_share_programs():
    cache = OperationCache()
    x = torch.randn(32, 64).to(torch.bfloat16)
    results = []
    for cols in (1, 1, 2, 1):
        op = make_double(cols)
        op.cache = cache
        y = ttnn.zeros((32, 64), dtype=ttnn.bfloat16)
        op(ttnn.from_torch(x), y)
        results.append(ttnn.to_torch(y))
    assert (cache.misses, cache.hits) == (2, 2)  # cols=1 once, cols=2 once
    for cols, y in zip((1, 1, 2, 1), results):
        assert torch.equal(y, expected(x, cols))


def test_the_cache_keeps_no_tensor_alive():
    double_cols.cache = OperationCache()
    x = ttnn.from_torch(torch.ones(32, 96, dtype=torch.bfloat16))
    y = ttnn.zeros((32, 96), dtype=ttnn.bfloat16)
    double_cols(x, y)
    refs = [weakref.ref(x.data), weakref.ref(y.data)]
    del x, y
    gc.collect()
    assert all(r() is None for r in refs)


@ttl.operation(grid=(1, 1))
def double_with_local_def(x, y):
    """Kernel code with a local function (its env holds it), a loop exit
    and `and` on run-time values: what used to form reference cycles."""
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        def fetch(c):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, c], blk).wait()

        for c in range(4):
            if c == 1:
                break
            if c >= 0 and c < 4:
                fetch(c)

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a, y_dfb.reserve() as o:
            o.store(a + a)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


@ttl.operation(grid=(1, 1))
def double_unified(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
    with x_dfb.reserve() as blk:
        ttl.copy(x[0, 0], blk).wait()
    with x_dfb.wait() as a, y_dfb.reserve() as o:
        o.store(a + a)
    with y_dfb.wait() as blk:
        ttl.copy(blk, y[0, 0]).wait()


def test_a_compiling_call_frees_its_tensors_without_the_cycle_collector():
    """What a compile builds (translators, emitters, local functions' envs,
    the operation context) is freed by reference counting when the call
    returns, so a large tensor goes as soon as the caller drops it."""
    for op in (double_with_local_def, double_unified):
        op.cache = OperationCache()
        x_host = torch.randn(32, 32).to(torch.bfloat16)
        gc.collect()
        gc.disable()
        try:
            x = ttnn.from_torch(x_host)
            y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
            op(x, y)
            assert op.cache.misses == 1
            assert torch.equal(ttnn.to_torch(y), x_host + x_host)  # x + x is exact in bf16
            refs = [weakref.ref(x.data), weakref.ref(y.data)]
            del x, y
            assert [r() for r in refs] == [None, None], op.fn.__name__
        finally:
            gc.enable()


def test_the_compiler_defines_no_recursive_closure():
    """A nested function that calls itself holds its own cell: a reference
    cycle with everything it closes over (envs, blocks, tensors), freed only
    by the cycle collector. The test above covers the paths its kernels
    take; this covers the rest of the package."""
    found = []
    for path in sorted(Path(ttlx.__file__).parent.rglob("*.py")):
        for outer in ast.walk(ast.parse(path.read_text())):
            if not isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(outer):
                if inner is not outer and isinstance(inner, ast.FunctionDef) and any(
                        isinstance(n, ast.Name) and n.id == inner.name and isinstance(n.ctx, ast.Load)
                        for n in ast.walk(inner)):
                    found.append(f"{path.name}:{inner.lineno} {outer.name}.{inner.name}")
    assert found == []
