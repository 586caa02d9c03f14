# SPDX-License-Identifier: Apache-2.0
"""Unified-body operations (tt-lang spec 0.19): the spec's own examples and
ttlx's unified kernels run through `ttlx run` against torch; the thread each
statement is assigned to (in the TTL the compiler emits); composition; and
every error of the thread assignment and of composition, at the user's
line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from kernel_cli import tt_lang_sim, ttlx

import ttlx.lang as ttl
from ttlx.lang import KernelError, ttnn

ROOT = Path(__file__).resolve().parents[2]
KERNELS = ROOT / "test" / "kernels"


def tensor(rows: int = 32, cols: int = 32, seed: int = 0) -> ttnn.Tensor:
    torch.manual_seed(seed)
    return ttnn.from_torch(torch.randn(rows, cols).to(torch.bfloat16), layout=ttnn.TILE_LAYOUT)


def source_line(error: KernelError) -> str:
    """The user's line the error points at."""
    return Path(error.file).read_text().splitlines()[error.line - 1]


def threads(ir: str) -> dict[str, str]:
    """The text of each thread function of a TTL module."""
    parts = re.split(r"(?m)^  func\.func @(\w+)", ir)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


# ----- unified kernels, numerically ---------------------------------------------------
@pytest.mark.parametrize("kernel", ["unified_elementwise.py", "unified_matmul.py", "unified_pipe.py",
                                    "unified_compose.py", "unified_compose_pipe.py"])
