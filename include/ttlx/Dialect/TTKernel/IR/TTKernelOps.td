//===- TTKernelOps.td - TTKernel operations ----------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTKERNEL_IR_TTKERNELOPS_TD
#define TTLX_DIALECT_TTKERNEL_IR_TTKERNELOPS_TD

include "ttlx/Dialect/TTKernel/IR/TTKernelBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Kernel arguments and core coordinates
//===----------------------------------------------------------------------===//

def TTKernel_GetCompileTimeArgValOp
    : TTKernel_Op<"get_compile_time_arg_val", [Pure]> {
  let summary = "get_compile_time_arg_val(index)";
  let description = [{
    ```mlir
    %cb = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$index);
  let results = (outs AnyTypeOf<[I32, TTKernel_CBType]>:$result);
  let assemblyFormat = "$index attr-dict `:` qualified(type($result))";
}

def TTKernel_GetArgValOp : TTKernel_Op<"get_arg_val", [Pure]> {
  let summary = "get_arg_val<uint32_t>(index): a runtime argument";
  let description = [{
    ```mlir
    %addr = ttkernel.get_arg_val 0 : i32
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$index);
  let results = (outs I32:$result);
  let assemblyFormat = "$index attr-dict `:` qualified(type($result))";
}

class TTKernel_CoordOp<string mnemonic, string call>
    : TTKernel_Op<mnemonic, [Pure]> {
  let summary = call # ": logical coordinate of this core";
  let results = (outs Index:$result);
  let assemblyFormat = "attr-dict";
}

def TTKernel_MyLogicalXOp : TTKernel_CoordOp<"my_logical_x", "get_absolute_logical_x()">;
def TTKernel_MyLogicalYOp : TTKernel_CoordOp<"my_logical_y", "get_absolute_logical_y()">;

//===----------------------------------------------------------------------===//
// Circular buffers
//===----------------------------------------------------------------------===//

class TTKernel_CBPagesOp<string mnemonic>
    : TTKernel_Op<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(cb, num_pages)";
  let arguments = (ins TTKernel_CBType:$cb, I32:$numPages);
  let assemblyFormat = "$cb `,` $numPages attr-dict";
}

def TTKernel_CBReserveBackOp : TTKernel_CBPagesOp<"cb_reserve_back">;
def TTKernel_CBPushBackOp : TTKernel_CBPagesOp<"cb_push_back">;
def TTKernel_CBWaitFrontOp : TTKernel_CBPagesOp<"cb_wait_front">;
def TTKernel_CBPopFrontOp : TTKernel_CBPagesOp<"cb_pop_front">;

class TTKernel_CBQueryOp<string mnemonic>
    : TTKernel_Op<mnemonic, [MemoryEffects<[MemRead]>]> {
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
    : TTKernel_Op<"tensor_accessor_args", [Pure]> {
  let summary = "TensorAccessorArgs<cta_offset>()";
  let description = [{
    ```mlir
    %args = ttkernel.tensor_accessor_args 0
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$ctaOffset);
  let results = (outs TTKernel_TensorAccessorArgsType:$result);
  let assemblyFormat = "$ctaOffset attr-dict";
}

def TTKernel_TensorAccessorOp : TTKernel_Op<"tensor_accessor", [Pure]> {
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
}

class TTKernel_NocTileOp<string mnemonic>
    : TTKernel_Op<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "(id, addrgen, l1_addr)";
  let arguments = (ins I32:$id, TTKernel_TensorAccessorType:$addrgen, I32:$l1Addr);
  let assemblyFormat = "$id `,` $addrgen `,` $l1Addr attr-dict";
}

def TTKernel_NocAsyncReadTileOp : TTKernel_NocTileOp<"noc_async_read_tile">;
def TTKernel_NocAsyncWriteTileOp : TTKernel_NocTileOp<"noc_async_write_tile">;

class TTKernel_BarrierOp<string mnemonic>
    : TTKernel_Op<mnemonic, [MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = mnemonic # "()";
  let assemblyFormat = "attr-dict";
}

def TTKernel_NocAsyncReadBarrierOp : TTKernel_BarrierOp<"noc_async_read_barrier">;
def TTKernel_NocAsyncWriteBarrierOp : TTKernel_BarrierOp<"noc_async_write_barrier">;

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

#endif // TTLX_DIALECT_TTKERNEL_IR_TTKERNELOPS_TD
