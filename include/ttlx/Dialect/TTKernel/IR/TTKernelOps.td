//===- TTKernelOps.td - TTKernel operations ----------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTKERNEL_IR_TTKERNELOPS_TD
#define TTLX_DIALECT_TTKERNEL_IR_TTKERNELOPS_TD

include "ttlx/Dialect/TTKernel/IR/TTKernelBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Kernel arguments and core coordinates
//===----------------------------------------------------------------------===//

def TTKernel_GetCompileTimeArgValOp
    : TTKernel_CallOp<"get_compile_time_arg_val", [Pure]> {
  let summary = "get_compile_time_arg_val(index)";
  let description = [{
    ```mlir
    %cb = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$index);
  let results = (outs AnyTypeOf<[I32, TTKernel_CBType]>:$result);
  let assemblyFormat = "$index attr-dict `:` qualified(type($result))";
  let hasLiteralArgs = 1;
}

def TTKernel_GetArgValOp : TTKernel_CallOp<"get_arg_val", [Pure]> {
  let summary = "get_arg_val<uint32_t>(index): a runtime argument";
  let description = [{
    ```mlir
    %addr = ttkernel.get_arg_val 0 : i32
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$index);
  let results = (outs I32:$result);
  let assemblyFormat = "$index attr-dict `:` qualified(type($result))";
  let hasTemplateArgs = 1;
  let hasLiteralArgs = 1;
}

class TTKernel_CoordOp<string mnemonic, string call>
    : TTKernel_CallOp<mnemonic, [Pure]> {
  let summary = call # "(): logical coordinate of this core";
  let callee = call;
  let results = (outs Index:$result);
  let assemblyFormat = "attr-dict";
}

def TTKernel_MyLogicalXOp : TTKernel_CoordOp<"my_logical_x", "get_absolute_logical_x">;
def TTKernel_MyLogicalYOp : TTKernel_CoordOp<"my_logical_y", "get_absolute_logical_y">;

//===----------------------------------------------------------------------===//
// Circular buffers
//===----------------------------------------------------------------------===//

class TTKernel_CBPagesOp<string mnemonic>
    : TTKernel_CallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(cb, num_pages)";
  let arguments = (ins TTKernel_CBType:$cb, I32:$numPages);
  let assemblyFormat = "$cb `,` $numPages attr-dict";
}

def TTKernel_CBReserveBackOp : TTKernel_CBPagesOp<"cb_reserve_back">;
def TTKernel_CBPushBackOp : TTKernel_CBPagesOp<"cb_push_back">;
def TTKernel_CBWaitFrontOp : TTKernel_CBPagesOp<"cb_wait_front">;
def TTKernel_CBPopFrontOp : TTKernel_CBPagesOp<"cb_pop_front">;

class TTKernel_CBQueryOp<string mnemonic>
    : TTKernel_CallOp<mnemonic, [MemoryEffects<[MemRead]>]> {
  let summary = mnemonic # "(cb)";
  let arguments = (ins TTKernel_CBType:$cb);
  let results = (outs I32:$result);
  let assemblyFormat = "$cb attr-dict";
}

def TTKernel_GetReadPtrOp : TTKernel_CBQueryOp<"get_read_ptr">;
def TTKernel_GetWritePtrOp : TTKernel_CBQueryOp<"get_write_ptr">;
def TTKernel_GetTileSizeOp : TTKernel_CBQueryOp<"get_tile_size">;

//===----------------------------------------------------------------------===//
// DRAM access through tensor accessors
//===----------------------------------------------------------------------===//