def test_unified_kernels_match_torch(kernel):
    result = ttlx("run", str(KERNELS / kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_tt_lang_sim_does_not_run_a_unified_body():
    """Why the unified kernels are checked against torch only: tt-lang-sim
    1.1.6 runs kernel code only inside thread functions."""
    result = tt_lang_sim(str(KERNELS / "unified_matmul.py"))
    assert result.returncode != 0 and "No active scheduler" in result.stderr, result.stdout + result.stderr


# ----- which thread runs what ---------------------------------------------------------------
def test_copies_go_to_data_movement_and_block_math_to_compute():
    result = ttlx("compile", str(KERNELS / "unified_elementwise.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    funcs = threads(result.stdout)
    assert list(funcs) == ["reader", "compute", "writer"]
    reader, compute, writer = funcs["reader"], funcs["compute"], funcs["writer"]
    assert reader.count("ttl.copy_to_block") == 2 and "ttl.add" not in reader
    assert reader.count("ttl.dfb_reserve") == 2 and reader.count("ttl.dfb_push") == 2  # follow the copies
    assert "ttl.add" in compute and "ttl.store" in compute and "ttl.copy" not in compute
    assert compute.count("ttl.dfb_wait") == 2 and compute.count("ttl.dfb_reserve") == 1  # follow the math/store
    assert "ttl.copy_to_tensor" in writer and "ttl.add" not in writer and writer.count("ttl.dfb_wait") == 1


def test_loops_and_index_arithmetic_are_shared_by_the_threads_that_need_them():
    result = ttlx("compile", str(KERNELS / "unified_matmul.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    funcs = threads(result.stdout)
    assert [funcs[t].count("scf.for") for t in ("reader", "compute", "writer")] == [3, 3, 2]
    assert "ttl.matmul" in funcs["compute"] and "ttl.fill" in funcs["compute"]
    assert "ttl.copy" not in funcs["compute"] and "ttl.matmul" not in funcs["reader"] + funcs["writer"]
    result = ttlx("compile", str(KERNELS / "unified_elementwise.py"), "--emit", "ttl")
    funcs = threads(result.stdout)
    for t in ("reader", "compute", "writer"):  # the loop starts at y * 2 + x on every thread
        assert funcs[t].count("ttl.node") == 2 and funcs[t].count("scf.for") == 1, t


def test_pipe_receive_and_send_go_to_different_data_movement_threads():
    result = ttlx("compile", str(KERNELS / "unified_pipe.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    funcs = threads(result.stdout)
    assert "ttl.pipe_recv" in funcs["reader"] and "ttl.pipe_send" not in funcs["reader"]
    assert "ttl.pipe_send" in funcs["writer"] and "ttl.pipe_recv" not in funcs["writer"]


def test_a_thread_with_no_work_is_left_out_and_print_goes_to_compute():
    @ttl.operation(grid=(1, 1))
    def scale(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        print("scaling")
        with x_dfb.wait() as xb, y_dfb.reserve() as yb:
            yb.store(xb + xb)
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()

    funcs = threads(scale.compile(tensor(), tensor()).stage("ttl"))
    assert list(funcs) == ["reader", "compute", "writer"]
    assert "scaling" in funcs["compute"] and "scaling" not in funcs["reader"] + funcs["writer"]

    @ttl.operation(grid=(1, 1))
    def copy_only(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()

    assert list(threads(copy_only.compile(tensor(), tensor()).stage("ttl"))) == ["reader", "writer"]
    x, y = tensor(seed=1), tensor(seed=2)
    copy_only(x, y)
    assert torch.equal(ttnn.to_torch(x), ttnn.to_torch(y))


def test_element_access_stays_on_the_thread_of_its_block():
    @ttl.operation(grid=(1, 1))
    def patch(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
            v = ttl.element_read(blk, 0, 0)
            ttl.element_write(blk, 1, 1, v)
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()

    funcs = threads(patch.compile(tensor(), tensor()).stage("ttl"))
    assert list(funcs) == ["reader", "writer"]
    assert "ttl.element_read" in funcs["reader"] and "ttl.element_write" in funcs["reader"]
    x, y = tensor(seed=3), tensor()
    patch(x, y)
    want = ttnn.to_torch(x).clone()
    want[1, 1] = want[0, 0]
    assert torch.equal(ttnn.to_torch(y), want)


# ----- the operation cache ------------------------------------------------------------------
ROWS_COPIED = 1


@ttl.operation(grid=(1, 1))
def rows_from(t, dfb: ttl.DataflowBuffer):
    for r in range(ROWS_COPIED):
        with dfb.reserve() as blk:
            ttl.copy(t[r, 0], blk).wait()


@ttl.operation(grid=(1, 1))
def rows_to(dfb: ttl.DataflowBuffer, t):
    for r in range(ROWS_COPIED):
        with dfb.wait() as blk:
            ttl.copy(blk, t[r, 0]).wait()


@ttl.operation(grid=(1, 1))
def copy_rows(x, y):
    dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    rows_from(x, dfb)
    rows_to(dfb, y)


def test_unified_calls_reuse_the_program_on_their_own_tensors():
    from ttlx.lang.operation_cache import OperationCache

    copy_rows.cache = OperationCache()
    for seed in (10, 11):
        x, y = tensor(64, 32, seed=seed), tensor(64, 32)
        copy_rows(x, y)
        assert torch.equal(ttnn.to_torch(y)[:32], ttnn.to_torch(x)[:32])
    assert (copy_rows.cache.misses, copy_rows.cache.hits) == (1, 1)
    copy_rows(tensor(96, 32), tensor(96, 32))  # other shapes: compiled again
    assert (copy_rows.cache.misses, copy_rows.cache.hits) == (2, 1)


def test_a_changed_global_of_a_composed_operation_compiles_again():
    global ROWS_COPIED
    from ttlx.lang.operation_cache import OperationCache

    copy_rows.cache = OperationCache()
    x = tensor(64, 32, seed=12)
    copy_rows(x, tensor(64, 32))
    ROWS_COPIED = 2
    try:
        y = tensor(64, 32)
        copy_rows(x, y)
    finally:
        ROWS_COPIED = 1
    assert torch.equal(ttnn.to_torch(y), ttnn.to_torch(x))  # both rows: not the one-row program
    assert (copy_rows.cache.misses, copy_rows.cache.hits) == (2, 0)


# ----- errors of the thread assignment ------------------------------------------------------
def compile_error(op, *args, match: str | None = None) -> KernelError:
    """The KernelError that compiling `op` (for two 32x32 tensors unless
    `args` are given) raises; its text must match the regex `match`."""
    with pytest.raises(KernelError, match=match) as error:
        op.compile(*(args or (tensor(), tensor())))
    return error.value


def test_a_block_expression_copied_is_an_error_saying_to_store_it_first():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        with dfb.wait() as blk:
            ttl.copy(blk + blk, y[0, 0]).wait()

    error = compile_error(op)
    assert re.fullmatch(r".*test_unified.py:\d+:\d+: error: this copy moves a block expression: a statement runs on "
                        r"one thread, .* store the computed block into a dataflow buffer \(reserve, store, push\) "
                        r"and copy from a block waited on from there", str(error))
    assert "ttl.copy(blk + blk, y[0, 0])" in source_line(error)

    @ttl.operation(grid=(1, 1))
    def named(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        with dfb.wait() as blk:
            twice = blk + blk
            ttl.copy(twice, y[0, 0]).wait()

    error = compile_error(named)
    assert "this copy moves a block expression" in error.message and "ttl.copy(twice" in source_line(error)


def test_a_statement_mixing_compute_and_data_movement_is_an_error():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        a_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        b_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with a_dfb.reserve() as a, b_dfb.wait() as b:
            both = (ttl.copy(x[0, 0], a), ttl.math.exp(b))

    error = compile_error(op, match=r"error: this statement mixes compute \(line \d+\) and data movement "
                                    r"\(line \d+\); a statement runs on one thread: store the computed block "
                                    r"into a dataflow buffer and copy from there")
    assert "both = (ttl.copy(" in source_line(error)


def test_a_block_used_by_compute_and_data_movement_is_an_error_at_its_acquisition():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        blk = dfb.reserve()
        ttl.copy(x[0, 0], blk).wait()
        blk.store(ttl.math.exp(blk))
        blk.push()

    error = compile_error(op, match=r"error: the block 'blk' is used by compute work \(line \d+\) and by data "
                                    r"movement \(line \d+\); a block belongs to one thread")
    assert "blk = dfb.reserve()" in source_line(error)


def test_a_block_received_from_and_sent_to_pipes_is_an_error():
    @ttl.operation(grid=(1, 2))
    def forward(x, y):
        net_in = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(0, 1))])
        net_out = ttl.PipeNet([ttl.Pipe(src=(0, 1), dst=(0, 0))])
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            def receive(pipe):
                ttl.copy(pipe, blk).wait()

            def send(pipe):
                ttl.copy(blk, pipe).wait()

            net_in.if_dst(receive)
            net_out.if_src(send)

    error = compile_error(forward, match=r"error: the block 'blk' is received from a pipe \(line \d+\) and sent to "
                                         r"a pipe \(line \d+\); pipe receives and sends run on different "
                                         r"data-movement threads")
    assert "with dfb.reserve() as blk" in source_line(error)


def test_an_acquisition_no_statement_places_is_an_error():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        blk = dfb.reserve()
        blk.push()

    error = compile_error(op, match=r"error: no statement using the block 'blk' says which thread acquires "
                                    r"it")
    assert "blk = dfb.reserve()" in source_line(error)


def test_a_branch_on_one_threads_value_around_another_threads_work_is_an_error():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
            v = ttl.element_read(blk, 0, 0)
        if v > 0:
            with x_dfb.wait() as xb, y_dfb.reserve() as yb:
                yb.store(xb + xb)

    error = compile_error(op, match=r"error: this branch depends on a value of the reader data-movement "
                                    r"thread, but its body has work of the compute thread \(line \d+\)")
    assert "if v > 0:" in source_line(error)


def test_a_statement_using_two_threads_values_is_an_error():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
        with x_dfb.reserve() as a:
            ttl.copy(x[0, 0], a).wait()
        with x_dfb.wait() as b, y_dfb.reserve() as o:
            o.store(b + b)
            pair = (a, b)

    error = compile_error(op, match=r"error: this statement uses 'a' of the reader data-movement thread and "
                                    r"'b' of the compute thread; a statement runs on one thread")
    assert "pair = (a, b)" in source_line(error)


def test_a_kernel_call_the_compiler_cannot_place_is_an_error(monkeypatch):
    from ttlx.lang import api

    monkeypatch.setattr(ttl, "frobnicate", api._kernel_only("frobnicate"), raising=False)

    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        ttl.frobnicate()

    error = compile_error(op, match=r"error: ttlx cannot tell which thread runs ttl.frobnicate in a unified "
                                    r"operation body; write it in a multi-kernel operation")
    assert "ttl.frobnicate()" in source_line(error)


def test_a_body_without_kernel_work_runs_in_python_on_each_node():
    """grid/grid_size.py and grid/node.py of the spec: `ttl.node(...)` in
    such a body is each node's coordinates, and its asserts hold on every
    node."""
    result = ttlx("run", str(KERNELS / "unified_grid_queries.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_a_body_without_kernel_work_compiles_to_no_kernels():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    op(tensor(), tensor())  # Python ran the body; nothing for the device
    error = compile_error(op, match=r"error: the operation body has no kernel work: Python runs it on each node when "
                                    r"the operation is called, and there are no kernels to compile")
    assert "@ttl.operation(grid=(1, 1))" in source_line(error)


def test_a_statement_outside_the_kernel_subset_is_the_translators_error_at_its_line():
    """Not dropped: every thread gets it, and the first reports it."""
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
            v = ttl.element_read(blk, 0, 0)
        assert v > 0
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()

    error = compile_error(op, match=r"error: assert statements are not supported in kernel code")
    assert source_line(error).strip() == "assert v > 0"


def test_translator_errors_stay_at_the_users_line():
    """A statement the thread split moved into a thread function is still
    reported where the user wrote it."""
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0:2], blk).wait()
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()

    error = compile_error(op, tensor(32, 64), tensor())
    assert "ttl.copy(x[0, 0:2], blk)" in source_line(error), str(error)


# ----- composition ------------------------------------------------------------------------
@ttl.operation(grid=(1, 1))
def fill_from(t, dfb: ttl.DataflowBuffer):
    with dfb.reserve() as blk:
        ttl.copy(t[0, 0], blk).wait()


@ttl.operation(grid=(1, 1))
def drain_to(dfb: ttl.DataflowBuffer, t):
    with dfb.wait() as blk:
        ttl.copy(blk, t[0, 0]).wait()


@ttl.operation(grid=(1, 1))
def pass_through(x, y):
    dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    fill_from(x, dfb)
    drain_to(dfb, y)


def test_composed_operations_expand_in_place_and_run():
    funcs = threads(pass_through.compile(tensor(), tensor()).stage("ttl"))
    assert list(funcs) == ["reader", "writer"]
    assert "ttl.copy_to_block" in funcs["reader"] and "ttl.copy_to_tensor" in funcs["writer"]
    x, y = tensor(seed=4), tensor(seed=5)
    pass_through(x, y)
    assert torch.equal(ttnn.to_torch(x), ttnn.to_torch(y))


@ttl.operation(grid=(1, 2))
def hop(x, y):
    """Its own pipe net and dataflow buffers: node (0, 0) sends tile (0, 0)
    of x to node (0, 1), which writes it to tile (0, 1) of y."""
    net = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(0, 1))])
    send_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    recv_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
    if net.is_src():
        with send_dfb.reserve() as s:
            ttl.copy(x[0, 0], s).wait()
        with send_dfb.wait() as s:
            def send(pipe):
                ttl.copy(s, pipe).wait()

            net.if_src(send)
    if net.is_dst():
        with recv_dfb.reserve() as r:
            def receive(pipe):
                ttl.copy(pipe, r).wait()

            net.if_dst(receive)
        with recv_dfb.wait() as r:
            ttl.copy(r, y[0, 1]).wait()


@ttl.operation(grid=(1, 2))
def hop_twice(x, y, z):
    hop(x, y)
    hop(y, z)


def test_a_composed_operation_with_its_own_pipe_net_runs():
    compiled = hop_twice.compile(tensor(32, 64), tensor(32, 64), tensor(32, 64))
    funcs = threads(compiled.stage("ttl"))
    assert funcs["reader"].count("ttl.pipe_recv") == 2 and funcs["writer"].count("ttl.pipe_send") == 2
    x, y, z = tensor(32, 64, seed=6), tensor(32, 64, seed=7), tensor(32, 64, seed=8)
    y_before = ttnn.to_torch(y).clone()
    hop_twice(x, y, z)
    assert torch.equal(ttnn.to_torch(y)[:, 32:], ttnn.to_torch(x)[:, :32])
    assert torch.equal(ttnn.to_torch(y)[:, :32], y_before[:, :32])
    # the second hop sends y's tile (0, 0), which the first left as it was
    assert torch.equal(ttnn.to_torch(z)[:, 32:], y_before[:, :32])


def test_errors_in_a_composed_operation_are_at_its_own_lines():
    @ttl.operation(grid=(1, 1))
    def bad_load(t, dfb: ttl.DataflowBuffer):
        with dfb.reserve() as blk:
            ttl.copy(t[0, 0:2], blk).wait()

    @ttl.operation(grid=(1, 1))
    def caller(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        bad_load(x, dfb)
        drain_to(dfb, y)

    error = compile_error(caller, tensor(32, 64), tensor())
    assert "ttl.copy(t[0, 0:2], blk)" in source_line(error), str(error)


def test_an_expand_only_operation_called_directly_is_an_error():
    with pytest.raises(KernelError, match=r"test_unified.py:\d+:\d+: error: 'fill_from' takes a dataflow buffer "
                                          r"\('dfb'\), so it is an expand-only operation: call it from the body of "
                                          r"another operation"):
        fill_from(tensor(), tensor())
    with pytest.raises(KernelError, match=r"error: 'multicast' takes a pipe net \('net'\), so it is an expand-only "
                                          r"operation"):
        multicast(tensor())


@ttl.operation(grid=(1, 2))
def multicast(net: ttl.PipeNet):
    """Expand-only by its annotation."""


def test_a_runtime_argument_that_is_not_a_tensor_is_an_error():
    with pytest.raises(KernelError, match=r"error: runtime arguments of an operation are ttnn tensors; 'y' of "
                                          r"'pass_through' is int 3: pass other values as compile-time arguments"):
        pass_through(tensor(), 3)


def test_an_operation_calling_itself_is_an_error():
    error = compile_error(ping, match=r"error: operation 'ping' calls itself \(ping -> pong -> ping\); an "
                                      r"operation cannot call itself, directly or through a cycle")
    assert source_line(error).strip() == "ping(x, y)"


@ttl.operation(grid=(1, 1))
def ping(x, y):
    pong(x, y)


@ttl.operation(grid=(1, 1))
def pong(x, y):
    ping(x, y)


def test_default_parameters_are_an_error():
    @ttl.operation(grid=(1, 1))
    def with_default(x, dfb: ttl.DataflowBuffer = None):
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()

    @ttl.operation(grid=(1, 1))
    def caller(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with_default(x, dfb)
        drain_to(dfb, y)

    error = compile_error(caller, match=r"error: operation parameters have no default values \('with_default'\); "
                                        r"pass configuration as a compile-time argument")
    assert "dfb: ttl.DataflowBuffer = None" in source_line(error)
    with pytest.raises(KernelError, match=r"error: operation parameters have no default values \('with_default'\)"):
        with_default.compile(tensor(), tensor())


@pytest.mark.parametrize("call, message", [
    ("fill_from(*args)", r"argument unpacking is not allowed in a call of the operation 'fill_from'; pass each "
                         r"parameter"),
    ("fill_from(x)", r"a call of the composed operation 'fill_from' supplies every parameter; missing 'dfb'"),
    ("fill_from(x, dfb, dfb)", r"'fill_from' takes 2 parameter\(s\) \(t, dfb\); got 3"),
    ("fill_from(x, dfb=dfb, t=x)", r"'fill_from' has no parameter 't' left to pass"),
    ("done = fill_from(x, dfb)", r"a call of the operation 'fill_from' is a statement of its own, not a value"),
])
def test_calls_of_composed_operations_that_break_the_rules(tmp_path, call, message):
    kernel = tmp_path / "compose_error.py"
    kernel.write_text(f'''
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def fill_from(t, dfb: ttl.DataflowBuffer):
    with dfb.reserve() as blk:
        ttl.copy(t[0, 0], blk).wait()


@ttl.operation(grid=(1, 1))
def op(x, y):
    dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    args = (x, dfb)
    {call}
    with dfb.wait() as blk:
        ttl.copy(blk, y[0, 0]).wait()


t = ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
op(t, t)
''')
    result = ttlx("run", str(kernel))
    assert result.returncode != 0
    assert re.search(rf"compose_error.py:17:\d+: error: {message}", result.stderr), result.stderr


def test_reassigning_a_parameter_of_a_composed_operation_is_an_error():
    @ttl.operation(grid=(1, 1))
    def rebinds(t, dfb: ttl.DataflowBuffer):
        dfb = dfb
        with dfb.reserve() as blk:
            ttl.copy(t[0, 0], blk).wait()

    @ttl.operation(grid=(1, 1))
    def caller(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        rebinds(x, dfb)
        drain_to(dfb, y)

    error = compile_error(caller, match=r"error: 'dfb' is a parameter of the composed operation 'rebinds'; "
                                        r"parameters are not reassigned")
    assert source_line(error).strip() == "dfb = dfb"


def test_composed_operation_calls_in_loops_and_with_kernel_values_are_errors():
    @ttl.operation(grid=(1, 1))
    def in_loop(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        for i in range(2):
            fill_from(x, dfb)
            drain_to(dfb, y)

    error = compile_error(in_loop, match=r"error: composed operations are expanded only at the top level of an "
                                         r"operation body")
    assert source_line(error).strip() == "fill_from(x, dfb)"

    @ttl.operation(grid=(1, 1))
    def kernel_value(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        with dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        node = ttl.node(dims=1)
        fill_from(x, [dfb][node])

    with pytest.raises(KernelError, match=r"error: argument 'dfb' of the composed operation 'fill_from' uses node, "
                                          r"known only when the kernel runs"):
        kernel_value.compile(tensor(), tensor())


def test_thread_functions_under_other_names_make_a_multi_kernel_operation():
    dm = ttl.datamovement

    @ttl.operation(grid=(1, 1))
    def renamed(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

        @dm()
        def read():
            with dfb.reserve() as blk:
                ttl.copy(x[0, 0], blk).wait()

        @dm()
        def write():
            with dfb.wait() as blk:
                ttl.copy(blk, y[0, 0]).wait()

    assert not renamed.unified and pass_through.unified
    assert list(threads(renamed.compile(tensor(), tensor()).stage("ttl"))) == ["read", "write"]


def test_multi_kernel_operations_do_not_compose():
    @ttl.operation(grid=(1, 1))
    def multi(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def read():
            with dfb.reserve() as blk:
                ttl.copy(x[0, 0], blk).wait()

        @ttl.datamovement()
        def write():
            with dfb.wait() as blk:
                ttl.copy(blk, y[0, 0]).wait()

    @ttl.operation(grid=(1, 1))
    def unified_calls_multi(x, y):
        multi(x, y)

    with pytest.raises(KernelError, match=r"error: 'multi' is a multi-kernel operation \(@ttl.compute / "
                                          r"@ttl.datamovement functions\); multi-kernel operations do not compose"):
        unified_calls_multi.compile(tensor(), tensor())

    @ttl.operation(grid=(1, 1))
    def multi_calls(x, y):
        pass_through(x, y)

        @ttl.datamovement()
        def read():
            pass

    error = compile_error(multi_calls, match=r"error: 'pass_through' is called while another operation is being "
                                             r"defined; .* multi-kernel operations do not compose")
    assert source_line(error).strip() == "pass_through(x, y)"


# ----- GroupTransfer, semaphores, wait_any and read_index in a unified body -----------------
def test_a_group_transfer_goes_with_its_transfers():
    @ttl.operation(grid=(1, 1))
    def add_halves(x, y):
        a_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        b_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)
        with a_dfb.reserve() as a, b_dfb.reserve() as b:
            group = ttl.GroupTransfer()
            group.add(ttl.copy(x[0, 0], a))
            group.add(ttl.copy(x[0, 1], b))
            group.wait_all()
        with a_dfb.wait() as a, b_dfb.wait() as b, y_dfb.reserve() as o:
            o.store(a + b)
        with y_dfb.wait() as o:
            ttl.copy(o, y[0, 0]).wait()

    x, y = tensor(32, 64, seed=4), tensor()
    funcs = threads(add_halves.compile(x, y).stage("ttl"))
    assert funcs["reader"].count("ttl.copy_to_block") == 2 and funcs["reader"].count("ttl.wait %") == 2
    assert "ttl.copy" not in funcs["compute"] and funcs["writer"].count("ttl.wait %") == 1
    add_halves(x, y)
    xt = ttnn.to_torch(x).float()
    # One bf16 addition of values below 8 in size: one rounding, 2^-5.
    assert (ttnn.to_torch(y).float() - (xt[:, :32] + xt[:, 32:])).abs().max().item() <= 2.0**-5


def test_a_group_transfer_of_two_threads_is_an_error():
    @ttl.operation(grid=(1, 1))
    def op(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        group = ttl.GroupTransfer()
        with dfb.reserve() as blk:
            group.add(ttl.copy(x[0, 0], blk))
        with dfb.wait() as blk:
            group.add(ttl.copy(blk, y[0, 0]))
        group.wait_all()

    error = compile_error(op, match=r"error: this statement uses 'blk' of the writer data-movement thread "
                                    r"and 'group' of the reader data-movement thread; a statement runs on "
                                    r"one thread")
    assert "group.add(ttl.copy(blk, y[0, 0]))" in source_line(error)


def test_semaphore_calls_run_on_the_reader():
    """Node 1 lets node 0 read (a credit through `sem`); each node copies its
    tile of x to y."""
    @ttl.operation(grid=(2, 1))
    def credited(x, y):
        n = ttl.node(dims=1)
        sem = ttl.Semaphore()
        to_0 = sem.get_remote((0, 0))
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        if n == 1:
            to_0.inc(1)
        else:
            sem.wait_eq(1)
        with dfb.reserve() as blk:
            ttl.copy(x[0, n], blk).wait()
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, n]).wait()

    x, y = tensor(32, 64, seed=5), tensor(32, 64)
    funcs = threads(credited.compile(x, y).stage("ttl"))
    assert "ttl.semaphore_remote_inc" in funcs["reader"] and "ttl.semaphore_wait" in funcs["reader"]
    assert "ttl.semaphore" not in funcs["writer"]
    credited(x, y)
    assert torch.equal(ttnn.to_torch(y), ttnn.to_torch(x))


def test_wait_any_runs_with_the_pipe_receives():
    @ttl.operation(grid=(3, 1))
    def first_of_two(a, y):
        n = ttl.node(dims=1)
        pipe_1 = ttl.Pipe((1, 0), (0, 0))
        pipe_2 = ttl.Pipe((2, 0), (0, 0))
        net_1 = ttl.PipeNet([pipe_1])
        net_2 = ttl.PipeNet([pipe_2])
        src = ttl.make_dataflow_buffer_like(a, shape=(1, 1), block_count=2)
        land_1 = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=1)
        land_2 = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=1)
        if n == 0:
            b1 = land_1.reserve()
            b2 = land_2.reserve()
            r1 = ttl.copy(pipe_1, b1)
            r2 = ttl.copy(pipe_2, b2)
            first = ttl.wait_any((r1, r2), start=0).index()
            r1.wait()
            r2.wait()
            b1.push()
            b2.push()
            with land_1.wait() as t1, land_2.wait() as t2:
                ttl.copy(t1, y[0, 0]).wait()
                ttl.copy(t2, y[0, 1]).wait()
        else:
            with src.reserve() as blk:
                ttl.copy(a[0, n - 1], blk).wait()
            with src.wait() as blk:
                def send(pipe):
                    ttl.copy(blk, pipe).wait()

                net_1.if_src(send)
                net_2.if_src(send)

    a, y = tensor(32, 64, seed=6), tensor(32, 64)
    funcs = threads(first_of_two.compile(a, y).stage("ttl"))
    assert "ttl.wait_any" in funcs["reader"] and "ttl.pipe_recv" in funcs["reader"]
    assert "ttl.wait_any" not in funcs["writer"]
    first_of_two(a, y)
    assert torch.equal(ttnn.to_torch(y), ttnn.to_torch(a))


def test_read_index_runs_with_its_block_and_feeds_a_copy():
    """`i = ttl.read_index(blk, 0, 0)` on the reader picks which tile row of
    w the next copy reads."""
    @ttl.operation(grid=(1, 1))
    def gather_row(idx, w, y):
        i_dfb = ttl.make_dataflow_buffer_like(idx, shape=(1, 1), block_count=2)
        w_dfb = ttl.make_dataflow_buffer_like(w, shape=(1, 1), block_count=2)
        with i_dfb.reserve() as blk:
            ttl.copy(idx[0, 0], blk).wait()
        with i_dfb.wait() as blk:
            i = ttl.read_index(blk, 0, 0)
            with w_dfb.reserve() as row:
                ttl.copy(w[i, 0], row).wait()
        with w_dfb.wait() as row:
            ttl.copy(row, y[0, 0]).wait()

    index = torch.zeros(32, 32, dtype=torch.bfloat16)
    index[0, 0] = 2.0
    idx = ttnn.from_torch(index, layout=ttnn.TILE_LAYOUT)
    w, y = tensor(128, 32, seed=7), tensor()
    funcs = threads(gather_row.compile(idx, w, y).stage("ttl"))
    assert "ttl.read_index" in funcs["reader"] and "ttl.read_index" not in funcs["writer"]
    gather_row(idx, w, y)
    assert torch.equal(ttnn.to_torch(y), ttnn.to_torch(w)[64:96])
