# SPDX-License-Identifier: Apache-2.0
"""The kernel language beyond tt-lang (docs/language.md): early exits,
while, enumerate, conditional expressions, helpers, typed scalars, run
through `ttlx run` and checked against Python/torch inside the kernel files;
the IR the frontend emits for them; and one located error per Python
construct outside the subset (never a raw exception)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from kernel_cli import KERNELS, expect_located_error, ttlx


@pytest.mark.parametrize("kernel", ["control_flow.py", "typed_scalars.py", "where.py", "range_semantics.py"])
def test_kernel_runs_and_matches_python(kernel):
    result = ttlx("run", str(KERNELS / kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_frontend_ir_for_exits_and_selections():
    """The structure the frontend emits: loops with exits become scf.while
    with the flags in the condition; conditional expressions arith.select;
    Python // on kernel integers floors in i64."""
    result = ttlx("compile", str(KERNELS / "control_flow.py"), "--emit", "ttl")
    assert result.returncode == 0, result.stderr
    ir = result.stdout
    assert ir.count("scf.while") >= 3  # compute's break, the for with break, the while
    assert "scf.condition" in ir
    assert "arith.select" in ir  # best = v if v > best else best, min/max
    assert "arith.floordivsi" in ir and "i64" in ir  # enumerate over range(4, 12, 2)


BASE = '''
import torch
import ttnn
import ttl

LIMIT = 3


def helper(v):
{helper}


@ttl.operation(grid=(1, 1))
def op(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
{read}

    @ttl.compute()
    def compute():
{compute}

    @ttl.datamovement()
    def write():
        with x_dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


x = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16))
y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
op(x, y)
'''
READ = """with x_dfb.reserve() as blk:
    ttl.copy(x[0, 0], blk).wait()"""


def kernel_text(read: str = READ, helper: str = "return v", compute: str = "pass") -> str:
    """BASE with `read` and `compute` as the bodies of its reader and compute
    threads and `helper` as the body of the module-level helper."""
    return BASE.format(read=textwrap.indent(read, " " * 8), helper=textwrap.indent(helper, " " * 4),
                       compute=textwrap.indent(compute, " " * 8))


def expect_error(tmp_path: Path, needle: str, message: str, read: str = READ, helper: str = "return v",
                 compute: str = "pass") -> None:
    text = kernel_text(read, helper, compute)
    path = tmp_path / "kernel.py"
    path.write_text(text)
    expect_located_error(path, text, needle, message)


UNSUPPORTED = [  # (statement(s) before the copy, line to find, message)
    ("f = lambda v: v", "lambda", "lambdas are not supported in kernel code; define the function with def"),
    ("try:\n    pass\nfinally:\n    pass", "try:", "try statements are not supported in kernel code; kernels "
                                                 "cannot raise or catch exceptions"),
    ("raise ValueError('no')", "raise", "raise statements are not supported in kernel code"),
    ("assert LIMIT > 0", "assert", "assert statements are not supported in kernel code; check inputs on the host"),
    ("global LIMIT\nLIMIT = 4", "global", "global statements are not supported in kernel code; kernel code cannot "
                                          "rebind names outside it"),
    ("class C:\n    pass", "class C", "class definitions are not supported in kernel code"),
    ("import math", "import math", "import statements are not supported in kernel code; import at the top"),
    ("del blk", "del blk", "del statements are not supported in kernel code"),
    ("v = [i for i in range(3)]", "[i for", "list comprehensions are not supported in kernel code; use a for loop"),
    ("v = {i: i for i in range(3)}", "{i: i", "dict comprehensions are not supported in kernel code"),
    ("v = sum(i for i in range(3))", "sum(i", "generator expressions are not supported in kernel code"),
    ("v = {1: 2}", "{1: 2}", "dict values are not supported in kernel code; use tuples or separate names"),
    ("v = f'{LIMIT}'", "f'{", "f-strings outside print(...) are not supported in kernel code"),
    ("v = (w := 3)", "w := 3", "':=' assignments are not supported in kernel code; assign on a line of its own"),
    ("match LIMIT:\n    case 3:\n        pass", "match LIMIT", "match statements are not supported in kernel code; "
                                                              "use if/elif/else"),
    ("with open('f') as f:\n    pass", "open('f')", "'with' takes dfb.wait() or dfb.reserve() in kernel code; "
                                                    "other context managers are not supported"),
    ("for i in [1, 2]:\n    pass", "for i in [1, 2]", "kernel loops are 'for NAME in range(...)' or "
                                                      "'for I, NAME in enumerate(range(...))'"),
    ("for i in range(2):\n    pass\nelse:\n    w = 1", "w = 1", "'for ... else' is not supported in kernel code"),
    ("x.shape = 3", "x.shape = 3", "only names and tuples of names can be assigned in kernel code"),
    ("v = 1 < 2 < 3", "1 < 2 < 3", "chained comparisons are not supported; use 'and'"),
    ("break", "break", "'break' outside loop"),  # Python's own SyntaxError, located
    ("v = input()", "input()", "call to 'input' is not supported in kernel code"),
]