def TTKernel_TensorAccessorArgsOp
    : TTKernel_DataMovementCallOp<"tensor_accessor_args", [Pure]> {
  let summary = "TensorAccessorArgs<cta_offset>()";
  let description = [{
    ```mlir
    %args = ttkernel.tensor_accessor_args 0
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$ctaOffset);
  let results = (outs TTKernel_TensorAccessorArgsType:$result);
  let assemblyFormat = "$ctaOffset attr-dict";
  let callee = "TensorAccessorArgs";
  let hasTemplateArgs = 1;
}

def TTKernel_TensorAccessorOp : TTKernel_DataMovementCallOp<"tensor_accessor", [Pure]> {
  let summary = "TensorAccessor(args, bank_base_address, page_size)";
  let description = [{
    ```mlir
    %acc = ttkernel.tensor_accessor %args, %addr, %page
    ```
  }];
  let arguments = (ins TTKernel_TensorAccessorArgsType:$args, I32:$bankBaseAddress,
                       I32:$pageSize);
  let results = (outs TTKernel_TensorAccessorType:$result);
  let assemblyFormat = "$args `,` $bankBaseAddress `,` $pageSize attr-dict";
  let callee = "TensorAccessor";
}

class TTKernel_NocTileOp<string mnemonic>
    : TTKernel_DataMovementCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(id, addrgen, l1_addr)";
  let arguments = (ins I32:$id, TTKernel_TensorAccessorType:$addrgen, I32:$l1Addr);
  let assemblyFormat = "$id `,` $addrgen `,` $l1Addr attr-dict";
}

def TTKernel_NocAsyncReadTileOp : TTKernel_NocTileOp<"noc_async_read_tile">;
def TTKernel_NocAsyncWriteTileOp : TTKernel_NocTileOp<"noc_async_write_tile">;

// Row-major tensors: a part of a page is addressed by its NOC address.
def TTKernel_GetNocAddrPageOp
    : TTKernel_DataMovementCallOp<"get_noc_addr_page", [Pure]> {
  let summary = "get_noc_addr(id, addrgen, offset): byte `offset` of page `id`";
  let description = [{
    The NOC address of byte `offset` of page `id` of the tensor `addrgen`
    addresses, for `noc_async_read` / `noc_async_write` of part of a page
    (a row-major tensor's row).

    ```mlir
    %src = ttkernel.get_noc_addr_page %page, %acc, %offset
    ```
  }];
  let arguments = (ins I32:$id, TTKernel_TensorAccessorType:$addrgen, I32:$offset);
  let results = (outs I64:$result);
  let assemblyFormat = "$id `,` $addrgen `,` $offset attr-dict";
  let callee = "get_noc_addr";
}

def TTKernel_NocAsyncWriteOp
    : TTKernel_DataMovementCallOp<"noc_async_write", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "noc_async_write(src_l1_addr, dst_noc_addr, size)";
  let arguments = (ins I32:$srcL1Addr, I64:$dstNocAddr, I32:$size);
  let assemblyFormat = "$srcL1Addr `,` $dstNocAddr `,` $size attr-dict";
}

class TTKernel_BarrierOp<string mnemonic>
    : TTKernel_DataMovementCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "()";
  let assemblyFormat = "attr-dict";
}

def TTKernel_NocAsyncReadBarrierOp : TTKernel_BarrierOp<"noc_async_read_barrier">;
def TTKernel_NocAsyncWriteBarrierOp : TTKernel_BarrierOp<"noc_async_write_barrier">;

def TTKernel_InvalidateL1CacheOp : TTKernel_DataMovementCallOp<"invalidate_l1_cache",
    [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "invalidate_l1_cache(): the next L1 loads see other cores' writes";
  let description = [{
    Called before each round of a loop that polls semaphores with plain L1
    loads (as tt-metal's own `noc_semaphore_wait` does). The runtime
    suspends a thread that polls again with no semaphore write to its core
    since its last poll, so a poll that can never succeed is a deadlock.

    ```mlir
    ttkernel.invalidate_l1_cache
    ```
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// NOC between cores and semaphores
//===----------------------------------------------------------------------===//

def TTKernel_GetNocAddrOp : TTKernel_DataMovementCallOp<"get_noc_addr", [Pure]> {
  let summary = "get_noc_addr(x, y, addr): address of L1 `addr` on core (x, y)";
  let description = [{
    ```mlir
    %remote = ttkernel.get_noc_addr %x, %y, %addr
    ```
  }];
  let arguments = (ins I32:$x, I32:$y, I32:$addr);
  let results = (outs I64:$result);
  let assemblyFormat = "$x `,` $y `,` $addr attr-dict";
}

def TTKernel_NocAsyncReadOp
    : TTKernel_DataMovementCallOp<"noc_async_read", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "noc_async_read(src_noc_addr, dst_l1_addr, size)";
  let arguments = (ins I64:$srcNocAddr, I32:$dstL1Addr, I32:$size);
  let assemblyFormat = "$srcNocAddr `,` $dstL1Addr `,` $size attr-dict";
}

def TTKernel_NocInlineDwWriteOp
    : TTKernel_DataMovementCallOp<"noc_inline_dw_write", [MemoryEffects<[MemWrite]>]> {
  let summary = "noc_inline_dw_write(noc_addr, value): write one 32-bit word";
  let arguments = (ins I64:$addr, I32:$value);
  let assemblyFormat = "$addr `,` $value attr-dict";
}

def TTKernel_GetSemaphoreOp : TTKernel_DataMovementCallOp<"get_semaphore", [Pure]> {
  let summary = "get_semaphore(id): L1 address of semaphore `id`";
  let description = [{
    ```mlir
    %sem = ttkernel.get_semaphore 0
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$id);
  let results = (outs I32:$result);
  let assemblyFormat = "$id attr-dict";
  let hasLiteralArgs = 1;
}

class TTKernel_LocalSemaphoreOp<string mnemonic>
    : TTKernel_Op<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(sem_addr, value) on this core's semaphore";
  let arguments = (ins I32:$semAddr, I32:$value);
  let assemblyFormat = "$semAddr `,` $value attr-dict";
}

def TTKernel_NocSemaphoreWaitOp
    : TTKernel_LocalSemaphoreOp<"noc_semaphore_wait">;
def TTKernel_NocSemaphoreWaitMinOp
    : TTKernel_LocalSemaphoreOp<"noc_semaphore_wait_min">;
def TTKernel_NocSemaphoreSetOp
    : TTKernel_LocalSemaphoreOp<"noc_semaphore_set">;

