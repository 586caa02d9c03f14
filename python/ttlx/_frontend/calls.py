# SPDX-License-Identifier: Apache-2.0
"""The call table: how each function and method kernel code may call is
translated.

`HANDLERS` maps a user-facing object (a `ttl.*` stub from ttlx.lang, a
builtin like `min`, a class like `ttl.Pipe`) to a handler taking the call
`Site`; `METHODS` maps (receiver type, method name) the same way. To add a
call: write the stub in ttlx/lang/api.py, a handler here, and register it
(docs/frontend.md).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Protocol

import torch

from .. import optable
from ..dialects import ttl
from ..lang import api, deprecated
from ..lang.operation import DataflowBuffer
from ..lang.pipes import Pipe, PipeNet
from ..lang.semaphores import MulticastRemoteSemaphore, Semaphore, UnicastRemoteSemaphore
from ..lang.ttnn import Tensor
from . import extern_calls, pipes, prints
from .blocks import BlockTranslator
from .emitter import Emitter
from .scalars import ScalarTranslator
from .semaphores import SemaphoreTranslator
from .transfers import TransferGroup, TransferTranslator
from .values import Block, Fill, Handle, ImplicitBroadcast, Scalar


class Body(Protocol):
    """What calls need from the statement translator."""

    transfers: TransferTranslator

    def call_function(self, node: ast.AST, fn: object, args: list[object],
                      kwargs: dict[str, object] | None = None) -> object: ...

    def guarded(self, node: ast.AST, cond: Scalar, build: Callable[[], object]) -> None: ...


@dataclass
class Site:
    """One call in kernel code: its node, evaluated arguments and the
    translators a handler builds with."""

    node: ast.Call
    target: Any  # the function, class or method receiver called
    name: str  # the method name of a method call
    args: list[Any]
    kwargs: dict[str, Any]
    em: Emitter
    scalars: ScalarTranslator
    blocks: BlockTranslator
    body: Body

    def error(self, message: str) -> Exception:
        return self.em.error(self.node, message)

    def expect(self, usage: str, least: int, most: int | None = None, keywords: tuple[str, ...] = (),
               positional: int = 0) -> None:
        """The call passes `least` to `most` arguments, the first
        `positional` of them positionally, the others positionally or as a
        keyword of `keywords`; else an error that shows `usage`."""
        most = least if most is None else most
        given = len(self.args) + sum(1 for k in self.kwargs if k in keywords)
        unknown = [k for k in self.kwargs if k not in keywords]
        if unknown or not least <= given <= most or len(self.args) > most or len(self.args) < positional:
            what = f"unknown keyword '{unknown[0]}'" if unknown else f"{given} argument{'s' * (given != 1)}"
            raise self.error(f"{usage} takes {_count(least, most)}; got {what}")

    def scalar_args(self) -> bool:
        """No argument is an IR value (the call can run in Python now)."""
        return not any(isinstance(a, (Scalar, Block, Handle)) for a in [*self.args, *self.kwargs.values()])


def _count(least: int, most: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    noun = "argument" if most == 1 else "arguments"
    if least == most:
        return f"{words[least]} {noun}"
    if least == 0:
        return f"at most {words[most]} {noun}"
    return f"{words[least]} to {words[most]} {noun}"


Handler = Callable[[Site], object]
MethodHandler = Callable[[Site, Any], object]

HANDLERS: dict[object, Handler] = {}
METHODS: dict[tuple[type, str], MethodHandler] = {}


def handles(*targets: object) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for target in targets:
            HANDLERS[target] = handler
        return handler

    return register


def method(receiver: type, *names: str) -> Callable[[MethodHandler], MethodHandler]:
    def register(handler: MethodHandler) -> MethodHandler:
        for name in names:
            METHODS[(receiver, name)] = handler
        return handler

    return register


def handler_for(target: object) -> Handler | None:
    try:
        return HANDLERS.get(target)
    except TypeError:  # unhashable: not a function
        return None


def call_method(site: Site) -> object:
    """`site.target.<site.name>(...)`."""
    handler = METHODS.get((type(site.target), site.name))
    if handler is None and isinstance(site.target, PipeNet):
        handler = METHODS[(PipeNet, "*")]
    if handler is None:
        raise site.error(f"'{site.name}' is not a supported method here")
    return handler(site, site.target)


# ----- ttl.Semaphore -------------------------------------------------------------

def _semaphore_call(site: Site, usage: str) -> object:
    site.expect(usage, 1, 1, ("value",))
    return site.kwargs.get("value", site.args[0] if site.args else None)


@method(Semaphore, "wait_eq", "wait_ge")
def _semaphore_wait(site: Site, sem: Semaphore) -> None:
    value = _semaphore_call(site, f"Semaphore.{site.name}(value)")
    SemaphoreTranslator(site.em, site.scalars).wait(site.node, sem, value, at_least=site.name == "wait_ge")


@method(Semaphore, "set")
def _semaphore_set(site: Site, sem: Semaphore) -> None:
    SemaphoreTranslator(site.em, site.scalars).set(site.node, sem, _semaphore_call(site, "Semaphore.set(value)"))


@method(Semaphore, "get_remote")
def _semaphore_remote(site: Site, sem: Semaphore) -> object:
    site.expect("Semaphore.get_remote(node)", 1, 1, ("node",))
    return UnicastRemoteSemaphore(sem, site.kwargs.get("node", site.args[0] if site.args else None))


@method(Semaphore, "get_remote_multicast")
def _semaphore_multicast(site: Site, sem: Semaphore) -> object:
    site.expect("Semaphore.get_remote_multicast(nodes=None)", 0, 1, ("nodes",))
    return MulticastRemoteSemaphore(sem, site.kwargs.get("nodes", site.args[0] if site.args else None))


@method(UnicastRemoteSemaphore, "set", "inc")
def _remote_semaphore(site: Site, sem: UnicastRemoteSemaphore) -> None:
    value = _semaphore_call(site, f"UnicastRemoteSemaphore.{site.name}(value)")
    SemaphoreTranslator(site.em, site.scalars).remote(site.node, sem, value, inc=site.name == "inc")


@method(MulticastRemoteSemaphore, "set")
def _multicast_semaphore(site: Site, sem: MulticastRemoteSemaphore) -> None:
    value = _semaphore_call(site, "MulticastRemoteSemaphore.set(value)")
    SemaphoreTranslator(site.em, site.scalars).multicast(site.node, sem, value)


# ----- ttl: data movement ------------------------------------------------------

@handles(api.copy)
def _copy(site: Site) -> object:
    site.expect("ttl.copy(src, dst)", 2)
    return site.body.transfers.copy(site.node, site.args[0], site.args[1])


# ----- ttl: user C++ ---------------------------------------------------------

@handles(api.call_extern_func)
def _call_extern_func(site: Site) -> object:
    site.expect(extern_calls.USAGE, 2, 2 + len(extern_calls.KEYWORDS), keywords=extern_calls.KEYWORDS,
                positional=2)
    extern_calls.ExternCallTranslator(site.em, site.scalars, site.blocks, site.em.scope.file).call(
        site.node, site.args, site.kwargs)
    return None


def _dfb_operand(site: Site, usage: str, keywords: tuple[str, ...] = ()) -> DataflowBuffer:
    site.expect(usage, 1, 1 + len(keywords), keywords=keywords, positional=1)
    dfb = site.args[0] if site.args else None
    if not isinstance(dfb, DataflowBuffer):
        raise site.error(f"{usage} takes a DFB (made by ttl.make_dataflow_buffer_like or ttl.make_dfb); got "
                         f"{type(dfb).__name__}")
    return dfb


@handles(api.dfb_descriptor, api.get_dfb_id)
def _dfb_template_arg(site: Site) -> object:
    name = site.target.__name__
    dfb = _dfb_operand(site, f"ttl.{name}(dfb)")
    return extern_calls.DFBTemplateArg("dfb_descriptor" if name == "dfb_descriptor" else "dfb_id", dfb)


@handles(*vars(api.DFBAccess).values())
def _dfb_access(site: Site) -> object:
    kind = site.target.__name__.split(".")[1]
    return extern_calls.DFBAccess(kind, _dfb_operand(site, f"ttl.DFBAccess.{kind}(dfb)"))


@handles(*(f for name, f in vars(api.DFBEffect).items() if name != "repeat"))
def _dfb_effect(site: Site) -> object:
    action = site.target.__name__.split(".")[1]
    dfb = _dfb_operand(site, f"ttl.DFBEffect.{action}(dfb, tiles=n)", ("tiles",))
    tiles = site.kwargs.get("tiles", site.args[1] if len(site.args) > 1 else None)
    return extern_calls.DFBEffect(action, dfb, tiles)


@handles(api.DFBEffect.repeat)
def _dfb_effect_repeat(site: Site) -> object:
    """ttl.DFBEffect.repeat(count, [effects]): the effects `count` times."""
    usage = "ttl.DFBEffect.repeat(count, [effects])"
    site.expect(usage, 2)
    count, effects = site.args
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise site.error(f"{usage} repeats a number of times known when the operation compiles (0 or more); got "
                         f"{type(count).__name__}")
    if not isinstance(effects, list):
        raise site.error(f"{usage} repeats a list of ttl.DFBEffect; got {type(effects).__name__}")
    return effects * count


@handles(api.raw_addr)
def _raw_addr(site: Site) -> object:
    """ttl.raw_addr(tensor): the address of the tensor's buffer (an i32, as
    the thread's runtime arguments carry it) for user C++."""
    site.expect("ttl.raw_addr(tensor)", 1)
    tensor = site.args[0]
    if not isinstance(tensor, Tensor):
        raise site.error("ttl.raw_addr takes a tensor argument of the operation (not a slice or a computed value); "
                         f"got {type(tensor).__name__}")
    with site.em.at(site.node):
        return Scalar(ttl.tensor_addr(site.em.tensor(tensor, site.node)))


