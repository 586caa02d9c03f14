# SPDX-License-Identifier: Apache-2.0
"""Values that live across loops and scopes (docs/language.md, "Block
variables across loops"): tt-lang's accumulation idioms, which gave zeros
with exit 0 before, run through `ttlx run` against torch (tolerances argued
in each kernel file), against tt-lang-sim 1.1.6 where the simulator runs
the file, the IR they become, and one located error per construct that is
refused (old-form reductions, accumulation ttlx cannot keep)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from kernel_cli import KERNELS, expect_located_error, kernel_file, tt_lang_sim, ttlx


@pytest.mark.parametrize("kernel", ["accumulate_matmul.py", "accumulate_output.py"])
def test_accumulation_matches_torch(kernel):
    result = ttlx("run", str(KERNELS / kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_accumulation_matches_tt_lang_sim(tmp_path):
    """accumulate_matmul.py under both. The simulator computes in float32
    on unrounded inputs; ttlx rounds to bf16 up to 12 times per matmul
    result (the file's argument) of positive sums: rtol 2^-4."""
    kernel = KERNELS / "accumulate_matmul.py"
    sim_out, ttlx_out = tmp_path / "sim.npy", tmp_path / "ttlx.npy"
    for result in (tt_lang_sim(str(kernel), str(sim_out)), ttlx("run", str(kernel), str(ttlx_out))):
        assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr
    sim, ours = np.load(sim_out), np.load(ttlx_out)
    assert sim.shape == ours.shape == (32, 96)
    np.testing.assert_allclose(ours, sim, rtol=2.0**-4, atol=0)


def test_block_variable_lives_in_a_scratch_dfb():
    """The running value crosses the loop in a two-block DFB of the
    compute thread: stored once per iteration, waited after the loop."""
    result = ttlx("compile", str(KERNELS / "accumulate_matmul.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    compute = result.stdout.split("func.func @compute")[1].split("func.func @")[0]
    assert "ttl.bind_dfb 5 : !ttl.dfb<[1, 2], bf16, 2>" in compute  # acc: the block's shape, two blocks
    loop = compute.split("scf.for")[1]
    assert loop.index("ttl.matmul") < loop.index("ttl.store") < loop.index("ttl.dfb_pop %3")  # before x, z go


BASE = '''
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def op(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=({rows}, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for k in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0:{rows}, 0], blk).wait()

    @ttl.compute()
    def compute():
{compute}

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


x = ttnn.from_torch(torch.ones(32 * {rows}, 32, dtype={dtype}))
y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
op(x, y)
'''


def expect_error(tmp_path: Path, compute: str, needle: str, message: str, rows: int = 1,
                 dtype: str = "torch.bfloat16") -> None:
    text = BASE.format(compute=textwrap.indent(compute, " " * 8), rows=rows, dtype=dtype)
    expect_located_error(kernel_file(tmp_path, text), text, needle, message)


def test_old_form_reduction_is_a_located_error(tmp_path):
    """reduce_sum(x, scaler, dims=[0]): the scaler was ignored and dims read
    with today's meaning (wrong numbers); its old meaning could not be
    established, so it is refused with the new spelling."""
    compute = """with x_dfb.wait() as a, y_dfb.reserve() as o:
    o.store(ttl.math.reduce_sum(a, a, dims=[0]))"""
    expect_error(tmp_path, compute, "reduce_sum(a, a", "ttl.math.reduce_sum(x, scaler, dims=...) is the old form, "
                 "whose scaler block and meaning of dims are not supported; write ttl.math.reduce_sum(x, dims=[-1]) "
                 "(each row into column 0), dims=[-2] (each column into row 0) or dims=[-2, -1] (everything into "
                 "element (0, 0)), and apply a scale to the result with *")


def test_accumulating_after_a_store_is_a_located_error(tmp_path):
    compute = """with y_dfb.reserve() as o:
    with x_dfb.wait() as a:
        o.store(a)
    with x_dfb.wait() as a:
        o += a"""
    expect_error(tmp_path, compute, "o += a", "'o += ...' after 'o.store(...)': accumulate in a block variable "
                 "instead (acc = ...; acc += ...; o.store(acc))")


def test_block_variable_in_a_loop_with_break_is_a_located_error(tmp_path):
    compute = """with y_dfb.reserve() as o:
    acc = ttl.block.fill(0, shape=(1, 1))
    for j in range(2):
        with x_dfb.wait() as a:
            acc += a
        if j > 5:
            break
    o.store(acc)"""
    expect_error(tmp_path, compute, "for j in range(2)", "block variable 'acc' changes in a loop with break, "
                 "continue, return or a while condition; keep it in a 'for' loop without early exits or store it "
                 "into a DFB in each iteration")


def test_block_variable_turning_into_a_number_is_a_located_error(tmp_path):
    compute = """with y_dfb.reserve() as o:
    acc = ttl.block.fill(0, shape=(1, 1))
    for j in range(2):
        with x_dfb.wait() as a:
            acc = 1.0
    o.store(acc)"""
    expect_error(tmp_path, compute, "acc = 1.0", "block variable 'acc' is kept across loop iterations or "
                 "branches, so it stays a block")


MIXED = '''
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1), fp32_dest_acc_en=True)
def op(x, y, w):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
    w_dfb = ttl.make_dataflow_buffer_like(w, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        for k in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, k], blk).wait()
        with w_dfb.reserve() as blk:
            ttl.copy(w[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        with y_dfb.reserve() as o:
            acc = ttl.block.fill(0, shape=(1, 1))
            for j in range(2):
                with x_dfb.wait() as a:
                    acc += a
            o.store(acc)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()
        with w_dfb.wait() as blk:
            ttl.copy(blk, w[0, 0]).wait()


x_torch = torch.full((32, 64), 1.0 + 2.0 ** -12, dtype=torch.float32)
x = ttnn.from_torch(x_torch, dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT)
y = ttnn.zeros((32, 32), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT)
w = ttnn.zeros((32, 32), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
op(x, y, w)
print("PASS" if bool((ttnn.to_torch(y) == 2.0 + 2.0 ** -11).all()) else "FAIL")
'''


def test_fill_in_an_operation_of_mixed_types_accumulates_in_float32(tmp_path):
    """A fill without dtype= in an operation with bf16 (w) and float32 (x,
    y) DFBs: its scratch DFB is float32, which holds the fill's 0 and the
    sums exactly: 2 * (1 + 2^-12) needs float32's mantissa (bf16 has 8
    bits), so a bf16 accumulator would give 2.0 (DST is 32-bit here:
    fp32_dest_acc_en)."""
    path = kernel_file(tmp_path, MIXED)
    compiled = ttlx("compile", str(path), "--emit", "ttl")
    assert compiled.returncode == 0, compiled.stderr
    compute_ir = compiled.stdout.split("func.func @compute")[1].split("func.func @")[0]
    assert "ttl.bind_dfb 3 : !ttl.dfb<[1, 1], f32, 2>" in compute_ir, compute_ir  # acc's scratch DFB
    result = ttlx("run", str(path))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_block_variable_beyond_l1_is_a_located_error(tmp_path):
    """x's DFB takes 2 x 300 bf16 tiles (1200 KiB); acc's scratch 2 x 300 more."""
    compute = """acc = ttl.block.fill(0, shape=(300, 1))
for j in range(2):
    with x_dfb.wait() as a:
        acc += a
with y_dfb.reserve() as o:
    pass"""
    expect_error(tmp_path, compute, "for j in range(2)", "block variable 'acc' (300x1 tiles) is kept in L1 across "
                 "loop iterations or branches, but the operation's DFBs then need 2404 KiB of the 1464 KiB of L1; "
                 "use smaller blocks", rows=300)


def compute_ttl(tmp_path: Path, compute: str) -> str:
    """The compute thread's TTL IR for BASE with `compute` as its body."""
    path = kernel_file(tmp_path, BASE.format(compute=textwrap.indent(compute, " " * 8), rows=1,
                                             dtype="torch.bfloat16"))
    result = ttlx("compile", str(path), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    return result.stdout.split("func.func @compute")[1].split("func.func @")[0]


def test_block_expression_read_after_its_with_is_stored_into_a_scratch_dfb(tmp_path):
    """t = a + 1 reads a, which its `with` pops; t is read after it, so it is
    stored into a scratch DFB (dfb 2) before the pop and read from there
    (block_after_with.py runs such kernels against torch and tt-lang-sim)."""
    compute = compute_ttl(tmp_path, """with x_dfb.wait() as a:
    t = a + 1.0
with x_dfb.wait() as a:
    pass
with y_dfb.reserve() as o:
    o.store(t)""")
    assert "ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>" in compute, compute
    first = compute.split("ttl.dfb_pop")[0]  # up to the first with's pop
    assert "ttl.add" in first and "ttl.dfb_push" in first, compute  # t stored into the scratch DFB before it


def test_block_expression_not_read_after_its_with_needs_no_scratch_dfb(tmp_path):
    """t is stored inside its `with` and reassigned before any later read."""
    compute = compute_ttl(tmp_path, """with x_dfb.wait() as a:
    t = a + 1.0
with x_dfb.wait() as a:
    t = a * 2.0
    with y_dfb.reserve() as o:
        o.store(t)""")
    assert "ttl.bind_dfb 2" not in compute, compute


def test_block_expression_after_its_with_beyond_l1_is_a_located_error(tmp_path):
    """x's DFB takes 2 x 300 bf16 tiles (1200 KiB); t's scratch 2 x 300 more."""
    compute = """with x_dfb.wait() as a:
    t = a + 1.0
with x_dfb.wait() as b:
    u = t + b"""
    expect_error(tmp_path, compute, "with x_dfb.wait() as a", "block variable 't' (300x1 tiles) is kept in L1 after "
                 "this 'with' releases the blocks it reads, but the operation's DFBs then need 2404 KiB of the "
                 "1464 KiB of L1; use smaller blocks", rows=300)


def test_block_variable_in_a_data_movement_thread_is_a_located_error(tmp_path):
    compute = """with y_dfb.reserve() as o:
    pass"""
    text_read = """acc = ttl.block.fill(0, shape=(1, 1))
for k in range(2):
    acc = acc
"""
    text = BASE.format(compute=textwrap.indent(compute, " " * 8), rows=1, dtype="torch.bfloat16")
    text = text.replace("        for k in range(2):\n            with x_dfb.reserve()",
                        textwrap.indent(text_read, " " * 8) + "        for k in range(2):\n            "
                        "with x_dfb.reserve()", 1)
    expect_located_error(kernel_file(tmp_path, text), text, "for k in range(2):",
                         "block variable 'acc' changes in this loop or branch; block math runs in compute threads")


def test_dfb_block_reassigned_in_a_loop_is_a_located_error(tmp_path):
    """A name bound to a DFB block is not a block variable: after a loop
    gives it a new value it has none (it used to keep the old block)."""
    compute = """with y_dfb.reserve() as o, x_dfb.wait() as p:
    acc = p
    for j in range(2):
        acc = acc * 2.0
    o.store(acc)"""
    loop_line = 22  # the for statement in the generated file
    expect_error(tmp_path, compute, "acc = acc * 2.0", "'acc' names a DFB block and is assigned a new value in the "
                 f"loop or branch at line {loop_line}, so it has no single value here; give the new value "
                 "another name, or start the variable from a block expression (acc = ttl.block.fill(0, "
                 "shape=...) or blk + 0.0)")


# ----- replacing a waited block (spec 0.22) -------------------------------------------
def test_waited_block_replacement_matches_torch():
    """s.store(v) / s += v on a block from dfb.wait(), in a with, a loop, a
    branch and between an explicit wait and pop, bf16 and f32: exact (the
    file's argument)."""
    result = ttlx("run", str(KERNELS / "waited_block_replacement.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_waited_block_replacement_lives_in_a_scratch_dfb():
    """The new contents are stored at once into a DFB of the waited block's
    shape and type, read from there, and dropped before the waited block is
    popped; the loop carries them like a block variable."""
    result = ttlx("compile", str(KERNELS / "waited_block_replacement.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    compute = result.stdout.split("func.func @compute")[1].split("func.func @")[0]
    assert "%2 = ttl.bind_dfb 2 : !ttl.dfb<[1, 2], bf16, 2>" in compute
    head, loop = compute.split("scf.for", 1)
    assert head.index("%4 = ttl.dfb_wait %0") < head.index("ttl.mul %4") < head.index("ttl.dfb_reserve %2")
    body, after = loop.split("}", 1)
    assert "ttl.dfb_wait %2" in body and "ttl.dfb_push %2" in body and "ttl.dfb_pop %2" in body
    first = after.split("ttl.dfb_wait %0")[0]  # up to the next block of the input
    assert first.index("ttl.dfb_pop %2") < first.index("ttl.dfb_pop %0")


def test_rebinding_a_replaced_waited_block_is_a_located_error(tmp_path):
    compute = """with x_dfb.wait() as a, y_dfb.reserve() as o:
    a.store(a * 2.0)
    a = a + 1.0
    o.store(a)"""
    expect_error(tmp_path, compute, "a = a + 1.0", "'a' names a waited block whose contents were replaced (by "
                 "a.store or +=), so it stays that block until it is popped; give the new value another name")


@pytest.mark.parametrize("fill,message", [
    ("dtype='int8'", "the dtype of ttl.block.fill is ttnn.bfloat16 or ttnn.float32 (or a block's .dtype); got 'int8'"),
], ids=["unknown"])
def test_fill_dtype_errors(tmp_path, fill, message):
    compute = f"""with x_dfb.wait() as a, y_dfb.reserve() as o:
    o.store(a + ttl.block.fill(1.0, shape=(1, 1), {fill}))"""
    expect_error(tmp_path, compute, "ttl.block.fill(1.0", message)
