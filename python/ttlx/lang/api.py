# SPDX-License-Identifier: Apache-2.0
"""The tt-lang functions kernel code calls, and how each compiles.

The functions themselves only run when called outside a kernel (an error);
inside thread functions, codegen finds them in HANDLERS and emits TTL.
"""

from __future__ import annotations

import types

from .pipes import DstEnd, Pipe, SrcEnd


def _kernel_only(name: str):
    def stub(*_: object, **__: object):
        raise RuntimeError(f"ttl.{name} can only be used inside @ttl.compute / @ttl.datamovement functions")

    stub.__name__ = name
    return stub


copy = _kernel_only("copy")
node = _kernel_only("node")
def grid_size(dims: int = 2):
    """The operation's grid: (x, y) for dims=2, the core count for dims=1.
    Works in the operation body and in kernel code."""
    from .operation import current

    gx, gy = current().grid
    return (gx, gy) if dims == 2 else gx * gy

# Typed scalars: ttl.i32(x), ttl.f32(x), ttl.bf16(x) (rounds to nearest even).
i32 = _kernel_only("i32")
f32 = _kernel_only("f32")
bf16 = _kernel_only("bf16")

element_read = _kernel_only("element_read")
element_write = _kernel_only("element_write")
raw_element_read = _kernel_only("raw_element_read")
raw_element_write = _kernel_only("raw_element_write")

UNARY_NAMES = ["exp", "log", "sqrt", "rsqrt", "recip", "reciprocal", "sigmoid", "silu", "tanh", "abs",
               "neg", "sign", "square", "relu"]
math = types.SimpleNamespace(**{n: _kernel_only(f"math.{n}") for n in UNARY_NAMES})
math.max = _kernel_only("math.max")
math.min = _kernel_only("math.min")
math.maximum, math.minimum = math.max, math.min
math.reduce_sum = _kernel_only("math.reduce_sum")
math.engram_gate = _kernel_only("math.engram_gate")
math.depthwise_conv1d = _kernel_only("math.depthwise_conv1d")
math.reduce_max = _kernel_only("math.reduce_max")
math.broadcast = _kernel_only("math.broadcast")
block = types.SimpleNamespace(broadcast=math.broadcast, fill=_kernel_only("block.fill"),
                              where=_kernel_only("block.where"))
math.fill = block.fill


# ----- handlers: (compiler, ast node, args, kwargs) -> value ----------------

def _copy(fc, node, args, kwargs):
    from .values import Slice, V
    from .operation import dtype_name

    if len(args) != 2:
        raise fc.error(node, "ttl.copy(src, dst) takes two arguments")
    src, dst = args
    if any(isinstance(v, (Pipe, SrcEnd, DstEnd)) for v in args):
        return _copy_pipe(fc, node, src, dst)
    if isinstance(src, Slice) and isinstance(dst, V) and dst.kind == "block":
        slc, blk, direction = src, dst, "read"
    elif isinstance(dst, Slice) and isinstance(src, V) and src.kind == "block":
        slc, blk, direction = dst, src, "write"
    else:
        raise fc.error(node, "ttl.copy copies between a tensor slice (t[r, c] in tiles) and a block")
    for extent, dim, axis in zip(slc.extent, blk.shape, ("rows", "columns")):
        if extent is not None and extent != dim:
            raise fc.error(node, f"the block has {dim} tile {axis} but the slice has {extent}; "
                                 "make the slice match the block shape")
    if direction == "read" and blk.acquire != "reserve":
        raise fc.error(node, "copying into a block needs a reserved block (dfb.reserve())")
    if direction == "write" and blk.acquire != "wait":
        raise fc.error(node, "copying a block out needs a waited block (dfb.wait())")
    t = slc.tensor
    k = fc.tensor_arg(t)
    ttype = f"tensor<{t.data.shape[0]}x{t.data.shape[1]}x{dtype_name(t.dtype)}>"
    row, col = fc.index(node, slc.row), fc.index(node, slc.col)
    if direction == "read":
        handle = fc.op(node, f"ttl.copy_to_block %t{k}[{row.name}, {col.name}], {blk.name} : {ttype}, {blk.type}",
                       "!ttl.transfer_handle<read>", "handle")
    else:
        handle = fc.op(node, f"ttl.copy_to_tensor {blk.name}, %t{k}[{row.name}, {col.name}] : {blk.type}, {ttype}",
                       "!ttl.transfer_handle<write>", "handle")
    fc.unwaited[handle.name] = node
    return handle


