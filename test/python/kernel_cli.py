# SPDX-License-Identifier: Apache-2.0
"""Helpers the kernel-language tests share: run `ttlx` on a kernel file and
check that an error is one `file:line:col: error:` line at the user's
source, with no traceback. (A module, not conftest fixtures: the tests call
them at import time in parametrize lists and inside helpers.)"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from forked_cli import run_module, run_simulator_script

ROOT = Path(__file__).resolve().parents[2]
KERNELS = ROOT / "test" / "kernels"
SIM = ROOT / "test" / "tools" / "ttlang_sim_run.py"


def ttlx(*args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None,
         timeout: float = 900) -> subprocess.CompletedProcess:
    """`python -m ttlx ARGS` in a process of its own (stdout, stderr as
    text; `env`: the whole environment, default this one's)."""
    return run_module("ttlx", list(args), cwd=cwd, env=env, timeout=timeout)


def tt_lang_sim(*args: str) -> subprocess.CompletedProcess:
    """test/tools/ttlang_sim_run.py ARGS (tt-lang-sim 1.1.6 on a kernel
    file) in a process of its own."""
    return run_simulator_script(SIM, list(args))


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the line where `needle` (which may span lines)
    first starts in `text`."""
    return text.count("\n", 0, text.index(needle)) + 1


def expect_located_error(path: Path, text: str, needle: str, message: str, *args: str,
                         result: subprocess.CompletedProcess | None = None) -> None:
    """`ttlx run [ARGS] path` (whose source is `text`; or the run already
    made, `result`) fails with exactly one stderr line, at the line holding
    `needle`, saying `message`."""
    if result is None:
        result = ttlx("run", *args, str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stdout + result.stderr  # one line, no traceback
    assert lines[0].startswith(f"{path}:{line_of(text, needle)}:"), lines[0]
    assert f": error: {message}" in lines[0], lines[0]


def kernel_file(tmp_path: Path, text: str) -> Path:
    """tmp_path/kernel.py holding `text`."""
    path = tmp_path / "kernel.py"
    path.write_text(text)
    return path


def edited_kernel(tmp_path: Path, kernel: str, *edits: tuple[str, str]) -> tuple[Path, str]:
    """test/kernels/`kernel` with each (old, new) of `edits` made, written
    to tmp_path/kernel.py; its path and text. Each `old` must occur once,
    so an edit cannot silently miss or hit two places."""
    text = (KERNELS / kernel).read_text()
    for old, new in edits:
        assert text.count(old) == 1, (kernel, old)
        text = text.replace(old, new)
    return kernel_file(tmp_path, text), text


# One node; `dfbs`, `read` and `compute` fill in the operation, `setup`
# makes the tensors and calls it.
OPERATION = '''\
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def op({params}):
{dfbs}

    @ttl.datamovement()
    def read():
{read}

    @ttl.compute()
    def compute():
{compute}

    @ttl.datamovement()
    def write():
        pass


{setup}
'''


def operation_file(tmp_path: Path, params: str, dfbs: str, setup: str, read: str = "pass",
                   compute: str = "pass") -> tuple[Path, str]:
    """tmp_path/kernel.py holding OPERATION filled in; its path and text."""
    text = OPERATION.format(params=params, dfbs=textwrap.indent(dfbs, " " * 4), read=textwrap.indent(read, " " * 8),
                            compute=textwrap.indent(compute, " " * 8), setup=setup)
    path = tmp_path / "kernel.py"
    path.write_text(text)
    return path, text


def reading(copy: str) -> str:
    """A read thread's body: reserve a block of x_dfb and copy `copy` into it."""
    return f"with x_dfb.reserve() as blk:\n    ttl.copy({copy}, blk).wait()"
