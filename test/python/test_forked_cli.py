# SPDX-License-Identifier: Apache-2.0
"""The tests' forked commands (forked_cli) behave as new processes: same
stdout, stderr, exit status, working directory, argv, sys.path and
environment as `python -m ttlx` started afresh."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forked_cli import run_module

SCRIPT = """
import os, sys
print("cwd", os.getcwd())
print("argv", sys.argv[1:])
print("path0", sys.path[0] == os.path.dirname(os.path.abspath(sys.argv[0])))
print("races", os.environ.get("TTLX_RACES"))
print("to stderr", file=sys.stderr)
sys.stdout.flush()
os.write(1, b"raw write\\n")
sys.exit(int(sys.argv[1]))
"""


def fresh(args: list[str], cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ttlx", *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)


@pytest.mark.parametrize("code", ["0", "3"])
def test_a_forked_command_is_a_new_process(tmp_path, code):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "TTLX_RACES": "warn"}
    forked = run_module("ttlx", ["run", str(script), code, "x y"], cwd=tmp_path, env=env)
    assert getattr(forked, "forked", False)  # not started afresh
    expected = fresh(["run", str(script), code, "x y"], tmp_path, env)
    assert (forked.returncode, forked.stdout, forked.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    assert forked.returncode == int(code) and f"cwd {tmp_path}\n" in forked.stdout
    assert "races warn\n" in forked.stdout and forked.stdout.endswith("raw write\n")


def test_an_uncaught_exception_prints_its_traceback_and_exits_1(tmp_path):
    script = tmp_path / "script.py"
    script.write_text("raise ValueError('boom')\n")
    forked = run_module("ttlx", ["run", str(script)], cwd=tmp_path)
    assert getattr(forked, "forked", False)
    assert forked.returncode == 1 and forked.stderr.rstrip().endswith("ValueError: boom"), forked.stderr
    assert "Traceback (most recent call last)" in forked.stderr


@pytest.mark.parametrize("fork", ["1", "0"], ids=["forked", "subprocess"])
def test_a_command_past_its_timeout_is_killed(tmp_path, monkeypatch, fork):
    """Forked or started afresh (TTLX_TEST_FORK=0), a command past its
    timeout raises TimeoutExpired with what it printed before, as text
    (subprocess.run gives bytes there, even with text=True), and what the
    command started is killed with it (a compiler, here a sleep). The
    command is a module of a few lines, so that it prints long before its
    timeout whichever way it starts."""
    (tmp_path / "sleeper.py").write_text("import subprocess, sys, time\n"
                                         "child = subprocess.Popen(['sleep', '600'])\n"
                                         "open('child', 'w').write(str(child.pid))\n"
                                         "print('started', flush=True)\n"
                                         "print('to stderr', file=sys.stderr, flush=True)\ntime.sleep(600)\n")
    if fork == "0":
        monkeypatch.setenv("TTLX_TEST_FORK", "0")
    run_module("ttlx", ["run", "--help"])  # the server is up: the timeout counts the command alone
    with pytest.raises(subprocess.TimeoutExpired) as stop:
        run_module("sleeper", [], cwd=tmp_path, timeout=5)
    assert getattr(stop.value, "forked", False) == (fork == "1")
    assert (stop.value.output, stop.value.stderr) == ("started\n", "to stderr\n")  # printed before it was killed
    assert _gone(int((tmp_path / "child").read_text())), "the command's own child outlived its timeout"


def _gone(pid: int) -> bool:
    """Whether process `pid` has ended within a few seconds (killed, it is
    a zombie until init reaps it)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_an_environment_read_at_import_starts_a_new_process(tmp_path):
    """OMP_NUM_THREADS is read when torch is imported: the server's copy
    would not see it."""
    done = run_module("ttlx", ["run", "--help"], env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0 and not getattr(done, "forked", False)