def _copy_pipe(fc, node, src, dst):
    from .values import V
    from .pipes import pipe_attr

    def is_block(v):
        return isinstance(v, V) and v.kind == "block"

    if is_block(src) and isinstance(dst, (Pipe, SrcEnd)):
        pipe, blk = dst if isinstance(dst, Pipe) else dst.pipe, src
        if blk.acquire not in ("wait", "reserve"):
            raise fc.error(node, "a pipe sends a block from dfb.wait() or dfb.reserve()")
        for name, (pending, _) in fc.pipe_sends.items():
            if pending == pipe and name in fc.unwaited:
                raise fc.error(node, "the previous send on this pipe is not waited yet; call .wait() on it "
                                     "before sending the next block")
        attr = pipe_attr(fc, node, pipe)
        handle = fc.op(node, f"ttl.pipe_send {attr}, {blk.name} : {blk.type}",
                       "!ttl.transfer_handle<pipe_send>", "handle")
        fc.pipe_sends[handle.name] = (pipe, node)
    elif is_block(dst) and isinstance(src, (Pipe, DstEnd)):
        pipe, blk = src if isinstance(src, Pipe) else src.pipe, dst
        if blk.acquire != "reserve":
            raise fc.error(node, "receiving from a pipe needs a reserved block (dfb.reserve())")
        attr = pipe_attr(fc, node, pipe)
        handle = fc.op(node, f"ttl.pipe_recv {attr}, {blk.name} : {blk.type}",
                       "!ttl.transfer_handle<pipe_recv>", "handle")
    else:
        raise fc.error(node, "a pipe copy is ttl.copy(block, pipe) on the source or ttl.copy(pipe, block) on "
                             "a destination")
    fc.unwaited[handle.name] = node
    return handle


def _dims(kwargs, default=2):
    dims = kwargs.get("dims", default)
    return dims


def _node(fc, node, args, kwargs):
    dims = _dims(kwargs, args[0] if args else 2)
    if dims == 2:
        return tuple(fc.op(node, f"ttl.node {d}", "index", "index") for d in (0, 1))
    if dims != 1:
        raise fc.error(node, f"ttl.node takes dims=1 or dims=2, got {dims}")
    # Row-major over the grid tuple, as tt-lang numbers nodes.
    x = fc.op(node, "ttl.node 0", "index", "index")
    y = fc.op(node, "ttl.node 1", "index", "index")
    gy = fc.index(node, fc.ctx.grid[1])
    xg = fc.op(node, f"arith.muli {x.name}, {gy.name} : index", "index", "index")
    return fc.op(node, f"arith.addi {xg.name}, {y.name} : index", "index", "index")


def _grid_size(fc, node, args, kwargs):
    dims = _dims(kwargs, args[0] if args else 2)
    gx, gy = fc.ctx.grid
    return (gx, gy) if dims == 2 else gx * gy


def _unary(name):
    from .codegen import UNARY

    def handler(fc, node, args, kwargs):
        (x,) = args
        if not (getattr(x, "kind", None) == "block"):
            raise fc.error(node, f"ttl.math.{name} takes a block")
        return fc.op(node, f"ttl.{UNARY[name]} {x.name} : {x.type}", x.type, "block", shape=x.shape)

    return handler


def _binary(name):
    def handler(fc, node, args, kwargs):
        return fc.block_math(node, name, args[0], args[1])

    return handler


def _reduce_dim(fc, node, dims):
    dims = [dims] if isinstance(dims, int) else list(dims)
    norm = sorted({d % 2 for d in dims})
    if norm == [1]:
        return "row"  # along the last dim: each row into column 0
    if norm == [0]:
        return "col"
    if norm == [0, 1]:
        return "scalar"
    raise fc.error(node, f"dims must be [-1], [0] or [-2, -1], got {dims}")


def _scaler(fc, node, x):
    """A DFB holding a tile of ones, made by the compute thread itself."""
    if fc.scaler is not None:
        return fc.scaler
    from .values import V

    dfb = fc.ctx.new_dfb((1, 1), x.dfb.dtype if x.dfb else None, 1)
    d = fc.dfb_value(dfb)
    type_ = fc.block_type((1, 1), dfb.dtype)
    loc = fc.loc(node)
    fc.entry += [
        f"  %scaler_r = ttl.dfb_reserve {d} : {dfb.type} {loc}",
        f"  %scaler_one = arith.constant 1.0 : f32 {loc}",
        f"  %scaler_fill = ttl.fill %scaler_one : f32 -> {type_} {loc}",
        f"  ttl.store %scaler_fill, %scaler_r : {type_}, {type_} {loc}",
        f"  ttl.dfb_push {d} : {dfb.type} {loc}",
        f"  %scaler = ttl.dfb_wait {d} : {dfb.type} {loc}",
    ]
    fc.scaler = V("%scaler", type_, "block", shape=(1, 1), dfb=dfb, acquire="wait")
    return fc.scaler


