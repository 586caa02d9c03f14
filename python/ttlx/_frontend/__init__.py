# SPDX-License-Identifier: Apache-2.0
"""The ttlx frontend (private): translates the thread functions of a
tt-lang operation from their Python AST to TTL IR, built through the
generated dialect bindings with the user's file:line:col on every op.

`compile_operation` is the entry point (ttlx.lang.operation calls it);
for an operation written with a unified body, `split_operation` first makes
its thread functions (`is_unified` tells the forms apart). docs/frontend.md
describes the modules and how to add a call handler.
"""

from .compile import captured_pipe_nets, compile_operation
from .program import CompiledOperation
from .unified import is_unified, split_operation

__all__ = ["CompiledOperation", "captured_pipe_nets", "compile_operation", "is_unified", "split_operation"]
