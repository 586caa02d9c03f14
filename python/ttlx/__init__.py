# SPDX-License-Identifier: Apache-2.0
"""ttlx: an MLIR compiler and host runtime for TT-Lang kernels.

`ttlx.ir`, `ttlx.passmanager` and `ttlx.dialects.{ttl,ttkernel,func,arith,
scf,emitc,math}` are MLIR's Python bindings with the ttlx dialects loaded in
every Context; `ttlx.compiler` runs the pipeline and emits tt-metal C++.
"""

from .compiler import Kernel, emit_cpp, run_pipeline

__all__ = ["Kernel", "emit_cpp", "run_pipeline"]
__version__ = "0.1.0"