@handles(api.node)
def _node(site: Site) -> object:
    site.expect("ttl.node(dims=...)", 0, 1, ("dims",))
    return node_value(site.em, site.scalars, site.node, site.kwargs.get("dims", site.args[0] if site.args else 2))


def node_value(em: Emitter, scalars: ScalarTranslator, node: ast.AST, dims: object) -> object:
    """ttl.node(dims=...) of the running node (also a NodeRef, made in the
    operation body, where kernel code reads it)."""
    if not api.grid_dims_ok(dims):
        raise em.error(node, api.grid_dims_error("ttl.node", dims))
    x, y = (pipes.node_coordinate(em, node, d) for d in (0, 1))
    if dims >= 2:
        return (x, y) + (0,) * (dims - 2)  # a single-device grid: the higher coordinates are 0
    # Row-major over the grid tuple, as tt-lang numbers nodes.
    xg = scalars.binop(node, ast.Mult(), x, em.operation.grid[1])
    return scalars.binop(node, ast.Add(), xg, y)


@handles(api.grid_size)
def _grid_size(site: Site) -> object:
    site.expect("ttl.grid_size(dims=...)", 0, 1, ("dims",))
    dims = site.kwargs.get("dims", site.args[0] if site.args else 2)
    extent = api.grid_extent(site.em.operation.grid, dims)
    if extent is None:
        raise site.error(api.grid_dims_error("ttl.grid_size", dims))
    return extent


