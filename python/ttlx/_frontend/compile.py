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
from ..lang.errors import KernelError, L1Exhausted
from ..lang.operation import DataflowBuffer, OperationContext
from ..lang.pipes import PipeNet
from . import capacity
from .emitter import torch_dtype
from .program import CompiledOperation, Fallback, clone, user_error
from .source import closure_values, named_globals
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
    """The DFBs the threads bind, and those the compiler adds for fused ops
    and pipe sends, fit a core's L1."""
    dfbs: dict[int, DataflowBuffer] = {}
    for t in translators:
        for dfb in t.dfbs:
            dfbs.setdefault(dfb.index, dfb)
    for made in compiler_dfbs(module, set(dfbs)):
        dfbs.setdefault(made.index, made)
    found = capacity.overflow(list(dfbs.values()))
    if found is None:
        return
    message, first = found
    user = [d for d in dfbs.values() if d.site is not None]
    site = first.site or (max(user, key=capacity.dfb_bytes).site if user else None) or fallback
    raise L1Exhausted(message, *site)


# What the compiler makes a DFB for, by the op that needs it.
_MADE_FOR = {"ttl.pipe_send": "staging block of the pipe send", "ttl.engram_gate": "scratch block of the fused "
             "Engram gate", "ttl.depthwise_conv1d": "shift tile of the fused depthwise conv"}


def compiler_dfbs(module: Module, bound: set[int]) -> list[DataflowBuffer]:
    """The DFBs that ttl-decompose-engram (scratch blocks of the fused ops)
    and ttl-assign-pipe-semaphores (staging blocks of pipe sends) add to a
    copy of `module`, numbered after the operation's `bound` DFBs as when
    it runs (the runtime allocates them as any other). Each is at the
    first line of the ops it serves: the sends that stage their blocks in
    it, else the fused ops of the threads that bind it."""
    fused = {"ttl.engram_gate", "ttl.depthwise_conv1d"}
    before = _ops_by_thread(module)
    if not any(op.name in fused or op.name == "ttl.pipe_send" for ops in before.values() for op in ops):
        return []
    copy = clone(module)
    run_pipeline(copy, "ttl-decompose-engram,ttl-assign-pipe-semaphores")
    types: dict[int, ttl.DFBType] = {}
    served: dict[int, list[Operation]] = {}
    for thread, ops in _ops_by_thread(copy).items():
        for op in ops:
            if op.name == "ttl.bind_dfb":
                index = IntegerAttr(op.attributes["index"]).value
                if index not in bound:
                    types[index] = ttl.DFBType(op.results[0].type)
                    served.setdefault(index, []).extend(o for o in before.get(thread, []) if o.name in fused)
            elif op.name == "ttl.pipe_send":
                served.setdefault(IntegerAttr(op.attributes["ttl.pipe_staging"]).value, []).append(op)
    made = []
    for index, kind in sorted(types.items()):
        ops = served.get(index, [])
        # A staging block serves its sends; a shift tile, its convs (the
        # threads that hold it may also hold gates).
        for name in ("ttl.pipe_send", "ttl.depthwise_conv1d", "ttl.engram_gate"):
            if any(op.name == name for op in ops):
                ops = [op for op in ops if op.name == name]
                break
        placed = sorted({(loc.filename, loc.start_line, loc.start_col) for loc in (op.location for op in ops)
                         if loc.is_a_file()}, key=lambda site: site[1:])
        lines = sorted({line for _, line, _ in placed})
        many = "s" if len(lines) > 1 else ""
        what = _MADE_FOR[ops[0].name] + many if ops else "made by the compiler"
        made_for = what + (f" at line{many} {', '.join(map(str, lines))}" if lines else "")
        made.append(DataflowBuffer(index, tuple(kind.shape), torch_dtype(kind.element_type), kind.block_count,
                                   placed[0] if placed else None, row_major=kind.row_major, made_for=made_for))
    return made


def _ops_by_thread(module: Module) -> dict[str, list[Operation]]:
    """Each function's ops, nested ones included, by its name."""
    return {op.attributes["sym_name"].value: _walk(op.operation)
            for op in module.body.operations if "sym_name" in op.attributes}


def captured_pipe_nets(operation: OperationContext) -> list[PipeNet]:
    """The PipeNets the thread functions see (closures, then globals), in
    first-seen order, as tt-lang finds an operation's nets; those in
    captured lists, tuples and dicts too (`nets[k]` in kernel code), which
    would otherwise be known by their pipes alone: two such nets with the
    same ends would be one channel."""
    nets: dict[int, PipeNet] = {}
    for thread in operation.threads:
        fn = thread.fn
        seen = thread.captured if thread.captured is not None else \
            [*closure_values(fn).values(), *named_globals(fn)]
        for net in _pipe_nets_in(seen):
            nets.setdefault(id(net), net)
    return list(nets.values())


_MAX_NET_CONTAINER = 1024  # far more nets than a grid's nodes


def _pipe_nets_in(values: list[object]) -> list[PipeNet]:
    """The PipeNets among `values` and in the lists, tuples and dicts they
    hold, in order: three levels deep, each container once (one may hold
    itself), none of more than _MAX_NET_CONTAINER items (this runs at every
    call, over the module's globals too: their data is not opened)."""
    found: list[PipeNet] = []
    opened: set[int] = set()
    stack: list[tuple[object, int]] = [(value, 0) for value in reversed(values)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, PipeNet):
            found.append(value)
        elif isinstance(value, (list, tuple, dict)) and depth < 3 and len(value) <= _MAX_NET_CONTAINER \
                and id(value) not in opened:
            opened.add(id(value))
            items = list(value.values()) if isinstance(value, dict) else list(value)
            stack.extend((item, depth + 1) for item in reversed(items))
    return found