def TTKernel_NocSemaphoreIncOp
    : TTKernel_DataMovementCallOp<"noc_semaphore_inc", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "noc_semaphore_inc(noc_addr, incr): add to a semaphore anywhere";
  let arguments = (ins I64:$addr, I32:$incr);
  let assemblyFormat = "$addr `,` $incr attr-dict";
}

//===----------------------------------------------------------------------===//
// Typed L1 access
//===----------------------------------------------------------------------===//

def TTKernel_L1Element : AnyTypeOf<[BF16, F32, I16, I32]>;

def TTKernel_L1LoadOp : TTKernel_Op<"l1_load", [MemoryEffects<[MemRead]>]> {
  let summary = "reinterpret_cast<T *>(addr)[index]: load one element from L1";
  let description = [{
    `index` (i32) counts elements of the result type from byte address `addr`.

    ```mlir
    %v = ttkernel.l1_load %addr[%i] : bf16
    ```
  }];
  let arguments = (ins I32:$addr, I32:$index);
  let results = (outs TTKernel_L1Element:$result);
  let assemblyFormat = "$addr `[` $index `]` attr-dict `:` qualified(type($result))";
}

def TTKernel_L1StoreOp : TTKernel_Op<"l1_store", [MemoryEffects<[MemWrite]>]> {
  let summary = "reinterpret_cast<T *>(addr)[index] = value: store to L1";
  let description = [{
    ```mlir
    ttkernel.l1_store %addr[%i], %v : bf16
    ```
  }];
  let arguments = (ins I32:$addr, I32:$index, TTKernel_L1Element:$value);
  let assemblyFormat = "$addr `[` $index `]` `,` $value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

def TTKernel_SideEffectOp : TTKernel_Op<"sideeffect", [
    HasParent<"::mlir::scf::WhileOp">, MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Keeps a while loop that may never end (as llvm.sideeffect)";
  let description = [{
    Does nothing, but counts as a side effect (as LLVM's `llvm.sideeffect`
    intrinsic), so a `scf.while` that holds it is never deleted as dead
    code. A loop without side effects whose results are unused is erased by
    the canonicalizer even when it never ends (its carried value never
    changes); the device would spin in it, so the host runtime must too,
    and its watchdog reports the thread. `ttkernel-keep-while-loops` puts it
    into such loops; the EmitC lowering drops it (the kernel C++ is built
    with `-fno-finite-loops`, so the C++ compiler keeps the loop).

    ```mlir
    scf.while (%i = %n) : (i64) -> () {
      %go = arith.cmpi slt, %i, %c10 : i64
      scf.condition(%go)
    } do {
      ttkernel.sideeffect
      scf.yield %i : i64
    }
    ```
  }];
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Debug
//===----------------------------------------------------------------------===//

def TTKernel_AssertOp : TTKernel_Op<"assert", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "ASSERT(condition): tt-metal's watcher assert";
  let description = [{
    Stops the kernel with `message` when `condition` is false (with the
    watcher on real hardware; always on the host runtime). The message goes
    into the C++ as a comment on the line before the ASSERT.

    ```mlir
    ttkernel.assert %in_range, "element_read out of range"
    ```
  }];
  let arguments = (ins I1:$condition, StrAttr:$message);
  let assemblyFormat = "$condition `,` $message attr-dict";
}

def TTKernel_DPrintOp : TTKernel_Op<"dprint", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "DPRINT(format, args...): tt-metal's device debug print";
  let description = [{
    `format` is an fmt-style format string (`{}` per argument, `{{`/`}}`
    literal braces), as tt-metal's `DPRINT` takes it (api/debug/dprint.h).
    On cores without an FPU, `ttkernel-emulate-scalar-floats` turns f32
    arguments into their i32 bit patterns and marks them in `f32_bits`;
    the C++ passes those as floats again (`__builtin_bit_cast(float, x)`).

    ```mlir
    ttkernel.dprint "row {}: {}\n", %r, %v : i32, f32
    ttkernel.dprint "{}\n", %bits : i32 {f32_bits = array<i1: true>}
    ```
  }];
  let arguments = (ins StrAttr:$format, Variadic<AnyTypeOf<[Index, I32, I1, F32]>>:$args,
                       OptionalAttr<DenseBoolArrayAttr>:$f32_bits);
  let assemblyFormat = "$format (`,` $args^ `:` type($args))? attr-dict";
  let hasVerifier = 1;
}

def TTKernel_PrintCBDetailsOp
    : TTKernel_CallOp<"print_cb_details", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "print_cb_details(cb_id): a circular buffer's state (DPRINT)";
  let description = [{
    tt-metal's api/debug/dprint_pages.h: one line
    `cb_id N: { size: S, limit: L, page_size: P, num_pages: K, rd_ptr: R,
    wr_ptr: W, wr_tile_ptr: T }` (addresses and sizes in bytes). Data
    movement and compute kernels.

    ```mlir
    ttkernel.print_cb_details %cb
    ```
  }];
  let arguments = (ins TTKernel_CBType:$cb);
  let assemblyFormat = "$cb attr-dict";
}