def _element_args(site: Site, name: str, value: str, what: str) -> tuple[Block, list[object]]:
    """The block and its element coordinates of an element access (which
    data-movement threads make): one per block dimension (batch indices,
    then the element row and column; a 1-d row-major block's one index)."""
    if site.em.kind != "datamovement":
        raise site.error(f"ttl.{name} reads or writes one element of a block, which data-movement threads do, but "
                         f"'{site.em.thread.name}' is the compute thread; access elements in a @ttl.datamovement "
                         "function (the compute thread works on whole blocks: operators, ttl.math.*, ttl.block.*)")
    blk = site.args[0] if site.args else None
    rank = len(blk.shape) if isinstance(blk, Block) else 2
    coords = ", ".join([*(f"i{d}" for d in range(rank - 2)), "row", "col"] if rank >= 2 else ["index"])
    site.expect(f"ttl.{name}(block, {coords}{value})", rank + 1 + bool(value))
    if not isinstance(blk, Block):
        raise site.error(f"the first argument of ttl.{name} is {what}")
    return blk, list(site.args[1:rank + 1])


@handles(api.element_read, api.raw_element_read)
def _element_read(site: Site) -> object:
    blk, coords = _element_args(site, site.target.__name__, "", "a block from dfb.wait() or dfb.reserve()")
    return site.blocks.element_read(site.node, blk, coords)


