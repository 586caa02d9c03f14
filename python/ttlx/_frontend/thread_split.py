# SPDX-License-Identifier: Apache-2.0
"""Thread assignment of a unified operation body (tt-lang spec 0.19).

The runtime statements of an operation body (what `unified.py` did not run
in Python) are split into the bodies of three thread functions, which the
translator then compiles as if the user had written them:

- block expressions and `store` run on the compute thread;
- copies run on a data-movement thread: pipe receives and tensor reads on
  the reader (dm0), pipe sends and tensor writes on the writer (dm1);
  element access and other data-movement work on the reader;
- `wait` / `reserve` follow the users of the block they acquire; a
  `wait` of a tensor-backed DFB that nothing uses (an output popped) runs
  on the writer;
- a `ttl.GroupTransfer()` goes with the first transfer added to it, and
  its `wait_all()` with it; `ttl.wait_any` with the pipe receives (the
  reader); `ttl.Semaphore` calls run on the reader (data movement);
- loops, branches, index arithmetic and helper `def`s are shared: each
  thread gets the ones it needs, with their bodies filtered to its work.

Statements keep their AST nodes (so every later error stays at the user's
line); replicated statements are deep copies.
"""

from __future__ import annotations

import ast
import builtins
import copy
import types
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

from ..lang import api
from ..lang.errors import KernelError
from ..lang.operation import DataflowBuffer
from ..lang.pipes import PipeNet
from ..lang.ttnn import Tensor
from .source import Scope, is_user_function, parse_function

READER, COMPUTE, WRITER = "reader", "compute", "writer"
THREADS = (READER, COMPUTE, WRITER)  # module order: the first data-movement function runs on dm0
DM_TAGS = frozenset({"tensor_read", "tensor_write", "pipe_recv", "pipe_send", "dm"})
LABEL = {READER: "the reader data-movement thread", COMPUTE: "the compute thread",
         WRITER: "the writer data-movement thread"}

# Kernel API calls that are data movement without a direction.
_DM_CALLS = {"element_read", "element_write", "raw_element_read", "raw_element_write", "read_index", "wait_any"}
# Kernel API calls every thread may make.
_NEUTRAL_CALLS = {"node", "grid_size", "i32", "f32", "bf16", "signpost", "dfb_descriptor", "get_dfb_id",
                  "DFBAccess.inspect", "DFBAccess.interface_preserved", "DFBEffect.reserve", "DFBEffect.push",
                  "DFBEffect.wait", "DFBEffect.pop", "DFBEffect.repeat", "raw_addr"}


# Statements a thread runs only when it needs what they bind or holds work
# inside them; any other statement of no thread runs on every thread.
_PLACED_BY_USE = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.FunctionDef, ast.With, ast.For, ast.While, ast.If,
                  ast.Break, ast.Continue, ast.Return, ast.Pass)


class Expand(ast.stmt):
    """A composed operation's call, expanded in place: its own statements,
    scope and names (`unified.py` builds the unit)."""

    _fields = ()

    def __init__(self, call: ast.stmt, unit: "Unit"):
        super().__init__()
        self.call, self.unit = call, unit
        ast.copy_location(self, call)


@dataclass
class Unit:
    """The runtime statements of one operation body (the top one or an
    expanded composed operation), with the names its Python part bound."""

    name: str
    scope: Scope
    body: list[ast.stmt]


@dataclass(eq=False)
class Var:
    """One binding of a name in kernel code."""

    name: str
    kind: str  # block (from wait/reserve), expr (a block expression), handle, pipe, function, group, value
    site: ast.AST
    acquire: bool = False
    thread: str | None = None
    owner: "Info | None" = None  # the statement that binds it
    tags: dict[str, ast.AST] = field(default_factory=dict)  # work of the users of an acquired block -> first user


@dataclass(eq=False)
class Info:
    """What one statement (or a compound statement's header) does."""

    node: ast.stmt
    tags: dict[str, ast.AST] = field(default_factory=dict)  # work -> the node doing it
    uses: list[Var] = field(default_factory=list)
    defs: list[Var] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every name it reads
    children: list[list["Info"]] = field(default_factory=list)  # bodies of a compound statement
    thread: str | None = None
    kept: set[str] = field(default_factory=set)


@dataclass
class Value:
    kind: str
    tags: dict[str, ast.AST]
    uses: list[Var]


_NONE = object()


