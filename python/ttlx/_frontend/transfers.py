# SPDX-License-Identifier: Apache-2.0
"""`ttl.copy` between tensor slices, blocks and pipes, and `.wait()` on the
handles it returns. Every copy must be waited before its thread ends."""

from __future__ import annotations

import ast
from typing import Callable

from ..dialects import ttl
from ..ir import Attribute
from ..lang.pipes import DstEnd, Pipe, SrcEnd
from .emitter import Emitter
from .scalars import ScalarTranslator
from .values import Block, Handle, Slice


class TransferTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator, pipe_attr: Callable[[ast.AST, Pipe], Attribute]):
        self.em, self.scalars, self.pipe_attr = emitter, scalars, pipe_attr
        self.unwaited: dict[Handle, ast.AST] = {}  # handle -> the copy that made it
        self.pipe_sends: dict[Handle, Pipe] = {}

    def copy(self, node: ast.AST, src: object, dst: object) -> Handle:
        if any(isinstance(v, (Pipe, SrcEnd, DstEnd)) for v in (src, dst)):
            return self.copy_pipe(node, src, dst)
        if isinstance(src, Slice) and isinstance(dst, Block):
            slc, blk, read = src, dst, True
        elif isinstance(dst, Slice) and isinstance(src, Block):
            slc, blk, read = dst, src, False
        else:
            raise self.em.error(node, "ttl.copy copies between a tensor slice (t[r, c] in tiles) and a block")
        for extent, dim, axis in zip(slc.extent, blk.shape, ("rows", "columns")):
            if extent is not None and extent != dim:
                raise self.em.error(node, f"the block has {dim} tile {axis} but the slice has {extent}; "
                                          "make the slice match the block shape")
        tensor = self.em.tensor(slc.tensor, node)
        row, col = self.scalars.index(node, slc.row), self.scalars.index(node, slc.col)
        with self.em.at(node):
            if read:
                value = ttl.copy_to_block(tensor, row.value, col.value, blk.value)
            else:
                value = ttl.copy_to_tensor(blk.value, tensor, row.value, col.value)
        handle = Handle(value)
        self.unwaited[handle] = node
        return handle

    def copy_pipe(self, node: ast.AST, src: object, dst: object) -> Handle:
        if isinstance(src, Block) and isinstance(dst, (Pipe, SrcEnd)):
            pipe, blk = dst if isinstance(dst, Pipe) else dst.pipe, src
            for pending, sent_on in self.pipe_sends.items():
                if sent_on == pipe and pending in self.unwaited:
                    raise self.em.error(node, "the previous send on this pipe is not waited yet; call .wait() on it "
                                              "before sending the next block")
            attr = self.pipe_attr(node, pipe)
            with self.em.at(node):
                handle = Handle(ttl.pipe_send(attr, blk.value))
            self.pipe_sends[handle] = pipe
        elif isinstance(dst, Block) and isinstance(src, (Pipe, DstEnd)):
            pipe, blk = src if isinstance(src, Pipe) else src.pipe, dst
            attr = self.pipe_attr(node, pipe)
            with self.em.at(node):
                handle = Handle(ttl.pipe_recv(attr, blk.value))
        else:
            raise self.em.error(node, "a pipe copy is ttl.copy(block, pipe) on the source or ttl.copy(pipe, block) "
                                      "on a destination")
        self.unwaited[handle] = node
        return handle

    def wait(self, node: ast.AST, handle: Handle) -> None:
        with self.em.at(node):
            ttl.wait(handle.value)
        self.unwaited.pop(handle, None)

    def check_all_waited(self) -> None:
        for copy_node in self.unwaited.values():
            raise self.em.error(copy_node, "this ttl.copy is never waited; call .wait() on the handle it returns "
                                           "before the block is released")