def TTKernel_Trisc : I32EnumAttr<"Trisc", "compute core that runs a statement", [
    I32EnumAttrCase<"Unpack", 0, "unpack">,
    I32EnumAttrCase<"Pack", 2, "pack">]> {
  let cppNamespace = "::mlir::ttkernel";
}

def TTKernel_PrintFullTileOp : TTKernel_Op<"print_full_tile", [
    TTKernel_ComputeKernelOnly, MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "UNPACK/PACK((tt::compute::common::print_full_tile(cb, tile, untilize)))";
  let description = [{
    tt-metal's api/debug/dprint_pages.h: prints tile `tile` of the
    circular buffer, a `======` line, then `r: v0 v1 ... v31` for each
    element row r (untilized), then `++++++`. Run by the unpacker
    (`UNPACK((...))`, tiles counted from the read pointer: waited tiles) or
    the packer (`PACK((...))`, from the write pointer: reserved tiles).
    `untilize` (default true) reads the page as four 16x16 faces; false
    prints its 1024 elements in memory order, 32 a line (a page of a
    row-major circular buffer).

    ```mlir
    ttkernel.print_full_tile unpack %cb, %tile
    ttkernel.print_full_tile pack %cb, %page untilize = false
    ```
  }];
  let arguments = (ins TTKernel_CBType:$cb, I32:$tile, TTKernel_Trisc:$trisc,
                       DefaultValuedAttr<BoolAttr, "true">:$untilize);
  let assemblyFormat = "$trisc $cb `,` $tile (`untilize` `=` $untilize^)? attr-dict";
}

//===----------------------------------------------------------------------===//
// Device profiler zones
//===----------------------------------------------------------------------===//

class TTKernel_DeviceZoneOp<string mnemonic, string doc> : TTKernel_Op<mnemonic> {
  let summary = doc;
  let description = [{
    A zone of tt-metal's device profiler: `device_zone_begin` and
    `device_zone_end` of the same name, in one block, become the C++ block
    `{ DeviceZoneScopedN("name"); ... }` (api/debug/kernel_profiler.hpp).
    Zones nest; the name becomes a C++ string literal.

    ```mlir
    ttkernel.device_zone_begin "load"
    ttkernel.noc_async_read_barrier
    ttkernel.device_zone_end "load"
    ```
  }];
  let arguments = (ins StrAttr:$label);
  let assemblyFormat = "$label attr-dict";
  let hasVerifier = 1;
}

def TTKernel_DeviceZoneBeginOp : TTKernel_DeviceZoneOp<"device_zone_begin",
    "opens a device profiler zone (DeviceZoneScopedN)">;
def TTKernel_DeviceZoneEndOp : TTKernel_DeviceZoneOp<"device_zone_end",
    "closes a device profiler zone">;

//===----------------------------------------------------------------------===//
// Compute: DST register protocol and initialisation
//===----------------------------------------------------------------------===//

// Calls without operands (register sync, SFPU inits, reduce_uninit).
class TTKernel_NullaryCallOp<string mnemonic>
    : TTKernel_ComputeCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "()";
  let assemblyFormat = "attr-dict";
}

def TTKernel_TileRegsAcquireOp : TTKernel_NullaryCallOp<"tile_regs_acquire">;
def TTKernel_TileRegsCommitOp : TTKernel_NullaryCallOp<"tile_regs_commit">;
def TTKernel_TileRegsWaitOp : TTKernel_NullaryCallOp<"tile_regs_wait">;
def TTKernel_TileRegsReleaseOp : TTKernel_NullaryCallOp<"tile_regs_release">;

def TTKernel_ComputeKernelHwStartupOp
    : TTKernel_ComputeCallOp<"compute_kernel_hw_startup", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "compute_kernel_hw_startup(icb0, icb1, ocb): once, first";
  let arguments = (ins TTKernel_CBType:$icb0, TTKernel_CBType:$icb1,
                       TTKernel_CBType:$ocb);
  let assemblyFormat = "$icb0 `,` $icb1 `,` $ocb attr-dict";
}

// Inits taking one or two CBs.
class TTKernel_CBInitOp<string mnemonic>
    : TTKernel_ComputeCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(cb)";
  let arguments = (ins TTKernel_CBType:$cb);
  let assemblyFormat = "$cb attr-dict";
}

class TTKernel_CB2InitOp<string mnemonic>
    : TTKernel_ComputeCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(icb0, icb1)";
  let arguments = (ins TTKernel_CBType:$icb0, TTKernel_CBType:$icb1);
  let assemblyFormat = "$icb0 `,` $icb1 attr-dict";
}

def TTKernel_CopyInitOp : TTKernel_CBInitOp<"copy_init">;
def TTKernel_PackInitOp : TTKernel_CBInitOp<"pack_init">;
// The packer's output format becomes `cb`'s (api/compute/reconfig_data_format.h).
def TTKernel_PackReconfigDataFormatOp
    : TTKernel_CBInitOp<"pack_reconfig_data_format">;
// The unpacker's (and math's) source formats become the CBs' (the same
// header): both sources, srcA only, or srcB only. Called before the init of
// an op reading CBs of other formats than the previous one.
def TTKernel_ReconfigDataFormatOp
    : TTKernel_CB2InitOp<"reconfig_data_format">;
