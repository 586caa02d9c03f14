# SPDX-License-Identifier: Apache-2.0
"""tt-lang files run unchanged (issue 16): `ttlx run` as `python FILE`
for imports, the host `ttnn` names tt-lang-sim 1.1.6 offers, tile
constants, unknown names reported with the closest known ones, and the
older spellings of spec 0.15 and before (docs/language.md, "Host code"
and "Older spellings")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def ttlx(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ttlx", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_run_puts_the_files_folder_first_on_sys_path(tmp_path):
    """A kernel file imports a module beside it, run from another folder;
    that module shadows a same-named one of the current folder."""
    folder = tmp_path / "kernels"
    folder.mkdir()
    (folder / "helpers.py").write_text("ROWS = 3\n")
    (tmp_path / "helpers.py").write_text("ROWS = 99\n")
    (folder / "main.py").write_text(textwrap.dedent("""
        import sys
        import helpers
        print("rows", helpers.ROWS, sys.path[0] == __file__.rsplit("/", 1)[0])
    """))
    result = ttlx("run", str(folder / "main.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "rows 3 True"