def _reduce(pool):
    def handler(fc, node, args, kwargs):
        x = args[0]
        if getattr(x, "kind", None) != "block" or x.acquire != "wait":
            raise fc.error(node, f"ttl.math.reduce_{pool} reduces a block from dfb.wait(); store the "
                                 "expression into a DFB first")
        if fc.thread.kind != "compute":
            raise fc.error(node, "reductions run in compute threads")
        dim = _reduce_dim(fc, node, kwargs.get("dims", args[1] if len(args) > 1 else [-1]))
        shape = {"row": (x.shape[0], 1), "col": (1, x.shape[1]), "scalar": (1, 1)}[dim]
        want = kwargs.get("shape")
        if want is not None and tuple(want) != shape:
            raise fc.error(node, f"a {dim} reduction of {x.shape} tiles gives shape {shape}, not {tuple(want)}")
        s = _scaler(fc, node, x)
        type_ = fc.block_type(shape, x.dfb.dtype)
        return fc.op(node, f"ttl.reduce_{pool} {x.name}, {s.name} {dim} : {x.type}, {s.type} -> {type_}",
                     type_, "block", shape=shape)

    return handler


def _broadcast(fc, node, args, kwargs):
    x = args[0]
    if getattr(x, "kind", None) != "block":
        raise fc.error(node, "ttl.block.broadcast takes a block")
    dims = kwargs.get("dims", args[1] if len(args) > 1 else [-1])
    kind = {"row": "col", "col": "row", "scalar": "scalar"}[_reduce_dim(fc, node, dims)]
    shape = tuple(kwargs.get("shape", args[2] if len(args) > 2 else x.shape))
    type_ = fc.block_type(shape, x.dfb.dtype if x.dfb else None)
    return fc.op(node, f"ttl.broadcast {x.name} {kind} : {x.type} -> {type_}", type_, "block", shape=shape)


class Fill:
    """`ttl.block.fill(value, shape)`: a constant block. It takes the type
    of what it meets: a scalar operand in block math, or the block it is
    stored into."""

    def __init__(self, value, shape):
        self.value, self.shape = value, shape


def _fill(fc, node, args, kwargs):
    value = args[0]
    shape = tuple(kwargs.get("shape", args[1] if len(args) > 1 else (1, 1)))
    return Fill(value, shape)


def _where(fc, node, args, kwargs):
    """ttl.block.where(cond, a, b): a where cond is non-zero, else b; a and
    b are blocks of cond's shape or numbers (or fills)."""
    if len(args) != 3 or kwargs:
        raise fc.error(node, "ttl.block.where(cond, a, b) takes three arguments")
    cond, a, b = args
    if not (getattr(cond, "kind", None) == "block"):
        raise fc.error(node, "the condition of ttl.block.where is a block (non-zero selects a)")

    def operand(v):  # the TTL verifier checks thread kind and shapes
        if getattr(v, "kind", None) == "block":
            return v
        if isinstance(v, Fill):
            v = v.value
        return fc.floatv(node, v, "f32")

    x, y = operand(a), operand(b)
    return fc.op(node, f"ttl.where {cond.name}, {x.name}, {y.name} : {cond.type}, {x.type}, {y.type} -> "
                       f"{cond.type}", cond.type, "block", shape=cond.shape)


def _engram_gate(fc, node, args, kwargs):
    """ttl.math.engram_gate(key, query, value, key_weight, query_weight,
    eps=float32 epsilon, scale=1/sqrt(hidden)): the fused ttl.engram_gate,
    scheduled by the compiler; store its result directly."""
    names = ["key", "query", "value", "key_weight", "query_weight"]
    blocks = list(args) + [kwargs.pop(n) for n in names[len(args):] if n in kwargs]
    eps = kwargs.pop("eps", 1.1920928955078125e-07)
    if len(blocks) != 5 or kwargs.keys() - {"scale"}:
        raise fc.error(node, "ttl.math.engram_gate(key, query, value, key_weight, query_weight, eps=..., "
                             "scale=...)")
    for name, b in zip(names, blocks):
        if getattr(b, "kind", None) != "block" or b.acquire != "wait":
            raise fc.error(node, f"the {name} of ttl.math.engram_gate is a block from dfb.wait()")
    key = blocks[0]
    scale = kwargs.get("scale", 1.0 / (key.shape[1] * 32) ** 0.5)
    if not all(isinstance(v, (int, float)) for v in (eps, scale)):
        raise fc.error(node, "eps and scale of ttl.math.engram_gate are numbers known at compile time")
    operands = ", ".join(b.name for b in blocks)
    return fc.op(node, f"ttl.engram_gate {operands} {{eps = {float(eps):.9e} : f32, scale = {float(scale):.9e} : f32}}"
                       f" : {key.type}", key.type, "block", shape=key.shape)


