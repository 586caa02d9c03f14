# SPDX-License-Identifier: Apache-2.0
"""Faults of kernel files at the user's line (docs/runtime.md, "Faults"):
a DFB left holding pushed pages names the last push; an integer division
by a run-time 0 stops the run at the division (a Tensix core would go on
with a meaningless quotient); a division by a constant 0 is a compile
error; the smallest integer // -1 (a quotient the type cannot hold) stops
the run at the division, and % -1 gives Python's 0; +, -, *, unary -, abs
and index-to-i32 conversions whose result does not fit stop the run at the
operation, or are a compile error on constants; int() of NaN or of a float
whose integer part does not fit 32 bits stops the run at the int(), or is a
compile error on a constant; none of these fault in the branch of a
conditional expression (or an operand of and/or) that Python would not
evaluate."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from kernel_cli import ttlx

BASE = '''
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def op(x, y):
    dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        n = ttl.node(dims=1)
{read}

    @ttl.compute()
    def compute():
        n = ttl.node(dims=1)
{compute}

    @ttl.datamovement()
    def write():
        with dfb.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


x = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16))
y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
op(x, y)
print("ran")
'''
READ = """with dfb.reserve() as blk:
    ttl.copy(x[0, 0], blk).wait()"""


def run_kernel(tmp_path: Path, read: str = READ, compute: str = "pass") -> tuple[str, str, subprocess.CompletedProcess]:
    text = BASE.format(read=textwrap.indent(read, " " * 8), compute=textwrap.indent(compute, " " * 8))
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path))
    return str(path), text, result


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_dfb_pushed_more_than_popped_names_the_last_push(tmp_path):
    path, text, result = run_kernel(tmp_path, read="for i in range(2):\n" + textwrap.indent(READ, "    "))
    assert result.returncode == 1, result.stdout + result.stderr
    line = line_of(text, "with dfb.reserve()")
    assert re.fullmatch(
        rf"{re.escape(path)}: error: kernel fault: core \(0, 0\): DFB 0 still holds 1 pushed page\(s\) that no "
        rf"kernel popped; the last push was dm0 kernel 'read' at read\.cpp:\d+ \({re.escape(path)}:{line}:\d+\)",
        result.stderr.strip()), result.stderr


DIVISION_BY_ZERO = ("division by zero (the divisor of // or % is a run-time value that is 0; a Tensix RISC-V core "
                    "would not stop but go on with a meaningless quotient or remainder)")


def test_floor_division_by_a_run_time_zero_faults_at_the_line(tmp_path):
    # n is 0 on the only node; the quotient decides the tile column.
    path, text, result = run_kernel(tmp_path, read="col = 7 // n - 7\n" + READ.replace("x[0, 0]", "x[0, col]"))
    assert result.returncode == 1 and "ran" not in result.stdout, result.stdout + result.stderr
    line = line_of(text, "col = 7 // n")
    assert (f"kernel fault: core (0, 0) dm0 kernel 'read': integer division at {path}:{line}:15: "
            f"{DIVISION_BY_ZERO} at read.cpp:") in result.stderr, result.stderr


def test_remainder_by_a_run_time_zero_faults_in_a_compute_thread(tmp_path):
    path, text, result = run_kernel(tmp_path, compute="for i in range(5 % n):\n    print(i)")
    assert result.returncode == 1 and "ran" not in result.stdout, result.stdout + result.stderr
    line = line_of(text, "range(5 % n)")
    assert (f"kernel fault: core (0, 0) compute kernel 'compute': integer division at {path}:{line}:24: "
            f"{DIVISION_BY_ZERO} at compute.cpp:") in result.stderr, result.stderr


def test_division_by_a_non_zero_run_time_value_runs(tmp_path):
    path, text, result = run_kernel(tmp_path, read="col = (n + 7) // (n + 7) - 1\n" +
                                    READ.replace("x[0, 0]", "x[0, col]"), compute="for i in range(5 % (n + 2)):\n"
                                                                                  "    print(i)")
    assert result.returncode == 0 and result.stdout.strip().endswith("ran"), result.stdout + result.stderr


def test_division_by_a_constant_zero_is_a_compile_error(tmp_path):
    path, text, result = run_kernel(tmp_path, read="col = n % 0\n" + READ)
    line = line_of(text, "col = n % 0")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip().startswith(f"{path}:{line}:15: error: integer division or modulo by zero"), \
        result.stderr


# A guard in kernel code holds as in Python: the branch of a conditional
# expression that the condition does not pick, and the operands of `and` /
# `or` after the one that decides, do not run (n is 0 at run time, so each
# unguarded division, overflow or int() would fault).
GUARDED = """d = n
print(7 // d if d != 0 else -1)
print(7 % d if d else 5)
print(7 // (d + 2) if d + 2 != 0 else -1)
print((7 // d if d > 0 else 7 // (d - 1)) if d >= 0 else 0)
print(1 if d != 0 and 7 // d > 1 else 0)
print(1 if d == 0 or 7 // d > 1 else 0)
m = n + 9223372036854775807
print(m + 1 if m < 9223372036854775807 else m)
v = float(n) + 3e9
print(int(v) if v < 2147483647.0 else -2)"""


@pytest.mark.parametrize("thread", ["read", "compute"])
def test_the_branch_a_guard_does_not_take_does_not_run(tmp_path, thread):
    path, text, result = run_kernel(tmp_path, **({"read": GUARDED + "\n" + READ} if thread == "read" else
                                                 {"compute": GUARDED}))
    assert result.returncode == 0 and result.stdout.strip().endswith("ran"), result.stdout + result.stderr
    printed = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if ": " in line]
    python = io.StringIO()
    with contextlib.redirect_stdout(python):
        exec(GUARDED, {"n": 0})
    assert printed == python.getvalue().split(), result.stdout


# The smallest integer of its type, computed at run time (n is 0): index
# integers are 64-bit, ttl.i32 ones 32-bit.
SMALLEST = {"index": ("m = n - 9223372036854775807 - 1", "n - 1", 64, "9223372036854775808"),
            "i32": ("m = ttl.i32(n) - 2147483647 - 1", "ttl.i32(n) - 1", 32, "2147483648")}


@pytest.mark.parametrize("kind", ["index", "i32"])
def test_smallest_integer_floor_divided_by_minus_one_faults_at_the_line(tmp_path, kind):
    """Python's MIN // -1 is -MIN, which the type cannot hold; the host's
    divide used to kill the process with SIGFPE."""
    smallest, minus_one, bits, magnitude = SMALLEST[kind]
    path, text, result = run_kernel(tmp_path, read=f"{smallest}\nq = m // ({minus_one})\nprint(q)\n" + READ)
    assert result.returncode == 1 and "ran" not in result.stdout, result.stdout + result.stderr
    line = line_of(text, "q = m //")
    assert (f"kernel fault: core (0, 0) dm0 kernel 'read': integer division at {path}:{line}:13: overflow: the "
            f"smallest {bits}-bit integer (-{magnitude}) divided by -1 is {magnitude}, which {bits} bits cannot hold "
            f"(a Tensix RISC-V core would go on with -{magnitude}) at read.cpp:") in result.stderr, result.stderr


@pytest.mark.parametrize("kind", ["index", "i32"])
@pytest.mark.parametrize("divisor", ["run-time", "constant"])
def test_smallest_integer_modulo_minus_one_is_zero(tmp_path, kind, divisor):
    """Python's MIN % -1 is 0: the tile column it picks is 0 (it used to
    die with SIGFPE)."""
    smallest, minus_one, _, _ = SMALLEST[kind]
    rhs = f"({minus_one})" if divisor == "run-time" else "-1"
    path, text, result = run_kernel(tmp_path, read=f"{smallest}\ncol = int(m % {rhs})\n" +
                                    READ.replace("x[0, 0]", "x[0, col]"))
    assert result.returncode == 0 and result.stdout.strip().endswith("ran"), result.stdout + result.stderr


# Integer arithmetic that wraps (docs/runtime.md, "Integer overflow"): n is
# 0 at run time, so the values below are run-time values of their type.
WRAPPED = "(a Tensix RISC-V core would go on with it wrapped around)"
OVERFLOWS = {
    "index +": ("m = n + 9223372036854775807\nk = m + 1", "k = m + 1", "addition", "the sum", 64),
    "index -": ("m = n - 9223372036854775807\nk = m - 2", "k = m - 2", "subtraction", "the difference", 64),
    "index *": ("m = n + 4294967296\nk = m * m", "k = m * m", "multiplication", "the product", 64),
    "index MIN * -1": ("m = n - 9223372036854775807 - 1\nk = m * (n - 1)", "k = m * (n - 1)", "multiplication",
                       "the product", 64),
    "index -1 * MIN": ("m = n - 9223372036854775807 - 1\nk = (n - 1) * m", "k = (n - 1) * m", "multiplication",
                       "the product", 64),
    "i32 +": ("m = ttl.i32(n) + 2147483647\nk = m + 1", "k = m + 1", "addition", "the sum", 32),
    "i32 *": ("m = ttl.i32(n) + 65536\nk = m * m", "k = m * m", "multiplication", "the product", 32),
    "index to i32": ("m = n + 2147483648\nk = ttl.i32(m)", "k = ttl.i32(m)", "conversion", "the value", 32),
    "loop-carried": ("k = ttl.i32(2147483646)\nfor i in range(n + 2):\n    k = k + 1", "k = k + 1", "addition",
                     "the sum", 32),
}


@pytest.mark.parametrize("case", OVERFLOWS)
def test_integer_overflow_faults_at_the_line(tmp_path, case):
    code, needle, op, result_name, bits = OVERFLOWS[case]
    path, text, result = run_kernel(tmp_path, read=f"{code}\nprint(k)\n" + READ)
    assert result.returncode == 1 and "ran" not in result.stdout, result.stdout + result.stderr
    line = line_of(text, needle)
    col = text.splitlines()[line - 1].index("=") + 3
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    assert (f"kernel fault: core (0, 0) dm0 kernel 'read': integer {op} at {path}:{line}:{col}: overflow: "
            f"{result_name} is outside the {bits}-bit range [{low}, {high}] {WRAPPED} at read.cpp:") \
        in result.stderr, result.stderr


@pytest.mark.parametrize("kind", ["index", "i32"])
@pytest.mark.parametrize("spelling", ["-m", "abs(m)"])
def test_negating_the_smallest_integer_faults_at_the_line(tmp_path, kind, spelling):
    smallest, _, bits, magnitude = SMALLEST[kind]
    path, text, result = run_kernel(tmp_path, read=f"{smallest}\nk = {spelling}\nprint(k)\n" + READ)
    assert result.returncode == 1 and "ran" not in result.stdout, result.stdout + result.stderr
    line = line_of(text, f"k = {spelling}")
    assert (f"kernel fault: core (0, 0) dm0 kernel 'read': integer negation (-x or abs(x)) at {path}:{line}:13: "
            f"overflow: the smallest {bits}-bit integer (-{magnitude}) negated is {magnitude}, which {bits} bits "
            f"cannot hold (a Tensix RISC-V core would go on with -{magnitude}) at read.cpp:") in result.stderr, \
        result.stderr


def test_integer_results_at_the_edges_of_their_type_run(tmp_path):
    """The largest and smallest values themselves are no overflow: each
    print shows Python's value."""
    code = ("a = n + 9223372036854775806\nprint(a + 1)\n"  # MAX
            "b = n - 9223372036854775807\nprint(b - 1)\n"  # MIN
            "c = n - 3037000499\nprint(c * c)\n"  # 9223372030926249001 < MAX
            "d = n - 4611686018427387904\nprint(d * 2)\n"  # MIN
            "e = ttl.i32(n) - 2147483647\nprint(abs(e))\nprint(-e)\n"
            "f = ttl.i32(n) - 46341\nprint(f * 46340)\n"  # -2147441940
            "g = n - 2147483648\nprint(ttl.i32(g))\n")
    path, text, result = run_kernel(tmp_path, read=code + READ)
    assert result.returncode == 0 and result.stdout.strip().endswith("ran"), result.stdout + result.stderr
    printed = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if ": " in line]
    assert printed == ["9223372036854775807", "-9223372036854775808", "9223372030926249001", "-9223372036854775808",
                       "2147483647", "2147483647", "-2147441940", "-2147483648"], result.stdout


@pytest.mark.parametrize("code, message", [
    ("k = ttl.i32(2147483647) + 1", "the sum 2147483647 + 1 is 2147483648, which does not fit in a 32-bit kernel "
                                     "integer (ttl.i32)"),
    ("k = ttl.i32(-2147483647) - 2", "the difference -2147483647 - 2 is -2147483649, which does not fit in a 32-bit "
                                      "kernel integer (ttl.i32)"),
    ("k = ttl.i32(65536) * 32768", "the product 65536 * 32768 is 2147483648, which does not fit in a 32-bit kernel "
                                    "integer (ttl.i32)"),
    ("k = -ttl.i32(-2147483647 - 1)", "-(-2147483648) is 2147483648, which does not fit in a 32-bit kernel integer "
                                       "(ttl.i32)"),
    ("k = abs(ttl.i32(-2147483647 - 1))", "abs(-2147483648) is 2147483648, which does not fit in a 32-bit kernel "
                                           "integer (ttl.i32)"),
    ("k = ttl.i32(2147483648)", "the integer 2147483648 does not fit in a 32-bit kernel integer"),
])
def test_integer_overflow_of_constants_is_a_compile_error(tmp_path, code, message):
    path, text, result = run_kernel(tmp_path, read=f"{code}\nprint(k)\n" + READ)
    line = line_of(text, code)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip().startswith(f"{path}:{line}:13: error: {message}"), result.stderr


# int(x) of a run-time float (n is 0, so float(n) / float(n) is NaN):
# C++ leaves the conversion undefined; a Tensix core goes on with some integer.
MEANINGLESS = "(a Tensix core would go on with a meaningless integer)"
RANGE = "a float outside the 32-bit range [-2147483648, 2147483647]: its integer part does not fit"
FLOAT_TO_INT = {
    "dm NaN": ("read", "v = float(n) / float(n)", "NaN: a NaN has no integer value"),
    "dm too large": ("read", "v = float(n) + 2147483648.0", RANGE),
    "dm too small": ("read", "v = float(n) - 2147483904.0", RANGE),  # the f32 below -2**31
    "dm infinity": ("read", "v = (float(n) + 1.0) / float(n)", RANGE),
    "compute NaN": ("compute", "v = float(n) / float(n)", "NaN: a NaN has no integer value"),
    "compute too large": ("compute", "v = float(n) + 1e10", RANGE),
    "dm bf16": ("read", "v = ttl.bf16(float(n) + 3e9)", RANGE),
    "compute bf16": ("compute", "v = ttl.bf16(float(n) - 3e9)", RANGE),
}


@pytest.mark.parametrize("case", FLOAT_TO_INT)
def test_int_of_a_float_without_an_integer_value_faults_at_the_line(tmp_path, case):
    thread, code, message = FLOAT_TO_INT[case]
    body = f"{code}\nk = int(v)\nprint(k)"
    path, text, result = run_kernel(tmp_path, **({"read": body + "\n" + READ} if thread == "read" else
                                                 {"compute": body}))
    assert result.returncode == 1 and "ran" not in result.stdout, result.stdout + result.stderr
    line = line_of(text, "k = int(v)")
    kernel = "dm0 kernel 'read'" if thread == "read" else "compute kernel 'compute'"
    assert (f"kernel fault: core (0, 0) {kernel}: float conversion at {path}:{line}:13: int() of {message} "
            f"{MEANINGLESS} at {thread}.cpp:") in result.stderr, result.stderr


def test_int_of_floats_at_the_edges_of_32_bits_runs(tmp_path):
    """Each print shows Python's int() of the value: truncation toward zero,
    the largest f32 below 2**31 and -2**31 itself."""
    code = ("print(int(float(n) + 2147483520.0))\nprint(int(float(n) - 2147483648.0))\n"
            "print(int(float(n) - 0.75))\nprint(int(float(n) + 7.9))\n")
    code += "print(ttl.i32(ttl.bf16(float(n) - 2.5)))"
    path, text, result = run_kernel(tmp_path, read=code + "\n" + READ, compute=code)
    assert result.returncode == 0 and result.stdout.strip().endswith("ran"), result.stdout + result.stderr
    printed = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if ": " in line]
    assert sorted(printed) == sorted(["2147483520", "-2147483648", "0", "7", "-2"] * 2), result.stdout


@pytest.mark.parametrize("code, message", [
    ("k = int(ttl.f32(float('nan')))", "int() of NaN: a NaN has no integer value"),
    ("k = int(ttl.f32(3e9))", "int() of 3000000000.0: its integer part does not fit in the 32 bits of a kernel "
                               "float-to-integer conversion [-2147483648, 2147483647]"),
    ("k = ttl.i32(ttl.bf16(-1e10))", "int() of -9999220736.0: its integer part does not fit in the 32 bits of a "
                                      "kernel float-to-integer conversion [-2147483648, 2147483647]"),
    # Python floats are converted by Python.
    ("k = int(float('nan'))", "this fails when evaluated at compile time: ValueError: cannot convert float NaN to "
                               "integer"),
    ("k = int(1e400)", "this fails when evaluated at compile time: OverflowError: cannot convert float infinity to "
                        "integer"),
])
def test_int_of_a_constant_float_without_an_integer_value_is_a_compile_error(tmp_path, code, message):
    path, text, result = run_kernel(tmp_path, read=f"{code}\nprint(k)\n" + READ)
    line = line_of(text, code)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip().startswith(f"{path}:{line}:13: error: {message}"), result.stderr
