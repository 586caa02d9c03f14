# SPDX-License-Identifier: Apache-2.0
"""Calls of an operation reuse its compiled program while nothing the
compiler read has changed.

The operation body still runs on every call (it makes the DFBs and thread
functions); what is skipped is translating the thread functions to TTL,
lowering and emitting C++. The key is a fingerprint of everything the
translator can see: each thread function's code object, the values of its
closure and of the globals its code names (recursively through plain user
functions it may inline, and through the attributes those names select on
user modules, classes and namespaces), the operation's DFBs, grid,
fp32_dest_acc, the PipeNets its functions see and the target
architecture. Tensors enter by shape, padded shape, dtype, layout and
memory config, and by which of them are the same object; a cached program
is run on the tensors found at the same places of this call's fingerprint.

A value the fingerprint cannot describe (an arbitrary object, a raw torch
tensor) makes the call uncacheable: it compiles as if there were no cache.
"""

from __future__ import annotations

import builtins
import dataclasses
import enum
import functools
import types
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Hashable

import torch

from .. import hardware
from .node_ref import NodeRef
from .dataflow_buffer import DataflowBuffer
from .pipes import Pipe, PipeNet
from .ttnn import Tensor

if TYPE_CHECKING:  # operation imports this module
    from .operation import OperationContext

# Modules whose attributes are the kernel API and constants, never
# reassigned: fingerprinted by identity. Everything else (ttlx.engram too)
# is user code.
_STABLE_MODULES = ("ttlx.lang", "ttlx._frontend", "torch", "math", "builtins", "operator", "numpy", "ttnn")
_ENTRIES = 32  # programs kept in a cache (a few operations at a few shapes)


class Uncacheable(Exception):
    """The call's compile reads something the fingerprint cannot describe."""


def _stable(module_name: str) -> bool:
    return module_name == "ttlx" or any(module_name == m or module_name.startswith(m + ".") for m in _STABLE_MODULES)


def _user_function(value: object) -> bool:
    return isinstance(value, types.FunctionType) and not _stable(getattr(value, "__module__", None) or "")


