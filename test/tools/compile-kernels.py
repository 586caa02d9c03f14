#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compile each kernel in `ttlx-translate --ttkernel-to-cpp` output.

Splits the output at its `// ===== kernel NAME (KIND) =====` banners and
type-checks every translation unit with the host C++ compiler against the
tt-metal kernel API headers of the ttlx runtime, so that errors in emitted
C++ fail the test.
Usage: compile-kernels.py CXX INCLUDE_DIR FILE
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

BANNER = re.compile(r"^// ===== kernel (\S+) \((\S*)\) =====$", re.M)
CT_ARG = re.compile(r"get_compile_time_arg_val\((\d+)\)")


def main() -> int:
    cxx, include, path = sys.argv[1:4]
    text = Path(path).read_text()
    marks = list(BANNER.finditer(text))
    if not marks:
        print(f"{path}: no kernel banners found", file=sys.stderr)
        return 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            source = Path(tmp) / f"{mark.group(1)}.cpp"
            unit = text[mark.end() : end]
            source.write_text(unit)
            # As a host would: one compile-time argument per index the kernel reads.
            count = max([int(n) + 1 for n in CT_ARG.findall(unit)], default=0)
            ct_args = ",".join(["0"] * (count + 1))  # + the runtime's sentinel
            cmd = [cxx, "-std=c++17", "-fsyntax-only", "-Wall", "-Werror",
                   "-Wno-unused-variable", "-Wno-unused-but-set-variable",
                   f"-DKERNEL_COMPILE_TIME_ARGS={ct_args}",
                   f"-DKERNEL_COMPILE_TIME_ARG_COUNT={count}",
                   "-I", include, str(source)]
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                failed += 1
                sys.stderr.write(result.stderr)
            else:
                print(f"compiled {mark.group(1)} ({mark.group(2)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
