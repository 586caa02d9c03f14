# SPDX-License-Identifier: Apache-2.0
"""Run the ttlx pipeline on a module and get tt-metal C++ per thread."""

from __future__ import annotations

from dataclasses import dataclass

from ._mlir_libs import _site_initialize_0 as _ext
from .ir import Module
from .passmanager import PassManager


@dataclass(frozen=True)
class Kernel:
    """One tt-metal kernel: a thread function emitted as `kernel_main`."""

    name: str  # the thread function's symbol
    thread: str  # "datamovement", "compute", or "" for a thread-less module
    source: str  # a complete C++ translation unit


def run_pipeline(module: Module, pipeline: str = "ttl-to-emitc") -> Module:
    """Run a textual pass pipeline (default: TTL -> EmitC) on `module` in place."""
    with module.context:
        PassManager.parse(f"builtin.module({pipeline})").run(module.operation)
    return module


def emit_cpp(module: Module) -> list[Kernel]:
    """Lower a copy of `module` (TTL, TTKernel or EmitC) and emit its kernels.

    The module itself is left unchanged. When lowering or emission fails,
    raises ValueError carrying MLIR's diagnostics (location: message).
    """
    messages: list[str] = []

    def collect(diagnostic) -> bool:
        messages.append(f"{diagnostic.location}: {diagnostic.message}")
        return True

    handler = module.context.attach_diagnostic_handler(collect)
    try:
        entries = _ext.emit_kernels(module)
    except ValueError:
        raise ValueError("kernel emission failed:\n" + "\n".join(messages)) from None
    finally:
        handler.detach()
    return [Kernel(*entry) for entry in entries]