def split(unit: Unit) -> dict[str, list[ast.stmt]]:
    """The statements of each thread; threads with nothing to run are left
    out. Raises KernelError at the statement that breaks a rule."""
    plan = _Splitter(unit)
    try:
        return plan.run()
    except KernelError:
        raise
    except Exception as e:  # a gap in ttlx, not in the user's code: located, never a raw exception
        node = plan.current or (unit.body[0] if unit.body else None)
        where = plan.scope.position(node) if node is not None else (plan.scope.first_line, 1)
        raise KernelError(f"ttlx cannot assign this statement to a thread ({type(e).__name__}: {e}); please report "
                          "it with the kernel", plan.scope.file, *where) from None


class _Splitter:
    def __init__(self, unit: Unit):
        self.unit = unit
        self.scope = unit.scope
        self.infos: list[Info] = []  # every statement, in source order
        self.expansions: dict[int, dict[str, list[ast.stmt]]] = {}
        self.depth = 0  # helpers being looked into
        self.pending: dict[str, list[ast.stmt]] = {}  # handle name -> releases due after its wait()
        self.current: ast.stmt | None = None  # the statement being looked at

    # ----- errors ------------------------------------------------------------
    def error(self, node: ast.AST, message: str) -> KernelError:
        return KernelError(message, self.scope.file, *self.scope.position(node))

    def line(self, node: ast.AST) -> int:
        return self.scope.position(node)[0]

    # ----- entry -------------------------------------------------------------
    def run(self) -> dict[str, list[ast.stmt]]:
        body = self.walk(self.unit.body, {})
        for info in self.infos:
            self.check_mixing(info)
        for info in self.infos:
            self.propagate(info)
        self.resolve_acquires()
        self.assign(body, None)
        self.print_threads(body)
        present = {t for i in self.infos for t in ([i.thread] if i.thread else [])}
        present |= {v.thread for i in self.infos for v in i.defs if v.acquire and v.thread}
        for info in self.infos:
            if isinstance(info.node, Expand):
                present |= set(self.expansions[id(info.node)])
        result = {}
        for thread in THREADS:
            if thread not in present:
                continue
            self.keep(body, thread)
            for info in _flatten(body):
                if thread in info.kept and info.thread not in (None, thread):
                    raise self.error(info.node, f"this {_header_word(info.node)} depends on a value of "
                                                f"{LABEL[info.thread]}, but a break, continue or return inside "
                                                f"it also ends work of {LABEL[thread]}; compute the condition on "
                                                "every thread that needs it")
            stmts = self.emit(body, thread)
            if stmts:
                result[thread] = stmts
        return result

    # ----- 1. what each statement does -----------------------------------------
    def walk(self, stmts: Sequence[ast.stmt], env: dict[str, Var]) -> list[Info]:
        return [self.statement(s, env) for s in stmts]

    def statement(self, stmt: ast.stmt, env: dict[str, Var]) -> Info:
        self.current = stmt
        info = Info(stmt)
        self.infos.append(info)
        if isinstance(stmt, Expand):
            self.expansions[id(stmt)] = split(stmt.unit)
            return info
        if isinstance(stmt, ast.Assign):
            value = self.expr(stmt.value, env, info)
            for target in stmt.targets:
                self.bind(target, value, stmt.value, env, info)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.expr(stmt.value, env, info), stmt.value, env, info)
        elif isinstance(stmt, ast.AugAssign):
            lhs = self.expr(stmt.target, env, info)
            rhs = self.expr(stmt.value, env, info)
            if _is_block(lhs) or _is_block(rhs):
                info.tags.setdefault("compute", stmt)
            if isinstance(stmt.target, ast.Name) and stmt.target.id in env:
                info.defs.append(env[stmt.target.id])
        elif isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Call) and self.operation_call(stmt.value, env) is not None:
                raise self.error(stmt, "composed operations are expanded only at the top level of an operation "
                                       "body, with arguments known when it is defined; move this call out of "
                                       "the loop, branch or with block")
            self.expr(stmt.value, env, info)
        elif isinstance(stmt, ast.With):
            for item in stmt.items:
                value = self.expr(item.context_expr, env, info)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, item.context_expr, env, info)
            info.children = [self.walk(stmt.body, env)]
        elif isinstance(stmt, ast.For):
            self.expr(stmt.iter, env, info)
            self.bind(stmt.target, Value("value", {}, list(info.uses)), stmt.iter, env, info)
            info.children = [self.walk(stmt.body, env), self.walk(stmt.orelse, env)]
        elif isinstance(stmt, ast.While):
            self.expr(stmt.test, env, info)
            info.children = [self.walk(stmt.body, env), self.walk(stmt.orelse, env)]
        elif isinstance(stmt, ast.If):
            self.expr(stmt.test, env, info)
            info.children = [self.walk(stmt.body, env), self.walk(stmt.orelse, env)]
        elif isinstance(stmt, ast.FunctionDef):
            var = Var(stmt.name, "function", stmt, owner=info)
            for name in _free_names(stmt):
                info.names.add(name)
                if name in env:
                    info.uses.append(env[name])
            env[stmt.name] = var
            info.defs.append(var)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            self.expr(stmt.value, env, info)
        elif not isinstance(stmt, _PLACED_BY_USE):  # assert, del, ...: the translator says what to write
            for child in ast.iter_child_nodes(stmt):
                if isinstance(child, ast.expr):
                    self.expr(child, env, info)
        return info

    def bind(self, target: ast.expr, value: Value, source: ast.expr, env: dict[str, Var], info: Info) -> None:
        if isinstance(target, ast.Name):
            if value.kind == "alias":
                var = value.uses[-1]
            else:
                kind = "block" if value.kind == "acquire" else value.kind
                var = Var(target.id, kind, source, acquire=value.kind == "acquire", owner=info)
            env[target.id] = var
            info.defs.append(var)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self.bind(elt, Value("value", {}, []), source, env, info)
        else:
            self.expr(target, env, info)

    def expr(self, node: ast.expr, env: dict[str, Var], info: Info) -> Value:
        """The kind of value `node` makes, the work it does (recorded in
        `info`) and the bindings it reads."""
        result = self._expr(node, env, info)
        for tag, where in result.tags.items():
            info.tags.setdefault(tag, where)
        for var in result.uses:
            if var not in info.uses:
                info.uses.append(var)
        return result

    def _expr(self, node: ast.expr, env: dict[str, Var], info: Info) -> Value:
        if isinstance(node, ast.Name):
            info.names.add(node.id)
            if node.id in env:
                var = env[node.id]
                return Value("alias" if var.kind in ("block", "expr") else var.kind, {}, [var])
            return Value(_host_kind(self.host(node)), {}, [])
        if isinstance(node, ast.Call):
            return self.call(node, env, info)
        if isinstance(node, ast.Subscript):
            base = self._expr(node.value, env, info)
            index = self._expr(node.slice, env, info)
            kind = "slice" if base.kind == "tensor" else "dfb" if base.kind == "dfbs" else "value"
            return Value(kind, {**base.tags, **index.tags}, base.uses + index.uses)
        if isinstance(node, ast.Attribute):
            base = self._expr(node.value, env, info)
            if base.kind == "host":
                return Value(_host_kind(self.host(node)), base.tags, base.uses)
            return Value("value", base.tags, base.uses)
        parts = [self._expr(c, env, info) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        tags: dict[str, ast.AST] = {}
        uses: list[Var] = []
        for p in parts:
            tags.update({k: v for k, v in p.tags.items() if k not in tags})
            uses += p.uses
        if isinstance(node, (ast.BinOp, ast.UnaryOp)) and any(p.kind in ("alias", "acquire", "expr", "block")
                                                              and _is_block(p) for p in parts):
            tags.setdefault("compute", node)
            return Value("expr", tags, uses)
        return Value("value", tags, uses)

    def call(self, node: ast.Call, env: dict[str, Var], info: Info) -> Value:
        args = [self._expr(a, env, info) for a in node.args]
        kwargs = [self._expr(k.value, env, info) for k in node.keywords]
        tags: dict[str, ast.AST] = {}
        uses: list[Var] = []
        for a in args + kwargs:
            tags.update({k: v for k, v in a.tags.items() if k not in tags})
            uses += a.uses
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = self._expr(func.value, env, info)
            uses += receiver.uses
            tags.update({k: v for k, v in receiver.tags.items() if k not in tags})
            method = func.attr
            if receiver.kind == "dfb" and method in ("wait", "reserve"):
                return Value("acquire", tags, uses)
            if _is_block(receiver) and method == "store":
                tags.setdefault("compute", node)
                return Value("value", tags, uses)
            if _is_block(receiver) or receiver.kind == "handle":
                return Value("value", tags, uses)  # push, pop, handle.wait(): the block's or copy's thread
            if receiver.kind == "net" and method in ("if_src", "if_dst"):
                for callback in node.args:
                    self.callback(callback, env, info, tags, uses)
                return Value("value", tags, uses)
            if receiver.kind in ("dfb", "kernel-object"):
                tags.setdefault("dm", node)
                return Value("value", tags, uses)
            if receiver.kind != "host":
                return Value("value", tags, uses)
        target = self.host(func) if not (isinstance(func, ast.Name) and func.id in env) else _NONE
        if isinstance(func, ast.Name) and func.id in env:
            var = env[func.id]
            uses.append(var)
            if var.kind == "function":
                self.helper(var.site, env, info, tags, uses)
            return Value("value", tags, uses)
        from ..lang.operation import Operation

        if isinstance(target, Operation):
            raise self.error(node, f"a call of the operation '{target.__name__}' is a statement of its own, not a "
                                   "value: composed operations return nothing (their outputs are the tensors and "
                                   "dataflow buffers passed to them)")
        if target is api.copy:
            return self.copy_kind(node, args, tags, uses)
        if _in_namespace(target, api.math) or _in_namespace(target, api.block):
            tags.setdefault("compute", node)
            return Value("expr", tags, uses)
        name = getattr(target, "__name__", "")
        if _is_api(target) and name in _DM_CALLS:
            tags.setdefault("dm", node)
            return Value("value", tags, uses)
        if target is print:
            tags.setdefault("print", node)
            return Value("value", tags, uses)
        if target is api.GroupTransfer:  # on the thread of the first transfer added to it
            return Value("group", tags, uses)
        if target is api.call_extern_func:
            tags.setdefault(self.extern_thread(node), node)
            return Value("value", tags, uses)
        if _is_api(target) and name not in _NEUTRAL_CALLS:
            raise self.error(node, f"ttlx cannot tell which thread runs ttl.{name} in a unified operation body; "
                                   "write it in a multi-kernel operation (@ttl.compute / @ttl.datamovement)")
        if is_user_function(target):
            try:
                scope, fn_def = parse_function(target)  # type: ignore[arg-type]
            except (OSError, TypeError):
                return Value("value", tags, uses)
            if isinstance(fn_def, ast.FunctionDef):
                saved, self.scope = self.scope, scope
                try:
                    self.helper(fn_def, {}, info, tags, uses)
                finally:
                    self.scope = saved
        if _is_kernel_class(target):
            return Value("kernel-object", tags, uses)
        return Value("expr" if "compute" in tags else "value", tags, uses)

    def extern_thread(self, node: ast.Call) -> str:
        """The tag of a user C++ call: its `kernel=` says the thread (the
        compiler does not read the C++)."""
        from ..lang.operation import Kernel, KernelKind

        selector = next((k.value for k in node.keywords if k.arg == "kernel"), None)
        if selector is None:
            raise self.error(node, "ttl.call_extern_func in a unified operation body needs kernel=ttl.KernelKind."
                                   "COMPUTE or kernel=ttl.KernelKind.DATA_MOVEMENT: ttlx does not read the C++ to "
                                   "tell which thread runs it")
        value = self.host(selector)
        kinds = {v.kind if isinstance(v, Kernel) else v for v in (value if isinstance(value, tuple) else (value,))}
        if kinds == {KernelKind.COMPUTE}:
            return "compute"
        if kinds == {KernelKind.DATA_MOVEMENT}:
            return "dm"
        raise self.error(node, "kernel= of ttl.call_extern_func selects one kind of thread in ttlx "
                               "(ttl.KernelKind.COMPUTE or ttl.KernelKind.DATA_MOVEMENT, or a ttl.Kernel of one); "
                               "for a call in both, write one call per kind")

    def copy_kind(self, node: ast.Call, args: list[Value], tags: dict[str, ast.AST], uses: list[Var]) -> Value:
        if len(args) == 2:
            src, dst = args
            if src.kind == "expr" or (src.kind == "alias" and src.uses and src.uses[-1].kind == "expr"):
                raise self.error(node, "this copy moves a block expression: a statement runs on one thread, and "
                                       "block expressions run on the compute thread while copies run on a "
                                       "data-movement thread; store the computed block into a dataflow buffer "
                                       "(reserve, store, push) and copy from a block waited on from there")
            if dst.kind == "pipe":
                tags.setdefault("pipe_send", node)
            elif src.kind == "pipe":
                tags.setdefault("pipe_recv", node)
            elif dst.kind == "slice" or dst.kind == "tensor":
                tags.setdefault("tensor_write", node)
            else:
                tags.setdefault("tensor_read", node)
        else:
            tags.setdefault("dm", node)
        return Value("handle", tags, uses)

    def callback(self, arg: ast.expr, env: dict[str, Var], info: Info, tags: dict[str, ast.AST],
                 uses: list[Var]) -> None:
        """The condition body of `net.if_src` / `net.if_dst`: its parameter
        is a pipe."""
        if isinstance(arg, ast.Name) and arg.id in env and env[arg.id].kind == "function":
            var = env[arg.id]
            self.helper(var.site, env, info, tags, uses, pipes=True)
        elif isinstance(arg, ast.Lambda):
            raise self.error(arg, "lambdas are not supported in kernel code; define the function with def")

    def helper(self, fn_def: ast.AST, env: dict[str, Var], info: Info, tags: dict[str, ast.AST], uses: list[Var],
               pipes: bool = False) -> None:
        """A call of a `def` or helper: its work is the caller's, located at
        the call."""
        assert isinstance(fn_def, ast.FunctionDef)
        local = dict(env)
        for a in fn_def.args.args:
            local[a.arg] = Var(a.arg, "pipe" if pipes else "param", a)
        inner = Info(fn_def)
        if self.depth > 20:  # a helper calling itself: the translator reports the recursion
            return
        self.depth += 1
        try:
            for stmt in fn_def.body:
                self._helper_statement(stmt, local, inner)
        finally:
            self.depth -= 1
        for tag in inner.tags:
            tags.setdefault(tag, info.node)
        for var in inner.uses:
            if var.kind != "param" and var.kind != "pipe" and var not in uses:
                uses.append(var)

    def _helper_statement(self, stmt: ast.stmt, env: dict[str, Var], info: Info) -> None:
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.expr):
                self.expr(child, env, info)
            elif isinstance(child, ast.stmt):
                self._helper_statement(child, env, info)
            elif isinstance(child, ast.withitem):
                value = self.expr(child.context_expr, env, info)
                if isinstance(child.optional_vars, ast.Name):
                    env[child.optional_vars.id] = Var(child.optional_vars.id, "block" if value.kind == "acquire"
                                                      else value.kind, child)
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name) and target.id not in env:
                    env[target.id] = Var(target.id, "value", stmt)

    def operation_call(self, call: ast.Call, env: dict[str, Var]) -> object | None:
        from ..lang.operation import Operation

        if isinstance(call.func, ast.Name) and call.func.id in env:
            return None
        target = self.host(call.func)
        return target if isinstance(target, Operation) else None

    def host(self, node: ast.expr) -> Any:
        """The Python value of a name or attribute chain the operation's
        Python part bound, or _NONE."""
        if isinstance(node, ast.Name):
            for names in (self.scope.closure, self.scope.globals, vars(builtins)):
                if node.id in names:
                    return names[node.id]
            return _NONE
        if isinstance(node, ast.Attribute):
            base = self.host(node.value)
            if base is _NONE:
                return _NONE
            try:
                return getattr(base, node.attr)
            except Exception:  # an unknown name: the translator reports it at its line
                return _NONE
        return _NONE

    # ----- 2. blocks follow their users ------------------------------------------
    def propagate(self, info: Info) -> None:
        for var in info.uses:
            if var.acquire and var.owner is not info:
                for tag, where in info.tags.items():
                    if tag != "print":
                        var.tags.setdefault(tag, where)

    def resolve_acquires(self) -> None:
        for info in self.infos:
            for var in info.defs:
                if var.acquire and var.owner is info:
                    var.thread = self.thread_of(var.tags, var.site, f"the block '{var.name}'")
                    if var.thread is None and self.is_tensor_backed_wait(var.site):
                        var.thread = WRITER  # an output's blocks, waited and popped where data moves
                    if var.thread is None:
                        raise self.error(var.site, f"no statement using the block '{var.name}' says which thread "
                                                   "acquires it: a block is used by a block expression or store "
                                                   "(compute) or by a copy (data movement); use the block or "
                                                   "remove the acquisition")

    def is_tensor_backed_wait(self, site: ast.AST) -> bool:
        """`dfb.wait()` of a tensor-backed DFB (an operation's output: its
        blocks are the tensor, so the consumer only pops them)."""
        if not (isinstance(site, ast.Call) and isinstance(site.func, ast.Attribute) and site.func.attr == "wait"):
            return False
        dfb = self.host(site.func.value)
        return isinstance(dfb, DataflowBuffer) and dfb.backing is not None

    def thread_of(self, tags: dict[str, ast.AST], site: ast.AST, what: str) -> str | None:
        work = {t for t in tags if t != "print"}
        if "compute" in work and work & DM_TAGS:
            dm = next(t for t in ("pipe_send", "pipe_recv", "tensor_write", "tensor_read", "dm") if t in work)
            raise self.error(site, f"{what} is used by compute work (line {self.line(tags['compute'])}) and by "
                                   f"data movement (line {self.line(tags[dm])}); a block belongs to one thread: "
                                   "store computed results into a block of their own dataflow buffer and copy "
                                   "from a block waited on from there")
        if "pipe_send" in work and "pipe_recv" in work:
            raise self.error(site, f"{what} is received from a pipe (line {self.line(tags['pipe_recv'])}) and sent "
                                   f"to a pipe (line {self.line(tags['pipe_send'])}); pipe receives and sends run "
                                   "on different data-movement threads: receive into one dataflow buffer and send "
                                   "from another")
        if "compute" in work:
            return COMPUTE
        if "pipe_recv" in work:
            return READER
        if "pipe_send" in work:
            return WRITER
        if "tensor_read" in work or "dm" in work:
            return READER
        if "tensor_write" in work:
            return WRITER
        return None

    # ----- 3. the thread of each statement ----------------------------------------
    def assign(self, infos: list[Info], header: Info | None) -> None:
        for info in infos:
            self.assign_one(info)
            for body in info.children:
                self.assign(body, info)
            if info.children and info.thread is not None:
                stray = next((i for body in info.children for i in _flatten(body)
                              if i.thread is not None and i.thread != info.thread), None)
                if stray is not None and stray.thread is not None:
                    what = _header_word(info.node)
                    raise self.error(info.node, f"this {what} depends on a value of {LABEL[info.thread]}, but its "
                                                f"body has work of {LABEL[stray.thread]} (line "
                                                f"{self.line(stray.node)}); compute the value on every thread "
                                                "that needs it, or split the work")

    def check_mixing(self, info: Info) -> None:
        work = info.tags
        if "compute" in work and work.keys() & DM_TAGS:
            dm = next(t for t in ("pipe_send", "pipe_recv", "tensor_write", "tensor_read", "dm") if t in work)
            raise self.error(info.node, f"this statement mixes compute (line {self.line(work['compute'])}) and data "
                                        f"movement (line {self.line(work[dm])}); a statement runs on one thread: "
                                        "store the computed block into a dataflow buffer and copy from there")

    def assign_one(self, info: Info) -> None:
        if isinstance(info.node, Expand):
            return
        threads: dict[str, Var] = {}
        for var in info.uses:
            t = var.thread
            if t is not None and var.owner is not info:
                threads.setdefault(t, var)
        work = {k: v for k, v in info.tags.items() if k != "print"}
        if len(threads) > 1:
            (t1, v1), (t2, v2) = list(threads.items())[:2]
            raise self.error(info.node, f"this statement uses '{v1.name}' of {LABEL[t1]} and '{v2.name}' of "
                                        f"{LABEL[t2]}; a statement runs on one thread")
        own = self.thread_of(work, info.node, "this statement") if work else None
        used = next(iter(threads), None)
        if own is not None and used is not None and own != used:
            if own == COMPUTE or used == COMPUTE:
                var = threads[used]
                raise self.error(info.node, f"this statement does work of {LABEL[own]} on '{var.name}', which "
                                            f"belongs to {LABEL[used]}; store computed results into a block of "
                                            "their own dataflow buffer and copy from there")
            own = used  # data movement: the thread of the block it moves
        info.thread = used if used is not None else own
        if info.thread is None and not info.children:  # `blk = dfb.wait()`: the block's thread
            info.thread = next((v.thread for v in info.defs if v.acquire), None)
        for var in info.defs:
            if not var.acquire and var.kind != "function":
                var.thread = info.thread
        for var in info.uses:  # `g.add(xf)`: the group and its construction go with the transfer
            if var.kind == "group" and var.thread is None and info.thread is not None:
                var.thread = info.thread
                if var.owner is not None:
                    var.owner.thread = info.thread

    def print_threads(self, infos: list[Info]) -> None:
        """print() of nothing thread-owned runs on the compute thread (or
        the reader when there is no compute work)."""
        has_compute = any(i.thread == COMPUTE for i in self.infos)
        for info in _flatten(infos):
            if "print" in info.tags and info.thread is None:
                info.thread = COMPUTE if has_compute else READER

    # ----- 4. what each thread keeps -----------------------------------------------
    def keep(self, infos: list[Info], thread: str) -> None:
        all_infos = list(_flatten(infos))
        for info in all_infos:
            if info.thread == thread or (isinstance(info.node, Expand)
                                         and thread in self.expansions[id(info.node)]):
                info.kept.add(thread)
            elif info.thread is None and not isinstance(info.node, (*_PLACED_BY_USE, Expand)):
                info.kept.add(thread)  # a call for its effect, or a statement the translator rejects at its line
            elif any(v.acquire and v.owner is info and v.thread == thread for v in info.defs):
                info.kept.add(thread)  # `with dfb.wait() as blk:` whose body has no work: the acquisition's
        changed = True
        while changed:
            changed = False
            self.mark_enclosing(infos, thread)
            self.mark_exits(infos, thread, False)
            needed = set()
            for info in all_infos:
                if thread in info.kept:
                    needed |= info.names
            for info in all_infos:
                if info.thread is None and thread not in info.kept and not isinstance(info.node, Expand):
                    bound = {v.name for v in info.defs} | _stored_names(info.node)
                    if bound & needed:
                        info.kept.add(thread)
                        changed = True

    def mark_enclosing(self, infos: list[Info], thread: str) -> bool:
        any_kept = False
        for info in infos:
            inner = any([self.mark_enclosing(body, thread) for body in info.children])
            if inner:
                info.kept.add(thread)
            any_kept |= thread in info.kept
        return any_kept

    def mark_exits(self, infos: list[Info], thread: str, in_kept_loop: bool) -> None:
        for info in infos:
            node = info.node
            if isinstance(node, (ast.Break, ast.Continue)) and in_kept_loop:
                info.kept.add(thread)
            if isinstance(node, ast.Return):
                info.kept.add(thread)
            loop = isinstance(node, (ast.For, ast.While))
            for body in info.children:
                self.mark_exits(body, thread, (thread in info.kept) if loop else in_kept_loop)

    # ----- 5. the thread's statements ------------------------------------------------
    def emit(self, infos: list[Info], thread: str) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        handles = set(self.pending)
        for info in infos:
            released = _waited_handle(out[-1]) if out else None
            if released in self.pending:
                out.extend(self.pending.pop(released))
            if thread not in info.kept:
                continue
            node = info.node
            if isinstance(node, Expand):
                out.append(ExpandCall(node, self.expansions[id(node)][thread]))
                continue
            if not info.children:
                out.extend(self.temporaries(copy.deepcopy(node), infos, info))
                continue
            bodies = [self.emit(body, thread) for body in info.children]
            if isinstance(node, ast.With):
                items = [it for it in node.items if self.item_thread(it, info) in (None, thread)]
                if not items:
                    out.extend(bodies[0])
                    continue
                with_ = copy.copy(node)
                with_.items = [copy.deepcopy(it) for it in items]
                with_.body = bodies[0] or [ast.copy_location(ast.Pass(), node)]
                out.append(with_)
                continue
            new = copy.copy(node)
            for name in ("test", "iter", "target"):
                if hasattr(node, name):
                    setattr(new, name, copy.deepcopy(getattr(node, name)))
            new.body = bodies[0] or [ast.copy_location(ast.Pass(), node)]  # type: ignore[attr-defined]
            new.orelse = bodies[1]  # type: ignore[attr-defined]
            out.append(new)
        released = _waited_handle(out[-1]) if out else None
        if released in self.pending:
            out.extend(self.pending.pop(released))
        for name in set(self.pending) - handles:  # never waited here: released at the end of the block
            out.extend(self.pending.pop(name))
        return out

    def item_thread(self, item: ast.withitem, info: Info) -> str | None:
        if isinstance(item.optional_vars, ast.Name):
            for var in info.defs:
                if var.site is item.context_expr and var.acquire:
                    return var.thread
        return None

    def temporaries(self, stmt: ast.stmt, siblings: list[Info], info: Info) -> list[ast.stmt]:
        """`ttl.copy(dfb.wait(), t[...]).wait()`: a block acquired inside a
        statement is released once its copy is waited on (after the
        statement, or after the `h.wait()` of the handle it assigns)."""
        found = [n for n in ast.walk(stmt) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr in ("wait", "reserve") and not n.args
                 and _host_kind(self.host(n.func.value)) in ("dfb",)]
        if isinstance(stmt, ast.Assign) and stmt.value in found:
            found.remove(stmt.value)
        if not found:
            return [stmt]
        before: list[ast.stmt] = []
        after: list[ast.stmt] = []
        for k, call in enumerate(found):
            name = f"_ttlx_block{id(call) % 100000}_{k}"
            before.append(ast.copy_location(ast.Assign(targets=[ast.Name(name, ast.Store())], value=call), call))
            _replace(stmt, call, ast.copy_location(ast.Name(name, ast.Load()), call))
            release = "pop" if call.func.attr == "wait" else "push"  # type: ignore[attr-defined]
            after.append(ast.copy_location(ast.Expr(ast.Call(ast.Attribute(ast.Name(name, ast.Load()), release,
                                                                            ast.Load()), [], [])), call))
        ast.fix_missing_locations(ast.Module(body=before + after, type_ignores=[]))
        handle = stmt.targets[0].id if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                                        and isinstance(stmt.targets[0], ast.Name)) else None
        if handle is not None:
            self.pending.setdefault(handle, []).extend(after)
            return before + [stmt]
        return before + [stmt] + after


