# SPDX-License-Identifier: Apache-2.0
"""Block variables that live across regions: a block held in a Python
variable, bound before an `scf.for` / `scf.if` and reassigned in it
(`acc += a @ b` over a K loop), keeps its value in a scratch DFB of the
compute thread (docs/language.md, "Block variables across loops").

A block is an SSA expression the lowering evaluates tile by tile at each
`ttl.store`; nothing holds it between stores, and the blocks it reads are
released when their `with` ends. So each assignment to such a variable is
stored at once into the next block of its scratch DFB (two blocks: the old
value, the new one), and the old value is popped; the variable then names
the front of the DFB (`InScratch`), waited for when it is next read. At a
region boundary the value is always pushed and not waited, so every
iteration and branch starts and ends the same way.

`o += x` on a reserved block `o` keeps o's contents the same way, in a
hidden block variable stored into `o` when it is pushed. `s.store(v)` and
`s += x` on a waited block `s` (spec 0.22, "waited block replacement")
keep its new contents in a hidden block variable too, which every later
read of `s` reads, dropped when `s` is popped: only the compute thread that
waited for `s` can see them. A name bound to a DFB block that a region
assigns a new value is no block variable; after the region it is
`Reassigned`, an error where it is read.

A block expression that a name holds when the `with` of a block it reads
ends, and that may be read later (liveness.py), is stored the same way
into a scratch DFB of its own before the pop (`outlive`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Sequence

import torch

from ..dialects import ttl
from ..hardware import L1_BYTES
from ..ir import Block as IRBlock, Type, Value
from ..lang.errors import L1Exhausted
from ..lang.operation import DataflowBuffer
from .blocks import BlockTranslator
from .capacity import l1_needed
from .emitter import Emitter, element_type, torch_dtype
from .values import Block, Fill

Env = dict[str, object]


@dataclass(frozen=True)
class InScratch:
    """A block variable's value: the front block of `dfb`, pushed, not waited."""

    dfb: DataflowBuffer


@dataclass(frozen=True)
class Reassigned:
    """A name bound to a DFB block before a loop or branch that assigns it
    a new value: after it (and inside, until assigned) it has no one value."""

    name: str
    line: int

    def message(self) -> str:
        return (f"'{self.name}' names a DFB block and is assigned a new value in the loop or branch at line "
                f"{self.line}, so it has no single value here; give the new value another name, or start the "
                f"variable from a block expression ({self.name} = ttl.block.fill(0, shape=...) or blk + 0.0)")


@dataclass
class CarriedBlock:
    name: str
    dfb: DataflowBuffer


@dataclass
class Frame:
    """A region being translated: its block variables and their scratch DFBs."""

    tracked: dict[str, DataflowBuffer] = field(default_factory=dict)
    owned: set[str] = field(default_factory=set)  # values that die with the region


def _acquire(value: ast.expr) -> bool:
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("wait", "reserve"))


def assigned_values(stmts: Sequence[ast.stmt]) -> dict[str, bool]:
    """Names assigned a value by `=` / `+=` in `stmts` (True when by an
    augmented assignment): not `with ... as` targets nor `x = dfb.wait()`,
    which name a fresh DFB block."""
    names: dict[str, bool] = {}
    for node in ast.walk(ast.Module(body=list(stmts), type_ignores=[])):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign) and not _acquire(node.value):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    names[n.id] = names.get(n.id, False) or isinstance(node, ast.AugAssign)
    return names


def stored_into(stmts: Sequence[ast.stmt]) -> set[str]:
    """Names `n` of `n.store(...)` calls in `stmts`."""
    return {node.func.value.id for node in ast.walk(ast.Module(body=list(stmts), type_ignores=[]))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "store"
            and isinstance(node.func.value, ast.Name)}


def replaced_name(name: str) -> str:
    """The hidden block variable holding the contents that `name.store(v)` /
    `name += x` gave the waited block `name` (not a Python name)."""
    return f"%replaced {name}"


