# SPDX-License-Identifier: Apache-2.0
"""ttlx: an MLIR compiler and host runtime for TT-Lang kernels.

`ttlx.ir`, `ttlx.passmanager` and `ttlx.dialects.{ttl,ttkernel,func,arith,
scf,emitc,math}` are MLIR's Python bindings with the ttlx dialects loaded in
every Context; `ttlx.compiler` runs the pipeline and emits tt-metal C++;
`ttlx.lang` (also re-exported here) is the tt-lang kernel API.

`ttlx.Kernel` is tt-lang's `ttl.Kernel` (a kernel identity, with
`ttlx.KernelKind`), so `import ttlx as ttl` reads as tt-lang; the compiled
kernel `emit_cpp` returns is `ttlx.compiler.Kernel`.
"""

from .compiler import emit_cpp, run_pipeline
from .lang import (DataflowBuffer, Kernel, KernelError, KernelKind, Pipe, PipeNet, block, compute, copy,
                   datamovement, element_read, element_write, grid_size, make_dataflow_buffer_like, math, node,
                   operation, raw_element_read, raw_element_write, signpost)

# `import ttlx as ttl`: the tt-lang API is ttlx's top level too.
__all__ = [
    "DataflowBuffer", "Kernel", "KernelError", "KernelKind", "Pipe", "PipeNet", "block", "compute", "copy",
    "datamovement",
    "element_read", "element_write", "emit_cpp", "grid_size", "make_dataflow_buffer_like", "math",
    "node", "operation", "raw_element_read", "raw_element_write", "run_pipeline", "signpost",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """The rest of the kernel API (`import ttlx as ttl`): ttlx.lang's names."""
    if name.startswith("_"):
        raise AttributeError(f"module 'ttlx' has no attribute '{name}'")
    from . import lang

    return getattr(lang, name)