def _replace(root: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(root):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if v is old:
                        value[i] = new


class ExpandCall(ast.stmt):
    """In a thread's statements: the part of a composed operation this
    thread runs (unified.py makes it a call of a local function)."""

    _fields = ()

    def __init__(self, expand: Expand, body: list[ast.stmt]):
        super().__init__()
        self.expand, self.body = expand, body
        ast.copy_location(self, expand)


def _waited_handle(stmt: ast.stmt) -> str | None:
    """`h` of a statement `h.wait()`."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and not stmt.value.args:
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and func.attr == "wait" and isinstance(func.value, ast.Name):
            return func.value.id
    return None


def _flatten(infos: Iterable[Info]) -> Iterator[Info]:
    for info in infos:
        yield info
        for body in info.children:
            yield from _flatten(body)


def _free_names(fn_def: ast.FunctionDef) -> set[str]:
    params = {a.arg for a in fn_def.args.args}
    return {n.id for n in ast.walk(fn_def) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - params


def _stored_names(node: ast.AST) -> set[str]:
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if isinstance(node, ast.FunctionDef):
        names.add(node.name)
    return names


def _header_word(node: ast.AST) -> str:
    return {ast.For: "loop", ast.While: "loop", ast.If: "branch", ast.With: "with block"}.get(type(node), "statement")


def _is_block(e: Value) -> bool:
    return e.kind in ("acquire", "expr", "block") or (e.kind == "alias" and bool(e.uses)
                                                      and e.uses[-1].kind in ("block", "expr"))


def _host_kind(value: Any) -> str:
    if isinstance(value, DataflowBuffer):
        return "dfb"
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, DataflowBuffer) for v in value):
        return "dfbs"
    if isinstance(value, Tensor):
        return "tensor"
    if isinstance(value, PipeNet):
        return "net"
    if value is _NONE:
        return "value"
    module = getattr(type(value), "__module__", "") or ""
    if module.startswith("ttlx.lang") and not isinstance(value, (types.FunctionType, types.SimpleNamespace,
                                                                 types.ModuleType, type)):
        return "kernel-object"
    return "host"


def _in_namespace(target: Any, namespace: types.SimpleNamespace) -> bool:
    return target is not _NONE and any(target is v for v in vars(namespace).values())


def _is_api(target: Any) -> bool:
    return isinstance(target, types.FunctionType) and (target.__module__ or "").startswith("ttlx.lang")


def _is_kernel_class(target: Any) -> bool:
    return isinstance(target, type) and (target.__module__ or "").startswith("ttlx.lang") \
        and not issubclass(target, (PipeNet,))