def part_name(name: str, path: str) -> str:
    """The hidden block variable holding the part at `path` (`[0]`, `[1][0]`)
    of the tuple `name` kept after its `with` (not a Python name)."""
    return f"%part {name}{path}"


def contents_name(name: str) -> str:
    """The hidden block variable holding what `name += x` accumulated into
    the reserved block `name` (not a Python name)."""
    return f"%contents {name}"


def reads(value: Block, blocks: Sequence[Block]) -> bool:
    """Whether the block expression `value` reads any of `blocks` (walking
    the IR that computes it)."""
    targets = {b.value for b in blocks}
    todo: list[Value] = [value.value]
    seen: set[Value] = set()
    while todo:
        v = todo.pop()
        if v in targets:
            return True
        if v in seen or isinstance(v.owner, IRBlock):
            continue
        seen.add(v)
        todo.extend(v.owner.operands)
    return False


def _loaded(stmts: Sequence[ast.stmt]) -> set[str]:
    return {n.id for n in ast.walk(ast.Module(body=list(stmts), type_ignores=[]))
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def has_scratch_parts(value: object) -> bool:
    """A tuple with parts in scratch DFBs not waited for yet."""
    return isinstance(value, (tuple, list)) and any(isinstance(leaf, InScratch) for leaf in leaves(value))


def map_leaves(value: object, fn: Callable[[object, str], object], path: str = "") -> object:
    """`value` with each leaf of its nested tuples and lists replaced by
    fn(leaf, its path such as `[1][0]`)."""
    if isinstance(value, (tuple, list)):
        return type(value)(map_leaves(v, fn, f"{path}[{i}]") for i, v in enumerate(value))
    return fn(value, path)


def leaves(value: object) -> list[object]:
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in leaves(v)]
    return [value]


@dataclass
class Pending:
    """A scratch value a helper returned: the caller's statement uses it,
    and it is popped when that statement ends unless a name takes it."""

    dfb: DataflowBuffer
    value: Block


