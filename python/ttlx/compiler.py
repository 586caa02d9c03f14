# SPDX-License-Identifier: Apache-2.0
"""Run the ttlx pipeline on a module and get tt-metal C++ per thread."""

from __future__ import annotations

from dataclasses import dataclass

from typing import Any

from ._mlir_libs import _site_initialize_0 as _ext
from .ir import Location, Module
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


class EmissionError(ValueError):
    """Lowering or emission failed; `diagnostics` holds MLIR's
    (location, message) pairs, the message text lists them."""

    def __init__(self, diagnostics: list[tuple[Location, str]]):
        self.diagnostics = diagnostics
        super().__init__("kernel emission failed:\n" + "\n".join(f"{loc}: {msg}" for loc, msg in diagnostics))


def emit_cpp(module: Module, arch: str = "wormhole_b0") -> list[Kernel]:
    """Lower a copy of `module` (TTL, TTKernel or EmitC) for `arch`
    (wormhole_b0 or blackhole) and emit its kernels.

    The module itself is left unchanged. When lowering or emission fails,
    raises EmissionError carrying MLIR's diagnostics.
    """
    diagnostics: list[tuple[Location, str]] = []

    def collect(diagnostic: Any) -> bool:
        diagnostics.append((diagnostic.location, diagnostic.message))
        return True

    handler = module.context.attach_diagnostic_handler(collect)
    try:
        entries = _ext.emit_kernels(module, arch)
    except ValueError:
        raise EmissionError(diagnostics) from None
    finally:
        handler.detach()
    return [Kernel(*entry) for entry in entries]