def TTKernel_ReconfigDataFormatSrcaOp
    : TTKernel_CBInitOp<"reconfig_data_format_srca">;
def TTKernel_ReconfigDataFormatSrcbOp
    : TTKernel_CBInitOp<"reconfig_data_format_srcb">;

//===----------------------------------------------------------------------===//
// Compute: unpack to DST and pack from DST
//===----------------------------------------------------------------------===//

def TTKernel_CopyTileOp
    : TTKernel_ComputeCallOp<"copy_tile", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "copy_tile(cb, tile, dst): a waited tile of a CB into DST";
  let arguments = (ins TTKernel_CBType:$cb, I32:$tile, I32:$dst);
  let assemblyFormat = "$cb `,` $tile `,` $dst attr-dict";
}

def TTKernel_TransposeInitOp : TTKernel_CBInitOp<"transpose_init">;
def TTKernel_TransposeTileOp
    : TTKernel_ComputeCallOp<"transpose_tile", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "transpose_tile(cb, tile, dst): a waited tile of a CB into DST, transposed";
  let arguments = (ins TTKernel_CBType:$cb, I32:$tile, I32:$dst);
  let assemblyFormat = "$cb `,` $tile `,` $dst attr-dict";
}

def TTKernel_PackTileOp
    : TTKernel_ComputeCallOp<"pack_tile", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "pack_tile<true>(dst, cb, tile): DST into a reserved tile of a CB";
  let description = [{
    Always the out-of-order form: `tile` indexes the reserved pages.

    ```mlir
    ttkernel.pack_tile %dst, %cb, %tile
    ```
  }];
  let arguments = (ins I32:$dst, TTKernel_CBType:$cb, I32:$tile);
  let assemblyFormat = "$dst `,` $cb `,` $tile attr-dict";
  let hasTemplateArgs = 1;
}

def TTKernel_BcastKind : I32EnumAttr<"BcastKind", "tt-metal BroadcastType", [
    I32EnumAttrCase<"Row", 0, "row">,
    I32EnumAttrCase<"Col", 1, "col">,
    I32EnumAttrCase<"Scalar", 2, "scalar">]> {
  let cppNamespace = "::mlir::ttkernel";
}

def TTKernel_UnaryBcastInitOp
    : TTKernel_ComputeCallOp<"unary_bcast_init", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "unary_bcast_init<BroadcastType>(icb, ocb)";
  let arguments = (ins TTKernel_CBType:$icb, TTKernel_CBType:$ocb,
                       TTKernel_BcastKind:$kind);
  let assemblyFormat = "$kind $icb `,` $ocb attr-dict";
  let hasTemplateArgs = 1;
}

def TTKernel_UnaryBcastOp
    : TTKernel_ComputeCallOp<"unary_bcast", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "unary_bcast<BroadcastType>(icb, tile, dst): a waited tile, broadcast, into DST";
  let description = [{
    `row` replicates the tile's row 0 down all rows, `col` its column 0
    across all columns, `scalar` its element (0, 0).

    ```mlir
    ttkernel.unary_bcast col %cb, %tile, %dst
    ```
  }];
  let arguments = (ins TTKernel_CBType:$icb, I32:$tile, I32:$dst,
                       TTKernel_BcastKind:$kind);
  let assemblyFormat = "$kind $icb `,` $tile `,` $dst attr-dict";
  let hasTemplateArgs = 1;
}

//===----------------------------------------------------------------------===//
// Compute: FPU binary ops on CB tiles
//===----------------------------------------------------------------------===//

class TTKernel_FPUBinaryOp<string mnemonic>
    : TTKernel_ComputeCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(icb0, icb1, itile0, itile1, idst)";
  let arguments = (ins TTKernel_CBType:$icb0, TTKernel_CBType:$icb1,
                       I32:$itile0, I32:$itile1, I32:$idst);
  let assemblyFormat = [{
    $icb0 `,` $icb1 `,` $itile0 `,` $itile1 `,` $idst attr-dict
  }];
}

// The init and tile ops of an FPU binary op `fpu` (add, sub, mul), plain and
// broadcast: rows = row 0 of icb1 for every row, cols = column 0 of icb1
// for every column, scalar = element (0, 0).
multiclass TTKernel_FPUBinary<string fpu> {
  def InitOp : TTKernel_CB2InitOp<fpu # "_init">;
  def TilesOp : TTKernel_FPUBinaryOp<fpu # "_tiles">;
  def BcastRowsInitOp : TTKernel_CB2InitOp<fpu # "_bcast_rows_init">;
  def TilesBcastRowsOp : TTKernel_FPUBinaryOp<fpu # "_tiles_bcast_rows">;
  def BcastColsInitOp : TTKernel_CB2InitOp<fpu # "_bcast_cols_init">;
  def TilesBcastColsOp : TTKernel_FPUBinaryOp<fpu # "_tiles_bcast_cols">;
  def BcastScalarInitOp : TTKernel_CB2InitOp<fpu # "_bcast_scalar_init">;
  def TilesBcastScalarOp : TTKernel_FPUBinaryOp<fpu # "_tiles_bcast_scalar">;
}