@pytest.mark.parametrize("code,needle,message", UNSUPPORTED, ids=[c[1] for c in UNSUPPORTED])
def test_unsupported_python_is_a_located_error(tmp_path, code, needle, message):
    expect_error(tmp_path, needle, message, read=code + "\n" + READ)


@pytest.mark.parametrize("test,op", [("x_dfb == 3", "=="), ("0 != x_dfb", "!=")])
def test_a_dfb_compared_with_a_number_is_a_located_error(tmp_path, test, op):
    """It used to be False (or True) at compile time, silently (a fuzz finding)."""
    expect_error(tmp_path, test, f"'{op}' compares a DataflowBuffer with a number, which it never equals; compare "
                                 "numbers with numbers", read=f"if {test}:\n    pass\n" + READ)


TRUTH = [  # (statement(s) before the copy, line to find, the object's type)
    ("if x_dfb:\n    pass", "if x_dfb:", "DataflowBuffer"),
    ("while x_dfb:\n    pass", "while x_dfb:", "DataflowBuffer"),
    ("v = 1 if x else 2", "v = 1 if x", "Tensor"),
    ("v = not x_dfb", "not x_dfb", "DataflowBuffer"),
    ("v = x_dfb and LIMIT", "x_dfb and LIMIT", "DataflowBuffer"),
    ("v = x_dfb or ttl.node(dims=1) > 0", "x_dfb or", "DataflowBuffer"),
    ("with x_dfb.reserve() as blk:\n    if blk:\n        pass", "if blk:", "Block"),
]


@pytest.mark.parametrize("code,needle,kind", TRUTH, ids=[c[1] for c in TRUTH])
def test_a_kernel_object_as_a_condition_is_a_located_error(tmp_path, code, needle, kind):
    """A DFB, tensor or block as a condition used to be true, silently."""
    expect_error(tmp_path, needle, f"a {kind} has no truth value in kernel code (as a condition it would always be "
                                   "true); test a number or a comparison", read=code + "\n" + READ)


def test_and_or_of_compile_time_values_give_python_operands(tmp_path):
    """`a or b` is a when a is true, else b (not True/False): the kernel
    copies tile column `0 or 1` = 1 of a two-column tensor."""
    read = "col = 0 or 1\nwith x_dfb.reserve() as blk:\n    ttl.copy(x[0, col], blk).wait()"
    text = kernel_text(read).replace(
        "torch.ones(32, 32, dtype=torch.bfloat16)", "torch.cat([torch.zeros(32, 32), torch.ones(32, 32)], 1)"
        ".to(torch.bfloat16)") + \
        "assert torch.equal(ttnn.to_torch(y), torch.ones(32, 32, dtype=torch.bfloat16))\nprint('PASS')\n"
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path))
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


def test_make_dataflow_buffer_like_of_a_dfb_is_a_located_error(tmp_path):
    """It used to make a bf16 DFB of anything that is not a tensor."""
    text = kernel_text(READ)
    old = "    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)\n"
    assert old in text
    text = text.replace(old, old + "    y_dfb = ttl.make_dataflow_buffer_like(x_dfb, shape=(1, 1), block_count=2)\n")
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stdout + result.stderr
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "y_dfb = " in l)
    assert lines[0].startswith(f"{path}:{line}:"), lines[0]
    assert ("error: ttl.make_dataflow_buffer_like takes a tensor (its element type is the DFB's), got a "
            "DataflowBuffer; for a DFB of an explicit element type use ttl.make_dfb(dtype, shape=..., "
            "block_count=...)") in lines[0], lines[0]


def test_recursion_is_a_located_error(tmp_path):
    expect_error(tmp_path, "return helper(v)", "'helper' calls itself; recursion is not supported in kernel code",
                 read="v = helper(1)\n" + READ, helper="return helper(v)")


def test_errors_inside_a_helper_point_into_the_helper(tmp_path):
    expect_error(tmp_path, "w = {v}", "set values are not supported in kernel code",
                 read="v = helper(1)\n" + READ, helper="w = {v}\nreturn v")


