# SPDX-License-Identifier: Apache-2.0
"""An operation's thread functions to one verified TTL module."""

from __future__ import annotations

from ..ir import Context, Location, MLIRError, Module
from ..lang.operation import OperationContext
from ..lang.pipes import PipeNet
from .program import CompiledOperation, user_error
from .source import closure_values
from .translator import FunctionTranslator


def compile_operation(operation: OperationContext) -> CompiledOperation:
    """Raises KernelError at the user's line when a thread function is
    outside the kernel subset or its TTL does not verify."""
    operation.pipe_nets = captured_pipe_nets(operation)
    for net in operation.pipe_nets:
        net.check(operation.grid)
    context = Context()
    with context, Location.unknown():
        module = Module.create()
    translators = [FunctionTranslator(operation, thread, module) for thread in operation.threads]
    first = translators[0]
    fallback = (first.scope.file, first.scope.first_line, 1)
    with context:
        for translator in translators:
            translator.translate_reporting()
        try:
            module.operation.verify()
        except MLIRError as error:
            raise user_error([(d.location, d.message) for d in error.error_diagnostics], fallback) from None
    tensors = {t.thread.fn.__name__: t.tensors for t in translators}
    return CompiledOperation(module, tensors, operation.grid, fallback)


def captured_pipe_nets(operation: OperationContext) -> list[PipeNet]:
    """The PipeNets the thread functions see (closures, then globals), in
    first-seen order, as tt-lang finds an operation's nets."""
    nets: dict[int, PipeNet] = {}
    for thread in operation.threads:
        fn = thread.fn
        for value in [*closure_values(fn).values(), *getattr(fn, "__globals__", {}).values()]:
            if isinstance(value, PipeNet):
                nets.setdefault(id(value), value)
    return list(nets.values())