@handles(api.read_index)
def _read_index(site: Site) -> object:
    """ttl.read_index(block, row, col) (spec 0.21): an element of a waited
    block as an index, truncated toward zero."""
    blk, coords = _element_args(site, "read_index", "", "a block from dfb.wait() (or a reserved block already "
                                                        "written)")
    return site.blocks.read_index(site.node, blk, coords)


@handles(api.element_write, api.raw_element_write)
def _element_write(site: Site) -> object:
    blk, coords = _element_args(site, site.target.__name__, ", value", "a block from dfb.wait() or dfb.reserve()")
    site.blocks.element_write(site.node, blk, coords, site.args[-1])
    return None


def _typed(kind: str) -> Handler:
    def handler(site: Site) -> object:
        if len(site.args) != 1 or site.kwargs:
            raise site.error(f"ttl.{kind}(x) takes one value")
        if kind == "i32":
            return site.scalars.to_int(site.node, site.args[0], "i32")
        return site.scalars.floatv(site.node, site.args[0], kind)

    return handler


HANDLERS.update({api.i32: _typed("i32"), api.f32: _typed("f32"), api.bf16: _typed("bf16")})


# ----- ttl.math / ttl.block ------------------------------------------------------

def _unary(name: str, op: str) -> Handler:
    """ttl.math.<name>(x, params...): the op table lists the parameters
    (positional after the block, or by name), numbers known when the
    operation compiles."""
    entry = optable.by_ttl_name(op)

    def handler(site: Site) -> object:
        if not entry.params:
            site.expect(f"ttl.{site.target.__name__}(x)", 1)  # aliases share a stub named after the op
            return site.blocks.unary(site.node, name, op, site.args[0])
        spelled = f"ttl.math.{name}({', '.join(['x', *(p.name for p in entry.params)])})"
        if not site.args or len(site.args) > 1 + len(entry.params):
            raise site.error(f"{spelled} takes a block and {len(entry.params)} number{'s' * (len(entry.params) != 1)}")
        given = dict(zip((p.name for p in entry.params), site.args[1:]))
        for key, value in site.kwargs.items():
            if key not in {p.name for p in entry.params} or key in given:
                raise site.error(f"{spelled} has no parameter '{key}' (or it was given twice)")
            given[key] = value
        values: list[float] = []
        for p in entry.params:
            value = given.get(p.name, p.default)
            if value is None:
                raise site.error(f"{spelled} needs '{p.name}'")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise site.error(f"the {p.name} of ttl.math.{name} must be a number known when the operation "
                                 "compiles (a Python constant), not a runtime value")
            if p.type == "i32" and value != int(value):
                raise site.error(f"the {p.name} of ttl.math.{name} must be an integer, got {value}")
            values.append(value)
        return site.blocks.unary(site.node, name, op, site.args[0], entry.params, values)

    return handler


def _binary(op: str) -> Handler:
    def handler(site: Site) -> object:
        site.expect(f"ttl.{site.target.__name__}(a, b)", 2)
        return site.blocks.binary(site.node, op, site.args[0], site.args[1])

    return handler


for _name, _op in api.UNARY_OPS.items():
    HANDLERS[getattr(api.math, _name)] = _unary(_name, _op)
for _name, _op in api.BINARY_OPS.items():
    HANDLERS[getattr(api.math, _name)] = _binary(_op)


EXP_FLAGS = {"approx": False, "scale": None, "skip_clamp_check": False, "iterations": 8}


