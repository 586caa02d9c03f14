# SPDX-License-Identifier: Apache-2.0
"""`@ttl.operation`: runs the operation body in Python (shapes, DFBs,
thread functions) or, for a unified body, has the compiler split it into
thread functions (ttlx._frontend.split_operation); compiles the thread
functions (ttlx._frontend) and runs the program on the host runtime
(ttlx.runtime)."""

from __future__ import annotations

import contextvars
import enum
import functools
import inspect
import linecache
import sys
from dataclasses import dataclass, field
from math import prod
from typing import TYPE_CHECKING, Any, Callable

import torch

from ..hardware import MAX_CORES, SEMAPHORES_PER_CORE
from . import deprecated, l1_tensors
from .dataflow_buffer import DataflowBuffer, DFBAllocationGroup
from .errors import KernelError, caller_site, user_site
from .ttnn import ROW_MAJOR_LAYOUT, TILE_LAYOUT, Tensor
from .ttnn_memory import BufferType, ShardingStrategy

if TYPE_CHECKING:  # the compiler's result type; the compiler itself is imported when called
    from .._frontend import CompiledOperation

DEFAULT_GRID = (8, 8)  # grid="auto" / "full": the whole device
TILE = 32

_current: contextvars.ContextVar["OperationContext | None"] = contextvars.ContextVar("ttl_operation", default=None)

# Set by the `ttlx compile` CLI: the stages to print for each operation.
emit_stages: list[str] = []


def dtype_name(dtype: torch.dtype) -> str:
    if dtype == torch.bfloat16:
        return "bf16"
    if dtype == torch.float32:
        return "f32"
    raise TypeError(f"unsupported tensor dtype {dtype}; use ttnn.bfloat16 or ttnn.float32")


@dataclass
class Thread:
    fn: Callable[..., Any]  # the thread function (of a unified body: the operation function)
    kind: str  # "compute" or "datamovement"
    name: str = ""  # the function's name in the module (default: fn's)
    source: Any = None  # of a unified body: the thread's (Scope, ast.FunctionDef), made by the compiler
    captured: list[Any] | None = None  # of a unified body: the values its code sees (for its pipe nets)
    arguments: tuple[Any, ...] | None = None  # of a unified body: the call's arguments (the cache key's)

    def __post_init__(self) -> None:
        self.name = self.name or self.fn.__name__


@dataclass
class OperationContext:
    grid: tuple[int, int]
    fp32_dest_acc: bool = False
    dfbs: list[DataflowBuffer] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)
    roles: dict[tuple[int, str], str] = field(default_factory=dict)  # (dfb index, producer|consumer) -> thread
    pipe_nets: list[Any] = field(default_factory=list)  # the PipeNets the threads capture
    kernel_pipe_nets: dict[Any, int] = field(default_factory=dict)  # nets built in kernel code, by their pipes
    groups: dict[int, int] = field(default_factory=dict)  # id() of a DFBAllocationGroup -> its ordinal
    semaphores: list[tuple[str, int, int]] = field(default_factory=list)  # where each ttl.Semaphore was made
    semaphore_init: list[int] = field(default_factory=list)  # each ttl.Semaphore's initial value

    def new_dfb(self, shape: tuple[int, ...], dtype: Any, block_count: int,
                site: tuple[str, int, int] | None = None, backing: Any = None, byte_offset: int = 0,
                group: DFBAllocationGroup | None = None, row_major: bool = False,
                made_for: str = "") -> DataflowBuffer:
        ordinal = None if group is None else self.groups.setdefault(id(group), len(self.groups))
        dfb = DataflowBuffer(len(self.dfbs), tuple(shape), dtype, block_count, site, backing, byte_offset, ordinal,
                             row_major, made_for)
        self.dfbs.append(dfb)
        return dfb


    def new_semaphore(self, site: tuple[str, int, int], initial_value: int = 0) -> int:
        """The index of a new ttl.Semaphore (tt-metal semaphore id)."""
        if len(self.semaphores) == SEMAPHORES_PER_CORE:
            raise KernelError(f"a core has {SEMAPHORES_PER_CORE} semaphores; this operation makes more", *site)
        self.semaphores.append(site)
        self.semaphore_init.append(initial_value)
        return len(self.semaphores) - 1