class BlockCarrier:
    def __init__(self, emitter: Emitter, blocks: BlockTranslator):
        self.em, self.blocks = emitter, blocks
        # The thread body (or the helper being inlined), then the regions
        # being translated, innermost last; a helper's names are its own.
        self.frames = [Frame()]
        self.scratch: set[int] = set()  # DFB indices of scratch DFBs
        self.pending: list[Pending] = []
        self.mark = 0  # pending values from this index on belong to the statement being translated

    def is_scratch(self, value: object) -> bool:
        return isinstance(value, InScratch) or (
            isinstance(value, Block) and value.dfb is not None and value.dfb.index in self.scratch)

    def names(self, stmts: Sequence[ast.stmt], env: Env) -> list[str]:
        """Block variables bound before `stmts` and reassigned in them (for
        `o += x` on a reserved block `o`, its contents)."""
        out = []
        stored = stored_into(stmts)
        for n, augmented in assigned_values(stmts).items():
            v = env.get(n)
            if isinstance(v, Block) and v.acquire == "reserve" and augmented:
                out.append(contents_name(n))
            elif self.is_waited(v) and augmented:
                stored.add(n)
            elif isinstance(v, (Fill, InScratch)) or (isinstance(v, Block) and (v.dfb is None or self.is_scratch(v))):
                out.append(n)
        out += [replaced_name(n) for n in sorted(stored) if self.is_waited(env.get(n))]
        return out

    def is_waited(self, value: object) -> bool:
        """A block the user waited for (from a DFB of theirs)."""
        return (isinstance(value, Block) and value.acquire == "wait" and value.dfb is not None
                and not self.is_scratch(value))

    def acquired_reassigned(self, stmts: Sequence[ast.stmt], env: Env) -> list[str]:
        """Names of DFB blocks that `stmts` assign a new value (not `o += x`)."""
        out = []
        for n, augmented in assigned_values(stmts).items():
            v = env.get(n)
            if (isinstance(v, Block) and v.dfb is not None and not self.is_scratch(v)
                    and not (augmented and v.acquire in ("reserve", "wait"))):
                out.append(n)
        return out

    def contents(self, node: ast.AST, name: str, env: Env) -> None:
        """Binds the contents of the reserved block `name` (zero until the
        first `+=`) when they are not bound yet. They have the block's type:
        each `+=` rounds to it, as a store into the block does."""
        hidden = contents_name(name)
        if hidden in env:
            return
        block = env[name]
        assert isinstance(block, Block)
        if block in self.blocks.stored:
            raise self.em.error(node, f"'{name} += ...' after '{name}.store(...)': accumulate in a block variable "
                                      f"instead (acc = ...; acc += ...; {name}.store(acc))")
        env[hidden] = Fill(0.0, block.shape, torch_dtype(block.element_type))

    # ----- ops on a scratch DFB ----------------------------------------
    def allocate(self, node: ast.AST, name: str, shape: tuple[int, ...], elem: Type,
                 row_major: bool = False, why: str = "across loop iterations or branches") -> DataflowBuffer:
        if self.em.kind != "compute":
            raise self.em.error(node, f"block variable '{name}' changes in this loop or branch; block math runs "
                                      "in compute threads")
        dfb = self.em.operation.new_dfb(shape, torch_dtype(elem), 2, row_major=row_major)
        used = l1_needed(self.em.operation.dfbs)
        if used > L1_BYTES:
            unit = "elements" if row_major else "tiles"
            size = f"{'x'.join(map(str, shape))} {unit}"
            raise self.em.error(node, f"block variable '{name}' ({size}) is kept in L1 {why}, but the operation's "
                                      f"DFBs then need {used // 1024} KiB of the {L1_BYTES // 1024} KiB of L1; "
                                      "use smaller blocks", L1Exhausted)
        self.blocks.claim(node, dfb, "producer")
        self.blocks.claim(node, dfb, "consumer")
        self.scratch.add(dfb.index)
        return dfb

    def layout(self, node: ast.AST, name: str, value: object) -> tuple[tuple[int, ...], Type, bool]:
        """Shape, element type and whether row-major of the scratch DFB that
        keeps block variable `name`."""
        if isinstance(value, Block):
            return value.shape, value.element_type, value.row_major
        assert isinstance(value, Fill)
        user = [d for d in self.em.operation.dfbs if d.index not in self.scratch]
        # A fill counts the units of the blocks it meets: elements when the
        # user's DFBs of its shape are row-major.
        layouts = {d.row_major for d in user if d.shape == value.shape}
        if len(layouts) > 1:
            raise self.em.error(node, f"block variable '{name}' starts as a fill of shape {value.shape}, which is "
                                      "ambiguous in an operation with tiled and row-major DFBs of that shape; start "
                                      "it from a block expression (for example x * 0.0)")
        row_major = layouts == {True}
        if value.dtype is not None:
            return value.shape, element_type(value.dtype), row_major
        # A fill without dtype= takes the type of the operation's DFBs; when
        # they mix bf16 and float32, float32: the fill's value is exact in
        # either, and the variable then keeps what float32 updates add (as
        # a 32-bit DST would) instead of rounding them to bf16.
        dtypes = {d.dtype for d in user}
        return value.shape, element_type(next(iter(dtypes)) if len(dtypes) == 1 else torch.float32), row_major

    def push(self, node: ast.AST, dfb: DataflowBuffer, value: object) -> None:
        """Stores `value` into the next block of `dfb` and pushes it."""
        handle = self.em.dfb(dfb, node)
        with self.em.at(node):
            target = Block(ttl.dfb_reserve(handle), dfb, "reserve")
        self.blocks.store(node, target, value)
        with self.em.at(node):
            ttl.dfb_push(handle)

    def wait(self, node: ast.AST, dfb: DataflowBuffer) -> Block:
        with self.em.at(node):
            return Block(ttl.dfb_wait(self.em.dfb(dfb, node)), dfb, "wait")

    def pop(self, node: ast.AST, dfb: DataflowBuffer) -> None:
        with self.em.at(node):
            ttl.dfb_pop(self.em.dfb(dfb, node))

    def drop(self, node: ast.AST, dfb: DataflowBuffer, value: object) -> None:
        """Consumes the front block of `dfb`, which holds `value`."""
        if isinstance(value, InScratch):
            self.wait(node, dfb)
        self.pop(node, dfb)

    def settle(self, node: ast.AST, dfb: DataflowBuffer, value: object) -> InScratch:
        """Makes `value`, held from `dfb`'s front, pushed and not waited (a copy)."""
        if isinstance(value, InScratch):
            return value
        self.push(node, dfb, value)
        self.pop(node, dfb)
        return InScratch(dfb)

    # ----- statements --------------------------------------------------
    def read(self, node: ast.AST, name: str, env: Env) -> object:
        """The value of `name`: a scratch value is waited for on first read."""
        value = env[name]
        if isinstance(value, InScratch):
            value = env[name] = self.wait(node, value.dfb)
        elif has_scratch_parts(value):
            value = self.read_parts(node, name, env)
        return value

    def assigned(self, node: ast.AST, name: str, old: object, env: Env) -> None:
        """After `name = ...`: a block variable's new value goes to its scratch DFB."""
        dfb = self.frames[-1].tracked.get(name)
        if dfb is None:
            return
        new = env[name]
        if new is old or isinstance(new, InScratch):
            return
        if not isinstance(new, (Block, Fill)):
            raise self.em.error(node, f"block variable '{name}' is kept across loop iterations or branches, so it "
                                      "stays a block")
        if isinstance(old, InScratch):  # unread: the new value replaces it
            self.drop(node, dfb, old)
            self.push(node, dfb, new)
        else:  # held at the front: the new value goes behind it, then it is popped
            self.push(node, dfb, new)
            self.pop(node, dfb)
        env[name] = InScratch(dfb)

    # ----- regions -----------------------------------------------------
    def enter(self, node: ast.AST, stmts: Sequence[ast.stmt], env: Env) -> list[CarriedBlock]:
        """Before a region op: block variables the region reassigns go to
        (or stay in) a scratch DFB; those it only reads are waited for."""
        changing = self.names(stmts, env)
        self.read_before(node, stmts, env, changing)
        for n in self.acquired_reassigned(stmts, env):
            env[n] = Reassigned(n, self.em.scope.position(node)[0])
        carried = []
        for name in changing:
            if name.startswith("%contents "):
                self.contents(node, name.split(" ", 1)[1], env)
            elif name.startswith("%replaced ") and name not in env:  # its contents so far: the block's own
                env[name] = env[name.split(" ", 1)[1]]
            carried.append(CarriedBlock(name, self.keep(node, name, env)))
        return carried

    def read_before(self, node: ast.AST, stmts: Sequence[ast.stmt], env: Env, changing: Sequence[str] = ()) -> None:
        """Before a region op: the scratch values `stmts` read and do not
        change are waited for once, outside it (a wait inside would run
        again each iteration)."""
        loaded = _loaded(stmts)
        for n in (loaded | {replaced_name(n) for n in loaded}) - set(changing):
            if n in env and (isinstance(env[n], InScratch) or has_scratch_parts(env[n])):
                self.read(node, n, env)

    def keep(self, node: ast.AST, name: str, env: Env) -> DataflowBuffer:
        """Puts block variable `name` in a scratch DFB (if it is not in one)."""
        value = env[name]
        if isinstance(value, InScratch):
            return value.dfb
        if self.is_scratch(value):
            assert isinstance(value, Block) and value.dfb is not None
            env[name] = self.settle(node, value.dfb, value)
            return value.dfb
        shape, elem, row_major = self.layout(node, name, value)
        dfb = self.allocate(node, name, shape, elem, row_major)
        self.push(node, dfb, value)
        env[name] = InScratch(dfb)
        frame = self.frames[-1]
        frame.tracked[name] = dfb
        frame.owned.add(name)
        return dfb

    def outlive(self, node: ast.With, name: str, env: Env, blocks: Sequence[Block]) -> None:
        """Before the `with` at `node` releases `blocks`: the value of `name`
        (a block expression reading them, or a tuple holding such
        expressions) goes to scratch DFBs, a tuple's each expression to
        one of its own, bound to a hidden name (`part_name`)."""
        value = env[name]
        if isinstance(value, Block):
            env[name] = self._outlive(node, name, name, value)
            return

        def part(v: object, path: str) -> object:
            if isinstance(v, Block) and v.dfb is None and reads(v, blocks):
                hidden = part_name(name, path)
                env[hidden] = self._outlive(node, f"{name}{path}", hidden, v, env.get(hidden))
                return env[hidden]
            return v

        env[name] = map_leaves(value, part)

    def _outlive(self, node: ast.AST, label: str, name: str, value: Block, old: object = None) -> InScratch:
        frame = self.frames[-1]
        dfb = frame.tracked.get(name)
        if dfb is not None and name != label:  # a tuple part of an earlier value of the name: dead now
            self.drop(node, dfb, old)
        else:
            dfb = self.allocate(node, label, value.shape, value.element_type, value.row_major,
                                "after this 'with' releases the blocks it reads")
        self.push(node, dfb, value)
        frame.tracked[name] = dfb
        frame.owned.add(name)
        return InScratch(dfb)

    def read_parts(self, node: ast.AST, name: str, env: Env) -> object:
        """The tuple `name` holds, its parts in scratch DFBs waited for."""
        def read(v: object, path: str) -> object:
            return self.read(node, part_name(name, path), env) if isinstance(v, InScratch) else v

        env[name] = map_leaves(env[name], read)
        return env[name]

    def begin(self, carried: Sequence[CarriedBlock]) -> None:
        self.frames.append(Frame({c.name: c.dfb for c in carried}))

    def end(self, node: ast.AST, carried: Sequence[CarriedBlock], inner: Env) -> None:
        """At the end of a region: carried values pushed, the region's own consumed."""
        frame = self.frames.pop()
        for c in carried:
            inner[c.name] = self.settle(node, c.dfb, inner[c.name])
        self.release(node, frame, inner)

    def release(self, node: ast.AST, frame: Frame, env: Env) -> None:
        for name in frame.owned:
            dfb = frame.tracked[name]
            value = env.get(name)
            if self.is_scratch(value):
                self.drop(node, dfb, value)

    # ----- accumulation into a reserved block --------------------------
    def accumulate(self, node: ast.AST, name: str, value: object, env: Env) -> None:
        """After `name += x` on a reserved block: `value` (its contents op x)
        becomes the contents, kept in a scratch DFB until the block is pushed."""
        hidden = contents_name(name)
        old = env[hidden]
        if not any(hidden in f.tracked for f in self.frames):
            env[hidden] = value
            self.keep(node, hidden, env)
            return
        env[hidden] = value
        self.assigned(node, hidden, old, env)

    # ----- replacement of a waited block ---------------------------------
    def replace(self, node: ast.AST, name: str, value: object, env: Env) -> None:
        """After `name.store(v)` / `name += x` on the waited block `name`:
        `value` becomes its contents, stored at once (rounded to the
        block's type) into a scratch DFB of the block's shape and type."""
        block = env[name]
        assert isinstance(block, Block)
        if self.em.kind != "compute":
            raise self.em.error(node, f"replacing the waited block '{name}' stores block math into it, which runs "
                                      "in compute threads; wait for the block in the compute thread")
        if not isinstance(value, (Block, Fill)):
            raise self.em.error(node, "store takes a block expression")
        hidden = replaced_name(name)
        if any(hidden in f.tracked for f in self.frames):
            old = env[hidden]
            env[hidden] = value
            self.assigned(node, hidden, old, env)
            return
        dfb = self.allocate(node, name, block.shape, block.element_type, block.row_major)
        self.push(node, dfb, value)
        env[hidden] = InScratch(dfb)
        frame = self.frames[-1]
        frame.tracked[hidden] = dfb
        frame.owned.add(hidden)

    def discard(self, node: ast.AST, name: str, env: Env) -> None:
        """Before the waited block `name` is popped: its replaced contents
        are dropped (the DFB's producer never sees them)."""
        hidden = replaced_name(name)
        if hidden not in env:
            return
        value = env.pop(hidden)
        for frame in self.frames:
            frame.tracked.pop(hidden, None)
            frame.owned.discard(hidden)
        if self.is_scratch(value):
            assert isinstance(value, (Block, InScratch)) and value.dfb is not None
            self.drop(node, value.dfb, value)

    def flush(self, node: ast.AST, name: str, env: Env) -> None:
        """Before the reserved block `name` is pushed: its accumulated
        contents are stored into it."""
        hidden = contents_name(name)
        if hidden not in env:
            return
        value = self.read(node, hidden, env)
        block = env[name]
        assert isinstance(block, Block)
        self.blocks.store(node, block, value)
        assert isinstance(value, Block) and value.dfb is not None
        for frame in self.frames:
            frame.tracked.pop(hidden, None)
            frame.owned.discard(hidden)
        self.drop(node, value.dfb, value)
        del env[hidden]

    # ----- helper calls -------------------------------------------------
    def call(self) -> list[Frame]:
        """Before a helper's body: it starts a frame stack of its own (its
        names are not the caller's); the caller's, to give back to `returned`."""
        saved, self.frames = self.frames, [Frame()]
        return saved

    def returned(self, node: ast.AST, what: str, saved: list[Frame], env: Env, result: object) -> object:
        """After a helper's body (its names in `env`): its block variables are
        consumed, except those it returns, which the calling statement takes
        over (`Pending`); a returned expression reading them is stored into
        a scratch DFB first. The caller's frames are back; the result, with
        such expressions replaced by the blocks holding them."""
        frame = self.frames[0]
        self.frames = saved
        owned = [(frame.tracked[n], env[n]) for n in frame.owned if self.is_scratch(env.get(n))]
        held = [v for _, v in owned if isinstance(v, Block)] + [p.value for p in self.pending]

        def keep(leaf: object, _: str) -> object:
            if isinstance(leaf, Block) and leaf.dfb is None and reads(leaf, held):
                dfb = self.allocate(node, what, leaf.shape, leaf.element_type, leaf.row_major,
                                    "after the helper that computes it returns")
                self.push(node, dfb, leaf)
                leaf = self.wait(node, dfb)
                self.pending.append(Pending(dfb, leaf))
            return leaf

        result = map_leaves(result, keep)
        returned_leaves = leaves(result)
        for dfb, value in owned:
            if any(isinstance(leaf, Block) and leaf.dfb is dfb for leaf in returned_leaves):
                assert isinstance(value, Block)
                self.pending.append(Pending(dfb, value))
            else:
                self.drop(node, dfb, value)
        return result

    def take(self, name: str, env: Env) -> None:
        """After `name = ...`: a returned scratch value it now holds is its
        own, kept (and popped) as a block variable of this region."""
        value = env.get(name)
        for p in self.pending[self.mark:]:
            if p.value is value and not any(name in f.tracked for f in self.frames):
                self.pending.remove(p)
                self.frames[-1].tracked[name] = p.dfb
                self.frames[-1].owned.add(name)
                return

    def settle_pending(self, node: ast.AST, since: int = 0) -> None:
        """At the end of a statement: returned values no name took are popped."""
        while len(self.pending) > since:
            p = self.pending.pop()
            self.pop(node, p.dfb)

    def close(self, node: ast.AST, env: Env) -> None:
        """At the end of the thread: the thread body's scratch values consumed."""
        self.release(node, self.frames[0], env)
