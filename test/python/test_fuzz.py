# SPDX-License-Identifier: Apache-2.0
"""The fuzz harness (test/fuzz): its classifier and mutators, and a bounded
run that must find nothing."""

from __future__ import annotations

import ast
import random
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
sys.path.insert(0, str(FUZZ))

import fuzz  # noqa: E402
import ir_mutator  # noqa: E402
import kernel_mutator  # noqa: E402
from outcome import BAD_CPP, CRASH, HANG, INTERNAL, OK, TRACEBACK, classify  # noqa: E402

PKG = "/site/ttlx"


@pytest.mark.parametrize(
    "code, stderr, expected",
    [
        (0, "", OK),
        (1, "k.mlir:3:5: error: 'ttl.dfb_pop' op expects ...", OK),
        (None, "", HANG),
        (-11, "", CRASH),
        (134, "ttlx-opt: Foo.cpp:12: Assertion `x' failed.\nPLEASE submit a bug report", CRASH),
        (1, "LLVM ERROR: unsupported", CRASH),
        (1, "k.py:4:9: error: ttlx cannot compile this statement (...); please report it", INTERNAL),
        (1, "RuntimeError: kernel compute does not compile:\nx.cpp:1: error", BAD_CPP),
        (1, f'Traceback (most recent call last):\n  File "/u/k.py", line 3, in <module>\n'
            f'  File "{PKG}/lang/api.py", line 9, in f\nTypeError: bad', TRACEBACK),
        # A traceback that ends in the user's own file is the user's (their assert).
        (1, f'Traceback (most recent call last):\n  File "{PKG}/cli.py", line 3, in main\n'
            '  File "/u/k.py", line 9, in <module>\nAssertionError', OK),
    ],
)
def test_classify(code, stderr, expected):
    assert classify(code, stderr, PKG).category == expected


def test_ir_mutants_differ_and_repeat_per_seed():
    corpus = ir_mutator.load_corpus([Path(__file__).resolve().parents[1] / "Dialect"])
    pool = ir_mutator.make_pool(corpus)
    assert "ttl.dfb_wait" in pool.op_names and all("RUN:" not in c for c in corpus)
    assert any("ttl.bind_dfb" in line for line in pool.op_lines)
    first = [ir_mutator.mutate(c, random.Random(7), pool) for c in corpus[:40]]
    again = [ir_mutator.mutate(c, random.Random(7), pool) for c in corpus[:40]]
    assert first == again
    assert sum(m != c for m, c in zip(first, corpus[:40])) >= 38


def test_kernel_mutants_are_python_and_change_the_operation():
    source = (Path(__file__).resolve().parents[2] / "examples" / "argmax.py").read_text()
    tree = ast.dump(ast.parse(source))
    rng = random.Random(3)
    mutants = [kernel_mutator.mutate(source, rng) for _ in range(30)]
    assert all(m is not None for m in mutants)
    assert sum(ast.dump(ast.parse(m)) != tree for m in mutants) >= 25
    assert kernel_mutator.mutate("x = 1\n", rng) is None  # nothing to mutate outside operations


def test_a_process_is_stopped_with_its_children_at_the_end_of_the_budget(tmp_path):
    """The budget bounds the run: a process still running when it ends is
    killed with the processes it started (which hold its output pipes), and
    the mutant is unfinished, not a hang."""
    marker = tmp_path / "child-alive"
    script = f"(sleep 3; touch {marker}) & sleep 60"
    with pytest.raises(fuzz.Unfinished):
        fuzz._run(["sh", "-c", script], timeout=60, budget=fuzz.Budget(1))
    with pytest.raises(fuzz.Unfinished):  # nothing starts once the budget is spent
        fuzz._run(["true"], timeout=60, budget=fuzz.Budget(0))
    code, _, _ = fuzz._run(["sh", "-c", script], timeout=1, budget=fuzz.Budget(60))
    assert code is None  # its own timeout: a hang
    subprocess.run(["sleep", "4"], check=True)
    assert not marker.exists()  # the children were killed too


def test_bounded_run_finds_nothing(tmp_path):
    """The bounded run of `make test` (the long run: test/fuzz/fuzz.py).
    Its 45 s cover every process it starts, leaving pytest a margin within
    the 60 s the run may take."""
    counts, findings = fuzz.fuzz(ir_count=200, kernel_count=2, seconds=45, seed=2026, out=tmp_path)
    print(fuzz.report(counts, findings))
    # A floor, not a speed check: at load 10 on 2 cores the budget ran 1
    # kernel and 55 IR mutants.
    assert fuzz.finished(counts, "kernel") >= 1 and fuzz.finished(counts, "ir") >= 15, counts
    assert not findings, fuzz.report(counts, findings)


def test_emitted_cpp_naming_a_missing_user_header_is_not_a_finding(tmp_path):
    """ttl.opaque_call cases of the lit tests name headers that are not
    there (/x/drain.hpp): their C++ cannot be compiled, which is no fault
    of the emitter. C++ that includes only what exists is still compiled."""
    budget = fuzz.Budget(60)
    cpp = '#include "/x/not-there.hpp"\nint f() { return undefined_name; }\n'
    assert fuzz._cpp_outcome(cpp, tmp_path, PKG, budget).category == OK
    header = tmp_path / "there.hpp"
    header.write_text("inline int g() { return 1; }\n")
    cpp = f'#include "{header}"\nint f() {{ return undefined_name; }}\n'
    assert fuzz._cpp_outcome(cpp, tmp_path, fuzz._ttlx_package(), budget).category == BAD_CPP
