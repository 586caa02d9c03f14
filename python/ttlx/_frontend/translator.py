# SPDX-License-Identifier: Apache-2.0
"""One thread function to a `func.func` of TTL: sets up the function and
its collaborators (scalars, blocks, transfers, statements and expressions)
and runs the statement translator over the function body."""

from __future__ import annotations

import ast
from functools import partial

from ..dialects import func, scf, ttl
from ..ir import DenseI64ArrayAttr, FunctionType, InsertionPoint, Module, TypeAttr, UnitAttr
from ..lang.errors import KernelError
from ..lang.operation import DataflowBuffer, OperationContext, Thread
from ..lang.ttnn import Tensor
from . import pipes
from .blocks import BlockTranslator
from .emitter import Emitter
from .scalars import ScalarTranslator
from .source import Scope, parse_function
from .statements import RETURN, StatementTranslator, exits
from .transfers import TransferTranslator


class FunctionTranslator:
    def __init__(self, operation: OperationContext, thread: Thread, module: Module):
        self.operation, self.thread, self.module = operation, thread, module
        source: tuple[Scope, ast.stmt] = thread.source or parse_function(thread.fn)
        self.scope, self.fn_def = source
        self.statements: StatementTranslator | None = None
        self.tensors: list[Tensor] = []  # the function's tensor arguments, in order
        self.dfbs: list[DataflowBuffer] = []  # the DFBs the function binds
        self.fn: func.FuncOp | None = None
        self.finished = False  # the function is built whole

    def translate(self) -> None:
        """Appends the thread's function to the module; raises KernelError
        at the user's line for any construct outside the kernel subset."""
        fn_def = self.fn_def
        if not isinstance(fn_def, ast.FunctionDef):
            raise KernelError("expected a function definition", self.scope.file, *self.scope.position(fn_def))
        if fn_def.args.args:
            raise KernelError("thread functions take no arguments; use values from the operation body",
                              self.scope.file, *self.scope.position(fn_def))
        # Every op gets a node's location; the function's is the fallback.
        try:
            with Emitter.location(self.scope, fn_def):
                self.build(fn_def)
        finally:
            if self.statements is not None:
                self.statements.release()

    def build(self, fn_def: ast.FunctionDef) -> None:
        with InsertionPoint(self.module.body):
            fn = func.FuncOp(fn_def.name, FunctionType.get([], []))
            entry = fn.add_entry_block()
        self.fn = fn
        # The thread's attributes first: verifiers of its ops read them, also
        # in a function left unfinished by an error (compile.py).
        with self.module.context:
            fn.attributes["ttl.thread"] = ttl.ThreadAttr.get(self.thread.kind)
            fn.attributes["ttl.grid"] = DenseI64ArrayAttr.get(list(self.operation.grid))
            if any(self.operation.semaphore_init):  # the runtime sets them before the threads run
                fn.attributes["ttl.semaphore_init"] = DenseI64ArrayAttr.get(self.operation.semaphore_init)
            if self.thread.kind == "compute" and self.operation.fp32_dest_acc:
                fn.attributes["ttl.fp32_dest_acc"] = UnitAttr.get()
        em = Emitter(self.operation, self.thread, self.scope, entry)
        scalars = ScalarTranslator(em)
        blocks = BlockTranslator(em, scalars)
        transfers = TransferTranslator(em, scalars, partial(pipes.pipe_attr, em))
        self.statements = statements = StatementTranslator(em, scalars, blocks, transfers)

        # With PipeNets only the nodes on some pipe run the thread (as tt-lang does).
        with InsertionPoint(entry):
            active = pipes.active_condition(em, scalars, fn_def, self.operation.pipe_nets)
            guard = None
            if active is not None:
                with em.at(fn_def):
                    guard = scf.IfOp(active.value)
                em.body = guard.then_block
        with InsertionPoint(em.body):
            env: dict[str, object] = {}
            if RETURN in exits(fn_def.body):
                env[RETURN] = scalars.flag(fn_def, False)
            with blocks.scope():
                statements.block(fn_def.body, env)
                statements.carrier.close(fn_def, env)
            transfers.check_all_waited()
            if blocks.scaler is not None and blocks.scaler.dfb is not None:
                blocks.emit_release(fn_def, blocks.scaler.dfb, "pop")
            if guard is not None:
                with em.at(fn_def):
                    scf.yield_([])
        with InsertionPoint(entry), em.at(fn_def):
            func.ReturnOp([])

        fn.attributes["function_type"] = TypeAttr.get(FunctionType.get(em.argument_types, []))
        self.tensors = em.tensors
        self.dfbs = em.bound_dfbs
        self.finished = True

    def translate_reporting(self) -> None:
        """translate(), with any unexpected Python error reported as a
        file:line:col error at the statement being translated, never as a
        raw exception."""
        try:
            self.translate()
        except KernelError:
            raise
        except Exception as e:  # a gap in ttlx, not in the user's code
            current = self.statements.current if self.statements else None
            scope, stmt = current if current else (self.scope, self.fn_def)
            raise KernelError(f"ttlx cannot compile this statement ({type(e).__name__}: {e}); please report it "
                              "with the kernel", scope.file, *scope.position(stmt)) from None