def _depthwise_conv1d(fc, node, args, kwargs):
    """ttl.math.depthwise_conv1d(x, halo, weights, kernel_size=4, dilation=1,
    silu=False): the fused ttl.depthwise_conv1d (blocks from dfb.wait();
    `weights` a list of kernel_size blocks)."""
    names = ["x", "halo", "weights"]
    given = list(args) + [kwargs.pop(n) for n in names[len(args):] if n in kwargs]
    if len(given) != 3 or kwargs.keys() - {"kernel_size", "dilation", "silu"}:
        raise fc.error(node, "ttl.math.depthwise_conv1d(x, halo, weights, kernel_size=..., dilation=..., "
                             "silu=...)")
    x, halo, weights = given
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    for name, b in [("x", x), ("halo", halo)] + [("weight", w) for w in weights]:
        if getattr(b, "kind", None) != "block" or b.acquire != "wait":
            raise fc.error(node, f"each {name} of ttl.math.depthwise_conv1d is a block from dfb.wait()")
    k = kwargs.get("kernel_size", len(weights))
    dilation = kwargs.get("dilation", 1)
    silu = kwargs.get("silu", False)
    if not all(isinstance(v, int) for v in (k, dilation)) or not isinstance(silu, bool):
        raise fc.error(node, "kernel_size, dilation and silu of ttl.math.depthwise_conv1d are known at compile time")
    attrs = f"kernel_size = {k} : i64, dilation = {dilation} : i64" + (", silu" if silu else "")
    ws = ", ".join(w.name for w in weights)
    types = ", ".join(w.type for w in weights)
    return fc.op(node, f"ttl.depthwise_conv1d {x.name}, {halo.name}, [{ws}] {{{attrs}}} : {x.type}, {types}",
                 x.type, "block", shape=x.shape)


def _element_read(fc, node, args, kwargs):
    blk, *coords = args
    if getattr(blk, "kind", None) != "block" or len(coords) != 2:
        raise fc.error(node, "element_read(block, row, col)")
    if fc.thread.kind != "datamovement":
        raise fc.error(node, "element_read runs in data-movement threads; compute threads work on whole tiles")
    r, c = (fc.index(node, v) for v in coords)
    et = "bf16" if "bf16" in blk.type else "f32"
    return fc.op(node, f"ttl.element_read {blk.name}[{r.name}, {c.name}] : {blk.type} -> {et}", et, et)


def _element_write(fc, node, args, kwargs):
    blk, *rest = args
    if getattr(blk, "kind", None) != "block" or len(rest) != 3:
        raise fc.error(node, "element_write(block, row, col, value)")
    if fc.thread.kind != "datamovement":
        raise fc.error(node, "element_write runs in data-movement threads; compute threads work on whole tiles")
    r, c = (fc.index(node, v) for v in rest[:2])
    et = "bf16" if "bf16" in blk.type else "f32"
    v = fc.floatv(node, rest[2], et)
    fc.emit(f"ttl.element_write {blk.name}[{r.name}, {c.name}], {v.name} : {blk.type}, {et}", node)
    return None


def _typed(kind):
    def handler(fc, node, args, kwargs):
        if len(args) != 1 or kwargs:
            raise fc.error(node, f"ttl.{kind}(x) takes one value")
        if kind == "i32":
            return fc.to_int(node, args[0], "i32")
        return fc.floatv(node, args[0], kind)

    return handler


HANDLERS = {
    i32: _typed("i32"),
    f32: _typed("f32"),
    bf16: _typed("bf16"),
    copy: _copy,
    node: _node,
    grid_size: _grid_size,
    element_read: _element_read,
    element_write: _element_write,
    raw_element_read: _element_read,
    raw_element_write: _element_write,
    math.reduce_sum: _reduce("sum"),
    math.reduce_max: _reduce("max"),
    math.broadcast: _broadcast,
    block.fill: _fill,
    block.where: _where,
    math.engram_gate: _engram_gate,
    math.depthwise_conv1d: _depthwise_conv1d,
    math.max: _binary("max"),
    math.min: _binary("min"),
}
for _name in UNARY_NAMES:
    HANDLERS[getattr(math, _name)] = _unary(_name)
del _name
