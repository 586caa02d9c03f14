# SPDX-License-Identifier: Apache-2.0
"""ttl.Semaphore on a grid (docs/language.md, "Semaphores"): barriers that
order DRAM traffic between nodes, checked against torch; the spec's own
examples run unchanged; a wait that never holds is a deadlock at its line;
one located error per misuse."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kernel_cli import KERNELS, edited_kernel, expect_located_error, kernel_file, line_of, ttlx


def test_barriers_order_dram_traffic_between_nodes():
    result = ttlx("run", str(KERNELS / "semaphore_barrier.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_a_wait_that_never_holds_is_a_deadlock_at_its_line(tmp_path):
    path, text = edited_kernel(tmp_path, "semaphore_barrier.py", ("done.wait_eq(3)", "done.wait_eq(4)"))
    result = ttlx("run", str(path))
    line = line_of(text, "done.wait_eq(4)")
    assert result.returncode == 1, result.stderr
    assert "deadlock" in result.stderr and "noc_semaphore_wait(semaphore at L1 offset 4 == 3, waiting for 4)" \
        in result.stderr and f"({path}:{line}:13)" in result.stderr, result.stderr


def test_semaphore_ops_in_the_ir():
    result = ttlx("compile", str(KERNELS / "semaphore_barrier.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    ir = result.stdout
    assert "ttl.semaphore_wait 1, %" in ir and "ttl.semaphore_wait 0, %" in ir and " at_least" in ir
    assert "ttl.semaphore_multicast_set 0, [%" in ir and "ttl.semaphore_remote_inc 1, %" in ir


BASE = '''
import torch
import ttnn
import ttl


@ttl.operation(grid={grid})
def op(x):
    sem = ttl.Semaphore()
{body}
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
{read}

    @ttl.compute()
    def compute():
        with x_dfb.wait() as blk:
{compute}


op(ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16)))
'''


def expect_error(tmp_path: Path, needle: str, message: str, body: str = "", read: str = "",
                 compute: str = "pass", grid: tuple[int, int] = (4, 1)) -> None:
    text = BASE.format(body=textwrap.indent(body, " " * 4), read=textwrap.indent(read, " " * 8),
                       compute=textwrap.indent(compute, " " * 12), grid=grid)
    expect_located_error(kernel_file(tmp_path, text), text, needle, message)


ERRORS = [  # (body, read, compute, line to find, message)
    ("other = ttl.Semaphore(-1)", "", "pass", "ttl.Semaphore(-1)",
     "ttl.Semaphore(-1): the initial value is a semaphore value, an integer in [0, 2^32) known when the operation "
     "is defined"),
    ("other = ttl.Semaphore(1.5)", "", "pass", "ttl.Semaphore(1.5)",
     "ttl.Semaphore(1.5): the initial value is a semaphore value, an integer in [0, 2^32) known when the operation "
     "is defined"),
    ("more = [ttl.Semaphore() for _ in range(16)]", "", "pass", "for _ in range(16)",
     "a core has 16 semaphores; this operation makes more"),
    ("", "", "sem.wait_eq(1)", "sem.wait_eq(1)",
     "Semaphore.wait_eq runs in data-movement threads (tt-lang's semaphores are set, incremented and waited on "
     "there); move it to a @ttl.datamovement function"),
    ("", "sem.set(-1)", "pass", "sem.set(-1)",
     "Semaphore.set takes a semaphore value, an integer in [0, 2^32); got -1"),
    ("", "sem.wait_ge(1, 2)", "pass", "sem.wait_ge(1, 2)",
     "Semaphore.wait_ge(value) takes one argument; got 2 arguments"),
    ("far = sem.get_remote((5, 0))", "far.inc(1)", "pass", "far.inc(1)",
     "node (5, 0) is not in the operation's 4x1 grid"),
    ("odd = sem.get_remote('a')", "odd.set(1)", "pass", "odd.set(1)",
     "a remote semaphore's node is (x, y) or a linear node index; got 'a'"),
    ("wide = sem.get_remote_multicast((slice(0, 9), 0))", "wide.set(1)", "pass", "wide.set(1)",
     "nodes (slice(0, 9, None), 0) are not a non-empty rectangle of the operation's 4x1 grid"),
    ("", "n = ttl.node(dims=1)\nsem.get_remote_multicast((slice(0, n), 0)).set(1)", "pass", "slice(0, n)",
     "a multicast semaphore's nodes are (x, y) with slices, (slice(a, b),) of linear node indices, or nothing "
     "(the whole grid), known when the operation compiles"),
    ("", "sem.get_remote_multicast((slice(2, 6),)).set(1)", "pass", "slice(2, 6),)",
     "nodes 2 to 5 are not in the operation's 4x1 grid (4 nodes)"),
]


@pytest.mark.parametrize("body,read,compute,needle,message", ERRORS, ids=[e[3] for e in ERRORS])
def test_semaphore_misuse_is_a_located_error(tmp_path, body, read, compute, needle, message):
    expect_error(tmp_path, needle, message, body=body, read=read, compute=compute)


def test_a_multicast_over_linear_nodes_that_wrap_a_grid_row_is_a_located_error(tmp_path):
    expect_error(tmp_path, "slice(1, 4)", "nodes 1 to 3 are not a rectangle of the operation's 2x3 grid; give (x, y) "
                 "with slices", read="sem.get_remote_multicast((slice(1, 4),)).set(1)", grid=(2, 3))


def test_the_node_of_the_operation_body_is_known_only_in_kernel_code(tmp_path):
    expect_error(tmp_path, "if here == 0", "ttl.node(...) of the operation body is each node's own coordinate, "
                 "known only in kernel code; use it there", body="here = ttl.node(dims=1)\nif here == 0:\n    pass")


def test_semaphore_methods_outside_kernel_code_say_where_they_run(tmp_path):
    expect_error(tmp_path, "sem.set(1)", "Semaphore.set runs in @ttl.datamovement functions (kernel code)",
                 body="sem.set(1)")


def test_a_semaphore_starts_at_its_initial_value():
    """ttl.Semaphore(3): node 1's wait for 3 holds only if the runtime set it
    before the threads ran; the IR carries the values (ttl.semaphore_init)."""
    result = ttlx("run", str(KERNELS / "semaphore_initial.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
    ir = ttlx("compile", str(KERNELS / "semaphore_initial.py"), "--emit", "ttl")
    assert ir.returncode == 0 and "ttl.semaphore_init = array<i64: 0, 3>" in ir.stdout, ir.stdout + ir.stderr