def test_helpers_with_early_returns_run(tmp_path):
    """Early `return value` (also from a loop and as tuples), helpers calling
    helpers, `not` on a run-time value, list arithmetic and slice(): the
    kernel checks itself against the same helpers run as Python (the
    differential test runs it under tt-lang-sim as well)."""
    result = ttlx("run", str(KERNELS / "helpers.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_return_from_a_loop_needs_a_clear_type(tmp_path):
    helper = "for k in range(3):\n    if k == v:\n        return v * 2\nreturn 0"
    expect_error(tmp_path, "return v * 2", "a helper returns a value from inside a loop only when its type is clear "
                 "before the loop", read="v = helper(ttl.node(dims=1))\n" + READ, helper=helper)


def test_returns_of_different_shapes_are_a_located_error(tmp_path):
    helper = "if v > 0:\n    return 1, 2\nreturn 3"
    expect_error(tmp_path, "if v > 0:", "this helper returns tuples of different lengths on different paths",
                 read="v = helper(ttl.node(dims=1))\n" + READ, helper=helper)


def test_a_thread_function_returns_no_value(tmp_path):
    expect_error(tmp_path, "return 3", "a thread function returns no value", read=READ + "\nreturn 3")


# User mistakes in values known at compile time, in calls and in tensor
# slices: each a located error (never a traceback or an internal error).
USER_ERRORS = [
    ("v = (1, 2)[5]", "(1, 2)[5]", "this fails when evaluated at compile time: IndexError: tuple index out of range"),
    ("v = int(float('nan'))", "int(float('nan'))", "this fails when evaluated at compile time: ValueError: cannot "
                                                   "convert float NaN to integer"),
    ("v = int(1e400)", "int(1e400)", "this fails when evaluated at compile time: OverflowError: cannot convert float "
                                     "infinity to integer"),
    ("v = 1.0 / 0.0", "1.0 / 0.0", "this fails when evaluated at compile time: ZeroDivisionError: float division by "
                                   "zero"),
    ("v = 1 // 0", "1 // 0", "this fails when evaluated at compile time: ZeroDivisionError: integer division or "
                             "modulo by zero"),
    ("v = len(3)", "len(3)", "this fails when evaluated at compile time: TypeError: object of type 'int' has no len()"),
    ("v = 64 ** 32 + ttl.node(dims=1)", "64 ** 32", "the integer 6277101735386680763835789423207666416102355444464034512896 "
     "does not fit in a 64-bit kernel integer"),
    ("v = max(1)", "max(1)", "this fails when evaluated at compile time: TypeError: 'int' object is not iterable"),
    ("v = min()", "min()", "min() in kernel code takes one or more numbers (or a tuple of them), no keywords"),
    # It used to be truncated to 0, silently.
    ("v = ttl.i32(ttl.node(dims=1)) + 2**40", "2**40", "the integer 1099511627776 does not fit in a 32-bit kernel "
                                                       "integer"),
    ("for i in range():\n    pass", "range()", "range takes one to three integers (stop, or start, stop[, step]); "
                                              "got 0 arguments"),
    ("for i in range(2.5):\n    pass", "range(2.5)", "range bounds are integers, got float"),
    ("v = [1, 2][ttl.node(dims=1)]", "[1, 2][", "tuples and lists are indexed with integers known at compile time"),
    ("v = ttl.math.exp(1, 2)", "ttl.math.exp(1, 2)", "ttl.math.exp(x, *, approx=False, scale=None, skip_clamp_check=False, "
     "iterations=8) takes one argument and keyword flags; got 2 arguments"),
    ("v = ttl.math.max(1)", "ttl.math.max(1)", "ttl.math.max(a, b) takes two arguments; got 1 argument"),
    ("v = ttl.math.reduce_sum()", "reduce_sum()", "ttl.math.reduce_sum(x, dims=..., shape=...) takes one to three "
                                                  "arguments; got 0 arguments"),
    ("v = ttl.block.fill()", "ttl.block.fill()", "ttl.block.fill(value, shape=(rows, cols), dtype=None) takes one "
                                                 "to three arguments; got 0 arguments"),
    ("v = ttl.block.fill(1.0, (1, 1), None, 3)", "ttl.block.fill(1.0", "ttl.block.fill(value, shape=(rows, cols), "
                                                                     "dtype=None) takes one to three arguments; got 4 "
                                                                     "arguments"),
    ("v = ttl.block.fill(1.0, shape=(1,))", "shape=(1,)", "the shape of ttl.block.fill is (..., rows, cols) in "
                                                          "tiles, positive integers known at compile time; got (1,)"),
    ("v = ttl.copy(x[0, 0])", "ttl.copy(x[0, 0])", "ttl.copy(src, dst) takes two arguments; got 1 argument"),
    ("v = ttl.node(3, dims=2)", "ttl.node(3", "ttl.node(dims=...) takes at most one argument; got 2 arguments"),
    ("with x_dfb.reserve() as blk:\n    v = not blk", "not blk", "unary 'not' does not apply to a block in kernel "
                                                                "code"),
    ("with x_dfb.reserve() as blk:\n    v = blk[0]", "blk[0]", "a block cannot be indexed in kernel code"),
    ("with x_dfb.reserve() as blk:\n    ttl.copy(x[0:x_dfb, 0], blk).wait()", "x[0:x_dfb",
     "tensor row bounds are integers (tile coordinates), got a DataflowBuffer"),
    ("with x_dfb.reserve() as blk:\n    ttl.copy(x[0, 0.5], blk).wait()", "x[0, 0.5]",
     "tensor column bounds are integers (tile coordinates), got a float"),
    ("with x_dfb.reserve() as blk:\n    ttl.copy(x[ttl.f32(0.0), 0], blk).wait()", "ttl.f32(0.0)",
     "tensor row bounds are integers (tile coordinates), got a f32 value"),
    ("with x_dfb.reserve() as blk:\n    ttl.copy(x[1, 0], blk).wait()", "x[1, 0]",
     "tile row 1 is outside the tensor's tile rows 0 to 0"),
    ("with x_dfb.reserve() as blk:\n    ttl.copy(x[0, -1], blk).wait()", "x[0, -1]",
     "tile column -1 is outside the tensor's tile columns 0 to 0"),
    ("with x_dfb.reserve() as blk:\n    ttl.copy(x[ttl.node(dims=1):2, 0], blk).wait()", "x[ttl.node",
     "the row slice ends at 2, outside the tensor's tile rows 0 to 0 (the end is exclusive)"),
    ("with x_dfb.reserve() as blk:\n    ttl.copy(x[0, slice(ttl.node(dims=1), 3)], blk).wait()", "slice(ttl.node",
     "the column slice ends at 3, outside the tensor's tile columns 0 to 0 (the end is exclusive)"),
]


@pytest.mark.parametrize("code,needle,message", USER_ERRORS, ids=[c[1] for c in USER_ERRORS])
def test_user_errors_are_located(tmp_path, code, needle, message):
    expect_error(tmp_path, needle, message, read=code + "\n" + READ)


# The same for block math's arguments, in the compute thread (block math in
# a data-movement thread is an error of its own, before its arguments).
COMPUTE_USER_ERRORS = [
    # A fuzz finding: a float shape= used to be an internal OverflowError.
    ("with x_dfb.wait() as blk:\n    v = ttl.math.reduce_max(blk, dims=[-2], shape=(float('inf'), 1))",
     "shape=(float('inf')", "the shape of ttl.math.reduce_max is (..., rows, cols) in tiles, positive integers known "
                            "at compile time; got (inf, 1)"),
    ("with x_dfb.wait() as blk:\n    v = ttl.math.reduce_sum(blk, [-1], (1, 0))", "reduce_sum(blk, [-1], (1, 0))",
     "the shape of ttl.math.reduce_sum is (..., rows, cols) in tiles, positive integers known at compile time; got "
     "(1, 0)"),
    ("with x_dfb.wait() as blk:\n    v = ttl.block.broadcast(blk, dims=[-1], shape=2)", "shape=2)",
     "the shape of ttl.block.broadcast is (..., rows, cols) in tiles, positive integers known at compile time; got 2"),
    ("with x_dfb.wait() as blk:\n    v = ttl.math.broadcast(blk, dims=[-1], shape=(1, ttl.node(dims=1)))",
     "shape=(1, ttl.node", "the shape of ttl.math.broadcast is (..., rows, cols) in tiles, positive integers known at "
                           "compile time; got (1, "),
]


@pytest.mark.parametrize("code,needle,message", COMPUTE_USER_ERRORS, ids=[c[1] for c in COMPUTE_USER_ERRORS])
def test_block_math_argument_errors_are_located(tmp_path, code, needle, message):
    expect_error(tmp_path, needle, message, compute=code)


WHERE_ERRORS = [
    ("o.store(ttl.block.where(m, a * a, ttl.block.fill(-1.0, shape=(1, 2))))",
     "o.store(ttl.block.where(1.0, a * a, ttl.block.fill(-1.0, shape=(1, 2))))",
     "the condition of ttl.block.where is a block (non-zero selects a)"),
    ("o.store(ttl.block.where(m, a * a, ttl.block.fill(-1.0, shape=(1, 2))))",
     "o.store(ttl.block.where(m, a * a))",
     "ttl.block.where(cond, a, b) takes three arguments"),
    ("o.store(ttl.block.where(m, a * a, ttl.block.fill(-1.0, shape=(1, 2))))",  # it used to be accepted
     "o.store(ttl.block.where(m, a * a, ttl.block.fill(-1.0, shape=(1, 1))))",
     "fill of shape (1, 1) meets a condition block of (1, 2) tiles in ttl.block.where; give the fill the block's "
     "shape"),
]


@pytest.mark.parametrize("old,new,message", WHERE_ERRORS, ids=["condition", "arguments", "fill shape"])
def test_where_errors(tmp_path, old, new, message):
    text = (KERNELS / "where.py").read_text()
    assert old in text
    text = text.replace(old, new)
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    line = next(i for i, l in enumerate(text.splitlines(), 1) if new in l)
    assert lines[0].startswith(f"{path}:{line}:") and f"error: {message}" in lines[0], lines[0]


def test_exit_that_skips_an_explicit_release_is_a_located_error(tmp_path):
    """The DFB protocol stays balanced: `with` releases on every path, an
    explicit dfb.reserve() ... push() may not be skipped by a break."""
    read = ("for i in range(2):\n"
            "    blk = x_dfb.reserve()\n"
            "    if i == 1:\n"
            "        break\n"
            "    ttl.copy(x[0, 0], blk).wait()\n"
            "    blk.push()")
    text = kernel_text(read)
    reserve_line = next(i for i, l in enumerate(text.splitlines(), 1) if "blk = x_dfb.reserve()" in l)
    expect_error(tmp_path, "break", f"this break skips the push() of the block from dfb.reserve() at line "
                                    f"{reserve_line}; release it before the break, or acquire it with 'with'",
                 read=read)


def test_break_inside_with_keeps_the_protocol_balanced(tmp_path):
    """A break inside `with` still pushes the block: one block arrives."""
    read = ("for i in range(5):\n"
            "    with x_dfb.reserve() as blk:\n"
            "        ttl.copy(x[0, 0], blk).wait()\n"
            "        if i == 0:\n"
            "            break")
    text = kernel_text(read) + \
        "assert torch.equal(ttnn.to_torch(y), torch.ones(32, 32, dtype=torch.bfloat16))\nprint('PASS')\n"
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path))
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


