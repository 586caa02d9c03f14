//===- TTLOps.td - TTL operations --------------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_IR_TTLOPS_TD
#define TTLX_DIALECT_TTL_IR_TTLOPS_TD

include "ttlx/Dialect/TTL/IR/TTLTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// DFB protocol
//===----------------------------------------------------------------------===//

def TTL_BindDFBOp : TTL_Op<"bind_dfb", [Pure]> {
  let summary = "bind a dataflow buffer of the operation to a thread";
  let description = [{
    Names DFB number `index` of the operation inside a thread. The thread
    finds the DFB's hardware id in its compile-time argument
    `ttl.base_cta_index + index`. All binds of one index in a function must
    agree on the type.

    ```mlir
    %dfb = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
  // Below the DFB count of the largest architecture (Blackhole);
  // ttl-verify-arch-limits checks the chosen one.
  let arguments = (ins ConfinedAttr<I64Attr, [IntNonNegative, IntMaxValue<63>]>:$index);
  let results = (outs TTL_DFBType:$result);
  let assemblyFormat = "$index attr-dict `:` qualified(type($result))";
  let hasVerifier = 1;
}

class TTL_DFBAcquireOp<string mnemonic, string doc>
    : TTL_Op<mnemonic, [
        MemoryEffects<[MemRead, MemWrite]>,
        TypesMatchWith<"result is the DFB's block type", "dfb", "result",
                       "::llvm::cast<::mlir::ttl::DFBType>($_self).getBlockType()">]> {
  let summary = doc;
  let arguments = (ins TTL_DFBType:$dfb);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = "$dfb attr-dict `:` qualified(type($dfb))";
}

class TTL_DFBReleaseOp<string mnemonic, string doc>
    : TTL_Op<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = doc;
  let arguments = (ins TTL_DFBType:$dfb);
  let assemblyFormat = "$dfb attr-dict `:` qualified(type($dfb))";
}

def TTL_DFBReserveOp : TTL_DFBAcquireOp<"dfb_reserve",
    "producer: block until a free block is available and return it"> {
  let description = [{
    Lowers to `cb_reserve_back`; the returned block lives at the DFB's write
    pointer until `ttl.dfb_push`.

    ```mlir
    %blk = ttl.dfb_reserve %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
}

def TTL_DFBPushOp : TTL_DFBReleaseOp<"dfb_push",
    "producer: hand the reserved block to the consumer"> {
  let description = [{
    ```mlir
    ttl.dfb_push %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
}

def TTL_DFBPublishOp : TTL_DFBReleaseOp<"dfb_publish",
    "producer: hand the whole capacity of a tensor-backed DFB to the consumer"> {
  let description = [{
    tt-lang's `dfb.publish()` (spec 0.22, `ttl.make_tensor_backed_dfb`): the
    DFB's storage is part of an L1 tensor whose bytes are already in place,
    so the producer makes every block of it available without copying.
    Lowers to `cb_reserve_back` and `cb_push_back` of all the DFB's pages
    (tiles per block times blocks), as a tt-metal reader publishes a
    sharded input's globally allocated circular buffer. Only in
    data-movement threads; the consumer waits and pops block by block.

    ```mlir
    ttl.dfb_publish %dfb : !ttl.dfb<[1, 3], bf16, 1>
    ```
  }];
  let hasVerifier = 1;
}

def TTL_DFBWaitOp : TTL_DFBAcquireOp<"dfb_wait",
    "consumer: block until a filled block is available and return it"> {
  let description = [{
    Lowers to `cb_wait_front`; the returned block lives at the DFB's read
    pointer until `ttl.dfb_pop`.

    ```mlir
    %blk = ttl.dfb_wait %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
}

def TTL_DFBPopOp : TTL_DFBReleaseOp<"dfb_pop",
    "consumer: release the waited block back to the producer"> {
  let description = [{
    ```mlir
    ttl.dfb_pop %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Copies between DRAM tensors and blocks
//===----------------------------------------------------------------------===//

def TTL_CopyToBlockOp : TTL_Op<"copy_to_block", [
    MemoryEffects<[MemRead, MemWrite]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "start copying a DRAM tensor slice into a block";
  let description = [{
    Copies the slice of `tensor` that starts at `indices` (one per tensor
    dimension: tile coordinates for the last two, plain indices for leading
    batch dimensions) and has the block's shape into `block`, which must
    come from `ttl.dfb_reserve`. The block's shape is aligned with the
    tensor's last dimensions: leading dimensions of extent 1 of the longer of
    the two shapes are ignored, so a `1x2x2` slice fills a `2x2` block. A
    row-major tensor (`#ttl.layout<row_major>`) is copied to and from blocks
    of row-major DFBs, its indices and the block's shape in elements. The
    copy completes at `ttl.wait` on the handle.

    ```mlir
    %xf = ttl.copy_to_block %t[%r, %c], %blk
        : tensor<64x64xbf16>, tensor<1x1x!ttl.tile<bf16>>
    ttl.wait %xf : !ttl.transfer_handle<read>
    %xf3 = ttl.copy_to_block %t3[%b, %r, %c], %blk3
        : tensor<2x64x64xbf16>, tensor<1x2x2x!ttl.tile<bf16>>
    %xf4 = ttl.copy_to_block %rm[%r, %c], %rmblk
        : tensor<6x40xbf16, #ttl.layout<row_major>>, tensor<2x20x!ttl.element<bf16>>
    ```
  }];
  let arguments = (ins TTL_DRAMTensor:$tensor, Variadic<Index>:$indices,
                       TTL_DFBBlock:$block);
  let results = (outs TTL_TransferHandleType:$handle);
  let assemblyFormat = [{
    $tensor `[` $indices `]` `,` $block attr-dict `:` type($tensor) `,` type($block)
  }];
  let hasVerifier = 1;
}

def TTL_CopyToTensorOp : TTL_Op<"copy_to_tensor", [
    MemoryEffects<[MemRead, MemWrite]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "start copying a block into a DRAM tensor slice";
  let description = [{
    Copies `block`, which must come from `ttl.dfb_wait`, into the slice of
    `tensor` that starts at `indices` (as for `ttl.copy_to_block`). The
    copy completes at `ttl.wait` on the handle.

    ```mlir
    %xf = ttl.copy_to_tensor %blk, %t[%r, %c]
        : tensor<1x1x!ttl.tile<bf16>>, tensor<64x64xbf16>
    ttl.wait %xf : !ttl.transfer_handle<write>
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$block, TTL_DRAMTensor:$tensor,
                       Variadic<Index>:$indices);
  let results = (outs TTL_TransferHandleType:$handle);
  let assemblyFormat = [{
    $block `,` $tensor `[` $indices `]` attr-dict `:` type($block) `,` type($tensor)
  }];
  let hasVerifier = 1;
}

def TTL_WaitOp : TTL_Op<"wait", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "wait until a copy has completed";
  let description = [{
    A pipe handle must come straight from its `ttl.pipe_send` or
    `ttl.pipe_recv` (the wait is where the pipe handshake happens).

    ```mlir
    ttl.wait %xf : !ttl.transfer_handle<read>
    ```
  }];
  let arguments = (ins TTL_TransferHandleType:$handle);
  let assemblyFormat = "$handle attr-dict `:` qualified(type($handle))";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pipes between cores
//===----------------------------------------------------------------------===//

def TTL_PipeSendOp : TTL_Op<"pipe_send", [
    MemoryEffects<[MemRead, MemWrite]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "start sending a block through a pipe";
  let description = [{
    Runs on the pipe's source core. `block` (from `ttl.dfb_wait`, or a
    filled `ttl.dfb_reserve`) goes to every destination core; the send has
    completed, and the block may be released, after `ttl.wait` on the
    handle. Every receiving op on the same pipe uses the same block type.

    ```mlir
    %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %blk
        : tensor<1x1x!ttl.tile<bf16>>
    ttl.wait %tx : !ttl.transfer_handle<pipe_send>
    ```
  }];
  let arguments = (ins TTL_PipeAttr:$pipe, TTL_DFBBlock:$block);
  let results = (outs TTL_TransferHandleType:$handle);
  let assemblyFormat = "qualified($pipe) `,` $block attr-dict `:` type($block)";
  let hasVerifier = 1;
}

def TTL_PipeRecvOp : TTL_Op<"pipe_recv", [
    MemoryEffects<[MemRead, MemWrite]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "start receiving a block from a pipe";
  let description = [{
    Runs on a destination core of the pipe: the next block sent through it
    lands in `block` (from `ttl.dfb_reserve`) by `ttl.wait` on the handle.

    ```mlir
    %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %blk
        : tensor<1x1x!ttl.tile<bf16>>
    ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
    ```
  }];
  let arguments = (ins TTL_PipeAttr:$pipe, TTL_DFBBlock:$block);
  let results = (outs TTL_TransferHandleType:$handle);
  let assemblyFormat = "qualified($pipe) `,` $block attr-dict `:` type($block)";
  let hasVerifier = 1;
}

def TTL_WaitAnyOp : TTL_Op<"wait_any", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "wait until one of several pipe receives has completed";
  let description = [{
    `ttl.wait_any((r0, r1, ...), start=s)` of spec 0.22: blocks until one
    of `requests` (handles of `ttl.pipe_recv` ops in this block) can
    complete, completes that one and returns its position. Candidates are
    inspected in the cyclic order `s % n, ..., n - 1, 0, ..., s % n - 1`;
    the first that is ready wins. The others stay pending: a later
    `ttl.wait` or `ttl.wait_any` completes them, and a `ttl.wait` of the
    selected request does nothing.

    ```mlir
    %sel = ttl.wait_any %r0, %r1 start %s
        : !ttl.transfer_handle<pipe_recv>, !ttl.transfer_handle<pipe_recv>
    ```
  }];
  let arguments = (ins Variadic<TTL_TransferHandleType>:$requests, Index:$start);
  let results = (outs Index:$index);
  let assemblyFormat =
      "$requests `start` $start attr-dict `:` qualified(type($requests))";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Grid queries
//===----------------------------------------------------------------------===//

def TTL_NodeOp : TTL_Op<"node", [Pure]> {
  let summary = "coordinate of the running core along grid dimension `dim`";
  let description = [{
    ```mlir
    %x = ttl.node 0
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntNonNegative, IntMaxValue<1>]>:$dim);
  let results = (outs Index:$result);
  let assemblyFormat = "$dim attr-dict";
}

def TTL_GridSizeOp : TTL_Op<"grid_size", [Pure]> {
  let summary = "number of cores along grid dimension `dim`";
  let description = [{
    Resolved from the enclosing function's `ttl.grid` attribute.

    ```mlir
    %n = ttl.grid_size 1
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntNonNegative, IntMaxValue<1>]>:$dim);
  let results = (outs Index:$result);
  let assemblyFormat = "$dim attr-dict";
}

//===----------------------------------------------------------------------===//
// Scalar element access
//===----------------------------------------------------------------------===//

def TTL_ElementReadOp : TTL_Op<"element_read", [MemoryEffects<[MemRead]>]> {
  let summary = "read one element of a block (data-movement threads only)";
  let description = [{
    Reads element (`row`, `col`), in element coordinates inside the block, of
    a block that came from `ttl.dfb_wait` or `ttl.dfb_reserve`. The result is
    a typed float of the block's element type. A block with leading (batch)
    dimensions has their rows one after the other: `row` counts the rows of
    every batch (batch b's row r of a `Bx2x1`-tile block is row b * 64 + r),
    as its tiles lie in L1. A row-major block (`!ttl.element`, shape in
    elements) is its elements row-major from its first page: `row` counts
    the rows of its leading dimensions flattened (0 for a 1-d block), `col`
    the last dimension.

    ```mlir
    %v = ttl.element_read %blk[%r, %c] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$block, Index:$row, Index:$col);
  let results = (outs TTL_Scalar:$result);
  let assemblyFormat = [{
    $block `[` $row `,` $col `]` attr-dict `:` type($block) `->` type($result)
  }];
  let hasVerifier = 1;
}

def TTL_ElementWriteOp : TTL_Op<"element_write", [MemoryEffects<[MemWrite]>]> {
  let summary = "write one element of a block (data-movement threads only)";
  let description = [{
    Writes `value` to element (`row`, `col`) of a block that came from
    `ttl.dfb_reserve` (to fill it) or `ttl.dfb_wait` (to patch it in place).

    ```mlir
    ttl.element_write %blk[%r, %c], %v : tensor<1x1x!ttl.tile<bf16>>, bf16
    ```

    Coordinates as `ttl.element_read` takes them (row-major blocks too).
  }];
  let arguments = (ins TTL_DFBBlock:$block, Index:$row, Index:$col,
                       TTL_Scalar:$value);
  let assemblyFormat = [{
    $block `[` $row `,` $col `]` `,` $value attr-dict `:` type($block) `,` type($value)
  }];
  let hasVerifier = 1;
}

def TTL_ReadIndexOp : TTL_Op<"read_index", [MemoryEffects<[MemRead]>]> {
  let summary = "read one element of a block as an index (data-movement threads only)";
  let description = [{
    tt-lang's `ttl.read_index(block, row, col)` (spec 0.21): reads element
    (`row`, `col`) of a block from `ttl.dfb_wait` (or a reserved block
    already written), a bf16 or f32 value, and converts it to an index,
    truncating toward zero: tensor-provided indices such as the row of a
    gather. The value must be finite, non-negative and at most INT32_MAX
    (the spec leaves other values undefined). Same rules as
    `ttl.element_read`; the lowering loads the element and converts it with
    `arith.fptosi`.

    ```mlir
    %i = ttl.read_index %blk[%r, %c] : tensor<1x1x!ttl.tile<bf16>> -> index
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$block, Index:$row, Index:$col);
  let results = (outs Index:$result);
  let assemblyFormat = [{
    $block `[` $row `,` $col `]` attr-dict `:` type($block) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Semaphores (ttl.Semaphore)
//===----------------------------------------------------------------------===//

class TTL_SemaphoreOp<string mnemonic, string doc, dag operands, string format>
    : TTL_Op<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = doc;
  let arguments = !con((ins ConfinedAttr<I64Attr, [IntNonNegative]>:$semaphore), operands);
  let assemblyFormat = "$semaphore `,` " # format # " attr-dict";
  let hasVerifier = 1;
}

def TTL_SemaphoreWaitOp : TTL_SemaphoreOp<"semaphore_wait",
    "wait until this node's value of a semaphore equals (or reaches) `value`",
    (ins I32:$value, UnitAttr:$at_least), "$value (`at_least` $at_least^)?"> {
  let description = [{
    `sem.wait_eq(v)` (`sem.wait_ge(v)` with `at_least`) of a `ttl.Semaphore`:
    blocks the data-movement thread until the calling node's 32-bit value of
    semaphore `semaphore` (the operation's semaphores are numbered from 0 in
    the order they are made) is `value` (at least `value`). Every node has
    its own value of each semaphore, 0 when the operation starts.

    ```mlir
    ttl.semaphore_wait 0, %n
    ttl.semaphore_wait 1, %n at_least
    ```
  }];
}

def TTL_SemaphoreSetOp : TTL_SemaphoreOp<"semaphore_set",
    "set this node's value of a semaphore", (ins I32:$value), "$value"> {
  let description = [{
    `sem.set(v)`: the calling node's value of semaphore `semaphore` becomes
    `value` (non-blocking).

    ```mlir
    ttl.semaphore_set 0, %v
    ```
  }];
}

def TTL_SemaphoreRemoteSetOp : TTL_SemaphoreOp<"semaphore_remote_set",
    "set a semaphore's value on node (x, y)",
    (ins Index:$x, Index:$y, I32:$value), "$x `,` $y `,` $value"> {
  let description = [{
    `sem.get_remote((x, y)).set(v)`: node (x, y)'s value of semaphore
    `semaphore` becomes `value` (non-blocking, one NOC write).

    ```mlir
    ttl.semaphore_remote_set 0, %x, %y, %v
    ```
  }];
}

def TTL_SemaphoreRemoteIncOp : TTL_SemaphoreOp<"semaphore_remote_inc",
    "add to a semaphore's value on node (x, y)",
    (ins Index:$x, Index:$y, I32:$value), "$x `,` $y `,` $value"> {
  let description = [{
    `sem.get_remote((x, y)).inc(v)`: adds `value` to node (x, y)'s value of
    semaphore `semaphore` atomically (non-blocking).

    ```mlir
    ttl.semaphore_remote_inc 0, %x, %y, %v
    ```
  }];
}

def TTL_SemaphoreMulticastSetOp : TTL_SemaphoreOp<"semaphore_multicast_set",
    "set a semaphore's value on every node of a rectangle of the grid",
    (ins Index:$x0, Index:$y0, Index:$x1, Index:$y1, I32:$value),
    "`[` $x0 `,` $y0 `]` `to` ` ` `[` $x1 `,` $y1 `]` `,` $value"> {
  let description = [{
    `sem.get_remote_multicast(...).set(v)`: every node (x, y) with
    x0 <= x < x1 and y0 <= y < y1 (the calling node too, when it is in the
    rectangle) gets `value` as its value of semaphore `semaphore`
    (non-blocking).

    ```mlir
    ttl.semaphore_multicast_set 0, [%c0, %c0] to [%c2, %c2], %v
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Debug print
//===----------------------------------------------------------------------===//

def TTL_DPrintOp : TTL_Op<"dprint", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "print text and scalars from a kernel thread (Python print)";
  let description = [{
    Prints `format` with each `{}` replaced by the next argument, as
    tt-metal's `DPRINT(format, args...)` does (`{{` and `}}` are literal
    braces). The emulated core prints it with its core and thread as the
    prefix, in program order per thread. Arguments are scalars (index,
    i32, i1, bf16, f32; floats print as fmt's `{}` prints a float, the
    shortest text that reads back as the same f32); compile-time numbers
    and text are part of `format`.

    ```mlir
    ttl.dprint "row {} of {}: {}\n", %r, %n, %v : index, index, f32
    ```
  }];
  let arguments = (ins StrAttr:$format, Variadic<TTL_PrintArg>:$args);
  let assemblyFormat = "$format (`,` $args^ `:` type($args))? attr-dict";
  let hasVerifier = 1;
}

def TTL_DPrintDFBOp : TTL_Op<"dprint_dfb", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "print a DFB's state from a kernel thread (Python print of a DFB)";
  let description = [{
    `print(dfb)` in kernel code (tt-lang spec, "Debug printing"): one line
    with the DFB's size, limit, page size, page count and its read, write
    and pack pointers, as tt-metal's `print_cb_details(cb_id)`
    (api/debug/dprint_pages.h) prints them, which it lowers to. Any thread.

    ```mlir
    ttl.dprint_dfb %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
  let arguments = (ins TTL_DFBType:$dfb);
  let assemblyFormat = "$dfb attr-dict `:` qualified(type($dfb))";
}

def TTL_DPrintBlockOp : TTL_Op<"dprint_block", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "print a block's tiles from a compute thread (Python print of a block)";
  let description = [{
    `print(blk)` in a compute thread: each tile of the block, row-major over
    the block, as tt-metal's `tt::compute::common::print_full_tile(cb, tile,
    true)` prints it (a `======` line, one line per element row `r: v0 ...
    v31`, a `++++++` line), which it lowers to: run by the unpacker
    (`UNPACK`, the read pointer) for a block from `ttl.dfb_wait`, by the
    packer (`PACK`, the write pointer) for one from `ttl.dfb_reserve`.
    (Data-movement threads print a block's element rows with
    `ttl.element_read` and `ttl.dprint`.) A row-major block (elements
    row-major from its first page) prints each of its pages in memory
    order, `print_full_tile(cb, page, false)`: 32 lines of 32 elements.

    ```mlir
    ttl.dprint_block %blk : tensor<1x2x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$block);
  let assemblyFormat = "$block attr-dict `:` type($block)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Profiler scopes
//===----------------------------------------------------------------------===//

class TTL_SignpostOp<string mnemonic, string doc> : TTL_Op<mnemonic> {
  let summary = doc;
  let description = [{
    `with ttl.signpost("name"):` in kernel code: `ttl.signpost_begin` and
    `ttl.signpost_end` of the same name, in one block, enclose the
    statements of the scope (scopes nest). They lower to tt-metal's device
    profiler zone, a C++ block opened by `DeviceZoneScopedN("name")`; the
    ttlx profiler shows the scope as a slice of its thread's track
    (docs/profiler.md). The name becomes a C++ string literal.

    ```mlir
    ttl.signpost_begin "load"
    %blk = ttl.dfb_reserve %in : !ttl.dfb<[1, 1], bf16, 2>
    ttl.dfb_push %in : !ttl.dfb<[1, 1], bf16, 2>
    ttl.signpost_end "load"
    ```
  }];
  let arguments = (ins StrAttr:$label);
  let assemblyFormat = "$label attr-dict";
  let hasVerifier = 1;
}

def TTL_SignpostBeginOp : TTL_SignpostOp<"signpost_begin", "start of a named profiler scope">;
def TTL_SignpostEndOp : TTL_SignpostOp<"signpost_end", "end of a named profiler scope">;

//===----------------------------------------------------------------------===//
// User C++
//===----------------------------------------------------------------------===//

def TTL_OpaqueCallOp : TTL_Op<"opaque_call", [AttrSizedOperandSegments,
                                              MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "a call of a user C++ function (ttl.call_extern_func)";
  let description = [{
    tt-lang's `ttl.call_extern_func(header, callee, template_args=...,
    func_args=..., dfb_effects=...)`: the kernel includes `header` (an
    absolute path) and calls `callee<template args>(args...)`, a function
    returning nothing. `template_args` are, in order, signed integers
    (`si32`), booleans, float bit patterns (`ui32`) and the strings
    `"dfb_descriptor"` or `"dfb_id"`, each taking the next DFB of
    `template_dfbs`: a descriptor becomes the C++ type
    `ttlang::DFBDescriptor<index, pages per block, block count, page bytes>`,
    an id the DFB's index. `args` are DFBs (their `uint32_t` index), integer
    scalars (a tensor's address from `ttl.tensor_addr` among them) and, in
    data-movement threads, DRAM tensor arguments of the thread (a
    `TensorAccessor` of the tensor's pages). The compiler does not read the
    C++: the call completes every access it makes before returning.

    `effects` lists, in order, the DFB protocol calls the C++ makes
    (`cb_reserve_back`, `cb_push_back`, `cb_wait_front`, `cb_pop_front`):
    `effect_actions[i]` ("reserve", "push", "wait" or "pop") on
    `effect_dfbs[i]` for `effect_tiles[i]` pages. The DFB protocol check
    simulates them as it does `ttl.dfb_reserve` ... `ttl.dfb_pop`; they emit
    nothing.

    ```mlir
    ttl.opaque_call "inspect" header "/src/inspect.hpp"
        template_args ["dfb_descriptor", 3 : si32]
        template_dfbs(%dfb : !ttl.dfb<[1, 1], bf16, 1>) ()
    ttl.opaque_call "produce" header "/src/produce.hpp" template_args []
        effects ["reserve", "push"] [1, 1]
        (%dfb, %dfb : !ttl.dfb<[1, 1], bf16, 1>, !ttl.dfb<[1, 1], bf16, 1>) ()
    ```
  }];
  let arguments = (ins StrAttr:$callee, StrAttr:$header, ArrayAttr:$template_args,
                       Variadic<TTL_DFBType>:$template_dfbs,
                       Variadic<AnyTypeOf<[TTL_DFBType, AnyInteger, Index,
                                           TTL_DRAMTensor]>>:$args,
                       DefaultValuedAttr<StrArrayAttr, "{}">:$effect_actions,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$effect_tiles,
                       Variadic<TTL_DFBType>:$effect_dfbs);
  let assemblyFormat = [{
    $callee `header` $header `template_args` $template_args
    (`template_dfbs` `(` $template_dfbs^ `:` qualified(type($template_dfbs)) `)`)?
    (`effects` $effect_actions $effect_tiles `(` $effect_dfbs^ `:` qualified(type($effect_dfbs)) `)`)?
    `(` ($args^ `:` qualified(type($args)))? `)` attr-dict
  }];
  let hasVerifier = 1;
}

def TTL_TensorAddrOp : TTL_Op<"tensor_addr", [Pure]> {
  let summary = "a DRAM tensor argument's buffer address (ttl.raw_addr)";
  let description = [{
    The runtime address of the tensor's buffer, as the thread's runtime
    arguments carry it: what `ttl.raw_addr(tensor)` gives user C++ (no
    layout, page size or bounds). The tensor must be an argument of the
    thread function.

    ```mlir
    %addr = ttl.tensor_addr %t : tensor<64x64xbf16>
    ```
  }];
  let arguments = (ins TTL_DRAMTensor:$tensor);
  let results = (outs I32:$result);
  let assemblyFormat = "$tensor attr-dict `:` type($tensor)";
  let hasVerifier = 1;
}

include "ttlx/Dialect/TTL/IR/TTLComputeOps.td"

#endif // TTLX_DIALECT_TTL_IR_TTLOPS_TD