//===----------------------------------------------------------------------===//
// Compute: SFPU ops on DST
//===----------------------------------------------------------------------===//

// `params`: the call's scalar arguments after idst (float parameters as
// their IEEE bits), printed as `paramFormat`.
class TTKernel_SFPUUnaryOp<string mnemonic, dag params = (ins),
                           string paramFormat = "">
    : TTKernel_ComputeCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(idst, params...): in place on a DST tile";
  let arguments = !con((ins I32:$idst), params);
  let assemblyFormat = "$idst" # paramFormat # " attr-dict";
}

class TTKernel_SFPUBinaryOp<string mnemonic>
    : TTKernel_ComputeCallOp<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(idst0, idst1, odst)";
  let arguments = (ins I32:$idst0, I32:$idst1, I32:$odst);
  let assemblyFormat = "$idst0 `,` $idst1 `,` $odst attr-dict";
}

// One init (no operands) and one op per SFPU function, as in tt-metal.
multiclass TTKernel_SFPUUnary<string tile, dag params, string paramFormat,
                              string init> {
  def TileInitOp : TTKernel_NullaryCallOp<init>;
  def TileOp : TTKernel_SFPUUnaryOp<tile, params, paramFormat>;
}

multiclass TTKernel_SFPUBinary<string tile, string init> {
  def BinaryTileInitOp : TTKernel_NullaryCallOp<init>;
  def BinaryTileOp : TTKernel_SFPUBinaryOp<tile>;
}

// The tile ops of every entry of TTLElementwiseOps.def, generated from it.
include "ttlx/Dialect/TTKernel/IR/TTKernelElementwiseOps.td"

// exp_tile with its template flags (tt-metal's eltwise_unary/exp.h); the
// table's exp_tile_init / exp_tile are the default-flag calls.
def TTKernel_ExpTileInitFlaggedOp
    : TTKernel_ComputeCallOp<"exp_tile_init_flagged", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "exp_tile_init<approx, scale, input_clamping>()";
  let description = [{
    `scale` is the f32 bits of the input scale; `clamp` selects
    `InputClamping::ClampToNegative` (else `None`).

    ```mlir
    ttkernel.exp_tile_init_flagged {approx = true, clamp = true, scale = 1073741824 : i32}
    ```
  }];
  let callee = "exp_tile_init";
  let arguments = (ins BoolAttr:$approx, I32Attr:$scale, BoolAttr:$clamp);
  let assemblyFormat = "attr-dict";
  let hasTemplateArgs = 1;
}

def TTKernel_ExpTileFlaggedOp
    : TTKernel_ComputeCallOp<"exp_tile_flagged", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "exp_tile<approx, scale_en, input_clamping, iterations>(idst, VectorMode::RC, scale)";
  let description = [{
    `scale` is the bf16 bits of the input scale (used when `scale_en`); the
    DST index is a literal, as the call's arguments after it are.

    ```mlir
    ttkernel.exp_tile_flagged {approx = false, clamp = true, idst = 0 : i32, iterations = 8 : i32, scale = 16384 : i32, scale_en = true}
    ```
  }];
  let callee = "exp_tile";
  let arguments = (ins I32Attr:$idst, BoolAttr:$approx, BoolAttr:$scale_en,
                       BoolAttr:$clamp, I32Attr:$iterations, I32Attr:$scale);
  let assemblyFormat = "attr-dict";
  let hasTemplateArgs = 1;
  let hasLiteralArgs = 1;
}

def TTKernel_FillTileInitOp : TTKernel_NullaryCallOp<"fill_tile_init">;
def TTKernel_FillTileOp
    : TTKernel_ComputeCallOp<"fill_tile", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "fill_tile(idst, value): every element of a DST tile";
  let arguments = (ins I32:$idst, F32:$value);
  let assemblyFormat = "$idst `,` $value attr-dict";
}

//===----------------------------------------------------------------------===//
// Compute: reductions
//===----------------------------------------------------------------------===//

def TTKernel_PoolType : I32EnumAttr<"PoolType", "reduction", [
    I32EnumAttrCase<"Sum", 0, "sum">,
    I32EnumAttrCase<"Max", 1, "max">]> {
  let cppNamespace = "::mlir::ttkernel";
}

def TTKernel_ReduceDim : I32EnumAttr<"ReduceDim", "reduced dimension", [
    I32EnumAttrCase<"Row", 0, "row">,
    I32EnumAttrCase<"Col", 1, "col">,
    I32EnumAttrCase<"Scalar", 2, "scalar">]> {
  let cppNamespace = "::mlir::ttkernel";
}

def TTKernel_ReduceInitOp
    : TTKernel_ComputeCallOp<"reduce_init", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "reduce_init<PoolType, ReduceDim>(icb, icb_scaler, ocb)";
  let arguments = (ins TTKernel_CBType:$icb, TTKernel_CBType:$icbScaler,
                       TTKernel_CBType:$ocb, TTKernel_PoolType:$reduceType,
                       TTKernel_ReduceDim:$reduceDim);
  let assemblyFormat = [{
    $reduceType $reduceDim $icb `,` $icbScaler `,` $ocb attr-dict
  }];
  let hasTemplateArgs = 1;
}

