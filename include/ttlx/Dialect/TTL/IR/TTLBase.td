//===- TTLBase.td - TTL dialect definition -----------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_IR_TTLBASE_TD
#define TTLX_DIALECT_TTL_IR_TTLBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def TTL_Dialect : Dialect {
  let name = "ttl";
  let cppNamespace = "::mlir::ttl";
  let summary = "TT-Lang kernel dialect: dataflow buffers, blocks, copies and "
                "scalar element access";
  let description = [{
    The TTL dialect captures a TT-Lang kernel as written: one function per
    thread (`ttl.thread = #ttl.thread<datamovement>` or `<compute>`), dataflow
    buffers (DFBs) that threads hand blocks through with the
    reserve/push (producer) and wait/pop (consumer) protocol, copies between
    DRAM tensor slices and blocks, and scalar access to single elements of a
    block from data-movement threads.

    ```mlir
    func.func @reader(%t: tensor<32x32xbf16>)
        attributes {ttl.thread = #ttl.thread<datamovement>} {
      %c0 = arith.constant 0 : index
      %dfb = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
      %blk = ttl.dfb_reserve %dfb : !ttl.dfb<[1, 1], bf16, 2>
      %xf = ttl.copy_to_block %t[%c0, %c0], %blk
          : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
      ttl.wait %xf : !ttl.transfer_handle<read>
      %v = ttl.element_read %blk[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
      ttl.dfb_push %dfb : !ttl.dfb<[1, 1], bf16, 2>
      return
    }
    ```
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerTypes();

    /// Name of the function attribute that says which thread a function is.
    static constexpr ::llvm::StringLiteral getThreadAttrName() {
      return ::llvm::StringLiteral("ttl.thread");
    }
    /// Name of the function attribute holding the (x, y) grid size.
    static constexpr ::llvm::StringLiteral getGridAttrName() {
      return ::llvm::StringLiteral("ttl.grid");
    }
    /// Name of the unit function attribute that gives a compute thread a
    /// 32-bit DST (fp32 accumulation; half the DST tiles).
    static constexpr ::llvm::StringLiteral getFp32DestAccAttrName() {
      return ::llvm::StringLiteral("ttl.fp32_dest_acc");
    }
    /// Name of the function attribute giving the index of the thread's first
    /// DFB compile-time argument.
    static constexpr ::llvm::StringLiteral getBaseCTAIndexAttrName() {
      return ::llvm::StringLiteral("ttl.base_cta_index");
    }
  }];
}

class TTL_Op<string mnemonic, list<Trait> traits = []>
    : Op<TTL_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Enums and attributes
//===----------------------------------------------------------------------===//

def TTL_ThreadKind : I32EnumAttr<"ThreadKind", "kind of kernel thread", [
    I32EnumAttrCase<"DataMovement", 0, "datamovement">,
    I32EnumAttrCase<"Compute", 1, "compute">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::ttl";
}

def TTL_ThreadAttr : EnumAttr<TTL_Dialect, TTL_ThreadKind, "thread"> {
  let summary = "which Tensix thread a kernel function runs on";
  let assemblyFormat = "`<` $value `>`";
}

def TTL_TransferKind : I32EnumAttr<"TransferKind", "direction of a transfer", [
    I32EnumAttrCase<"Read", 0, "read">,
    I32EnumAttrCase<"Write", 1, "write">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::ttl";
}

#endif // TTLX_DIALECT_TTL_IR_TTLBASE_TD
