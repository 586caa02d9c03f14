# SPDX-License-Identifier: Apache-2.0
"""`make demo`: compile the example kernels to tt-metal C++ and print them.

The Engram demo replaces this once the frontend and runtime exist.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import emit_cpp
from .ir import Context, Module



def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(Path("examples").glob("*.mlir"))
    if not paths:
        print("usage: python -m ttlx.demo KERNEL.mlir...", file=sys.stderr)
        return 1
    for path in paths:
        with Context():
            module = Module.parse(path.read_text())
            for kernel in emit_cpp(module):
                print(f"// ===== {path.name}: kernel {kernel.name} ({kernel.thread}) =====")
                print(kernel.source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