def test_a_1d_pipe_range_that_wraps_a_grid_row_is_a_located_error(tmp_path):
    text = (KERNELS / "pipe_1d.py").read_text()
    old = "ttl.Pipe((0,), (slice(1, 4),))"
    assert old in text
    text = text.replace(old, "ttl.Pipe((0,), (slice(6, 10),))")
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "net = ttl.PipeNet" in l)
    assert lines[0].startswith(f"{path}:{line}:"), lines[0]
    assert ("error: pipe destination nodes 6 to 9 are not a rectangle of the 8x8 grid (they wrap from node (0, 6) "
            "to (1, 1)); give one pipe per grid row, or (x, y) with slices") in lines[0], lines[0]


@pytest.mark.parametrize("old,new,needle,message", [
    ("    @ttl.datamovement()\n    def read():", "    @ttl.copy()\n    def read():", "@ttl.copy()",
     "ttl.copy can only be used inside @ttl.compute / @ttl.datamovement functions"),
    ("    @ttl.compute()\n", "    x_dfb.reserve()\n    @ttl.compute()\n", "x_dfb.reserve()",
     "DFB methods run only inside @ttl.compute / @ttl.datamovement functions"),
    ("    @ttl.compute()\n",
     "    net = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(0, 0))])\n    net.is_src()\n    @ttl.compute()\n",
     "net.is_src()", "PipeNet methods run only inside @ttl.compute / @ttl.datamovement functions"),
    ("op(x, y)\n", "ttl.Semaphore()\n", "ttl.Semaphore()", "this ttl call belongs inside a @ttl.operation function"),
], ids=["copy as a decorator", "DFB method", "PipeNet method", "outside an operation"])
def test_kernel_calls_outside_kernel_code_are_located_errors(tmp_path, old, new, needle, message):
    """The operation body runs as Python: ttl calls that only kernel code
    can make used to raise a bare RuntimeError with a traceback (the fuzzer
    found `@ttl.copy()` used as a decorator)."""
    text = kernel_text(READ)
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stdout + result.stderr  # no traceback
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.strip() == needle)
    col = text.splitlines()[line - 1].index(needle) + 1
    assert lines[0] == f"{path}:{line}:{col}: error: {message}", lines[0]
