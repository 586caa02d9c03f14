# SPDX-License-Identifier: Apache-2.0
"""The ttlx frontend (private): translates the thread functions of a
tt-lang operation from their Python AST to TTL IR, built through the
generated dialect bindings with the user's file:line:col on every op.

`compile_operation` is the one entry point (ttlx.lang.operation calls it);
docs/frontend.md describes the modules and how to add a call handler.
"""

from .compile import compile_operation
from .program import CompiledOperation

__all__ = ["CompiledOperation", "compile_operation"]
