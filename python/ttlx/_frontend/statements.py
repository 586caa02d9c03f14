# SPDX-License-Identifier: Apache-2.0
"""Statements and control flow of kernel code: blocks of statements, `with`
on DFB blocks, `if`, `for ... in range(...)`, `enumerate`, `while`, the
early exits `break`, `continue` and `return`, and inlined calls of Python
functions.

Scalars assigned in a loop or branch and used after it become loop-carried
values (`scf.for` iter_args, `scf.while` arguments) and `scf.if` results.
Early exits are flags carried the same way: a statement that may exit
guards the rest of its block with `scf.if (no flag set)`, and a loop with
exits is an `scf.while` whose condition also tests them. `with` releases
its blocks on every path, exits included, so the DFB protocol stays
balanced.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

from ..dialects import arith, scf
from ..ir import Block as IRBlock, InsertionPoint, Operation, Value
from .blocks import BlockTranslator
from .emitter import Emitter, scalar_type
from .expressions import Env, ExpressionTranslator, LocalFunction
from .scalars import ScalarTranslator
from .liveness import live_after
from .scratch import (BlockCarrier, CarriedBlock, InScratch, contents_name, leaves as value_leaves, reads,
                      replaced_name)
from .source import Scope, is_user_function, parse_function
from . import signposts
from .transfers import TransferTranslator
from .unsupported import UNSUPPORTED
from .values import Block, Scalar, is_int

BREAK, CONTINUE, RETURN = "%break", "%continue", "%return"  # never Python names
FLAGS = (BREAK, CONTINUE, RETURN)
RESULT = "%result"  # what a helper returns, set with the RETURN flag
MISSING = object()  # a name a branch does not bind
CARRIED_KINDS = ("index", "i32", "f32", "bf16", "i1")

Finish = Callable[[list[Any], Env], list[Scalar]]
Prologue = Callable[[Env], None]


def exits(stmts: Sequence[ast.AST]) -> set[str]:
    """The flags `stmts` may set: break/continue of the loop they are in
    (not of nested loops), return from anywhere (not nested defs)."""
    found: set[str] = set()
    todo = [(stmt, False) for stmt in stmts]  # (node, inside a nested loop); a stack, not a recursive closure
    while todo:
        node, in_loop = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Break) and not in_loop:
            found.add(BREAK)
        elif isinstance(node, ast.Continue) and not in_loop:
            found.add(CONTINUE)
        elif isinstance(node, ast.Return):
            found.add(RETURN)
        nested = in_loop or isinstance(node, (ast.For, ast.While))
        todo.extend((child, nested) for child in ast.iter_child_nodes(node))
    return found


def returns(stmts: Sequence[ast.AST]) -> Iterator[ast.Return]:
    """The return statements of a function body (not of nested defs)."""
    todo = list(stmts)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return):
            yield node
        if not isinstance(node, (ast.FunctionDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


class _Unmergeable(Exception):
    """Two branches bind a name to values no scf.if result can hold."""


@dataclass
class Merged:
    """A name bound differently by the two branches of an if: its value's
    shape (a leaf, or a tuple/list of shapes) and its leaves, each a
    compile-time constant or a (kind, then value, else value) to yield."""

    name: str
    shape: object
    leaves: list[object]

    def rebuild(self, leaves: list[object]) -> object:
        return _build(self.shape, iter(leaves))


def _build(shape: object, leaves: Iterator[object]) -> object:
    """Merged.rebuild: the value of `shape` with its leaves taken in order."""
    if isinstance(shape, tuple) and shape and shape[0] in (tuple, list):
        return shape[0](_build(s, leaves) for s in shape[1])
    return next(leaves)


def _pair_leaves(a: object, b: object) -> tuple[object, list[tuple[object, object]]]:
    """The common shape of two values (tuples and lists nest) and their
    leaves side by side; MISSING pairs with anything."""
    def seq(v: object) -> bool:
        return isinstance(v, (tuple, list))

    if a is MISSING or b is MISSING:
        known = b if a is MISSING else a
        if isinstance(known, (tuple, list)):
            parts = [_pair_leaves(x if a is not MISSING else MISSING, x if b is not MISSING else MISSING)
                     for x in known]
            return (type(known), [p[0] for p in parts]), [pair for p in parts for pair in p[1]]
        return None, [(a, b)]
    if seq(a) or seq(b):
        if not (seq(a) and seq(b) and type(a) is type(b) and len(a) == len(b)):  # type: ignore[arg-type]
            raise _Unmergeable("tuples of different lengths")
        parts = [_pair_leaves(x, y) for x, y in zip(a, b)]  # type: ignore[call-overload]
        return (type(a), [p[0] for p in parts]), [pair for p in parts for pair in p[1]]
    return None, [(a, b)]


def _kind_of(value: object) -> str | None:
    """The scalar kind a number would have in the IR (None: not a number)."""
    if isinstance(value, Scalar):
        return value.kind
    if isinstance(value, bool):
        return "i1"
    if isinstance(value, int):
        return "index"
    if isinstance(value, float):
        return "f32"
    return None


def assigned_names(stmts: Sequence[ast.stmt]) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.Module(body=list(stmts), type_ignores=[])):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id not in names:
            names.append(node.id)
    return names


class StatementTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator, blocks: BlockTranslator,
                 transfers: TransferTranslator):
        self.em, self.scalars, self.blocks, self.transfers = emitter, scalars, blocks, transfers
        self.carrier = BlockCarrier(emitter, blocks)
        self.expr = ExpressionTranslator(emitter, scalars, blocks, self, self.carrier)
        self.inlining: list[tuple[str, tuple[int, int]]] = []  # functions being inlined, innermost last
        self.current: tuple[Scope, ast.AST] | None = None  # the statement being translated
        self.path: list[tuple[Sequence[ast.stmt], int]] = []  # statement lists being translated, and where
        self.local_functions: list[LocalFunction] = []  # each holds the env that holds it: see release()

    def release(self) -> None:
        """Drops the environments the kernel's local functions closed over.
        Each env holds its function, a reference cycle that would keep the
        compile's objects (and through the thread closures, the call's
        tensors) alive until Python's cycle collector ran."""
        for local in self.local_functions:
            local.env = {}
        self.local_functions.clear()

    # ----- blocks and early exits ------------------------------------------
    def block(self, stmts: Sequence[ast.stmt], env: Env) -> None:
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, (ast.Break, ast.Continue, ast.Return)):
                self.exit(stmt, env)
                return  # the rest of the block is unreachable
            self.path.append((stmts, i))
            mark, self.carrier.mark = self.carrier.mark, len(self.carrier.pending)
            try:
                self.statement(stmt, env)
                self.carrier.settle_pending(stmt, self.carrier.mark)
            finally:
                self.path.pop()
                self.carrier.mark = mark
            rest = stmts[i + 1:]
            if rest and exits([stmt]) & {f for f in FLAGS if f in env}:
                self.emit_if(stmt, self.no_exit(stmt, env), list(rest), [], env)
                return

    def exit(self, stmt: ast.Break | ast.Continue | ast.Return, env: Env) -> None:
        # An explicit acquire (not `with`) whose release this exit skips.
        protocol = self.blocks.protocol
        for held in protocol.held:
            if isinstance(stmt, ast.Return) or held.loop_level >= protocol.loop_level:
                word = type(stmt).__name__.lower()
                line = self.em.scope.position(held.call)[0]
                release = "pop()" if held.acquire == "wait" else "push()"
                raise self.em.error(stmt, f"this {word} skips the {release} of the block from dfb.{held.acquire}() "
                                          f"at line {line}; release it before the {word}, or acquire it with 'with'")
        if isinstance(stmt, ast.Return):
            if stmt.value is not None:
                if not self.inlining:
                    raise self.em.error(stmt, "a thread function returns no value; write its results to tensors "
                                              "with ttl.copy")
                env[RESULT] = self.expr(stmt.value, env)
            env[RETURN] = self.scalars.flag(stmt, True)  # thread functions and helpers set it up
            return
        # Python itself rejects break/continue outside a loop.
        env[BREAK if isinstance(stmt, ast.Break) else CONTINUE] = self.scalars.flag(stmt, True)

    def no_exit(self, node: ast.AST, env: Env) -> Scalar:
        """i1: no exit flag of `env` is set."""
        any_set = self.scalars.fold(node, False, [env[f] for f in FLAGS if f in env])
        return self.scalars.negate_flag(node, any_set)

    # ----- statements ------------------------------------------------------
    def statement(self, stmt: ast.stmt, env: Env) -> None:
        self.current = (self.em.scope, stmt)
        if isinstance(stmt, ast.Assign):
            value = self.expr(stmt.value, env)
            for target in stmt.targets:
                self.assign_tracked(target, value, env)
        elif isinstance(stmt, ast.AugAssign):
            if not isinstance(stmt.target, ast.Name):
                raise self.em.error(stmt, "augmented assignment needs a simple name")
            name = stmt.target.id
            waited = self.carrier.is_waited(env.get(name))
            current = self.expr(stmt.target, env)
            if isinstance(current, Block) and current.acquire == "reserve":
                self.accumulate(stmt, name, env)
                return
            value = self.expr.binop(stmt, stmt.op, current, self.expr(stmt.value, env))
            if waited:  # s += x on a waited block replaces its contents (spec 0.22)
                self.carrier.replace(stmt, name, value, env)
                return
            self.assign_tracked(stmt.target, value, env)
        elif isinstance(stmt, ast.Expr):
            if not self.reserved_call(stmt.value, env):
                self.expr(stmt.value, env)
        elif isinstance(stmt, ast.With):
            self.with_(stmt, env)
        elif isinstance(stmt, ast.For):
            self.for_(stmt, env)
        elif isinstance(stmt, ast.While):
            self.while_(stmt, env)
        elif isinstance(stmt, ast.If):
            self.if_(stmt, env)
        elif isinstance(stmt, ast.Pass):
            pass
        elif isinstance(stmt, ast.FunctionDef):
            if stmt.decorator_list:
                raise self.em.error(stmt, "functions defined in kernel code take no decorators")
            env[stmt.name] = local = LocalFunction(stmt, env, self.em.scope)
            self.local_functions.append(local)
        else:
            what, instead = UNSUPPORTED.get(type(stmt), (f"'{type(stmt).__name__}' statements",
                                                         "use assignments, loops, if/else and with blocks"))
            raise self.em.error(stmt, f"{what} are not supported in kernel code; {instead}")

    def accumulate(self, stmt: ast.AugAssign, name: str, env: Env) -> None:
        """`o += x` on a reserved block: its contents (what `+=` accumulated
        in this reservation, zero before) op x, stored when `o` is pushed."""
        self.carrier.contents(stmt, name, env)
        hidden = contents_name(name)
        current = self.carrier.read(stmt, hidden, env)
        value = self.expr.binop(stmt, stmt.op, current, self.expr(stmt.value, env))
        self.carrier.accumulate(stmt, name, value, env)

    def reserved_call(self, call: ast.expr, env: Env) -> bool:
        """`o.push()` / `o.store(y)` on a reserved block with accumulated
        contents: push stores them first; store replaces them.
        `s.store(y)` on a waited block replaces its contents, `s.pop()`
        drops them first."""
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name)):
            return False
        name, method = call.func.value.id, call.func.attr
        if self.carrier.is_waited(env.get(name)):
            if method == "pop":
                self.carrier.discard(call, name, env)
            elif method == "store" and len(call.args) == 1 and not call.keywords:
                self.carrier.replace(call, name, self.expr(call.args[0], env), env)
                return True
            return False
        if contents_name(name) not in env:
            return False
        if method == "push":
            self.carrier.flush(call, name, env)
        elif method == "store" and len(call.args) == 1 and not call.keywords:
            self.carrier.accumulate(call, name, self.expr(call.args[0], env), env)
            return True
        return False

    def assign_tracked(self, target: ast.expr, value: object, env: Env) -> None:
        """An assignment statement: block variables kept across regions
        store their new value at once (scratch.py)."""
        names = [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        old = {n: env.get(n) for n in names}
        self.assign(target, value, env)
        for n in names:
            self.carrier.assigned(target, n, old[n], env)
            self.carrier.take(n, env)

    def assign(self, target: ast.expr, value: object, env: Env) -> None:
        if isinstance(target, ast.Name):
            if replaced_name(target.id) in env:
                raise self.em.error(target, f"'{target.id}' names a waited block whose contents were replaced "
                                            f"(by {target.id}.store or +=), so it stays that block until it is "
                                            f"popped; give the new value another name")
            env[target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, tuple) and len(value) == len(target.elts):
            for t, v in zip(target.elts, value):
                self.assign(t, v, env)
        else:
            raise self.em.error(target, "only names and tuples of names can be assigned in kernel code")

    # ----- with ------------------------------------------------------------
    def with_(self, stmt: ast.With, env: Env) -> None:
        if signposts.is_signpost(self, stmt, env):
            return signposts.with_signpost(self, stmt, env)
        acquired: list[tuple[Block, ast.expr]] = []
        for item in stmt.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("wait", "reserve")):
                raise self.em.error(call, "'with' takes dfb.wait() or dfb.reserve() in kernel code; other context "
                                          "managers are not supported")
            blk = self.expr(call, env)
            # `with` releases it on every path; held meanwhile (BlockTranslator.acquire)
            self.blocks.protocol.in_with.append(self.blocks.protocol.held.pop())
            acquired.append((blk, call))
            if item.optional_vars is not None:
                self.assign(item.optional_vars, blk, env)
        with self.blocks.scope():
            self.block(stmt.body, env)
            for item in stmt.items:
                if isinstance(item.optional_vars, ast.Name):
                    self.carrier.flush(stmt, item.optional_vars.id, env)
                    self.carrier.discard(stmt, item.optional_vars.id, env)
            self.outlive(stmt, [blk for blk, _ in acquired] + self.blocks.scope_blocks(), env)
        del self.blocks.protocol.in_with[-len(acquired):]
        for blk, call in reversed(acquired):  # on every path, exits included
            assert blk.dfb is not None
            self.blocks.emit_release(call, blk.dfb, "pop" if blk.acquire == "wait" else "push")

    def outlive(self, stmt: ast.With, acquired: Sequence[Block], env: Env) -> None:
        """Before a `with` releases its blocks (and the blocks of the DFBs
        the compiler allocated in it): a block expression reading them that
        a name holds and may be read later is stored into a scratch DFB
        (scratch.py), which later reads read."""
        for name, value in list(env.items()):
            if not any(isinstance(leaf, Block) and leaf.dfb is None and reads(leaf, acquired)
                       for leaf in value_leaves(value)):
                continue
            if name == RESULT or live_after(self.path, name):
                self.carrier.outlive(stmt, name, env, acquired)

    # ----- carried values --------------------------------------------------
    def carried(self, node: ast.AST, stmts: Sequence[ast.stmt], env: Env) -> list[str]:
        """Scalars bound before `stmts` and reassigned in them, and the exit
        flags they may set; Python numbers among them become IR values."""
        names = []
        for n in assigned_names(stmts):
            value = env.get(n)
            if isinstance(value, bool):
                env[n] = self.scalars.flag(node, value)
            elif isinstance(value, int):
                env[n] = self.scalars.index(node, value)
            elif isinstance(value, float):
                env[n] = self.scalars.floatv(node, value)
            elif not isinstance(value, Scalar):
                continue
            if env[n].kind in CARRIED_KINDS:
                names.append(n)
        flags = [f for f in FLAGS if f in env and f in exits(stmts)]
        result = [RESULT] if isinstance(env.get(RESULT), Scalar) and RETURN in flags else []
        return names + flags + result

    def coerce(self, node: ast.AST, value: object, like: Scalar) -> Scalar:
        if isinstance(value, Scalar) and value.type == like.type:
            return value
        if like.kind == "index":
            return self.scalars.index(node, value)
        if like.kind in ("f32", "bf16"):
            return self.scalars.floatv(node, value, like.kind)
        if like.kind == "i1" and isinstance(value, bool):
            return self.scalars.flag(node, value)
        raise self.em.error(node, f"a {like.kind} variable cannot change type inside a loop or branch")

    def region(self, node: ast.AST, block: IRBlock, stmts: Sequence[ast.stmt], env: Env, yields: list[str],
               finish: Finish | None = None, prologue: Prologue | None = None,
               blocks: Sequence[CarriedBlock] = ()) -> None:
        """Translates `stmts` into `block` (in a copy of `env`) and yields
        the values of `yields` (through `finish`); the block variables
        `blocks` go through their scratch DFBs."""
        _, values = self.region_body(node, block, stmts, env, yields, finish, prologue, blocks)
        with InsertionPoint(block), self.em.at(node):
            scf.yield_([v.value for v in values])

    def region_body(self, node: ast.AST, block: IRBlock, stmts: Sequence[ast.stmt], env: Env, yields: list[str],
                    finish: Finish | None = None, prologue: Prologue | None = None,
                    blocks: Sequence[CarriedBlock] = ()) -> tuple[Env, list[Scalar]]:
        """region() up to its scf.yield: the region's env at its end and the
        values of `yields` to yield."""
        with InsertionPoint(block):
            inner = dict(env)
            if prologue:
                prologue(inner)
            with self.blocks.scope():
                self.carrier.begin(blocks)
                self.block(stmts, inner)
                values = [inner[n] for n in yields]
                if finish:
                    values = finish(values, inner)
                self.carrier.end(node, blocks, inner)
        return inner, values

    def casting_back(self, node: ast.AST, names: list[str], env: Env) -> Finish:
        return lambda values, _: [self.coerce(node, v, env[n]) for v, n in zip(values, names)]

    # ----- if --------------------------------------------------------------
    def if_(self, stmt: ast.If, env: Env) -> None:
        cond = self.expr(stmt.test, env)
        if not isinstance(cond, Scalar):  # decided now: translate one branch
            self.block(stmt.body if self.scalars.known_truth(stmt.test, cond) else stmt.orelse, env)
            return
        self.emit_if(stmt, self.scalars.truth(stmt.test, cond), stmt.body, stmt.orelse, env)

    def emit_if(self, node: ast.AST, cond: Scalar, then_stmts: list[ast.stmt], else_stmts: list[ast.stmt],
                env: Env) -> None:
        """scf.if: the scalars both branches may change are its results, and
        so are names first bound in both branches and what a helper returns
        in them (their types known once the branches are translated)."""
        stmts = then_stmts + else_stmts
        results = self.carried(node, stmts, env)
        blocks = self.carrier.enter(node, stmts, env)
        with self.em.at(node):
            op = scf.IfOp(cond.value, [env[n].type for n in results], has_else=bool(results or else_stmts))
        finish = self.casting_back(node, results, env)
        then_env, then_values = self.region_body(node, op.then_block, then_stmts, env, results, finish, blocks=blocks)
        else_env, else_values = env, [env[n] for n in results]
        if op.else_block is not None:  # without one, the scratch DFBs keep their values
            else_env, else_values = self.region_body(node, op.else_block, else_stmts, env, results, finish,
                                                     blocks=blocks)
        late = [n for n in assigned_names(stmts) + [RESULT] if n not in results]
        merged = [m for m in (self.merge(node, n, then_env, else_env) for n in late) if m is not None]
        kinds = [leaf for m in merged for leaf in m.leaves if isinstance(leaf, tuple)]
        branches = [(op.then_block, then_values, 1), (op.else_block, else_values, 2)]
        if kinds and op.else_block is None:
            branches[1] = (op.regions[1].blocks.append(), else_values, 2)
        for block, values, side in branches:
            if block is None:
                continue
            with InsertionPoint(block):
                extra = [self.as_kind(node, leaf[side], leaf[0]) for leaf in kinds]
                with self.em.at(node):
                    scf.yield_([v.value for v in values + extra])
        outputs = list(op.results)
        if kinds:  # an scf.if with more results, holding the translated branches
            with self.em.at(node) as loc:
                grown = Operation.create("scf.if", results=[r.type for r in outputs] + [scalar_type(k[0])
                                                                                         for k in kinds],
                                         operands=[cond.value], regions=2, loc=loc, ip=InsertionPoint(op))
            for region, new in zip(op.regions, grown.regions):
                region.blocks[0].append_to(new)
            op.erase()
            outputs = list(grown.results)
        for i, n in enumerate(results):
            env[n] = Scalar(outputs[i])
        extra_results = iter(outputs[len(results):])
        for m in merged:
            env[m.name] = m.rebuild([Scalar(next(extra_results)) if isinstance(leaf, tuple) else leaf
                                     for leaf in m.leaves])

    def merge(self, node: ast.AST, name: str, then_env: Env, else_env: Env) -> Merged | None:
        """How `name` leaves an if whose branches end with `then_env` and
        `else_env`: None when unchanged or not bound after it; else its
        leaves (numbers, tuples of them), each a constant both branches
        agree on or a (kind, then value, else value) to yield."""
        a, b = then_env.get(name, MISSING), else_env.get(name, MISSING)
        if a is b or (name != RESULT and (a is MISSING or b is MISSING)):
            return None
        if name == RESULT and any(isinstance(v, (Block, InScratch)) for v in value_leaves(a) + value_leaves(b)):
            raise self.em.error(node, "this helper returns a block from inside a branch; bind a block variable "
                                      "before the branch (t = ttl.block.fill(0, shape=...) or blk + 0.0), assign "
                                      "it in the branch and return it after")
        try:
            shape, pairs = _pair_leaves(a, b)
            leaves = [self.leaf(x, y, name == RESULT) for x, y in pairs]
        except _Unmergeable as e:
            if name == RESULT:
                raise self.em.error(node, f"this helper returns {e} on different paths; return values of one "
                                          "kind (numbers, or tuples of numbers of the same length)") from None
            return None  # stays unbound after the if, as before
        return Merged(name, shape, leaves)

    def leaf(self, a: object, b: object, result: bool) -> object:
        """One leaf of a merge: a constant or (kind, a, b)."""
        if a is MISSING or b is MISSING:  # only the helper's result: never read on the other path
            known = b if a is MISSING else a
            return known if not isinstance(known, Scalar) else (known.kind, a, b)
        if not isinstance(a, Scalar) and not isinstance(b, Scalar) and type(a) is type(b) and a == b:
            return a
        kinds = {_kind_of(v) for v in (a, b)}
        if None in kinds:
            raise _Unmergeable("values that are not numbers")
        if kinds == {"index", "i32"} or ("i1" in kinds and len(kinds) > 1):
            raise _Unmergeable(f"{' and '.join(sorted(k for k in kinds if k))} values")
        float_kinds = kinds & {"f32", "bf16"}
        kind = ("bf16" if float_kinds == {"bf16"} and kinds == {"bf16"} else "f32") if float_kinds else kinds.pop()
        return (kind, a, b)

    def as_kind(self, node: ast.AST, value: object, kind: str) -> Scalar:
        if value is MISSING:
            value = False if kind == "i1" else (0.0 if kind in ("f32", "bf16") else 0)
        return self.scalars.as_kind(node, value, kind)

    def guarded(self, node: ast.AST, cond: Scalar, build: Callable[[], object]) -> None:
        """`scf.if cond { build() }`, with nothing flowing out."""
        with self.em.at(node):
            op = scf.IfOp(cond.value)
        with InsertionPoint(op.then_block):
            with self.blocks.scope():
                build()
            with self.em.at(node):
                scf.yield_([])

    # ----- for -------------------------------------------------------------
    def for_(self, stmt: ast.For, env: Env) -> None:
        it, target = stmt.iter, stmt.target
        counter: tuple[str, object] | None = None  # enumerate's name and start
        if (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate"
                and it.args and isinstance(target, ast.Tuple) and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)):
            start = self.expr(it.args[1], env) if len(it.args) > 1 else 0
            start = self.expr(it.keywords[0].value, env) if it.keywords else start
            counter, target, it = (target.elts[0].id, start), target.elts[1], it.args[0]  # type: ignore[attr-defined]
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                and isinstance(target, ast.Name)):
            raise self.em.error(stmt, "kernel loops are 'for NAME in range(...)' or "
                                      "'for I, NAME in enumerate(range(...))'; use while for other conditions")
        if stmt.orelse:
            raise self.em.error(stmt.orelse[0], "'for ... else' is not supported in kernel code; use a flag variable")
        if not 1 <= len(it.args) <= 3 or it.keywords:
            raise self.em.error(it, f"range takes one to three integers (stop, or start, stop[, step]); got "
                                    f"{len(it.args) + len(it.keywords)} arguments")
        bounds = [self.expr(a, env) for a in it.args]
        for b in bounds:
            if not is_int(b):
                raise self.em.error(it, f"range bounds are integers, got {type(b).__name__ if not isinstance(b, Scalar) else 'a ' + b.kind + ' value'}")
        if len(bounds) == 1:
            bounds = [0, bounds[0], 1]
        elif len(bounds) == 2:
            bounds = [bounds[0], bounds[1], 1]
        step_value = bounds[2]
        if isinstance(step_value, int) and step_value <= 0:
            raise self.em.error(it, "range steps in kernel loops are positive")
        lo, hi, step = (self.scalars.index(it, b) for b in bounds)
        name = target.id

        def bind_target(iv: Scalar, body_env: Env) -> None:
            body_env[name] = iv
            if counter is not None:
                with self.em.at(stmt):
                    offset = Scalar(arith.subi(iv.value, lo.value))
                count = self.scalars.floordiv(stmt, offset, step) if step_value != 1 else offset
                body_env[counter[0]] = self.expr.binop(stmt, ast.Add(), count, counter[1])

        if exits(stmt.body) & {BREAK, CONTINUE, RETURN}:
            targets = [name] + ([counter[0]] if counter else [])
            self.for_with_exits(stmt, env, lo, hi, step, bind_target, targets)
            return
        carried = self.carried(stmt, stmt.body, env)
        blocks = self.carrier.enter(stmt, stmt.body, env)
        with self.em.at(stmt):
            op = scf.ForOp(lo.value, hi.value, step.value, [env[n].value for n in carried])
        body_env = dict(env)
        for n, arg in zip(carried, op.inner_iter_args):
            body_env[n] = Scalar(arg)
        self.region(stmt, op.body, stmt.body, body_env, carried, self.casting_back(stmt, carried, env),
                    prologue=lambda inner: bind_target(Scalar(op.induction_variable), inner), blocks=blocks)
        for i, n in enumerate(carried):
            env[n] = Scalar(op.results[i])

    def for_with_exits(self, stmt: ast.For, env: Env, lo: Scalar, hi: Scalar, step: Scalar,
                       bind_target: Callable[[Scalar, Env], None], targets: list[str]) -> None:
        """`for` with break/continue/return: an scf.while over the induction
        variable that also stops on break or return."""
        outer = {f: env.get(f) for f in (BREAK, CONTINUE)}
        env[BREAK] = self.scalars.flag(stmt, False)
        env[CONTINUE] = self.scalars.flag(stmt, False)
        iv_name = " iv"  # not a Python name
        env[iv_name] = lo

        def before(b_env: Env) -> Scalar:
            return self.scalars.compare(stmt, ast.Lt, b_env[iv_name], hi)  # type: ignore[return-value]

        def body(d_env: Env) -> None:
            d_env[CONTINUE] = self.scalars.flag(stmt, False)
            bind_target(d_env[iv_name], d_env)

        def after(d_env: Env) -> None:
            with self.em.at(stmt):
                d_env[iv_name] = Scalar(arith.addi(d_env[iv_name].value, step.value))

        self.blocks.protocol.loop_level += 1
        self.emit_while(stmt, env, stmt.body, [iv_name], before, body, after, targets)
        self.blocks.protocol.loop_level -= 1
        del env[iv_name]
        self.restore_flags(env, outer)

    @staticmethod
    def restore_flags(env: Env, outer: dict[str, Any]) -> None:
        for f, value in outer.items():
            if value is None:
                env.pop(f, None)
            else:
                env[f] = value

    # ----- while -----------------------------------------------------------
    def while_(self, stmt: ast.While, env: Env) -> None:
        if stmt.orelse:
            raise self.em.error(stmt.orelse[0], "'while ... else' is not supported in kernel code; use a flag "
                                                "variable")
        outer = {f: env.get(f) for f in (BREAK, CONTINUE)}
        env[BREAK] = self.scalars.flag(stmt, False)
        env[CONTINUE] = self.scalars.flag(stmt, False)

        def before(b_env: Env) -> Scalar:
            cond = self.expr(stmt.test, b_env)
            if not isinstance(cond, Scalar):
                return self.scalars.flag(stmt, self.scalars.known_truth(stmt.test, cond))
            return self.scalars.truth(stmt.test, cond)

        def body(d_env: Env) -> None:
            d_env[CONTINUE] = self.scalars.flag(stmt, False)

        self.blocks.protocol.loop_level += 1
        self.emit_while(stmt, env, stmt.body, [], before, body, None)
        self.blocks.protocol.loop_level -= 1
        self.restore_flags(env, outer)

    def emit_while(self, node: ast.AST, env: Env, stmts: list[ast.stmt], fixed: list[str],
                   before: Callable[[Env], Scalar], prologue: Prologue | None, epilogue: Prologue | None,
                   targets: Sequence[str] = ()) -> None:
        """scf.while carrying `fixed` names, the scalars `stmts` assign and
        the exit flags: `before(env)` gives the loop condition (break and
        return are added to it), `prologue`/`epilogue` run around the body
        (which binds the loop's `targets`)."""
        self.type_result(node, stmts, env, targets)
        changing = self.carrier.names(stmts, env)
        if changing:
            raise self.em.error(node, f"block variable '{changing[0]}' changes in a loop with break, continue, "
                                      "return or a while condition; keep it in a 'for' loop without early exits "
                                      "or store it into a DFB in each iteration")
        self.carrier.read_before(node, stmts, env)
        carried = [n for n in self.carried(node, stmts, env) if n != CONTINUE]
        carried = fixed + [n for n in carried if n not in fixed]
        for f in (BREAK, RETURN):
            if f in env and f not in carried:
                carried.append(f)

        # index values cross the loop boundary as i64: upstream's SCF to
        # EmitC conversion of scf.while mistypes index (size_t) arguments.
        def boundary(v: Scalar) -> Scalar:
            if v.kind != "index":
                return v
            with self.em.at(node):
                return Scalar(arith.index_cast(scalar_type("i64"), v.value))

        def inside(value: Value, like: Scalar) -> Scalar:
            if like.kind != "index":
                return Scalar(value)
            with self.em.at(node):
                return Scalar(arith.index_cast(scalar_type("index"), value))

        inits = [boundary(env[n]) for n in carried]
        types = [v.type for v in inits]
        with self.em.at(node) as loc:
            op = scf.WhileOp(types, [v.value for v in inits])
            before_block = op.before.blocks.append(*types, arg_locs=[loc] * len(types))
            after_block = op.after.blocks.append(*types, arg_locs=[loc] * len(types))

        with InsertionPoint(before_block):
            b_env = dict(env)
            for arg, n in zip(before_block.arguments, carried):
                b_env[n] = inside(arg, env[n])
            cond = before(b_env)
            if any(f in b_env for f in (BREAK, RETURN)):
                stay = self.no_exit(node, {f: b_env[f] for f in (BREAK, RETURN) if f in b_env})
                cond = self.scalars.fold(node, True, [cond, stay])
            with self.em.at(node):
                scf.condition(cond.value, list(before_block.arguments))

        def enter(inner: Env) -> None:
            for arg, n in zip(after_block.arguments, carried):
                inner[n] = inside(arg, env[n])
            if prologue:
                prologue(inner)

        def finish(values: list[Any], inner: Env) -> list[Scalar]:
            if epilogue:
                epilogue(inner)
            return [boundary(self.coerce(node, inner[n], env[n])) for n in carried]

        self.region(node, after_block, stmts, env, carried, finish, prologue=enter)
        for i, n in enumerate(carried):
            env[n] = inside(op.results[i], env[n])

    def type_result(self, node: ast.AST, stmts: Sequence[ast.stmt], env: Env, targets: Sequence[str]) -> None:
        """A helper that returns a value from inside a loop carries it
        through the loop: its kind must be known before the loop, from the
        returned expressions (numbers, the loop's own variables, scalars
        bound before the loop)."""
        values = [r.value for r in returns(stmts) if r.value is not None]
        if not values or isinstance(env.get(RESULT), Scalar):
            return
        kinds = set()
        for v in values:
            kind = None
            if isinstance(v, ast.Constant):
                kind = _kind_of(v.value)
            elif isinstance(v, ast.Name):
                kind = "index" if v.id in targets else _kind_of(env.get(v.id, MISSING))
            if kind is None:
                raise self.em.error(v, "a helper returns a value from inside a loop only when its type is clear "
                                       "before the loop (a number, the loop variable or a scalar bound before "
                                       "it); assign the value to a variable before the loop, set it and break, "
                                       "and return the variable after the loop")
            kinds.add(kind)
        if len(kinds) > 1 and not kinds <= {"index", "f32", "bf16"}:
            raise self.em.error(node, f"this loop returns {' and '.join(sorted(kinds))} values; return one kind")
        kind = next(iter(kinds)) if len(kinds) == 1 else "f32"
        known = env.get(RESULT, MISSING)
        env[RESULT] = self.as_kind(node, known if _kind_of(known) is not None else MISSING, kind)

    # ----- inlined functions -----------------------------------------------
    def call_function(self, node: ast.AST, fn: object, args: list[object],
                      kwargs: dict[str, object] | None = None) -> object:
        """Calls a kernel-code `def` or a Python helper function by inlining it."""
        kwargs = kwargs or {}
        if isinstance(fn, LocalFunction):
            return self.inline(node, fn.node, fn.scope, fn.env, args, kwargs)
        if is_user_function(fn):
            name = getattr(fn, "__name__", "")
            if name == "<lambda>":
                raise self.em.error(node, "lambdas are not supported in kernel code; define the function with def")
            try:
                scope, fn_def = parse_function(fn)  # type: ignore[arg-type]
            except (OSError, TypeError):
                raise self.em.error(node, f"cannot inline '{name}': its source is not available") from None
            assert isinstance(fn_def, ast.FunctionDef)
            return self.inline(node, fn_def, scope, {}, args, kwargs, list(getattr(fn, "__defaults__", None) or ()))
        raise self.em.error(node, f"'{getattr(fn, '__name__', type(fn).__name__)}' is not a function kernel code "
                                  "can call")

    def inline(self, node: ast.AST, fn_def: ast.FunctionDef, scope: Scope, env: Env, args: list[object],
               kwargs: dict[str, object], defaults: list[object] | None = None) -> object:
        """Translates a call of a Python function in place: its parameters
        bound to the arguments, its locals its own; a final `return` gives
        the value of the call."""
        key = (scope.file, scope.position(fn_def))
        if key in self.inlining:
            raise self.em.error(node, f"'{fn_def.name}' calls itself; recursion is not supported in kernel code")
        params = fn_def.args
        if params.vararg or params.kwarg or params.kwonlyargs or params.posonlyargs:
            raise self.em.error(node, f"'{fn_def.name}' has *args, **kwargs or keyword-only parameters; kernel "
                                      "helpers take plain parameters")
        names = [a.arg for a in params.args]
        if len(args) > len(names) or any(k not in names for k in kwargs):
            raise self.em.error(node, f"'{fn_def.name}' takes parameters ({', '.join(names)})")
        saved = self.em.scope
        self.em.scope = scope
        try:
            bound: Env = dict(zip(names, args))
            bound.update(kwargs)
            if defaults is None:
                defaults = [self.expr(d, env) for d in params.defaults]
            for n, d in zip(names[len(names) - len(defaults):], defaults):
                bound.setdefault(n, d)
            missing = [n for n in names if n not in bound]
            if missing:
                self.em.scope = saved
                raise self.em.error(node, f"call of '{fn_def.name}' misses argument(s) {', '.join(missing)}")
            local = {k: v for k, v in env.items() if not k.startswith("%")}  # not the caller's exits
            local.update(bound)
            self.inlining.append(key)
            body: list[ast.stmt] = fn_def.body
            tail: ast.Return | None = None
            last = body[-1] if body else None
            if isinstance(last, ast.Return) and last.value is not None and RETURN not in exits(body[:-1]):
                body, tail = body[:-1], last  # one return, at the end: its value is the call's
            if RETURN in exits(body):  # early returns: a flag guards the rest, RESULT holds the value
                local[RETURN] = self.scalars.flag(fn_def, False)
            # Liveness (outlive) looks no further than the helper's final return.
            saved_path, self.path = self.path, [([tail if tail is not None else ast.Pass()], -1)]
            frames = self.carrier.call()
            try:
                self.block(body, local)
            finally:
                self.path = saved_path
            result = self.expr(tail.value, local) if tail is not None and tail.value is not None else None
            if tail is None:
                result = self.carrier.read(fn_def, RESULT, local) if RESULT in local else None
            result = self.carrier.returned(node, f"{fn_def.name}(...)", frames, local, result)
            self.inlining.pop()
            return result
        finally:
            self.em.scope = saved