@handles(api.math.exp)
def _exp(site: Site) -> object:
    """ttl.math.exp(x, *, approx=False, scale=None, skip_clamp_check=False,
    iterations=8) (spec 0.20): with any flag given, ttl.exp_flagged (exp_tile
    with its template flags), else the table's ttl.exp."""
    unknown = sorted(site.kwargs.keys() - EXP_FLAGS.keys())
    if len(site.args) != 1 or unknown:
        given = f"unknown keyword '{unknown[0]}'" if unknown else f"{len(site.args)} arguments"
        raise site.error("ttl.math.exp(x, *, approx=False, scale=None, skip_clamp_check=False, iterations=8) "
                         f"takes one argument and keyword flags; got {given}")
    if not site.kwargs:
        return site.blocks.unary(site.node, "exp", "exp", site.args[0])
    flags = {**EXP_FLAGS, **site.kwargs}
    approx, scale, skip, iterations = (flags[k] for k in EXP_FLAGS)
    if not (isinstance(approx, bool) and isinstance(skip, bool) and isinstance(iterations, int)
            and not isinstance(iterations, bool) and 1 <= iterations <= 8
            and (scale is None or (isinstance(scale, (int, float)) and not isinstance(scale, bool)))):
        raise site.error("the flags of ttl.math.exp are known when the operation compiles: approx and "
                         "skip_clamp_check booleans, scale a number, iterations an integer from 1 to 8")
    return site.blocks.exp_flagged(site.node, site.args[0], approx, 1.0 if scale is None else float(scale),
                                   skip, iterations)


def _reduce(pool: str) -> Handler:
    def handler(site: Site) -> object:
        site.expect(f"ttl.math.reduce_{pool}(x, dims=..., shape=...)", 1, 3, ("dims", "shape"), positional=1)
        if len(site.args) > 1 and isinstance(site.args[1], (Block, Fill)):
            # Early spec versions (0.5): reduce_<pool>(x, scaler, dims) with another
            # meaning of dims that could not be established; never guess it.
            raise site.error(f"ttl.math.reduce_{pool}(x, scaler, dims=...) is the old form, whose scaler block "
                             f"and meaning of dims are not supported; write ttl.math.reduce_{pool}(x, dims=[-1]) "
                             "(each row into column 0), dims=[-2] (each column into row 0) or dims=[-2, -1] "
                             "(everything into element (0, 0)), and apply a scale to the result with *")
        dims = site.kwargs.get("dims", site.args[1] if len(site.args) > 1 else [-1])
        shape = _block_shape(site, f"ttl.math.reduce_{pool}",
                             site.kwargs.get("shape", site.args[2] if len(site.args) > 2 else None))
        return site.blocks.reduce(site.node, pool, site.args[0], dims, shape)

    return handler


HANDLERS.update({api.math.reduce_sum: _reduce("sum"), api.math.reduce_max: _reduce("max")})


@handles(api.block.broadcast)
def _broadcast(site: Site) -> object:
    site.expect("ttl.block.broadcast(x, dims=..., shape=...)", 1, 3, ("dims", "shape"), positional=1)
    args, kwargs = site.args, site.kwargs
    dims = kwargs.get("dims", args[1] if len(args) > 1 else [-1])
    shape = _block_shape(site, "ttl.block.broadcast", kwargs.get("shape", args[2] if len(args) > 2 else None))
    return site.blocks.broadcast(site.node, args[0], dims, shape)


@handles(api.math.broadcast)
def _old_broadcast(site: Site) -> object:
    """The older spelling (lang/deprecated.py): ttl.math.broadcast(x, out,
    dims=...), the result shaped like the output block `out`."""
    args, kwargs = site.args, site.kwargs
    out = args[1] if len(args) > 1 and isinstance(args[1], Block) else None
    dims = kwargs.get("dims", args[2 if out is not None else 1] if len(args) > (2 if out is not None else 1) else None)
    if dims is None:
        raise site.error("ttl.math.broadcast(x, out, dims=[...]) needs dims")
    shape = _block_shape(site, "ttl.math.broadcast", kwargs.get("shape", out.shape if out is not None else None))
    where = (site.em.scope.file, *site.em.scope.position(site.node))
    if shape is None:  # ttl.math.broadcast(x, dims=[...]): shaped like the block it meets
        x = args[0] if args else None
        if not isinstance(x, Block):
            raise site.error("ttl.math.broadcast takes a block")
        site.blocks.reduce_dim(site.node, dims)  # dims of a 2-d block: [0], [1] or [0, 1] (or negative)
        deprecated.warn("ttl.math.broadcast(x, dims)", "ttl.block.broadcast(x, dims=..., shape=...)", *where)
        given = (dims,) if isinstance(dims, int) else tuple(dims)
        if isinstance(x, ImplicitBroadcast) and x.source is not None:  # broadcast(broadcast(x, dims=[0]), dims=[1])
            given = tuple(dict.fromkeys(x.dims + given))
            x = x.source
        here = site.blocks.broadcast(site.node, x, list(given), None)
        return ImplicitBroadcast(here.value, here.dfb, here.acquire, given, x)
    deprecated.warn("ttl.math.broadcast(x, out, dims)", "ttl.block.broadcast(x, dims=..., shape=out.shape)", *where)
    return site.blocks.broadcast(site.node, args[0], dims, shape)