def current() -> OperationContext:
    ctx = _current.get()
    if ctx is None:
        raise KernelError("this ttl call belongs inside a @ttl.operation function", *user_site())
    return ctx


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def is_1d_tiled(tensor: Any) -> bool:
    """A 1-d TILE_LAYOUT tensor: in its slices and DFB shapes a unit is a
    tile of 32 elements (as tt-lang-sim counts it); on the device it is row
    0 of a (32, N) matrix, one tile row."""
    return isinstance(tensor, Tensor) and tensor.layout == TILE_LAYOUT and len(tensor.shape) == 1


def _check_shape(shape: Any, block_count: Any, site: tuple[str, int, int]) -> None:
    """A tiled DFB's shape: (rows, cols) in tiles after any leading (batch)
    dimensions, as tt-lang's spec has it."""
    if not (isinstance(shape, (tuple, list)) and len(shape) >= 2 and all(_positive(d) for d in shape)):
        raise KernelError(f"shape= of a dataflow buffer is (..., rows, cols): positive integers, the last two in "
                          f"tiles, leading ones batch dimensions; got {shape!r}", *site)
    if not _positive(block_count):
        raise KernelError(f"block_count= of a dataflow buffer is a positive integer (the blocks it holds); got "
                          f"{block_count!r}", *site)


def _check_row_major_shape(shape: Any, block_count: Any, site: tuple[str, int, int]) -> None:
    """A row-major DFB's shape: elements, of any rank (tt-lang's spec: the
    shape unit of a ROW_MAJOR_LAYOUT tensor is a scalar)."""
    if not (isinstance(shape, (tuple, list)) and len(shape) >= 1 and all(_positive(d) for d in shape)):
        raise KernelError(f"shape= of a dataflow buffer like a ROW_MAJOR_LAYOUT tensor is in elements: one or more "
                          f"positive integers; got {shape!r}", *site)
    _check_shape((1, 1), block_count, site)


def _check_group(group: Any, site: tuple[str, int, int]) -> DFBAllocationGroup | None:
    if group is None or isinstance(group, DFBAllocationGroup):
        return group
    raise KernelError(f"allocation_group= takes a group made by ttl.make_dfb_allocation_group(); got {group!r}",
                      *site)


def make_dataflow_buffer_like(tensor: Any, shape: Any = (1, 1), block_count: Any = 2,
                              buffer_factor: Any = None, *, allocation_group: Any = None) -> DataflowBuffer:
    """A DFB of `block_count` blocks of `shape` tiles, of the tensor's dtype
    (of `shape` elements when the tensor is ROW_MAJOR_LAYOUT, as tt-lang's
    spec has it); a bad argument is an error at this call. `buffer_factor=` is the older
    spelling of `block_count=` (lang/deprecated.py). `allocation_group=`:
    share the L1 of the group's other DFBs (make_dfb_allocation_group)."""
    site = caller_site(1)
    if buffer_factor is not None:
        deprecated.warn("buffer_factor=", "block_count=", *user_site()[:2])
        block_count = buffer_factor
    row_major = isinstance(tensor, Tensor) and tensor.layout == ROW_MAJOR_LAYOUT
    if is_1d_tiled(tensor) and isinstance(shape, (tuple, list)) and len(shape) == 1:
        shape = (1, *shape)  # tiles of a 1-d tensor: one tile row
    (_check_row_major_shape if row_major else _check_shape)(shape, block_count, site)
    if not isinstance(tensor, (Tensor, torch.Tensor)):
        raise KernelError(f"ttl.make_dataflow_buffer_like takes a tensor (its element type is the DFB's), got a "
                          f"{type(tensor).__name__}; for a DFB of an explicit element type use "
                          "ttl.make_dfb(dtype, shape=..., block_count=...)", *site)
    return current().new_dfb(tuple(shape), tensor.dtype, block_count, site, group=_check_group(allocation_group, site),
                             row_major=row_major)


def make_dfb_allocation_group() -> DFBAllocationGroup:
    """`ttl.make_dfb_allocation_group()`: a group for `allocation_group=`
    of ttl.make_dfb / make_dataflow_buffer_like, in the operation body or
    an enclosing scope."""
    return DFBAllocationGroup()


_TILE_BYTES = {torch.bfloat16: 2 * TILE * TILE, torch.float32: 4 * TILE * TILE}


