# SPDX-License-Identifier: Apache-2.0
"""An operation's thread functions to one verified TTL module.

Errors come back in source order: a frontend error found while
translating a thread is reported only when no TTL op before it (in the
threads already translated, or earlier in its own) fails its verifier.
"""

from __future__ import annotations

from ..compiler import run_pipeline
from ..dialects import ttl
from ..ir import Context, IntegerAttr, Location, MLIRError, Module, Operation
from ..lang.errors import KernelError
from ..lang.operation import DataflowBuffer, OperationContext
from ..lang.pipes import PipeNet
from . import capacity
from .emitter import torch_dtype
from .program import CompiledOperation, Fallback, clone, user_error
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
            try:
                translator.translate_reporting()
            except KernelError as error:
                raise earliest(error, translators) from None
        try:
            module.operation.verify()
        except MLIRError as error:
            raise user_error([(d.location, d.message) for d in error.error_diagnostics], fallback) from None
    tensors = {t.thread.name: t.tensors for t in translators}
    # What the device must hold, checked once the lowering (whose errors are
    # more specific) has succeeded.
    checks = [lambda: check_dfb_ends(translators), lambda: check_l1(translators, module, fallback)]
    return CompiledOperation(module, tensors, operation.grid, fallback, checks=checks)


def earliest(error: KernelError, translators: list[FunctionTranslator]) -> KernelError:
    """`error`, or a verifier error of a TTL op built before it in the same
    file: the threads translated before, and the leaf ops of the thread
    `error` stopped (its regions unfinished, so not verified whole)."""
    found: list[KernelError] = []
    for translator in translators:
        fn = translator.fn
        if fn is None:
            break
        finished = translator.finished
        ops = [fn.operation] if finished else [op for op in _walk(fn.operation) if not op.regions
                                                and op.name.startswith("ttl.")]
        for op in ops:
            try:
                op.verify()
            except MLIRError as e:
                for d in e.error_diagnostics:
                    loc = d.location
                    if loc.is_a_file():
                        found.append(KernelError(d.message, loc.filename, loc.start_line, loc.start_col))
        if not finished:
            break
    before = [f for f in found if f.file == error.file and (f.line, f.col) < (error.line, error.col)]
    return min(before, key=lambda f: (f.line, f.col)) if before else error


def _walk(op: Operation) -> list[Operation]:
    found = []
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                found.append(inner.operation)
                found.extend(_walk(inner.operation))
    return found


def check_dfb_ends(translators: list[FunctionTranslator]) -> None:
    """Every DFB a thread pushes, a thread waits on, and the reverse. A
    DFB whose blocks go through pipes may have no consumer: its blocks are
    reserved only to be sent or received (the spec's pipe examples), and
    the pushed ones stay in it, as on the device."""
    claims: dict[tuple[int, str], tuple[str, int, int]] = {}
    piped: set[int] = set()
    for t in translators:
        if t.statements is not None:
            for key, site in t.statements.blocks.claims.items():
                claims.setdefault(key, site)
            piped |= t.statements.transfers.piped_dfbs
    for (index, role), site in sorted(claims.items(), key=lambda c: c[1][1:]):
        if role == "producer" and (index, "consumer") not in claims and index not in piped:
            raise KernelError(f"DFB {index} is reserved and pushed here, but no thread waits on it "
                              "(dfb.wait() ... pop()) and its blocks go through no pipe; every pushed block must "
                              "be consumed by the end of the operation", *site)
        if role == "consumer" and (index, "producer") not in claims:
            raise KernelError(f"DFB {index} is waited on here, but no thread reserves and pushes it "
                              "(dfb.reserve() ... push()); this wait would never return", *site)


def check_l1(translators: list[FunctionTranslator], module: Module, fallback: Fallback) -> None:
    """The DFBs the threads bind, and the staging DFBs of their pipe sends,
    fit a core's L1."""
    dfbs: dict[int, DataflowBuffer] = {}
    for t in translators:
        for dfb in t.dfbs:
            dfbs.setdefault(dfb.index, dfb)
    for staging in pipe_staging_dfbs(module):
        dfbs.setdefault(staging.index, staging)
    found = capacity.overflow(list(dfbs.values()))
    if found is None:
        return
    message, first = found
    user = [d for d in dfbs.values() if d.site is not None]
    site = first.site or (max(user, key=capacity.dfb_bytes).site if user else None) or fallback
    raise KernelError(message, *site)


def pipe_staging_dfbs(module: Module) -> list[DataflowBuffer]:
    """The DFBs ttl-assign-pipe-semaphores adds to a copy of `module` for its
    pipe sends (one block each, numbered after the operation's DFBs; the
    runtime allocates them as any other), each at the first line of the
    sends that stage their blocks there."""
    if not any(op.name == "ttl.pipe_send" for op in _walk(module.operation)):
        return []
    copy = clone(module)
    run_pipeline(copy, "ttl-assign-pipe-semaphores")
    types: dict[int, ttl.DFBType] = {}
    sends: dict[int, list[Location]] = {}
    for op in _walk(copy.operation):
        if op.name == "ttl.bind_dfb":
            types[IntegerAttr(op.attributes["index"]).value] = ttl.DFBType(op.results[0].type)
        elif op.name == "ttl.pipe_send":
            sends.setdefault(IntegerAttr(op.attributes["ttl.pipe_staging"]).value, []).append(op.location)
    staging = []
    for index, locations in sorted(sends.items()):
        placed = sorted({(loc.filename, loc.start_line, loc.start_col) for loc in locations if loc.is_a_file()},
                        key=lambda site: site[1:])
        lines = sorted({line for _, line, _ in placed})
        many = "s" if len(lines) > 1 else ""
        made_for = f"staging block of the pipe send{many}" + (f" at line{many} {', '.join(map(str, lines))}"
                                                              if lines else "")
        kind = types[index]
        staging.append(DataflowBuffer(index, tuple(kind.shape), torch_dtype(kind.element_type), kind.block_count,
                                      placed[0] if placed else None, row_major=kind.row_major, made_for=made_for))
    return staging


def captured_pipe_nets(operation: OperationContext) -> list[PipeNet]:
    """The PipeNets the thread functions see (closures, then globals), in
    first-seen order, as tt-lang finds an operation's nets."""
    nets: dict[int, PipeNet] = {}
    for thread in operation.threads:
        fn = thread.fn
        seen = thread.captured if thread.captured is not None else \
            [*closure_values(fn).values(), *getattr(fn, "__globals__", {}).values()]
        for value in seen:
            if isinstance(value, PipeNet):
                nets.setdefault(id(value), value)
    return list(nets.values())