# fill's dtype=: tt-lang spells it as a string or a ttnn (torch) dtype.
_FILL_DTYPES = {"bf16": torch.bfloat16, "bfloat16": torch.bfloat16, "f32": torch.float32, "float32": torch.float32}


@handles(api.block.fill)
def _fill(site: Site) -> object:
    site.expect("ttl.block.fill(value, shape=(rows, cols), dtype=None)", 1, 3, ("value", "shape", "dtype"))
    value = site.kwargs.get("value", site.args[0] if site.args else None)
    shape = site.kwargs.get("shape", site.args[1] if len(site.args) > 1 else (1, 1))
    dtype = site.kwargs.get("dtype", site.args[2] if len(site.args) > 2 else None)
    if value is None:
        raise site.error("ttl.block.fill(value, shape=(rows, cols)) takes the value to fill with")
    shape = _block_shape(site, "ttl.block.fill", shape, optional=False)
    if dtype is not None:
        resolved = _FILL_DTYPES.get(dtype) if isinstance(dtype, str) else dtype
        if resolved not in _FILL_DTYPES.values():
            raise site.error(f"the dtype of ttl.block.fill is ttnn.bfloat16 or ttnn.float32 (or a block's .dtype); "
                             f"got {dtype!r}")
        dtype = resolved
    return Fill(value, shape, dtype)


def _block_shape(site: Site, call: str, shape: object, optional: bool = True) -> Any:
    """The shape= of a call that makes a block: None when not given (if
    `optional`), else a tuple of positive integers known at compile time (a
    located error otherwise)."""
    if shape is None and optional:
        return None
    if not (isinstance(shape, (tuple, list)) and len(shape) >= 2
            and all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape)):
        raise site.error(f"the shape of {call} is (..., rows, cols) in tiles, positive integers known at compile "
                         f"time; got {shape!r}")
    return tuple(shape)


@handles(api.block.where)
def _where(site: Site) -> object:
    if len(site.args) != 3 or site.kwargs:
        raise site.error("ttl.block.where(cond, a, b) takes three arguments")
    return site.blocks.where(site.node, *site.args)


def _mask(name: str, value: float) -> Handler:
    """ttl.block.mask(x, m) / mask_posinf(x, m): `value` where m is 1, x
    elsewhere: ttl.where(m, value, x), where_tile on the hardware (tt-metal's
    mask_tile keeps the elements whose mask is non-zero, the opposite
    sense, and reads its mask from the DST tile after the data)."""

    def handler(site: Site) -> object:
        if len(site.args) != 2 or site.kwargs:
            raise site.error(f"ttl.block.{name}(x, mask) takes two blocks")
        x, m = site.args
        if not isinstance(x, Block) or not isinstance(m, Block):
            raise site.error(f"ttl.block.{name}(x, mask) takes two blocks")
        return site.blocks.where(site.node, m, value, x)

    return handler


HANDLERS.update({api.block.mask: _mask("mask", 0.0), api.block.mask_posinf: _mask("mask_posinf", float("inf"))})


@handles(api.block.transpose)
def _transpose(site: Site) -> object:
    if len(site.args) != 1 or site.kwargs:
        raise site.error("ttl.block.transpose(x) takes one block")
    return site.blocks.transpose(site.node, site.args[0])


@handles(api.block.squeeze)
def _squeeze(site: Site) -> object:
    site.expect("ttl.block.squeeze(x, dims=[...])", 2, 2, ("dims",), positional=1)
    dims = site.kwargs["dims"] if "dims" in site.kwargs else site.args[1]
    return site.blocks.shape_view(site.node, "squeeze", site.args[0], dims)