def TTKernel_ReduceTileOp
    : TTKernel_ComputeCallOp<"reduce_tile", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "reduce_tile<PoolType, ReduceDim>(icb, icb_scaler, itile, itile_scaler, idst)";
  let description = [{
    Accumulates into DST: row reductions land in column 0, column
    reductions in row 0, scalar ones in (0, 0); the rest of the tile is zero.
    Each input element is multiplied by the scaler tile's element (0, 0).

    ```mlir
    ttkernel.reduce_tile sum row %in, %scaler, %i, %c0, %dst
    ```
  }];
  let arguments = (ins TTKernel_CBType:$icb, TTKernel_CBType:$icbScaler,
                       I32:$itile, I32:$itileScaler, I32:$idst,
                       TTKernel_PoolType:$reduceType,
                       TTKernel_ReduceDim:$reduceDim);
  let assemblyFormat = [{
    $reduceType $reduceDim $icb `,` $icbScaler `,` $itile `,` $itileScaler `,` $idst attr-dict
  }];
  let hasTemplateArgs = 1;
}

def TTKernel_ReduceUninitOp : TTKernel_NullaryCallOp<"reduce_uninit">;

//===----------------------------------------------------------------------===//
// Compute: SFPU ternary where
//===----------------------------------------------------------------------===//

def TTKernel_WhereTileInitOp : TTKernel_NullaryCallOp<"where_tile_init">;

def TTKernel_WhereTileOp
    : TTKernel_ComputeCallOp<"where_tile", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "where_tile<DataFormat>(cond, true, false, out) on DST tiles";
  let description = [{
    `fp32` selects `DataFormat::Float32`, else `DataFormat::Float16_b`.

    ```mlir
    ttkernel.where_tile %c0, %c1, %c2, %c0 {fp32}
    ```
  }];
  let arguments = (ins I32:$cond, I32:$onTrue, I32:$onFalse, I32:$out, UnitAttr:$fp32);
  let assemblyFormat = "$cond `,` $onTrue `,` $onFalse `,` $out attr-dict";
  let hasTemplateArgs = 1;
}

//===----------------------------------------------------------------------===//
// Compute: matmul
//===----------------------------------------------------------------------===//

def TTKernel_MatmulInitOp
    : TTKernel_ComputeCallOp<"matmul_init", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "matmul_init(in0_cb, in1_cb): configure unpack and math for matmul_tiles";
  let arguments = (ins TTKernel_CBType:$in0, TTKernel_CBType:$in1);
  let assemblyFormat = "$in0 `,` $in1 attr-dict";
}

def TTKernel_MatmulTilesOp
    : TTKernel_ComputeCallOp<"matmul_tiles", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "matmul_tiles(in0_cb, in1_cb, in0_tile, in1_tile, dst): DST[dst] += A @ B";
  let arguments = (ins TTKernel_CBType:$in0, TTKernel_CBType:$in1, I32:$in0Tile,
                       I32:$in1Tile, I32:$dst);
  let assemblyFormat = "$in0 `,` $in1 `,` $in0Tile `,` $in1Tile `,` $dst attr-dict";
}

//===----------------------------------------------------------------------===//
// Compute: tilize and untilize (api/compute/tilize.h, pack_untilize.h)
//===----------------------------------------------------------------------===//

def TTKernel_TilizeInitOp
    : TTKernel_ComputeCallOp<"tilize_init", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "tilize_init(icb, block, ocb): configure unpack, math and pack for tilize_block";
  let description = [{
    Sets the unpacker's srcA to `icb`'s format and the packer to `ocb`'s,
    for `tilize_block` calls of rows `block` tiles wide.

    ```mlir
    ttkernel.tilize_init %in, %block, %out
    ```
  }];
  let arguments = (ins TTKernel_CBType:$icb, I32:$block, TTKernel_CBType:$ocb);
  let assemblyFormat = "$icb `,` $block `,` $ocb attr-dict";
  let hasVerifier = 1;
}

def TTKernel_TilizeBlockOp
    : TTKernel_ComputeCallOp<"tilize_block", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "tilize_block(icb, block, ocb, input_tile_index, output_tile_index): one row of tiles";
  let description = [{
    Reads 32 rows of `block` * 32 elements, row-major from the waited pages
    of `icb` (the row of tiles `input_tile_index / block`, as the
    unpacker's tilize addresses it: it starts `input_tile_index / block`
    such rows after the read pointer), and packs them as `block` tiles of
    four 16x16 faces into the reserved pages of `ocb`, from tile
    `output_tile_index` on. Each tile goes through DST on its own (the
    call acquires and releases the registers itself): outside
    `tile_regs_acquire` / `tile_regs_release`.

    ```mlir
    ttkernel.tilize_block %in, %block, %out, %first, %first
    ```
  }];
  let arguments = (ins TTKernel_CBType:$icb, I32:$block, TTKernel_CBType:$ocb,
                       I32:$inputTileIndex, I32:$outputTileIndex);
  let assemblyFormat = [{
    $icb `,` $block `,` $ocb `,` $inputTileIndex `,` $outputTileIndex attr-dict
  }];
  let hasVerifier = 1;
}

