# SPDX-License-Identifier: Apache-2.0
"""Control flow of kernel code: blocks of statements, `with` on DFB blocks,
`if`, `for ... in range(...)`, `enumerate`, `while`, and the early exits
`break`, `continue` and `return`.

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

from .values import V

BREAK, CONTINUE, RETURN = "%break", "%continue", "%return"  # never Python names
FLAGS = (BREAK, CONTINUE, RETURN)


def exits(stmts) -> set[str]:
    """The flags `stmts` may set: break/continue of the loop they are in
    (not of nested loops), return from anywhere (not nested defs)."""
    found: set[str] = set()

    def visit(node, in_loop: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            return
        if isinstance(node, ast.Break) and not in_loop:
            found.add(BREAK)
        elif isinstance(node, ast.Continue) and not in_loop:
            found.add(CONTINUE)
        elif isinstance(node, ast.Return):
            found.add(RETURN)
        nested = in_loop or isinstance(node, (ast.For, ast.While))
        for child in ast.iter_child_nodes(node):
            visit(child, nested)

    for stmt in stmts:
        visit(stmt, False)
    return found


class ControlFlow:
    """Statement-level compilation, mixed into FunctionCompiler."""

    # ----- blocks and early exits ------------------------------------------
    def block(self, stmts, env: dict) -> None:
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, (ast.Break, ast.Continue, ast.Return)):
                self.exit(stmt, env)
                return  # the rest of the block is unreachable
            self.statement(stmt, env)
            rest = stmts[i + 1:]
            if rest and exits([stmt]) & {f for f in FLAGS if f in env}:
                self.emit_if(stmt, self.no_exit(stmt, env), rest, [], env)
                return

    def exit(self, stmt, env: dict) -> None:
        # An explicit acquire (not `with`) whose release this exit skips.
        for index, kind, call, level in self.held:
            if isinstance(stmt, ast.Return) or level >= self.loop_level:
                word = type(stmt).__name__.lower()
                line = self.scope.position(call)[0]
                release = "pop()" if kind == "wait" else "push()"
                raise self.error(stmt, f"this {word} skips the {release} of the block from dfb.{kind}() at line "
                                       f"{line}; release it before the {word}, or acquire it with 'with'")
        if isinstance(stmt, ast.Return):
            if stmt.value is not None:
                raise self.error(stmt, "a value is returned only by the last statement of a helper function; "
                                       "assign it to a variable and return that at the end")
            env[RETURN] = self.flag(stmt, True)  # thread functions and helpers set it up
            return
        # Python itself rejects break/continue outside a loop.
        env[BREAK if isinstance(stmt, ast.Break) else CONTINUE] = self.flag(stmt, True)

    def flag(self, node, value: bool) -> V:
        return self.op(node, f"arith.constant {'true' if value else 'false'}", "i1", "i1")

    def fold(self, node, op: str, values: list) -> V:
        """`values` (i1, or Python bools) combined with arith.andi / arith.ori."""
        acc = None
        for v in values:
            v = v if isinstance(v, V) else self.flag(node, bool(v))
            acc = v if acc is None else self.op(node, f"{op} {acc.name}, {v.name} : i1", "i1", "i1")
        return acc

    def no_exit(self, node, env: dict) -> V:
        """i1: no exit flag of `env` is set."""
        any_set = self.fold(node, "arith.ori", [env[f] for f in FLAGS if f in env])
        true = self.flag(node, True)
        return self.op(node, f"arith.xori {any_set.name}, {true.name} : i1", "i1", "i1")

    # ----- with ------------------------------------------------------------
    def with_(self, stmt: ast.With, env: dict) -> None:
        acquired = []
        for item in stmt.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("wait", "reserve")):
                raise self.error(call, "'with' takes dfb.wait() or dfb.reserve() in kernel code; other context "
                                       "managers are not supported")
            blk = self.expr(call, env)
            self.held.pop()  # `with` releases it on every path
            acquired.append((blk, call))
            if item.optional_vars is not None:
                self.assign(item.optional_vars, blk, env)
        self.block(stmt.body, env)
        for blk, call in reversed(acquired):  # on every path, exits included
            self.release(call, blk)

    def release(self, node, blk: V) -> None:
        op = "ttl.dfb_pop" if blk.acquire == "wait" else "ttl.dfb_push"
        self.emit(f"{op} {self.dfb_value(blk.dfb)} : {blk.dfb.type}", node)

    # ----- carried values --------------------------------------------------
    @staticmethod
    def assigned_names(stmts) -> list[str]:
        names: list[str] = []
        for node in ast.walk(ast.Module(body=list(stmts), type_ignores=[])):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id not in names:
                names.append(node.id)
        return names

    def carried(self, node, stmts, env: dict) -> list[str]:
        """Scalars bound before `stmts` and reassigned in them, and the exit
        flags they may set; Python numbers among them become IR values."""
        names = []
        for n in self.assigned_names(stmts):
            value = env.get(n)
            if not isinstance(value, (bool, int, float, V)):
                continue
            if isinstance(value, bool):
                env[n] = self.flag(node, value)
            elif isinstance(value, int):
                env[n] = self.index(node, value)
            elif isinstance(value, float):
                env[n] = self.floatv(node, value)
            if env[n].kind in ("index", "i32", "f32", "bf16", "i1"):
                names.append(n)
        return names + [f for f in FLAGS if f in env and f in exits(stmts)]

    def coerce(self, node, value, like: V) -> V:
        if isinstance(value, V) and value.type == like.type:
            return value
        if like.kind == "index":
            return self.index(node, value)
        if like.kind in ("f32", "bf16"):
            return self.floatv(node, value, like.kind)
        if like.kind == "i1" and isinstance(value, bool):
            return self.flag(node, value)
        raise self.error(node, f"a {like.kind} variable cannot change type inside a loop or branch")

    def region(self, stmts, env: dict, yields: list[str] | None = None, pre_yield=None, prologue=None):
        self.body.append([])
        self.depth += 1
        inner = dict(env)
        if prologue:
            prologue(inner)
        self.block(stmts, inner)
        values = []
        if yields:
            values = [inner[n] for n in yields]
            if pre_yield:
                values = pre_yield(values, inner)
            self.yield_(values)
        self.depth -= 1
        return self.body.pop(), inner, values

    def yield_(self, values, op: str = "scf.yield") -> None:
        self.body[-1].append("  " * self.depth + f"{op} " + ", ".join(v.name for v in values) + " : "
                             + ", ".join(v.type for v in values))

    # ----- if --------------------------------------------------------------
    def if_(self, stmt: ast.If, env: dict) -> None:
        cond = self.expr(stmt.test, env)
        if not isinstance(cond, V):  # decided now: compile one branch
            self.block(stmt.body if cond else stmt.orelse, env)
            return
        if cond.kind != "i1":
            raise self.error(stmt.test, "an if condition must be a comparison")
        self.emit_if(stmt, cond, stmt.body, stmt.orelse, env)

    def emit_if(self, node, cond: V, then_stmts, else_stmts, env: dict) -> None:
        results = self.carried(node, then_stmts + else_stmts, env)

        def cast_back(values, _):
            return [self.coerce(node, v, env[n]) for v, n in zip(values, results)]

        then_lines, _, _ = self.region(then_stmts, env, results, cast_back)
        else_lines, _, _ = self.region(else_stmts, env, results, cast_back)
        name = self.fresh() if results else None
        head = f"scf.if {cond.name}"
        if results:
            head = f"{name}:{len(results)} = {head} -> (" + ", ".join(env[n].type for n in results) + ")"
        self.body[-1].append("  " * self.depth + head + " {")
        self.body[-1].extend(then_lines)
        if results or else_lines:
            self.body[-1].append("  " * self.depth + "} else {")
            self.body[-1].extend(else_lines)
        self.body[-1].append("  " * self.depth + "} " + self.loc(node))
        for i, n in enumerate(results):
            env[n] = V(f"{name}#{i}", env[n].type, env[n].kind)

    # ----- for -------------------------------------------------------------
    def for_(self, stmt: ast.For, env: dict) -> None:
        it, target = stmt.iter, stmt.target
        counter = None  # enumerate's name and start
        if (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate"
                and it.args and isinstance(target, ast.Tuple) and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)):
            start = self.expr(it.args[1], env) if len(it.args) > 1 else 0
            start = self.expr(it.keywords[0].value, env) if it.keywords else start
            counter, target, it = (target.elts[0].id, start), target.elts[1], it.args[0]
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                and isinstance(target, ast.Name)):
            raise self.error(stmt, "kernel loops are 'for NAME in range(...)' or "
                                   "'for I, NAME in enumerate(range(...))'; use while for other conditions")
        if stmt.orelse:
            raise self.error(stmt.orelse[0], "'for ... else' is not supported in kernel code; use a flag variable")
        bounds = [self.expr(a, env) for a in it.args]
        if len(bounds) == 1:
            bounds = [0, bounds[0], 1]
        elif len(bounds) == 2:
            bounds = [bounds[0], bounds[1], 1]
        step_value = bounds[2]
        if isinstance(step_value, int) and step_value <= 0:
            raise self.error(it, "range steps in kernel loops are positive")
        lo, hi, step = (self.index(it, b) for b in bounds)

        def bind_target(iv: V, body_env: dict) -> None:
            body_env[target.id] = iv
            if counter is not None:
                offset = self.op(stmt, f"arith.subi {iv.name}, {lo.name} : index", "index", "index")
                count = self.floordiv(stmt, offset, step) if step_value != 1 else offset
                body_env[counter[0]] = self.binop(stmt, ast.Add(), count, counter[1])

        if exits(stmt.body) & {BREAK, CONTINUE, RETURN}:
            self.for_with_exits(stmt, env, lo, hi, step, bind_target)
            return
        carried = self.carried(stmt, stmt.body, env)
        iv = self.fresh()
        args = [(self.fresh(), env[n]) for n in carried]
        body_env = dict(env)
        for (arg, old), n in zip(args, carried):
            body_env[n] = V(arg, old.type, old.kind)

        def cast_back(values, _):
            return [self.coerce(stmt, v, env[n]) for v, n in zip(values, carried)]

        lines, _, _ = self.region(stmt.body, body_env, carried, cast_back,
                                  prologue=lambda inner: bind_target(V(iv, "index", "index"), inner))
        results = self.fresh() if carried else None
        head = f"scf.for {iv} = {lo.name} to {hi.name} step {step.name}"
        if carried:
            head = (f"{results}:{len(carried)} = " + head + " iter_args("
                    + ", ".join(f"{a} = {old.name}" for a, old in args) + ") -> ("
                    + ", ".join(old.type for _, old in args) + ")")
        self.body[-1].append("  " * self.depth + head + " {")
        self.body[-1].extend(lines)
        self.body[-1].append("  " * self.depth + "} " + self.loc(stmt))
        for i, n in enumerate(carried):
            env[n] = V(f"{results}#{i}", env[n].type, env[n].kind)

    def for_with_exits(self, stmt, env: dict, lo: V, hi: V, step: V, bind_target) -> None:
        """`for` with break/continue/return: an scf.while over the induction
        variable that also stops on break or return."""
        outer = {f: env.get(f) for f in (BREAK, CONTINUE)}
        env[BREAK] = self.flag(stmt, False)
        env[CONTINUE] = self.flag(stmt, False)
        iv_name = " iv"  # not a Python name
        env[iv_name] = lo

        def before(b_env):
            more = self.op(stmt, f"arith.cmpi slt, {b_env[iv_name].name}, {hi.name} : index", "i1", "i1")
            return more

        def body(d_env):
            d_env[CONTINUE] = self.flag(stmt, False)
            bind_target(d_env[iv_name], d_env)

        def after(d_env):
            d_env[iv_name] = self.op(stmt, f"arith.addi {d_env[iv_name].name}, {step.name} : index", "index",
                                     "index")

        self.loop_level += 1
        self.emit_while(stmt, env, stmt.body, [iv_name], before, body, after)
        self.loop_level -= 1
        del env[iv_name]
        for f, value in outer.items():
            if value is None:
                env.pop(f, None)
            else:
                env[f] = value

    # ----- while -----------------------------------------------------------
    def while_(self, stmt: ast.While, env: dict) -> None:
        if stmt.orelse:
            raise self.error(stmt.orelse[0], "'while ... else' is not supported in kernel code; use a flag variable")
        outer = {f: env.get(f) for f in (BREAK, CONTINUE)}
        env[BREAK] = self.flag(stmt, False)
        env[CONTINUE] = self.flag(stmt, False)

        def before(b_env):
            cond = self.expr(stmt.test, b_env)
            if not isinstance(cond, V):
                return self.flag(stmt, bool(cond))
            if cond.kind != "i1":
                raise self.error(stmt.test, "a while condition must be a comparison")
            return cond

        def body(d_env):
            d_env[CONTINUE] = self.flag(stmt, False)

        self.loop_level += 1
        self.emit_while(stmt, env, stmt.body, [], before, body, None)
        self.loop_level -= 1
        for f, value in outer.items():
            if value is None:
                env.pop(f, None)
            else:
                env[f] = value

    def emit_while(self, node, env: dict, stmts, fixed: list[str], before, prologue, epilogue) -> None:
        """scf.while carrying `fixed` names, the scalars `stmts` assign and
        the exit flags: `before(env)` gives the loop condition (break and
        return are added to it), `prologue`/`epilogue` run around the body."""
        carried = [n for n in self.carried(node, stmts, env) if n != CONTINUE]
        carried = fixed + [n for n in carried if n not in fixed]
        for f in (BREAK, RETURN):
            if f in env and f not in carried:
                carried.append(f)
        # index values cross the loop boundary as i64: upstream's SCF to
        # EmitC conversion of scf.while mistypes index (size_t) arguments.
        def boundary(v: V) -> V:
            return self.op(node, f"arith.index_cast {v.name} : index to i64", "i64", "i64") \
                if v.kind == "index" else v

        def inside(name: str, like: V) -> V:
            if like.kind != "index":
                return V(name, like.type, like.kind)
            return self.op(node, f"arith.index_cast {name} : i64 to index", "index", "index")

        inits = [boundary(env[n]) for n in carried]
        types = [v.type for v in inits]
        args = [self.fresh() for _ in carried]

        # before region: the condition
        self.body.append([])
        self.depth += 1
        b_env = dict(env)
        for a, n in zip(args, carried):
            b_env[n] = inside(a, env[n])
        cond = before(b_env)
        if any(f in b_env for f in (BREAK, RETURN)):
            stay = self.no_exit(node, {f: b_env[f] for f in (BREAK, RETURN) if f in b_env})
            cond = self.fold(node, "arith.andi", [cond, stay])
        self.body[-1].append("  " * self.depth + f"scf.condition({cond.name}) " + ", ".join(args) + " : "
                             + ", ".join(types))
        self.depth -= 1
        before_lines = self.body.pop()

        # after region: the body
        d_args = [self.fresh() for _ in carried]

        def enter(inner):
            for a, n in zip(d_args, carried):
                inner[n] = inside(a, env[n])
            if prologue:
                prologue(inner)

        d_env = dict(env)

        def finish(values, inner):
            if epilogue:
                epilogue(inner)
            return [boundary(self.coerce(node, inner[n], env[n])) for n in carried]

        body_lines, _, _ = self.region(stmts, d_env, carried, finish, prologue=enter)
        results = self.fresh()
        head = (f"{results}:{len(carried)} = scf.while ("
                + ", ".join(f"{a} = {v.name}" for a, v in zip(args, inits)) + ") : ("
                + ", ".join(types) + ") -> (" + ", ".join(types) + ") {")
        self.body[-1].append("  " * self.depth + head)
        self.body[-1].extend(before_lines)
        self.body[-1].append("  " * self.depth + "} do {")
        self.body[-1].append("  " * self.depth + "^bb0(" + ", ".join(f"{a}: {t}" for a, t in zip(d_args, types))
                             + "):")
        self.body[-1].extend(body_lines)
        self.body[-1].append("  " * self.depth + "} " + self.loc(node))
        for i, n in enumerate(carried):
            env[n] = inside(f"{results}#{i}", env[n])