@handles(api.block.unsqueeze)
def _unsqueeze(site: Site) -> object:
    site.expect("ttl.block.unsqueeze(x, dims=[...])", 2, 2, ("dims",), positional=1)
    dims = site.kwargs["dims"] if "dims" in site.kwargs else site.args[1]
    return site.blocks.shape_view(site.node, "unsqueeze", site.args[0], dims)


@handles(api.math.matmul)
def _matmul(site: Site) -> object:
    if len(site.args) != 2 or site.kwargs:
        raise site.error("ttl.math.matmul(a, b) takes two blocks")
    return site.blocks.matmul(site.node, site.args[0], site.args[1])


@handles(api.math.engram_gate)
def _engram_gate(site: Site) -> object:
    """ttl.math.engram_gate(key, query, value, key_weight, query_weight,
    eps=float32 epsilon, scale=1/sqrt(hidden)): the fused ttl.engram_gate;
    without query_weight, key_weight is the product of the two weights."""
    names = ["key", "query", "value", "key_weight", "query_weight"]
    kwargs = dict(site.kwargs)
    blocks = list(site.args) + [kwargs.pop(n) for n in names[len(site.args):] if n in kwargs]
    eps = kwargs.pop("eps", 1.1920928955078125e-07)
    if len(blocks) not in (4, 5) or kwargs.keys() - {"scale"}:
        raise site.error("ttl.math.engram_gate(key, query, value, key_weight, [query_weight,] eps=..., scale=...) "
                         "(one weight block: the product of the key's and the query's)")
    scale = kwargs.get("scale")
    if not all(isinstance(v, (int, float)) for v in (eps, 1.0 if scale is None else scale)):
        raise site.error("eps and scale of ttl.math.engram_gate are numbers known at compile time")
    return site.blocks.engram_gate(site.node, blocks, float(eps), None if scale is None else float(scale))


@handles(api.math.depthwise_conv1d)
def _depthwise_conv1d(site: Site) -> object:
    """ttl.math.depthwise_conv1d(x, halo, weights, kernel_size=4,
    dilation=1, silu=False): the fused ttl.depthwise_conv1d."""
    names = ["x", "halo", "weights"]
    kwargs = dict(site.kwargs)
    given = list(site.args) + [kwargs.pop(n) for n in names[len(site.args):] if n in kwargs]
    if len(given) != 3 or kwargs.keys() - {"kernel_size", "dilation", "silu"}:
        raise site.error("ttl.math.depthwise_conv1d(x, halo, weights, kernel_size=..., dilation=..., silu=...)")
    x, halo, weights = given
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    k = kwargs.get("kernel_size", len(weights))
    dilation = kwargs.get("dilation", 1)
    silu = kwargs.get("silu", False)
    if not all(isinstance(v, int) for v in (k, dilation)) or not isinstance(silu, bool):
        raise site.error("kernel_size, dilation and silu of ttl.math.depthwise_conv1d are known at compile time")
    return site.blocks.depthwise_conv1d(site.node, x, halo, weights, k, dilation, silu)


# ----- Python builtins and pipe constructors ---------------------------------------

@handles(min, max)
def _min_max(site: Site) -> object:
    name = site.target.__name__
    if not site.args or site.kwargs:
        raise site.error(f"{name}() in kernel code takes one or more numbers (or a tuple of them), no keywords")
    return site.scalars.min_max(site.node, site.target, site.args)


@handles(print)
def _print(site: Site) -> object:
    prints.emit_print(site.em, site.blocks, site.node, site.args, site.kwargs)
    return None


@handles(int, float, abs, len, bool, slice)
def _builtin(site: Site) -> object:
    fn = site.target
    if fn is abs and len(site.args) == 1 and not site.kwargs and isinstance(site.args[0], Block):
        return site.blocks.unary(site.node, "abs", "abs", site.args[0])  # abs(block) is ttl.math.abs
    if fn in (int, float, abs) and len(site.args) == 1 and not site.kwargs and isinstance(site.args[0], Scalar):
        if fn is float:
            return site.scalars.floatv(site.node, site.args[0], "f32")
        if fn is int:
            return site.scalars.to_int(site.node, site.args[0], "index")
        return site.scalars.abs_(site.node, site.args[0])
    if site.scalar_args() or (fn is slice and not any(isinstance(a, (Block, Handle)) for a in site.args)):
        return site.em.evaluate(site.node, fn, *site.args, **site.kwargs)  # a slice may hold run-time bounds
    raise site.error(f"{fn.__name__}() of a value computed at run time is not supported in kernel code")