def TTKernel_TilizeUninitOp
    : TTKernel_ComputeCallOp<"tilize_uninit", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "tilize_uninit(icb, ocb): undo tilize_init before another op's init";
  let arguments = (ins TTKernel_CBType:$icb, TTKernel_CBType:$ocb);
  let assemblyFormat = "$icb `,` $ocb attr-dict";
}

def TTKernel_PackUntilizeInitOp
    : TTKernel_ComputeCallOp<"pack_untilize_init", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "pack_untilize_init<block_ct_dim, full_ct_dim>(icb, ocb)";
  let description = [{
    Configures unpack, math and pack for `pack_untilize_block` of blocks
    `block_ct_dim` tiles wide out of rows `full_ct_dim` tiles wide (a
    multiple of it). A block goes through DST whole: `block_ct_dim` is at
    most the 8 tiles of a 16-bit DST (4 with fp32 accumulation, which the
    runtime checks).

    ```mlir
    ttkernel.pack_untilize_init<2, 4> %in, %out
    ```
  }];
  let arguments = (ins TTKernel_CBType:$icb, TTKernel_CBType:$ocb,
                       ConfinedAttr<I32Attr, [IntPositive]>:$blockCtDim,
                       ConfinedAttr<I32Attr, [IntPositive]>:$fullCtDim);
  let assemblyFormat = "`<` $blockCtDim `,` $fullCtDim `>` $icb `,` $ocb attr-dict";
  let hasTemplateArgs = 1;
  let hasVerifier = 1;
}

def TTKernel_PackUntilizeBlockOp
    : TTKernel_ComputeCallOp<"pack_untilize_block", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "pack_untilize_block<block_ct_dim, full_ct_dim>(icb, block_rt_dim, ocb, block_c_index)";
  let description = [{
    For each of `block_rt_dim` rows: the waited tiles 0 to `block_ct_dim`
    - 1 of `icb` (from its read pointer) into DST, then packed row-major
    into the reserved pages of `ocb` from its write pointer, 32 rows of
    `full_ct_dim` * 32 elements, at column `block_c_index` * `block_ct_dim`
    * 32. (Neither pointer moves between rows: a kernel untilizing several
    rows of tiles pops and pushes them between calls.) The call acquires
    and releases DST itself.

    ```mlir
    ttkernel.pack_untilize_block<2, 4> %in, %rows, %out, %index
    ```
  }];
  let arguments = (ins TTKernel_CBType:$icb, I32:$blockRtDim, TTKernel_CBType:$ocb,
                       I32:$blockCIndex,
                       ConfinedAttr<I32Attr, [IntPositive]>:$blockCtDim,
                       ConfinedAttr<I32Attr, [IntPositive]>:$fullCtDim);
  let assemblyFormat = [{
    `<` $blockCtDim `,` $fullCtDim `>` $icb `,` $blockRtDim `,` $ocb `,` $blockCIndex attr-dict
  }];
  let hasTemplateArgs = 1;
  let hasVerifier = 1;
}

def TTKernel_PackUntilizeUninitOp
    : TTKernel_ComputeCallOp<"pack_untilize_uninit", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "pack_untilize_uninit(ocb): undo pack_untilize_init before another op's init";
  let arguments = (ins TTKernel_CBType:$ocb);
  let assemblyFormat = "$ocb attr-dict";
}

//===----------------------------------------------------------------------===//
// User C++
//===----------------------------------------------------------------------===//

def TTKernel_OpaqueCallOp : TTKernel_Op<"opaque_call", [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "callee<template args...>(args...) of a user header";
  let description = [{
    A call of a function of the user's C++ `header` (an absolute path,
    included by the kernel after the tt-metal API headers). Template
    arguments are C++ source text; a `ttlang::DFBDescriptor<...>` among them
    makes the kernel define that template (`ttlang::DFBDescriptor<index,
    pages_per_block, block_count, page_size>`, each a `static constexpr
    uint32_t` member) before the header.

    ```mlir
    ttkernel.opaque_call "inspect" header "/src/inspect.hpp"
        template_args ["ttlang::DFBDescriptor<get_compile_time_arg_val(0), 1, 1, 2048>"]
        (%cb : !ttkernel.cb)
    ```
  }];
  let arguments = (ins StrAttr:$callee, StrAttr:$header, StrArrayAttr:$template_args,
                       Variadic<AnyTypeOf<[TTKernel_CBType, AnyInteger, Index,
                                           TTKernel_TensorAccessorType]>>:$args);
  let assemblyFormat = [{
    $callee `header` $header `template_args` $template_args
    `(` ($args^ `:` qualified(type($args)))? `)` attr-dict
  }];
}

#endif // TTLX_DIALECT_TTKERNEL_IR_TTKERNELOPS_TD
