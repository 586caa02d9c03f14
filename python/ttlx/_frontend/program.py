# SPDX-License-Identifier: Apache-2.0
"""What the compiler hands over: the operation's verified TTL module, the
tensor arguments of each thread, and its IR at each stage. MLIR diagnostics
become KernelErrors at the user's file:line:col."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from .. import hardware
from ..compiler import EmissionError, run_pipeline
from ..ir import InsertionPoint, Location, MLIRError, Module
from ..lang.errors import KernelError
from ..lang.ttnn import Tensor

# The passes behind `ttlx compile --emit ttkernel|emitc`.
STAGE_PIPELINES = {"ttkernel": "ttl-to-ttkernel{{arch={arch}}},canonicalize,cse", "emitc": "ttl-to-emitc{{arch={arch}}}"}

P = TypeVar("P")
Fallback = tuple[str, int, int]  # where to report an error MLIR did not place


def clone(module: Module) -> Module:
    """A copy of `module` in its context."""
    with module.context, Location.unknown():
        copy = Module.create()
        with InsertionPoint(copy.body):
            for op in module.body.operations:
                op.clone()
    return copy


def user_error(diagnostics: Sequence[tuple[Location | str, str]], fallback: Fallback) -> KernelError:
    """The first MLIR diagnostic placed in a file, as a file:line:col
    KernelError (any other first diagnostic at `fallback`)."""
    for location, message in diagnostics:
        if isinstance(location, Location) and location.is_a_file():
            return KernelError(message, location.filename, location.start_line, location.start_col)
    message = diagnostics[0][1] if diagnostics else "unknown error"
    return KernelError(f"ttlx could not compile this operation's kernels (internal: {message})", *fallback)


@dataclass
class CompiledOperation:
    module: Module  # TTL, verified; left unchanged by `build` and `stage`
    tensors: dict[str, list[Tensor]]  # per thread function: its tensor arguments in order
    grid: tuple[int, int]
    fallback: Fallback
    stages: dict[str, str] = field(default_factory=dict)
    checks: list[Callable[[], None]] = field(default_factory=list)  # raise KernelError; run after lowering

    def build(self, lower: Callable[[Module, tuple[int, int]], P]) -> P:
        """`lower(copy of the module, grid)` (e.g. the runtime's
        Program.from_module), its lowering errors at the user's line, then
        the checks of what the device must hold (both ends of each DFB, L1)."""
        try:
            built = lower(clone(self.module), self.grid)
        except EmissionError as error:
            raise user_error(error.diagnostics, self.fallback) from None
        except MLIRError as error:
            raise user_error([(d.location, d.message) for d in error.error_diagnostics], self.fallback) from None
        for check in self.checks:
            check()
        return built

    def stage(self, name: str) -> str:
        """The operation at stage ttl, ttkernel or emitc (cpp once built)."""
        if name not in self.stages:
            if name == "ttl":
                self.stages[name] = str(self.module) + "\n"
            else:
                pipeline = STAGE_PIPELINES[name].format(arch=hardware.arch())
                self.stages[name] = str(run_pipeline(clone(self.module), pipeline)) + "\n"
        return self.stages[name]
