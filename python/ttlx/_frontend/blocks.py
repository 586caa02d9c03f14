# SPDX-License-Identifier: Apache-2.0
"""Blocks in kernel code: the DFB protocol (reserve/wait, push/pop, store)
and block math (elementwise ops, matmul, reductions, broadcast, where, the
fused Engram ops) built as TTL ops.

The TTL verifiers check thread kinds, shapes, element types and which DFB
acquire a block comes from (their messages reach the user at the call's
line); this module checks only what the IR cannot say: Python values that
are not blocks, fills, and which thread owns each side of a DFB.
"""

from __future__ import annotations

import ast
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Literal, Sequence

from ..dialects import ttl
from ..hardware import L1_BYTES
from ..ir import F32Type, FloatAttr, IntegerAttr, IntegerType, MLIRError, RankedTensorType, Type
from ..lang.errors import L1Exhausted
from ..lang.operation import DataflowBuffer
from ..optable import Param, by_python_name, by_ttl_name
from .capacity import l1_needed
from .emitter import Emitter, block_type, element_type, i64_attr, promoted_type, torch_dtype
from .scalars import ScalarTranslator
from .values import Acquire, Block, Fill, ImplicitBroadcast, Scalar, scalar_kind

ReduceDim = Literal["row", "col", "scalar"]
_ENUM = {"row": 0, "col": 1, "scalar": 2}  # ttl ReduceDim / BroadcastKind cases
# Block operators: the op table names the TTL op of each Python operator.
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%"}


def _enum_attr(name: str) -> IntegerAttr:
    return IntegerAttr.get(IntegerType.get_signless(32), _ENUM[name])


def units(block: Block) -> str:
    """What a block's shape counts."""
    return "elements" if block.row_major else "tiles"


def _f32_attr(value: float) -> FloatAttr:
    return FloatAttr.get(F32Type.get(), float(value))


@dataclass
class Held:
    """A block acquired by an explicit dfb.wait()/reserve(), not released yet."""

    dfb: DataflowBuffer
    acquire: Acquire
    call: ast.AST
    loop_level: int


@dataclass
class Protocol:
    """What the thread holds: explicit acquires not yet released (an early
    exit must not skip their release) and the loop nesting level."""

    held: list[Held] = field(default_factory=list)
    loop_level: int = 0
    in_with: list[Held] = field(default_factory=list)  # blocks of the enclosing `with` statements

    def released(self, dfb: DataflowBuffer, release: str) -> None:
        acquire = "wait" if release == "pop" else "reserve"
        for i in range(len(self.held) - 1, -1, -1):
            if self.held[i].dfb.index == dfb.index and self.held[i].acquire == acquire:
                del self.held[i]
                return


class BlockTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator):
        self.em, self.scalars = emitter, scalars
        self.protocol = Protocol()
        self.scaler: Block | None = None
        self.stored: set[Block] = set()  # reserved blocks stored into
        self.claims: dict[tuple[int, str], tuple[str, int, int]] = {}  # (DFB, producer|consumer) -> first use
        # Per scope being translated (thread body, with body, region), the
        # compiler-allocated DFBs holding operands of reductions, matmuls
        # and broadcasts (and results of @ and transpose of row-major
        # blocks), waited and not yet popped, with their waited blocks.
        self.temporaries: list[list[tuple[ast.AST, DataflowBuffer, Block]]] = []

    # ----- the DFB protocol ------------------------------------------------
    def claim(self, node: ast.AST, dfb: DataflowBuffer, role: str) -> None:
        """A DFB has one producer thread and one consumer thread."""
        name = self.em.thread.name
        self.claims.setdefault((dfb.index, role), (self.em.scope.file, *self.em.scope.position(node)))
        owner = self.em.operation.roles.setdefault((dfb.index, role), name)
        if owner != name:
            verb = "reserve" if role == "producer" else "wait"
            raise self.em.error(node, f"DFB {dfb.index} already has a {role} thread ('{owner}'); a DFB connects one "
                                      f"producer and one consumer, so only one thread may {verb}() it")

    def acquire(self, node: ast.AST, dfb: DataflowBuffer, acquire: Acquire) -> Block:
        self.claim(node, dfb, "producer" if acquire == "reserve" else "consumer")
        for held in self.protocol.held + self.protocol.in_with:
            if held.dfb.index == dfb.index and held.acquire == acquire:
                line = self.em.scope.position(held.call)[0]
                release = "pop()" if acquire == "wait" else "push()"
                raise self.em.error(node, f"DFB {dfb.index} still holds the block of its {acquire}() at line {line} "
                                          f"here; a thread holds one block of a DFB at a time (tt-lang-sim: not a "
                                          f"valid next dataflow step), so {release} that block before this "
                                          f"{acquire}()")
        handle = self.em.dfb(dfb, node)
        build = ttl.dfb_wait if acquire == "wait" else ttl.dfb_reserve
        with self.em.at(node):
            value = build(handle)
        self.protocol.held.append(Held(dfb, acquire, node, self.protocol.loop_level))
        return Block(value, dfb, acquire)

    def release(self, node: ast.AST, dfb: DataflowBuffer, release: str) -> None:
        """dfb.push() / dfb.pop() (or blk.push() / blk.pop())."""
        self.protocol.released(dfb, release)
        self.emit_release(node, dfb, release)

    def publish(self, node: ast.AST, dfb: DataflowBuffer) -> None:
        """dfb.publish(): a tensor-backed DFB's bytes are its tensor's, in
        L1 already; the producer hands its whole capacity over."""
        if dfb.backing is None:
            raise self.em.error(node, f"publish() hands over the blocks of a tensor-backed DFB, already in its "
                                      f"tensor's L1; DFB {dfb.index} has storage of its own (make it with "
                                      "ttl.make_tensor_backed_dfb, or reserve, fill and push its blocks)")
        if self.em.thread.kind != "datamovement":
            raise self.em.error(node, "publish() runs on a data-movement thread; move it to a @ttl.datamovement "
                                      "function")
        self.claim(node, dfb, "producer")
        handle = self.em.dfb(dfb, node)
        with self.em.at(node):
            ttl.dfb_publish(handle)

    def emit_release(self, node: ast.AST, dfb: DataflowBuffer, release: str) -> None:
        handle = self.em.dfb(dfb, node)
        with self.em.at(node):
            (ttl.dfb_pop if release == "pop" else ttl.dfb_push)(handle)

    def store(self, node: ast.AST, target: Block, value: object) -> None:
        self.same_layout(node, "store", target, value)
        _, value = self.implicit_broadcasts(node, target, value)
        if isinstance(value, Fill):
            value = self.fill(node, value, target)
        # A value of the other float dtype is fine: the packer writes DST in
        # the target DFB's format (rounding to bf16 for a bf16 DFB).
        if not isinstance(value, Block):
            raise self.em.error(node, "store takes a block expression")
        if value.shape != target.shape and _verifies(value):  # else the expression's own error says more
            raise self.em.error(node, f"store of a block of shape {value.shape} into a block of shape "
                                      f"{target.shape} ({units(target)}); the shapes must be equal")
        with self.em.at(node):
            ttl.store(value.value, target.value)
        self.stored.add(target)

    def fill(self, node: ast.AST, fill: Fill, like: Block) -> Block:
        """A fill stored into `like`: its value packed in like's dtype, whatever
        the fill's dtype= says (as any stored value of the other dtype)."""
        if fill.shape != like.shape:
            raise self.em.error(node, f"cannot store a fill of {fill.shape} {units(like)} into {like.shape}")
        f = self.scalars.floatv(node, fill.value, "f32")
        with self.em.at(node):
            return Block(ttl.fill(like.type, f.value))

    def typed_fill(self, node: ast.AST, fill: Fill, like: Block) -> Block | Scalar:
        """A fill operand of block math: with dtype=, a constant block of that
        dtype shaped like `like` (it takes part in the result's data type);
        without, a scalar operand (it takes the other operand's)."""
        f = self.scalars.floatv(node, fill.value, "f32")
        if fill.dtype is None:
            return f
        with self.em.at(node):
            return Block(ttl.fill(promoted_type(like.type, element_type(fill.dtype)), f.value))

    def result_type(self, like: Block, *values: object) -> RankedTensorType:
        """The type of elementwise math on `values` (blocks, fills, numbers)
        shaped like `like`: f32 when a block or a fill with dtype= is f32
        (each is unpacked into DST in its own format), else bf16."""
        elems = [v.element_type for v in values if isinstance(v, Block)]
        elems += [element_type(v.dtype) for v in values if isinstance(v, Fill) and v.dtype is not None]
        return promoted_type(like.type, *elems)

    # ----- operands read from a DFB ------------------------------------------
    def in_dfb(self, node: ast.AST, x: object, what: str) -> object:
        """`x` as an operand of an op whose tile call reads a circular buffer
        (reduce_tile, matmul_tiles, the bcast calls, transpose_wh_tile): a block expression
        is stored into a compiler-allocated DFB of one block and waited
        for (popped when the enclosing scope ends); other values as they
        are."""
        if not isinstance(x, Block) or x.dfb is not None or self.em.kind != "compute":
            return x  # the callers and the TTL verifiers report what is wrong
        dfb = self.scratch_dfb(node, x.shape, x.element_type, x.row_major, f"the block expression {what} reads")
        handle = self.em.dfb(dfb, node)
        with self.em.at(node):
            target = Block(ttl.dfb_reserve(handle), dfb, "reserve")
        self.store(node, target, x)
        with self.em.at(node):
            ttl.dfb_push(handle)
            waited = Block(ttl.dfb_wait(handle), dfb, "wait")
        self.temporaries[-1].append((node, dfb, waited))
        return waited

    @contextmanager
    def scope(self) -> Iterator[None]:
        """A scope whose operand DFBs (in_dfb) are popped at its end, where
        the IR insertion point is then."""
        self.temporaries.append([])
        yield
        for node, dfb, _ in reversed(self.temporaries.pop()):
            self.emit_release(node, dfb, "pop")

    def compute_only(self, node: ast.AST, what: str) -> None:
        """Block math (`what`, in the user's spelling) runs on compute
        threads: in a data-movement thread it is an error at `node`."""
        if self.em.kind != "compute":
            raise self.em.error(node, f"{what} is block math, which runs on compute threads, but "
                                      f"'{self.em.thread.name}' is a data-movement thread; compute in the "
                                      "@ttl.compute function (data-movement threads move blocks with ttl.copy)")

    def scope_blocks(self) -> list[Block]:
        """The waited blocks of the current scope's compiler-allocated DFBs,
        popped when it ends."""
        return [waited for _, _, waited in self.temporaries[-1]]

    # ----- elementwise math --------------------------------------------------
    def binop(self, node: ast.AST, op: ast.operator, lhs: object, rhs: object) -> Block:
        if isinstance(op, ast.MatMult):
            return self.matmul(node, lhs, rhs)
        if isinstance(op, ast.Pow):
            if not isinstance(lhs, Block) or isinstance(rhs, bool) or not isinstance(rhs, (int, float)):
                raise self.em.error(node, "block ** n takes a number known when the operation compiles as "
                                          "the exponent (ttl.math.pow(block, n))")
            return self.unary(node, "pow", "pow", lhs, by_ttl_name("pow").params, [rhs])
        if isinstance(op, ast.FloorDiv):
            # floor(a / b): div_binary_tile then floor_tile, as tt-metal has no
            # float floor division.
            return self.unary(node, "floor", "floor", self.binary(node, "div", lhs, rhs))
        if isinstance(op, ast.BitXor):
            raise self.em.error(node, "blocks have no ^ (a bitwise XOR of floats); for a power write block ** n")
        if type(op) not in _OPERATORS:
            raise self.em.error(node, "blocks support + - * / // % ** and @")
        return self.binary(node, by_python_name(_OPERATORS[type(op)]).ttl_name, lhs, rhs)

    def binary(self, node: ast.AST, name: str, lhs: object, rhs: object) -> Block:
        """ttl.<name> of two operands, at least one a block; the other may
        be a number or a fill (an f32 scalar operand)."""
        lhs, rhs = self.implicit_broadcasts(node, lhs, rhs)
        blocks = [v for v in (lhs, rhs) if isinstance(v, Block)]
        if not blocks:
            raise self.em.error(node, "block math needs at least one block from a DFB or an expression")
        self.same_layout(node, "block math", *blocks)
        self.same_shape(node, "block math", *blocks)
        block = blocks[0]

        def operand(v: object) -> Block | Scalar:
            if isinstance(v, Block):
                return v
            if isinstance(v, Fill):
                if v.shape != block.shape:
                    raise self.em.error(node, f"fill of shape {v.shape} meets a block of {block.shape} {units(block)}")
                return self.typed_fill(node, v, block)
            return self.scalars.floatv(node, v, "f32")

        a, b = operand(lhs), operand(rhs)
        with self.em.at(node):
            return Block(getattr(ttl, name)(self.result_type(block, lhs, rhs), a.value, b.value))

    def unary(self, node: ast.AST, name: str, op: str, x: object,
              params: Sequence[Param] = (), values: Sequence[float] = ()) -> Block:
        """ttl.<op> of a block (`name` is its ttl.math spelling), its scalar
        parameters as attributes."""
        if not isinstance(x, Block):
            raise self.em.error(node, f"ttl.math.{name} takes a block")
        attrs = [_f32_attr(v) if p.type == "f32" else IntegerAttr.get(IntegerType.get_signless(32), int(v))
                 for p, v in zip(params, values)]
        with self.em.at(node):
            return Block(getattr(ttl, op)(x.value, *attrs))

    def exp_flagged(self, node: ast.AST, x: object, approx: bool, scale: float, skip_clamp_check: bool,
                    iterations: int) -> Block:
        """ttl.math.exp with exp_tile's flags: ttl.exp_flagged."""
        if not isinstance(x, Block):
            raise self.em.error(node, "ttl.math.exp takes a block")
        with self.em.at(node):
            return Block(ttl.exp_flagged(x.value, scale=_f32_attr(scale),
                                         iterations=IntegerAttr.get(IntegerType.get_signless(32), iterations),
                                         approx=approx or None, skip_clamp_check=skip_clamp_check or None))

    def no_row_major(self, node: ast.AST, what: str, x: object) -> None:
        """tt-lang's spec, appendix B: 'For row-major blocks reduction is not
        supported.' (and the same of broadcast)."""
        if isinstance(x, Block) and x.row_major:
            kind = "broadcast" if what.endswith("broadcast") else "reduction"
            raise self.em.error(node, f"{what} of a row-major block: tt-lang's specification (appendix B) says "
                                      f"'For row-major blocks {kind} is not supported', and this block is of a DFB "
                                      "made like a ROW_MAJOR_LAYOUT tensor; make the tensor with "
                                      f"layout=ttnn.TILE_LAYOUT for a {kind}")

    def same_layout(self, node: ast.AST, what: str, *values: object) -> None:
        """Elementwise math, where and store combine blocks of one layout:
        element i of a row-major block is not element i of a tiled one."""
        blocks = [v for v in values if isinstance(v, Block)]
        if len({b.row_major for b in blocks}) > 1:
            raise self.em.error(node, f"{what} combines a block of a DFB made like a ROW_MAJOR_LAYOUT tensor with a "
                                      "tiled block; their elements lie in different orders, so both must have one "
                                      "layout (make the tensors with the same layout=)")

    def implicit_broadcasts(self, node: ast.AST, *values: object) -> tuple[object, ...]:
        """`values` with each ImplicitBroadcast (the older ttl.math.broadcast(x,
        dims=...)) broadcast to the shape of the blocks it meets: in each
        dimension the largest of theirs (a store's target among them)."""
        if not any(isinstance(v, ImplicitBroadcast) for v in values):
            return values
        shapes = [v.shape for v in values if isinstance(v, Block)]
        target = tuple(max(d) for d in zip(*shapes)) if len({len(s) for s in shapes}) == 1 else None
        out: list[object] = []
        for v in values:
            if isinstance(v, ImplicitBroadcast) and v.source is not None and target not in (None, v.shape):
                v = self.broadcast(node, v.source, list(v.dims), target)
            out.append(v)
        return tuple(out)

    def same_shape(self, node: ast.AST, what: str, *blocks: Block) -> None:
        """Elementwise math and where combine blocks of one shape: tt-lang
        broadcasts only where the kernel says so (ttl.block.broadcast)."""
        shapes = list(dict.fromkeys(b.shape for b in blocks))
        if len(shapes) > 1:
            listed = " and ".join(str(s) for s in shapes)
            raise self.em.error(node, f"{what} combines blocks of shapes {listed} ({units(blocks[0])}); the shapes "
                                      "must be equal: broadcast the smaller one first "
                                      "(ttl.block.broadcast(x, dims=[...], shape=...))")

    def require_2d(self, node: ast.AST, what: str, *blocks: Block) -> None:
        """Ops that index tiles by row and column take 2-d blocks (N-d blocks
        have elementwise math, copies and stores)."""
        for x in blocks:
            if len(x.shape) != 2:
                raise self.em.error(node, f"{what} takes 2-d blocks (tile rows, tile columns), but this block has "
                                          f"shape {x.shape}; give its DFB a 2-d shape")

    def matmul(self, node: ast.AST, a: object, b: object) -> Block:
        """`a @ b`: M x K times K x N tiles (blocks from dfb.wait()), batch by
        batch over leading dimensions; row-major blocks (in elements) go
        through tiles (`tiled_op`)."""
        if not (isinstance(a, Block) and isinstance(b, Block)):
            raise self.em.error(node, "@ multiplies two blocks")
        self.same_layout(node, "@", a, b)
        if len(a.shape) != len(b.shape) or a.shape[:-2] != b.shape[:-2]:
            raise self.em.error(node, f"@ multiplies blocks with the same leading (batch) dimensions, [..., M, K] @ "
                                      f"[..., K, N]; got shapes {a.shape} and {b.shape} (ttl.block.broadcast or "
                                      "unsqueeze one to match)")
        if a.row_major and a.shape[-1] != b.shape[-2]:
            raise self.em.error(node, f"@ multiplies [..., M, K] by [..., K, N] elements; the inner dimensions of "
                                      f"shapes {a.shape} and {b.shape} differ")
        if a.shape[-1] != b.shape[-2]:
            raise self.em.error(node, f"@ multiplies M x K by K x N tiles, but the left block is "
                                      f"{a.shape[-2]}x{a.shape[-1]} tiles and the right one "
                                      f"{b.shape[-2]}x{b.shape[-1]}: the left one's columns ({a.shape[-1]}) must "
                                      f"equal the right one's rows ({b.shape[-2]})")

        def product(a: Block, b: Block) -> Block:
            with self.em.at(node):
                result = promoted_type(block_type((*a.shape[:-1], b.shape[-1]), a.element_type), a.element_type,
                                       b.element_type)
                return Block(ttl.matmul(result, a.value, b.value))

        if a.row_major:
            return self.tiled_op(node, "@", [a, b], product)
        a, b = self.in_dfb(node, a, "@"), self.in_dfb(node, b, "@")
        assert isinstance(a, Block) and isinstance(b, Block)
        return product(a, b)

    def transpose(self, node: ast.AST, x: object) -> Block:
        """ttl.block.transpose(x): M x N tiles to N x M, each tile transposed,
        batch by batch over leading dimensions (a block expression goes
        through a DFB, in_dfb); a row-major block (in elements) goes through
        tiles (`tiled_op`)."""
        if not isinstance(x, Block):
            raise self.em.error(node, "ttl.block.transpose takes a block")

        def transposed(x: Block) -> Block:
            *lead, m, n = x.shape
            with self.em.at(node):
                return Block(ttl.transpose(block_type((*lead, n, m), x.element_type), x.value))

        if x.row_major:
            return self.tiled_op(node, "ttl.block.transpose", [x], transposed)
        x = self.in_dfb(node, x, "ttl.block.transpose")
        assert isinstance(x, Block)
        return transposed(x)

    # ----- row-major blocks through tiles ------------------------------------
    def tiled_op(self, node: ast.AST, what: str, operands: Sequence[Block],
                 op: Callable[..., Block]) -> Block:
        """`op` (@ or transpose, which move elements across rows: the engines
        that compute them take tiles) on row-major blocks, as the hardware
        does it: each operand tilized into a tiled DFB the compiler
        allocates (`ttl.tilize`), `op` computed on those, its tiles stored
        into another and untilized into a row-major one (`ttl.untilize`),
        whose block, waited for, is the result (popped when the enclosing
        scope ends)."""
        for x in operands:
            if len(x.shape) < 2 or x.shape[-1] % 32 or x.shape[-2] % 32:
                raise self.em.error(node, f"ttlx computes {what} of row-major blocks on tiles (tilize_block takes "
                                          "whole 32x32 tiles), so the last two dimensions of each operand must be "
                                          f"multiples of 32, but this one has shape {x.shape}; give its DFB such a "
                                          "shape (pad the tensor)")
        tiled = [self.tilized(node, what, x) for x in operands]
        result = op(*tiled)
        return self.untilized(node, what, result)

    def scratch_dfb(self, node: ast.AST, shape: tuple[int, ...], elem: Type, row_major: bool,
                    role: str) -> DataflowBuffer:
        """A one-block DFB of the compute thread that the compiler allocates
        for `role`, checked against L1."""
        dfb = self.em.operation.new_dfb(shape, torch_dtype(elem), 1, row_major=row_major)
        used = l1_needed(self.em.operation.dfbs)
        if used > L1_BYTES:
            unit = "elements" if row_major else "tiles"
            raise self.em.error(node, f"{role} goes to a DFB the compiler allocates ({'x'.join(map(str, shape))} "
                                      f"{unit}), but the operation's DFBs then need {used // 1024} KiB of the "
                                      f"{L1_BYTES // 1024} KiB of L1; use smaller blocks", L1Exhausted)
        self.claim(node, dfb, "producer")
        self.claim(node, dfb, "consumer")
        return dfb

    def tilized(self, node: ast.AST, what: str, x: Block) -> Block:
        """The row-major block `x` (stored into a DFB first when it is an
        expression) tilized into a tiled DFB, waited for."""
        rows = self.in_dfb(node, x, what)
        assert isinstance(rows, Block)
        *lead, m, n = x.shape
        dfb = self.scratch_dfb(node, (*lead, m // 32, n // 32), x.element_type, False,
                               f"the tilized copy of a row-major block {what} reads")
        handle = self.em.dfb(dfb, node)
        with self.em.at(node):
            target = ttl.dfb_reserve(handle)
            ttl.tilize(rows.value, target)
            ttl.dfb_push(handle)
            waited = Block(ttl.dfb_wait(handle), dfb, "wait")
        self.temporaries[-1].append((node, dfb, waited))
        return waited

    def untilized(self, node: ast.AST, what: str, x: Block) -> Block:
        """The tiled block expression `x` stored into a tiled DFB and moved
        row-major into a row-major DFB (ttl.untilize), whose block, waited
        for, holds the result."""
        *lead, m, n = x.shape
        tiles = self.scratch_dfb(node, x.shape, x.element_type, False, f"the tiles of the result of {what}")
        rows = self.scratch_dfb(node, (*lead, 32 * m, 32 * n), x.element_type, True,
                                f"the result of {what}, untilized,")
        handle = self.em.dfb(tiles, node)
        with self.em.at(node):
            target = Block(ttl.dfb_reserve(handle), tiles, "reserve")
        self.store(node, target, x)
        out = self.em.dfb(rows, node)
        with self.em.at(node):
            ttl.dfb_push(handle)
            ttl.untilize(handle, out)
            waited = Block(ttl.dfb_wait(out), rows, "wait")
        self.temporaries[-1].append((node, rows, waited))
        # The result is a block expression to the kernel (no DFB of its
        # own: it is popped with the scope, stored first where a name
        # holding it outlives the scope).
        return Block(waited.value)

    # ----- shape views ------------------------------------------------------
    def shape_view(self, node: ast.AST, kind: str, x: object, dims: object) -> Block | Fill:
        """ttl.block.squeeze(x, dims) / unsqueeze(x, dims) (spec 0.16): the
        same tiles with dimensions of extent 1 removed (dims of x) or
        inserted (dims of the result). A block expression goes through a
        DFB first (in_dfb): the view reads a DFB block's tiles. A row-major
        block's elements stay where they are (row-major from its first
        page): its view is the same pages."""
        what = f"ttl.block.{kind}"
        if not isinstance(x, (Block, Fill)):
            raise self.em.error(node, f"{what} takes a block")
        listed = [dims] if isinstance(dims, int) and not isinstance(dims, bool) else dims
        if not (isinstance(listed, (list, tuple))
                and all(isinstance(d, int) and not isinstance(d, bool) for d in listed)):
            raise self.em.error(node, f"dims of {what} is a list of dimension indices known at compile time; got "
                                      f"{dims!r}")
        shape = x.shape
        rank = len(shape) + (len(listed) if kind == "unsqueeze" else 0)
        positions: list[int] = []
        for d in listed:
            if not -rank <= d < rank:
                whose = "the block's" if kind == "squeeze" else "the result's"
                raise self.em.error(node, f"{what}: dimension {d} is out of range for {whose} {rank} dimensions")
            if d % rank in positions:
                raise self.em.error(node, f"{what}: dims lists dimension {d % rank} twice")
            positions.append(d % rank)
        if kind == "squeeze":
            for p in positions:
                if shape[p] != 1:
                    raise self.em.error(node, f"{what} removes dimension {p} of extent {shape[p]}; only dimensions "
                                              "of extent 1 can be removed")
            result = tuple(e for i, e in enumerate(shape) if i not in positions)
        else:
            rest = iter(shape)
            result = tuple(1 if i in positions else next(rest) for i in range(rank))
        if len(result) < 2 and not (isinstance(x, Block) and x.row_major):
            raise self.em.error(node, f"{what} would leave a block of shape {result}; a tiled block keeps at least "
                                      "two dimensions (tile rows and columns)")
        if isinstance(x, Fill):
            return Fill(x.value, result)
        x = self.in_dfb(node, x, what)
        assert isinstance(x, Block)
        build = ttl.squeeze if kind == "squeeze" else ttl.unsqueeze
        with self.em.at(node):
            typ = RankedTensorType.get(list(result), x.type.element_type)  # tiles, or elements when row-major
            return Block(build(typ, x.value, sorted(positions)))

    # ----- reductions and broadcasts ---------------------------------------
    def reduce_dim(self, node: ast.AST, dims: object, rank: int = 2) -> ReduceDim:
        """The tiles' dimensions `dims` names in a block of `rank`
        dimensions: the last (rows into column 0), the one before (columns
        into row 0) or both; leading (batch) dimensions are not reduced."""
        given = [dims] if isinstance(dims, int) else list(dims)  # type: ignore[call-overload]
        if any(not isinstance(d, int) or not -rank <= d < rank for d in given):
            raise self.em.error(node, f"dims must be [-1], [-2] or [-2, -1], got {given}")
        norm = sorted({d % rank - (rank - 2) for d in given})
        if norm == [1]:
            return "row"  # along the last dim: each row into column 0
        if norm == [0]:
            return "col"
        if norm == [0, 1]:
            return "scalar"
        if rank > 2:
            raise self.em.error(node, f"a reduction of a {rank}-d block runs along its last two dimensions: dims "
                                      f"must be [-1], [-2] or [-2, -1], got {given} (batch dimensions are not "
                                      "reduced)")
        raise self.em.error(node, f"dims must be [-1], [0] or [-2, -1], got {given}")

    def scaler_block(self, node: ast.AST, like: Block) -> Block:
        """A DFB holding a tile of ones, made by the compute thread itself
        (in the entry section; popped at the end of the thread)."""
        if self.scaler is not None:
            return self.scaler
        dfb = self.em.operation.new_dfb((1, 1), torch_dtype(like.element_type), 1)
        handle = self.em.dfb(dfb, node)
        with self.em.entry(), self.em.at(node):
            reserved = ttl.dfb_reserve(handle)
            one = self.scalars.floatv(node, 1.0, "f32")
            ttl.store(ttl.fill(reserved.type, one.value), reserved)
            ttl.dfb_push(handle)
            self.scaler = Block(ttl.dfb_wait(handle), dfb, "wait")
        return self.scaler

    def reduce(self, node: ast.AST, pool: str, x: object, dims: object, shape: Sequence[int] | None) -> Block:
        if not isinstance(x, Block):
            raise self.em.error(node, f"ttl.math.reduce_{pool} reduces a block")
        self.no_row_major(node, f"ttl.math.reduce_{pool}", x)
        dim = self.reduce_dim(node, dims, len(x.shape))
        x = self.in_dfb(node, x, f"ttl.math.reduce_{pool}")
        assert isinstance(x, Block)
        # Batch by batch over leading dimensions; a `shape=` the reduction
        # does not give is the verifier's error.
        *lead, m, n = x.shape
        result = (*lead, *{"row": (m, 1), "col": (1, n), "scalar": (1, 1)}[dim])
        if shape is not None:
            result = tuple(shape)
        s = self.scaler_block(node, x)
        with self.em.at(node):
            build = ttl.reduce_sum if pool == "sum" else ttl.reduce_max
            return Block(build(block_type(result, x.element_type), x.value, s.value, _enum_attr(dim)))

    def broadcast(self, node: ast.AST, x: object, dims: object, shape: tuple[int, ...] | None) -> Block:
        if not isinstance(x, Block):
            raise self.em.error(node, "ttl.block.broadcast takes a block")
        self.no_row_major(node, "ttl.block.broadcast", x)
        if len(x.shape) > 2:
            return self.broadcast_tiles(node, x, dims, shape)
        kind = {"row": "col", "col": "row", "scalar": "scalar"}[self.reduce_dim(node, dims)]
        x = self.in_dfb(node, x, "ttl.block.broadcast")
        assert isinstance(x, Block)
        with self.em.at(node):
            return Block(ttl.broadcast(block_type(shape or x.shape, x.element_type), x.value, _enum_attr(kind)))

    def broadcast_tiles(self, node: ast.AST, x: Block, dims: object, shape: tuple[int, ...] | None) -> Block:
        """ttl.block.broadcast of an N-d block along leading (batch)
        dimensions: whole tiles replicated (ttl.broadcast_tiles)."""
        rank = len(x.shape)
        given = [dims] if isinstance(dims, int) else list(dims)  # type: ignore[call-overload]
        if shape is None or len(shape) != rank:
            raise self.em.error(node, f"ttl.block.broadcast of a {rank}-d block takes shape= of {rank} dimensions "
                                      f"(the result's); got {shape}")
        if not given or any(not isinstance(d, int) or not -rank <= d < rank or d % rank >= rank - 2 for d in given):
            raise self.em.error(node, f"ttl.block.broadcast of a {rank}-d block runs along leading (batch) "
                                      f"dimensions 0 to {rank - 3} only; got dims={given} (squeeze the block to 2-d "
                                      "to broadcast inside its tiles)")
        norm = {d % rank for d in given}
        for i, (have, want) in enumerate(zip(x.shape, shape)):
            if (i in norm and have != 1) or (i not in norm and have != want):
                raise self.em.error(node, f"ttl.block.broadcast of a block of shape {x.shape} along dims={given} "
                                          f"cannot give shape {tuple(shape)}: a broadcast dimension has extent 1, the "
                                          "others keep theirs")
        x = self.in_dfb(node, x, "ttl.block.broadcast")  # type: ignore[assignment]
        with self.em.at(node):
            return Block(ttl.broadcast_tiles(block_type(tuple(shape), x.element_type), x.value))

    def where(self, node: ast.AST, cond: object, a: object, b: object) -> Block:
        """ttl.block.where(cond, a, b): a where cond is non-zero, else b; a
        and b are blocks or numbers (or fills)."""
        if not isinstance(cond, Block):
            raise self.em.error(node, "the condition of ttl.block.where is a block (non-zero selects a)")
        self.same_layout(node, "ttl.block.where", cond, a, b)
        cond, a, b = self.implicit_broadcasts(node, cond, a, b)
        assert isinstance(cond, Block)
        self.same_shape(node, "ttl.block.where", cond, *(v for v in (a, b) if isinstance(v, Block)))

        def operand(v: object) -> Block | Scalar:  # the TTL verifier checks thread kind and block shapes
            if isinstance(v, Block):
                return v
            if isinstance(v, Fill):
                if v.shape != cond.shape:
                    raise self.em.error(node, f"fill of shape {v.shape} meets a condition block of {cond.shape} "
                                              f"{units(cond)} in ttl.block.where; give the fill the block's shape")
                return self.typed_fill(node, v, cond)
            return self.scalars.floatv(node, v, "f32")

        x, y = operand(a), operand(b)
        # The selected operands' type; the condition's when both are numbers.
        typed = [v for v in (a, b) if isinstance(v, Block) or (isinstance(v, Fill) and v.dtype is not None)]
        result = self.result_type(cond, *typed) if typed else cond.type
        with self.em.at(node):
            return Block(ttl.where(result, cond.value, x.value, y.value))

    # ----- fused Engram ops --------------------------------------------------
    def engram_gate(self, node: ast.AST, operands: Sequence[object], eps: float, scale: float | None) -> Block:
        names = ["key", "query", "value", "key_weight", "query_weight"]
        blocks: list[Block] = []
        for name, b in zip(names, operands):
            if not isinstance(b, Block):
                raise self.em.error(node, f"the {name} of ttl.math.engram_gate is a block from dfb.wait()")
            blocks.append(b)
        if scale is None:
            scale = 1.0 / (blocks[0].shape[1] * 32) ** 0.5
        with self.em.at(node):
            key, query, value, weight = (b.value for b in blocks[:4])
            second = blocks[4].value if len(blocks) == 5 else None
            return Block(ttl.engram_gate(key, query, value, weight, _f32_attr(eps), _f32_attr(scale),
                                         query_weight=second))

    def depthwise_conv1d(self, node: ast.AST, x: object, halo: object, weights: Sequence[object],
                         kernel_size: int, dilation: int, silu: bool) -> Block:
        blocks: list[Block] = []
        for name, b in [("x", x), ("halo", halo)] + [("weight", w) for w in weights]:
            if not isinstance(b, Block):
                raise self.em.error(node, f"each {name} of ttl.math.depthwise_conv1d is a block from dfb.wait()")
            blocks.append(b)
        with self.em.at(node):
            return Block(ttl.depthwise_conv1d(blocks[0].value, blocks[1].value, [w.value for w in blocks[2:]],
                                              i64_attr(kernel_size), i64_attr(dilation), silu=silu or None))

    # ----- element access ----------------------------------------------------
    def element_coordinates(self, node: ast.AST, block: Block, coords: Sequence[object]) -> tuple[Scalar, Scalar]:
        """The (row, col) the element access ops take for the element at
        `coords` (batch indices, then the element row and column): an N-d
        block's tiles are row-major over its whole shape, so its rows are
        those of every batch one after the other. A batch index or row out
        of range known only at run time makes the row the block's row count,
        which the runtime's check of the access reports at its line."""
        if block.row_major:
            return self.row_major_coordinates(node, block, coords)
        *lead, row, col = coords
        if not lead:
            return self.scalars.index(node, row), self.scalars.index(node, col)
        *batches, tile_rows, _ = block.shape
        rows = tile_rows * 32
        limits = [*batches, rows]
        names = [*(f"index {{}} of batch dimension {i}" for i in range(len(batches))), "row index {}"]
        tests: list[object] = []
        for value, limit, name in zip([*lead, row], limits, names):
            if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value < limit:
                raise self.em.error(node, f"{name.format(value)} is out of range [0, {limit}) for a block of shape "
                                          f"{block.shape} tiles")
            if isinstance(value, Scalar):
                tests += [self.scalars.compare(node, ast.GtE, value, 0),
                          self.scalars.compare(node, ast.Lt, value, limit)]
        flat: object = lead[0]
        for value, size in zip(lead[1:], batches[1:]):
            flat = self.scalars.binop(node, ast.Add(), self.scalars.binop(node, ast.Mult(), flat, size), value)
        flat = self.scalars.binop(node, ast.Add(), self.scalars.binop(node, ast.Mult(), flat, rows), row)
        if tests:
            inside = self.scalars.fold(node, True, tests)
            flat = self.scalars.select(node, inside, flat, math.prod(batches) * rows)
        return self.scalars.index(node, flat), self.scalars.index(node, col)

    def row_major_coordinates(self, node: ast.AST, block: Block,
                              coords: Sequence[object]) -> tuple[Scalar, Scalar]:
        """The (row, col) of the element at `coords` (one per dimension) of
        a row-major block, whose elements lie row-major from its first
        page: the leading dimensions' rows flattened, then the last
        dimension. A leading index out of range known only at run time
        makes the row the block's row count, which the runtime's check of
        the access reports at its line."""
        *lead, col = coords
        *leading, _ = block.shape
        tests: list[object] = []
        for i, (value, limit) in enumerate(zip(coords, block.shape)):
            if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value < limit:
                raise self.em.error(node, f"index {value} of dimension {i} is out of range [0, {limit}) for a block "
                                          f"of shape {block.shape} elements")
            if isinstance(value, Scalar) and i < len(lead):
                tests += [self.scalars.compare(node, ast.GtE, value, 0),
                          self.scalars.compare(node, ast.Lt, value, limit)]
        flat: object = 0
        for value, size in zip(lead, leading):
            flat = self.scalars.binop(node, ast.Add(), self.scalars.binop(node, ast.Mult(), flat, size), value)
        if tests:
            inside = self.scalars.fold(node, True, tests)
            flat = self.scalars.select(node, inside, flat, math.prod(leading))
        return self.scalars.index(node, flat), self.scalars.index(node, col)

    def element_read(self, node: ast.AST, block: Block, coords: Sequence[object]) -> Scalar:
        r, c = self.element_coordinates(node, block, coords)
        with self.em.at(node):
            return Scalar(ttl.element_read(block.element_type, block.value, r.value, c.value))

    def read_index(self, node: ast.AST, block: Block, coords: Sequence[object]) -> Scalar:
        r, c = self.element_coordinates(node, block, coords)
        with self.em.at(node):
            return Scalar(ttl.read_index(block.value, r.value, c.value))

    def element_write(self, node: ast.AST, block: Block, coords: Sequence[object], value: object) -> None:
        r, c = self.element_coordinates(node, block, coords)
        kind = scalar_kind(block.element_type)
        v = self.scalars.floatv(node, value, kind)
        with self.em.at(node):
            ttl.element_write(block.value, r.value, c.value, v.value)


def _verifies(block: Block) -> bool:
    """Whether the op that made `block` passes its verifier."""
    verify = getattr(block.value.owner, "verify", None)  # none for a block argument
    try:
        return verify is None or verify()
    except MLIRError:
        return False
