# SPDX-License-Identifier: Apache-2.0
"""`ttl.copy` between tensor slices, blocks and pipes, and `.wait()` on the
handles it returns. Every copy must be waited before its thread ends."""

from __future__ import annotations

import ast
from typing import Callable

from ..dialects import ttl
from ..ir import Attribute, Block as IRBlock, InsertionPoint
from ..lang.api import ReadyReceive
from ..lang.pipes import DstEnd, Pipe, SrcEnd
from .emitter import Emitter, element_type
from .scalars import ScalarTranslator
from .values import Block, Handle, Scalar, Slice, axis_names, is_int


class TransferGroup:
    """`gxf = ttl.GroupTransfer()` in kernel code: `gxf.add(xf)` collects
    transfer handles, `gxf.wait_all()` waits for them. A handle added in the
    group's own scope is waited at wait_all; one added inside a loop or
    branch (its value does not reach wait_all) is waited when added, which
    completes it no later than the spec asks, only sooner."""

    def __init__(self, node: ast.AST, scope: IRBlock):
        self.node, self.scope = node, scope
        self.pending: list[Handle] = []
        self.waited = False


_DTYPE_NAMES = {"bf16": "bfloat16", "f32": "float32"}


class TransferTranslator:
    def __init__(self, emitter: Emitter, scalars: ScalarTranslator,
                 pipe_attr: Callable[[ast.AST, Pipe | SrcEnd | DstEnd], Attribute]):
        self.em, self.scalars, self.pipe_attr = emitter, scalars, pipe_attr
        self.unwaited: dict[Handle, ast.AST] = {}  # handle -> the copy that made it
        self.pipe_sends: dict[Handle, str] = {}  # send -> its channel (#ttl.pipe)
        self.piped_dfbs: set[int] = set()  # DFBs whose blocks this thread sends or receives through pipes
        self.groups: list[TransferGroup] = []

    def copy(self, node: ast.AST, src: object, dst: object) -> Handle:
        if self.em.kind != "datamovement":
            raise self.em.error(node, f"ttl.copy runs on data-movement threads, but '{self.em.thread.name}' is the "
                                      "compute thread; copy in a @ttl.datamovement function (the compute thread "
                                      "waits for the blocks it reads and stores into the blocks it reserves)")
        if any(isinstance(v, (Pipe, SrcEnd, DstEnd)) for v in (src, dst)):
            return self.copy_pipe(node, src, dst)
        if isinstance(src, Slice) and isinstance(dst, Block):
            slc, blk, read = src, dst, True
        elif isinstance(dst, Slice) and isinstance(src, Block):
            slc, blk, read = dst, src, False
        else:
            raise self.em.error(node, "ttl.copy copies between a tensor slice (t[r, c] in tiles) and a block")
        if slc.row_major != blk.row_major:
            raise self.em.error(node, "a ROW_MAJOR_LAYOUT tensor is copied to and from blocks of DFBs made like a "
                                      "ROW_MAJOR_LAYOUT tensor, and a TILE_LAYOUT tensor with tiled DFBs; this "
                                      f"tensor is {'row-major' if slc.row_major else 'tiled'} and the block's DFB "
                                      f"{'row-major' if blk.row_major else 'tiled'}")
        self.check_dtypes(node, slc, blk, read)
        aligned = self.aligned_shape(node, slc, blk)
        names = axis_names(len(slc.units))
        for extent, dim, axis in zip(slc.extent, aligned, names):
            if extent is not None and extent != dim:
                what = (f"in {axis}" if axis.startswith("dimension") else
                        f"{axis}s (elements)" if slc.row_major else f"tile {axis}s")
                raise self.em.error(node, f"the block has {dim} {what} but the slice has {extent}; "
                                          "make the slice match the block shape")
        for start, stop, size, axis in zip(slc.starts, slc.stops, slc.units, names):
            self.check_bounds(node, axis, size, start, stop, slc.row_major)
        tensor = self.em.tensor(slc.tensor, node)
        starts = [self.scalars.index(node, start) for start in slc.starts]
        starts[0] = self.check_dynamic_ends(node, slc, aligned, starts[0])
        indices = [start.value for start in starts]
        with self.em.at(node):
            if read:
                value = ttl.copy_to_block(tensor, indices, blk.value)
            else:
                value = ttl.copy_to_tensor(blk.value, tensor, indices)
        handle = Handle(value)
        self.unwaited[handle] = node
        return handle

    def check_dtypes(self, node: ast.AST, slc: Slice, blk: Block, read: bool) -> None:
        """A copy moves bytes (no format conversion, as a NOC copy): the
        tensor's dtype must be the block's; the error says where the
        tensor's dtype came from and what to change."""
        tensor_elem = element_type(slc.tensor.dtype)
        if tensor_elem == blk.element_type:
            return
        tensor_dtype, block_dtype = (_DTYPE_NAMES[str(e)] for e in (tensor_elem, blk.element_type))
        arg = node.args[0 if read else 1] if isinstance(node, ast.Call) and len(node.args) == 2 else None
        name = f" `{ast.unparse(arg.value)}`" if isinstance(arg, ast.Subscript) else ""
        origin = f" ({slc.tensor.dtype_origin})" if slc.tensor.dtype_origin else ""
        tensor = f"the tensor{name} is {tensor_dtype}{origin}"
        block = f"the block is {block_dtype}"
        raise self.em.error(node, f"ttl.copy moves bytes without converting them, but {tensor if read else block} "
                                  f"and {block if read else tensor}: make the tensor with dtype=ttnn.{block_dtype}, "
                                  f"or copy {'into' if read else 'from'} a block of a {tensor_dtype} DFB (made like "
                                  f"the tensor, or with ttl.make_dfb(ttnn.{tensor_dtype}, ...))")

    def aligned_shape(self, node: ast.AST, slc: Slice, blk: Block) -> tuple[int, ...]:
        """The block's shape over the slice's dimensions: leading dimensions
        of extent 1 of the longer of the two may be left out (a 1x2x2 slice
        fills a 2x2 block, a 2x2 slice a 1x2x2 block)."""
        rank, shape = len(slc.units), blk.shape
        extra = len(shape) - rank
        aligned = (1,) * -extra + shape[max(extra, 0):]
        if any(d != 1 for d in shape[:max(extra, 0)]) or any(e != 1 for e in slc.extent[:max(-extra, 0)]):
            extents = tuple("?" if e is None else e for e in slc.extent)
            raise self.em.error(node, f"the block's shape {shape} does not match the slice's shape {extents}; make "
                                      "the slice match the block shape (leading dimensions of extent 1 may be left "
                                      "out of either)")
        return aligned

    def check_bounds(self, node: ast.AST, axis: str, size: int, start: object, stop: object,
                     row_major: bool = False) -> None:
        """Bounds known at compile time lie in the tensor's `size` tiles (or
        indices, in a leading dimension; elements when row-major)."""
        tiled = axis in ("row", "column") and not row_major
        what, whats = ((f"tile {axis}", f"tile {axis}s") if tiled else
                       (axis, f"{axis}s") if axis in ("row", "column") else (f"{axis} index", f"{axis} indices"))
        if isinstance(start, int) and not 0 <= start < size:
            raise self.em.error(node, f"{what} {start} is outside the tensor's {whats} 0 to {size - 1}")
        if isinstance(stop, int):
            if not 0 < stop <= size:
                raise self.em.error(node, f"the {axis} slice ends at {stop}, outside the tensor's {whats} 0 to "
                                          f"{size - 1} (the end is exclusive)")
            if isinstance(start, int) and stop <= start:
                raise self.em.error(node, f"the {axis} slice {start}:{stop} is empty; a slice covers at least one "
                                          f"{'tile' if tiled else 'element' if row_major else 'index'}")

    def check_dynamic_ends(self, node: ast.AST, slc: Slice, shape: tuple[int, ...], first: Scalar) -> Scalar:
        """A slice end known only at run time must give the block's extent:
        when it does not, the copy's first coordinate becomes the first one
        past the tensor, so the runtime's page check reports the copy at its
        line instead of a silently misplaced block."""
        tests: list[object] = []
        for start, end, dim, known in zip(slc.starts, slc.stops, shape, slc.extent):
            if known is None:
                extent = self.scalars.binop(node, ast.Sub(), end, start)
                tests.append(self.scalars.compare(node, ast.Eq, extent, dim))
        if not tests:
            return first
        matches = self.scalars.fold(node, True, tests)
        return self.scalars.select(node, matches, first, self.scalars.index(node, slc.units[0]))

    def copy_pipe(self, node: ast.AST, src: object, dst: object) -> Handle:
        if isinstance(src, Block) and isinstance(dst, (Pipe, SrcEnd)):
            blk = src
            if blk.dfb is not None:
                self.piped_dfbs.add(blk.dfb.index)
            attr = self.pipe_attr(node, dst)
            channel = str(attr)  # the pipe and its net
            for pending, sent_on in self.pipe_sends.items():
                if sent_on == channel and pending in self.unwaited:
                    raise self.em.error(node, "the previous send on this pipe is not waited yet; call .wait() on it "
                                              "before sending the next block")
            with self.em.at(node):
                handle = Handle(ttl.pipe_send(attr, blk.value))
            self.pipe_sends[handle] = channel
        elif isinstance(dst, Block) and isinstance(src, (Pipe, DstEnd)):
            if dst.dfb is not None:
                self.piped_dfbs.add(dst.dfb.index)
            attr = self.pipe_attr(node, src)
            with self.em.at(node):
                handle = Handle(ttl.pipe_recv(attr, dst.value))
        else:
            raise self.em.error(node, "a pipe copy is ttl.copy(block, pipe) on the source or ttl.copy(pipe, block) "
                                      "on a destination")
        self.unwaited[handle] = node
        return handle

    def wait_any(self, node: ast.AST, requests: object, start: object) -> ReadyReceive:
        """`ttl.wait_any((r0, r1, ...), start=s)`: completes one pending
        receive, the first ready in cyclic order from `s`. The others may
        stay pending (spec 0.22): a later wait or wait_any completes them."""
        usage = "ttl.wait_any takes a tuple of receive requests (what ttl.copy(pipe, block) returns)"
        if not isinstance(requests, tuple) or not requests:
            raise self.em.error(node, f"{usage}, at least one")
        for i, request in enumerate(requests):
            if not isinstance(request, Handle) or request.kind != "pipe_recv":
                raise self.em.error(node, f"{usage}; request {i} is not one")
            if request in requests[:i]:
                raise self.em.error(node, f"request {i} is already in the tuple; pass each receive request once")
        if not is_int(start):
            raise self.em.error(node, "ttl.wait_any's start is an integer (the position tried first)")
        start_value = self.scalars.index(node, start).value
        with self.em.at(node):
            index = ttl.wait_any([r.value for r in requests], start_value)
        for request in requests:
            self.unwaited.pop(request, None)
        return ReadyReceive(Scalar(index))

    def wait(self, node: ast.AST, handle: Handle) -> None:
        with self.em.at(node):
            ttl.wait(handle.value)
        self.unwaited.pop(handle, None)

    # ----- ttl.GroupTransfer ---------------------------------------------------
    def group(self, node: ast.AST) -> TransferGroup:
        group = TransferGroup(node, InsertionPoint.current.block)
        self.groups.append(group)
        return group

    def group_add(self, node: ast.AST, group: TransferGroup, handle: object) -> None:
        if group.waited:
            raise self.em.error(node, "GroupTransfer.add after wait_all: a group is waited once; make a new "
                                      "ttl.GroupTransfer() for the next transfers")
        if not isinstance(handle, Handle):
            raise self.em.error(node, "GroupTransfer.add takes the transfer handle ttl.copy returns")
        if handle in group.pending or handle not in self.unwaited:
            raise self.em.error(node, "this transfer handle is already waited (or in the group)")
        if InsertionPoint.current.block == group.scope:
            group.pending.append(handle)
        else:
            self.wait(node, handle)

    def group_wait_all(self, node: ast.AST, group: TransferGroup) -> None:
        if group.waited:
            raise self.em.error(node, "GroupTransfer.wait_all is called once per group")
        if InsertionPoint.current.block != group.scope:
            raise self.em.error(node, "call wait_all in the scope that made the ttl.GroupTransfer (not inside a "
                                      "loop or branch below it)")
        group.waited = True
        for handle in group.pending:
            self.wait(node, handle)

    def check_all_waited(self) -> None:
        for group in self.groups:
            if not group.waited:
                raise self.em.error(group.node, "this ttl.GroupTransfer is never waited; call .wait_all() on it "
                                                "after adding its transfers")
        for copy_node in self.unwaited.values():
            raise self.em.error(copy_node, "this ttl.copy is never waited; call .wait() on the handle it returns "
                                           "before the block is released")