def _code_objects(code: types.CodeType) -> list[types.CodeType]:
    found = [code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found.extend(_code_objects(const))
    return found


@functools.lru_cache(maxsize=1024)
def code_names(code: types.CodeType) -> frozenset[str]:
    """The global and attribute names `code` and the code nested in it use
    (once per code object: every operation call asks, for each function)."""
    return frozenset(n for c in _code_objects(code) for n in c.co_names)


def _closure(fn: types.FunctionType) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            values[name] = cell.cell_contents
        except ValueError:  # not bound yet
            values[name] = _Unbound
    return values


def _composed(value: object) -> bool:
    """An operation (`ttl.operation`), by the method it keys by. Modules are
    not asked: ttl's and ttnn's answer an unknown name with a suggestion
    search (difflib), a few ms a call."""
    return (not isinstance(value, (type, types.ModuleType))
            and callable(getattr(value, "cache_identity", None)))


class _Unbound:
    pass


class _Fingerprint:
    """One walk over what the thread functions see; `key` is hashable and
    holds no reference to the call's tensors."""

    def __init__(self, functions: list[types.FunctionType]):
        self.functions = self._reachable(functions)
        self.codes = {id(c): c for fn in self.functions for c in _code_objects(fn.__code__)}
        self.names = frozenset().union(*(code_names(fn.__code__) for fn in self.functions))
        self.tensors: list[Tensor] = []  # in walk order, each once
        self._ordinal: dict[int, int] = {}  # id() of a visited mutable object -> its ordinal
        self._alive: list[object] = []  # keeps ids unique during the walk
        self.pinned: list[object] = list(self.codes.values())  # what the key names by id()

    @staticmethod
    def _reachable(functions: list[types.FunctionType]) -> list[types.FunctionType]:
        """The thread functions and the user functions their closures and
        named globals hold, transitively."""
        found: dict[int, types.FunctionType] = {}
        todo = list(functions)
        while todo:
            fn = todo.pop()
            if id(fn) in found:
                continue
            found[id(fn)] = fn
            names = code_names(fn.__code__)
            for value in [*_closure(fn).values(), *(fn.__globals__.get(n) for n in names)]:
                if _composed(value):  # an operation a unified body composes: its function is read too
                    value = value.cache_identity()[0]
                if _user_function(value):
                    todo.append(value)
        return list(found.values())

    def _visit(self, obj: object) -> int | None:
        """The ordinal of `obj` if already visited (then it is referenced,
        not walked again), else None after recording it."""
        ordinal = self._ordinal.get(id(obj))
        if ordinal is not None:
            return ordinal
        self._ordinal[id(obj)] = len(self._ordinal)
        self._alive.append(obj)
        return None

    def function(self, fn: types.FunctionType) -> Hashable:
        if id(fn.__code__) not in self.codes:
            raise Uncacheable(f"function {fn.__qualname__} reached only through a data structure")
        names = code_names(fn.__code__)
        closure = tuple((name, self.value(v)) for name, v in _closure(fn).items())
        scope = tuple((n, self.value(fn.__globals__[n]) if n in fn.__globals__ else "<builtin>")
                      for n in sorted(names))
        defaults = self.value(fn.__defaults__)
        kwdefaults = self.value(fn.__kwdefaults__)
        return ("fn", id(fn.__code__), closure, scope, defaults, kwdefaults)

    def attributes(self, obj: object) -> Hashable:
        """The attributes of a user module or class the functions may read."""
        return tuple((n, self.value(getattr(obj, n))) for n in sorted(self.names) if hasattr(obj, n))

    def value(self, v: object) -> Hashable:
        if v is None or isinstance(v, (bool, int, float, complex, str, bytes)):
            return (type(v), v)
        if isinstance(v, (torch.dtype, enum.Enum)) or v is _Unbound:
            return v
        if isinstance(v, (tuple, list)):
            return (type(v), tuple(self.value(x) for x in v))
        if isinstance(v, dict):
            return (dict, tuple((self.value(k), self.value(x)) for k, x in v.items()))
        if isinstance(v, (slice, range)):
            return (type(v), self.value(v.start), self.value(v.stop), self.value(v.step))
        if isinstance(v, Tensor):
            seen = self._visit(v)
            if seen is not None:
                return ("same", seen)
            self.tensors.append(v)
            return (Tensor, tuple(v.shape), tuple(v.storage.shape), v.storage.dtype, repr(v.declared_dtype), v.layout,
                    repr(v.memory_config))
        if isinstance(v, DataflowBuffer):
            return (DataflowBuffer, v.index, v.shape, v.dtype, v.block_count, v.site, v.backing is not None,
                    v.byte_offset, v.group, v.row_major)
        if isinstance(v, Pipe):
            return (Pipe, v._key())
        if isinstance(v, NodeRef):
            return (NodeRef, self.value(v.dims))
        if isinstance(v, PipeNet):
            seen = self._visit(v)
            return ("same", seen) if seen is not None else (PipeNet, tuple(p._key() for p in v.pipes), v.site)
        if _composed(v):
            seen = self._visit(v)
            fn, grid, fp32_dest_acc = v.cache_identity()  # type: ignore[attr-defined]
            return ("same", seen) if seen is not None else ("operation", self.value(fn), grid, fp32_dest_acc)
        if isinstance(v, types.FunctionType):
            if not _user_function(v):
                return ("api", id(v))  # ttlx's API: never changes
            seen = self._visit(v)
            return ("same", seen) if seen is not None else self.function(v)
        if isinstance(v, types.ModuleType):
            if _stable(v.__name__):
                return ("module", v.__name__)
            seen = self._visit(v)
            return ("same", seen) if seen is not None else ("module", v.__name__, self.attributes(v))
        if isinstance(v, type):
            if _stable(v.__module__) or v.__module__ == "builtins":
                return ("type", id(v))
            seen = self._visit(v)
            self.pinned.append(v)
            return ("same", seen) if seen is not None else ("type", id(v), self.attributes(v))
        if isinstance(v, (types.BuiltinFunctionType, types.MethodWrapperType, types.BuiltinMethodType)):
            owner = getattr(v, "__self__", None)
            if owner is None or owner is builtins or isinstance(owner, types.ModuleType) and _stable(owner.__name__):
                return ("builtin", id(v))
        if isinstance(v, types.SimpleNamespace):
            seen = self._visit(v)
            return ("same", seen) if seen is not None else ("namespace", self.value(vars(v)))
        if dataclasses.is_dataclass(v) and getattr(type(v), "__dataclass_params__").frozen:
            return (type(v), tuple(self.value(getattr(v, f.name)) for f in dataclasses.fields(v)))
        if callable(v) and _stable(getattr(type(v), "__module__", "")):
            return ("api", id(v))  # e.g. a ttl API object with __call__
        raise Uncacheable(f"cannot fingerprint a {type(v).__qualname__}")


@dataclass
class Entry:
    compiled: Any  # CompiledOperation without its tensors and checks
    program: Any  # ttlx.runtime.Program
    places: dict[str, list[int]]  # per thread: ordinal of each tensor argument in the fingerprint's tensors
    pinned: list[object]  # keeps the code objects and classes whose ids the key holds alive


def fingerprint(ctx: OperationContext, pipe_nets: list[PipeNet]) -> tuple[Hashable, list[Tensor], list[object]]:
    """(key, the call's tensors in fingerprint order, the objects the key
    names by id()). Raises Uncacheable."""
    walk = _Fingerprint([t.fn for t in ctx.threads if isinstance(t.fn, types.FunctionType)])
    if any(not isinstance(t.fn, types.FunctionType) for t in ctx.threads):
        raise Uncacheable("a thread is not a plain function")
    # A unified body's threads are made from the operation function (and the
    # composed operations it names) and the call's arguments.
    threads = tuple((t.kind, t.name, walk.value(t.fn), walk.value(t.arguments)) for t in ctx.threads)
    key = (threads, tuple(walk.value(d) for d in ctx.dfbs), ctx.grid, ctx.fp32_dest_acc,
           tuple(walk.value(n) for n in pipe_nets), hardware.arch())
    return key, walk.tensors, walk.pinned


class OperationCache:
    """Programs of recent operation calls, by fingerprint. Operations share
    one (`shared`): an operation made anew for every call by a factory
    function has the same thread code and finds its program."""

    def __init__(self) -> None:
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0  # calls that compiled (cacheable or not)

    def lookup(self, key: Hashable | None) -> Entry | None:
        entry = self._entries.get(key) if key is not None else None
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def store(self, key: Hashable, tensors: list[Tensor], pinned: list[object], compiled: Any,
              program: Any) -> None:
        """Keeps `program` for `key` when every tensor argument of the
        compiled threads is one of the fingerprint's `tensors`."""
        ordinal = {id(t): i for i, t in enumerate(tensors)}
        places: dict[str, list[int]] = {}
        for name, args in compiled.tensors.items():
            if any(id(t) not in ordinal for t in args):
                return
            places[name] = [ordinal[id(t)] for t in args]
        stripped = dataclasses.replace(compiled, tensors={}, checks=[])
        self._entries[key] = Entry(stripped, program, places, pinned)
        while len(self._entries) > _ENTRIES:
            self._entries.popitem(last=False)


_shared = OperationCache()


def shared() -> OperationCache:
    """The process's cache, every Operation's unless replaced."""
    return _shared