@handles(Pipe, PipeNet)
def _make_pipe(site: Site) -> object:
    cls = site.target
    if not site.scalar_args():
        raise site.error(f"ttl.{cls.__name__} takes node coordinates known at compile time")
    try:
        made = cls(*site.args, **site.kwargs)
    except (TypeError, ValueError) as e:
        raise site.error(str(e)) from None
    if isinstance(made, PipeNet):
        made.site = (site.em.scope.file, *site.em.scope.position(site.node))
    return made


# ----- methods -------------------------------------------------------------------

@method(DataflowBuffer, "wait", "reserve")
def _acquire(site: Site, dfb: DataflowBuffer) -> object:
    return site.blocks.acquire(site.node, dfb, "wait" if site.name == "wait" else "reserve")


@method(DataflowBuffer, "push", "pop")
def _release(site: Site, dfb: DataflowBuffer) -> object:
    site.blocks.release(site.node, dfb, site.name)
    return None


@method(DataflowBuffer, "publish")
def _publish(site: Site, dfb: DataflowBuffer) -> object:
    site.expect("dfb.publish()", 0)
    site.blocks.publish(site.node, dfb)
    return None


@method(Block, "push", "pop")
def _release_block(site: Site, blk: Block) -> object:
    if blk.dfb is None:
        raise site.error(f"'{site.name}' is not a supported method here")
    site.blocks.release(site.node, blk.dfb, site.name)
    return None


@method(Block, "store")
def _store(site: Site, blk: Block) -> object:
    if "acc" in site.kwargs:  # tt-lang's compiler once took store(x, acc=True); tt-lang-sim 1.1.6 does not
        raise site.error("store takes no acc=; to add x to what the reserved block holds, write `blk += x` "
                         "(docs/language.md, \"Accumulating into a reserved block\")")
    site.expect("blk.store(x)", 1)
    site.blocks.compute_only(site.node, "store")
    site.blocks.store(site.node, blk, site.args[0])
    return None


@handles(api.GroupTransfer)
def _group_transfer(site: Site) -> object:
    site.expect("ttl.GroupTransfer()", 0)
    return site.body.transfers.group(site.node)


@method(TransferGroup, "add")
def _group_add(site: Site, group: TransferGroup) -> object:
    site.expect("GroupTransfer.add(xf)", 1)
    site.body.transfers.group_add(site.node, group, site.args[0])
    return None


@method(TransferGroup, "wait_all")
def _group_wait_all(site: Site, group: TransferGroup) -> object:
    site.expect("GroupTransfer.wait_all()", 0)
    site.body.transfers.group_wait_all(site.node, group)
    return None


@method(Handle, "wait")
def _wait(site: Site, handle: Handle) -> object:
    site.body.transfers.wait(site.node, handle)
    return None


@handles(api.wait_any)
def _wait_any(site: Site) -> object:
    site.expect("ttl.wait_any(requests, start=0)", 1, 2, ("start",), positional=1)
    start = site.kwargs.get("start", site.args[1] if len(site.args) > 1 else 0)
    return site.body.transfers.wait_any(site.node, site.args[0], start)


@method(api.ReadyReceive, "index")
def _ready_index(site: Site, ready: api.ReadyReceive) -> object:
    site.expect("ReadyReceive.index()", 0)
    return ready.index()


@handles(api.ReceiveRequest, api.ReadyReceive)
def _receive_types(site: Site) -> object:
    raise site.error(f"ttl.{site.target.__name__} is a type for annotations; ttl.copy(pipe, block) makes receive "
                     "requests and ttl.wait_any ready receives")


@method(PipeNet, "*")
def _net(site: Site, net: PipeNet) -> object:
    return pipes.net_method(site.em, site.scalars, site.body.guarded,
                            lambda node, fn, args: site.body.call_function(node, fn, args), site.node, net,
                            site.name, site.args, site.kwargs)