def make_tensor_backed_dfb(tensor: Any, shape: Any = (1, 1), block_count: Any = 1, byte_offset: Any = 0, *,
                           allocation_group: Any = None) -> DataflowBuffer:
    """`ttl.make_tensor_backed_dfb(tensor, shape, block_count=1,
    byte_offset=0)` (tt-lang spec 0.22): a DFB whose whole capacity lies in
    `tensor`'s L1 on each node, from `byte_offset` (a multiple of the tile
    size) of the node's shard. The tensor is a TILE, height-sharded L1
    tensor of bf16 or float32; an input is made readable with
    `dfb.publish()` on a data-movement thread, an output is reserved,
    stored and pushed as any DFB. Each wrong argument is an error here."""
    site = caller_site(1)
    what = "ttl.make_tensor_backed_dfb takes a TILE, height-sharded L1 tensor of bf16 or float32"
    if not isinstance(tensor, Tensor):
        raise KernelError(f"{what}; got {type(tensor).__name__}", *site)
    config = tensor.memory_config
    if tensor.layout != TILE_LAYOUT or config.buffer_type != BufferType.L1 or \
            config.strategy != ShardingStrategy.HEIGHT_SHARDED or config.shard_spec is None:
        where = "DRAM" if config.buffer_type != BufferType.L1 else config.strategy.name.lower().replace("_", "-")
        raise KernelError(f"{what}; this tensor is {where} in {tensor.layout} (make it with a HEIGHT_SHARDED L1 "
                          "memory config, e.g. ttnn.create_sharded_memory_config(..., ttnn.ShardStrategy.HEIGHT))",
                          *site)
    if tensor.dtype not in _TILE_BYTES:
        raise KernelError(f"{what}; this tensor is {tensor.dtype}", *site)
    _check_shape(shape, block_count, site)
    if allocation_group is not None:
        raise KernelError("a tensor-backed DFB lives in its tensor's L1, so allocation_group= does not apply to it; "
                          "drop the argument", *site)
    page = _TILE_BYTES[tensor.dtype]
    if not (isinstance(byte_offset, int) and not isinstance(byte_offset, bool) and byte_offset >= 0
            and byte_offset % page == 0):
        raise KernelError(f"byte_offset= of a tensor-backed DFB is a non-negative multiple of the tile size "
                          f"({page} bytes for {tensor.dtype}); got {byte_offset!r}", *site)
    shard_rows = -(-config.shard_spec.shard_shape[0] // TILE)
    shard_bytes = shard_rows * (tensor.storage.shape[-1] // TILE) * page
    needed = prod(shape) * block_count * page
    if byte_offset + needed > shard_bytes:
        raise KernelError(f"the tensor-backed DFB needs {needed} bytes ({'x'.join(map(str, shape))} tiles x {block_count} "
                          f"blocks) from byte {byte_offset} of a shard of {shard_bytes} bytes on each node; use "
                          "smaller blocks or fewer of them, or a smaller byte_offset=", *site)
    return current().new_dfb(tuple(shape), tensor.dtype, block_count, site, backing=tensor, byte_offset=byte_offset)


# ttl.make_dfb's element types: tt-lang spells them as strings or ttnn dtypes.
_DFB_DTYPES = {"bf16": torch.bfloat16, "bfloat16": torch.bfloat16, "f32": torch.float32, "float32": torch.float32}


def make_dfb(dtype: Any, shape: Any = (1, 1), block_count: Any = 2, tile: Any = (32, 32), *,
             allocation_group: Any = None) -> DataflowBuffer:
    """`ttl.make_dfb(dtype, shape, block_count=2, tile=(32, 32),
    allocation_group=None)`: a scratch DFB of an explicit element type
    ("bf16"/"float32" or ttnn.bfloat16 / ttnn.float32), otherwise as
    make_dataflow_buffer_like."""
    site = caller_site(1)
    group = _check_group(allocation_group, site)
    resolved = _DFB_DTYPES.get(dtype) if isinstance(dtype, str) else dtype
    if resolved not in (torch.bfloat16, torch.float32):
        raise KernelError(f"the element type of ttl.make_dfb is bf16 or float32 (\"bf16\", \"float32\", "
                          f"ttnn.bfloat16, ttnn.float32); got {dtype!r}", *site)
    if not (isinstance(tile, (tuple, list)) and tuple(tile) == (32, 32)):
        raise KernelError(f"tile= of ttl.make_dfb is (32, 32), the only tile ttlx has; got {tile!r}", *site)
    _check_shape(shape, block_count, site)
    return current().new_dfb(tuple(shape), resolved, block_count, site, group=group)


class KernelKind(enum.Enum):
    """The kind of a `ttl.Kernel`."""

    COMPUTE = "compute"
    DATA_MOVEMENT = "datamovement"


class Kernel:
    """`ttl.Kernel(ttl.KernelKind.X)`: a kernel identity that thread functions
    name with `@ttl.compute(kernel=...)` / `@ttl.datamovement(kernel=...)`.
    ttlx compiles each thread function as a kernel of its own; the identity
    is checked against the decorator's kind and otherwise not needed."""

    def __init__(self, kind: KernelKind) -> None:
        if not isinstance(kind, KernelKind):
            raise KernelError(f"ttl.Kernel takes ttl.KernelKind.COMPUTE or ttl.KernelKind.DATA_MOVEMENT; got "
                              f"{kind!r}", *caller_site(1))
        self.kind = kind


# A core runs one compute thread and two data-movement threads.
_THREADS_PER_CORE = {"compute": 1, "datamovement": 2}


def _thread_decorator(kind: str) -> Callable[..., Any]:
    def decorator_factory(*args: Any, kernel: Any = None, **kwargs: Any) -> Any:
        if kernel is not None and not (isinstance(kernel, Kernel) and kernel.kind.value == kind):
            label = "compute" if kind == "compute" else "datamovement"
            raise KernelError(f"kernel= of @ttl.{label} is a ttl.Kernel of kind "
                              f"ttl.KernelKind.{KernelKind(kind).name}; got {kernel!r}"
                              + (f" of kind {kernel.kind.name}" if isinstance(kernel, Kernel) else ""),
                              *caller_site(1))

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            threads = current().threads
            limit = _THREADS_PER_CORE[kind]
            if sum(1 for t in threads if t.kind == kind) == limit:
                what = "compute thread" if kind == "compute" else "data-movement threads"
                label = "compute" if kind == "compute" else "data-movement"
                raise KernelError(f"'{fn.__name__}' is one {label} thread too many: a core runs "
                                  f"{'one' if limit == 1 else 'two'} {what} (and "
                                  f"{'two data-movement threads' if kind == 'compute' else 'one compute thread'}); "
                                  "merge its work into another thread", *_where(fn))
            threads.append(Thread(fn, kind))
            return fn

        if args and callable(args[0]) and not kwargs:  # used without ()
            return register(args[0])
        return register

    return decorator_factory


compute = _thread_decorator("compute")
datamovement = _thread_decorator("datamovement")


def _resolve_grid(grid: Any, site: tuple[str, int, int]) -> tuple[int, int]:
    if isinstance(grid, str) and grid in ("auto", "full") or grid is None:
        return DEFAULT_GRID
    sizes = (grid, 1) if _positive(grid) else grid
    if isinstance(sizes, (tuple, list)) and len(sizes) == 2 and all(_positive(g) for g in sizes):
        if sizes[0] * sizes[1] > MAX_CORES:
            raise KernelError(f"grid={grid!r} has {sizes[0] * sizes[1]} nodes, but the largest device ttlx "
                              f"emulates (Blackhole p150, 13x10) has {MAX_CORES} cores", *site)
        return (sizes[0], sizes[1])
    raise KernelError(f"grid= is \"auto\", \"full\", a node count or (x, y) with positive sizes; got {grid!r}",
                      *site)


class Operation:
    def __init__(self, fn: Callable[..., Any], grid: Any, fp32_dest_acc_en: bool = False,
                 site: tuple[str, int, int] | None = None):
        self.fn = fn
        self.grid = _resolve_grid(grid, site or _where(fn))
        self.fp32_dest_acc = bool(fp32_dest_acc_en)
        self.__name__ = getattr(fn, "__name__", "operation")
        self.last_run: Any = None  # the runtime's RunResult (counters) of the latest call
        self.last_traffic: list[tuple[int, int]] = []  # per tensor argument: (read, written) bytes, DRAM or L1
        self.__doc__ = fn.__doc__
        self.cache = _new_cache()  # compiled programs of recent calls, shared (operation_cache)
        self._unified: bool | None = None

    def cache_identity(self) -> tuple[Callable[..., Any], tuple[int, int], bool]:
        """What the operation cache keys an operation a unified body composes
        by (operation_cache reads it without importing this module)."""
        return (self.fn, self.grid, self.fp32_dest_acc)

    @property
    def unified(self) -> bool:
        """Written with one body (the compiler assigns its statements to
        threads), not with @ttl.compute / @ttl.datamovement functions."""
        if self._unified is None:
            from .. import _frontend

            self._unified = _frontend.is_unified(self.fn)
        return self._unified

    def compile(self, *args: Any, **kwargs: Any) -> CompiledOperation:
        """Runs the operation body on these arguments and compiles its
        thread functions to TTL (nothing runs on the device)."""
        return self._compile(_caller_site(), args, kwargs)

    def _compile(self, site: tuple[str, int, int], args: tuple[Any, ...], kwargs: dict[str, Any]) -> CompiledOperation:
        from .._frontend import compile_operation

        ctx = self._run_body(site, args, kwargs)
        if not ctx.threads:
            raise KernelError("the operation body has no kernel work: Python runs it on each node when the operation "
                              "is called, and there are no kernels to compile", *_where(self.fn))
        return compile_operation(ctx)

    def _run_body(self, site: tuple[str, int, int], args: tuple[Any, ...], kwargs: dict[str, Any]) -> OperationContext:
        """Runs the operation body: its DFBs and thread functions (of a
        unified body, the ones the compiler splits it into)."""
        from .. import _frontend

        if _current.get() is not None:
            raise KernelError(f"'{self.__name__}' is called while another operation is being defined; an operation "
                              "calls another only as a statement of its unified body (expanded in place), and "
                              "multi-kernel operations do not compose", *site)
        for i, t in enumerate(args):
            if isinstance(t, Tensor):
                _check_tensor(site, i, t)
        ctx = OperationContext(self.grid, self.fp32_dest_acc)
        token = _current.set(ctx)
        try:
            if self.unified:
                _frontend.split_operation(self, ctx, site, args, kwargs)
            else:
                self.fn(*args, **kwargs)
        finally:
            _current.reset(token)
        if not ctx.threads and not self.unified:
            raise KernelError("the operation defines no @ttl.compute or @ttl.datamovement function",
                              *_where(self.fn))
        return ctx

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        """Compiles the operation (`compile`), lowers it to a program and
        runs that on the host runtime. A call whose compile would read
        what an earlier call's read reuses that program (operation_cache).
        What the compile builds is freed by reference counting when the call
        returns, with the call's tensors (the frontend makes no reference
        cycles: test_operation_cache checks it with the collector off)."""
        from .. import _frontend
        from .._frontend import compile_operation
        from ..profile.session import report as profile_report
        from ..profile.session import settings as profile_settings
        from ..runtime import Program, run
        from .operation_cache import Uncacheable, fingerprint

        site = _caller_site()
        ctx = self._run_body(site, args, kwargs)
        if not ctx.threads:  # a unified body with no kernel work: Python ran it on each node
            return
        try:
            key, found, pinned = fingerprint(ctx, _frontend.captured_pipe_nets(ctx))
        except Uncacheable:
            key, found, pinned = None, [], []
        entry = self.cache.lookup(key)
        if entry is not None:
            compiled, program = entry.compiled, entry.program
            thread_tensors = {name: [found[i] for i in places] for name, places in entry.places.items()}
        else:
            compiled = compile_operation(ctx)
            program = compiled.build(Program.from_module)
            compiled.stages["cpp"] = "".join(f"// ===== kernel {k.name} ({k.processor}) =====\n{k.source}"
                                             for k in program.kernels)
            thread_tensors = compiled.tensors
            if key is not None:
                self.cache.store(key, found, pinned, compiled, program)
        del found
        for stage in emit_stages:
            sys.stdout.write(compiled.stage(stage))
        sys.stdout.flush()  # the cores' prints (DPRINT) go to the same stdout, after what the host printed
        request = profile_settings()
        tensors = [a for a in args if isinstance(a, Tensor)]
        in_l1 = l1_tensors.placements(args, _parameter_names(self.fn), ctx.dfbs, program, site)
        l1_tensors.check_capacity(in_l1, program, ctx.dfbs, site)
        backing = [d.backing for d in ctx.dfbs if d.backing is not None]
        tensors += [t for t in backing if all(t is not a for a in tensors)]
        # Tensors ttnn owns stay in tile order between operations (ttnn._Storage).
        tiled = {id(t.storage) for ts in [*thread_tensors.values(), backing] for t in ts
                 if t._storage.for_run(t.layout)}
        try:
            self.last_run = run(program, {name: [t.storage for t in ts] for name, ts in thread_tensors.items()},
                                request or False, names={id(t.storage): name for name, t, _ in in_l1} |
                                _tensor_names(self.fn, args),
                                uninitialised={id(t.storage) for t in tensors if t.uninitialised},
                                placements={id(t.storage): where for _, t, where in in_l1},
                                resident=[t.storage for t in backing], dfb_storage=l1_tensors.dfb_storage(ctx.dfbs),
                                tiled=tiled, row_major={id(t.storage) for ts in thread_tensors.values() for t in ts
                                                        if t.layout == ROW_MAJOR_LAYOUT})
        finally:
            for t in tensors:
                t.uninitialised = False
        if request is not None and self.last_run.profile is not None:
            profile_report(self.__name__, self.last_run.profile, request)
        self.last_traffic = [self.last_run.tensor_traffic.get(id(a.storage), (0, 0)) for a in args
                             if isinstance(a, Tensor)]


def _new_cache() -> Any:
    from .operation_cache import shared  # it imports this module

    return shared()


@functools.lru_cache(maxsize=256)
def _parameter_names(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The parameters of an operation's function, once per function (every
    call names its tensors by them)."""
    return tuple(inspect.signature(fn).parameters)


def _tensor_names(fn: Callable[..., Any], args: tuple[Any, ...]) -> dict[int, str]:
    """id() of each tensor argument's torch tensor -> its parameter name."""
    return {id(a.storage): p for p, a in zip(_parameter_names(fn), args) if isinstance(a, Tensor)}


def _caller_site() -> tuple[str, int, int]:
    """Where the user called the operation (our caller's caller)."""
    caller = sys._getframe(2)
    return (caller.f_code.co_filename, caller.f_lineno, 1)


def _where(fn: Callable[..., Any]) -> tuple[str, int, int]:
    """The first line of `fn` (its first decorator), at its indentation."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return ("<unknown>", 0, 0)
    text = linecache.getline(code.co_filename, code.co_firstlineno)
    return (code.co_filename, code.co_firstlineno, len(text) - len(text.lstrip()) + 1)


def _check_tensor(site: tuple[str, int, int], index: int, t: Tensor) -> None:
    """Wrong tensors are reported at the call of the operation."""
    file, line, _ = site
    if t.dtype not in (torch.bfloat16, torch.float32):
        raise KernelError(f"tensor argument {index} has dtype {t.dtype}; kernels take ttnn.bfloat16 or "
                          "ttnn.float32 tensors", file, line, 1)
    if t.layout == ROW_MAJOR_LAYOUT:
        if len(t.shape) < 1 or t.storage.numel() == 0:
            raise KernelError(f"tensor argument {index} has shape {t.shape} in {t.layout}; kernels take row-major "
                              "tensors of 1 or more dimensions and at least one element", file, line, 1)
        if t.memory_config.buffer_type == BufferType.L1:
            raise KernelError(f"tensor argument {index} is a ROW_MAJOR_LAYOUT tensor in L1; ttlx keeps row-major "
                              "tensors in DRAM: give it ttnn.DRAM_MEMORY_CONFIG (or use TILE_LAYOUT)", file, line, 1)
        return
    if t.storage.dim() < 2 or t.storage.shape[-2] % TILE or t.storage.shape[-1] % TILE:
        raise KernelError(f"tensor argument {index} has shape {t.shape} in {t.layout}; kernels take TILE_LAYOUT "
                          "tensors padded to whole 32x32 tiles", file, line, 1)


def operation(*args: Any, grid: Any = "auto", fp32_dest_acc_en: bool = False, **kwargs: Any) -> Any:
    """`@ttl.operation(grid=...)` (or bare `@ttl.operation`).
    `fp32_dest_acc_en=True` gives compute threads a 32-bit DST (as tt-metal's
    ComputeConfig field of that name)."""
    site = caller_site(1)
    if args and callable(args[0]):
        return Operation(args[0], grid, site=site)

    def wrap(fn: Callable[..., Any]) -> Operation:
        return Operation(fn, grid, fp32_dest_acc_en, site)

    return wrap
