# SPDX-License-Identifier: Apache-2.0
"""Shared helpers: compile generated C++ with the host compiler and run it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def cxx() -> str:
    compiler = os.environ.get("CXX") or shutil.which("c++") or shutil.which("g++")
    if compiler is None:
        pytest.fail("no C++ compiler found (set CXX)")
    return compiler


@pytest.fixture
def run_cpp(cxx: str, tmp_path: Path):
    """Compile `source` (a complete program) and return its stdout."""

    def run(source: str) -> str:
        src = tmp_path / "prog.cpp"
        exe = tmp_path / "prog"
        src.write_text(source)
        subprocess.run(
            [cxx, "-std=c++17", "-O1", "-o", str(exe), str(src)],
            check=True,
            capture_output=True,
            text=True,
        )
        return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout

    return run
