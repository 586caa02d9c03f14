//===- TTLTypes.td - TTL types -----------------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_IR_TTLTYPES_TD
#define TTLX_DIALECT_TTL_IR_TTLTYPES_TD

include "ttlx/Dialect/TTL/IR/TTLBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

class TTL_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<TTL_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def TTL_TileType : TTL_Type<"Tile", "tile"> {
  let summary = "a 32x32 tile of bf16 or f32 elements";
  let description = [{
    The element type of blocks. In L1 a tile is four 16x16 faces in row-major
    face order, each face row-major.

    ```mlir
    tensor<1x2x!ttl.tile<bf16>>
    ```
  }];
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    static constexpr int64_t kRows = ::ttlx_hw::kTileRows;
    static constexpr int64_t kCols = ::ttlx_hw::kTileCols;
    /// Bytes one tile takes in L1 and DRAM.
    int64_t getSizeInBytes() const {
      return kRows * kCols * getElementType().getIntOrFloatBitWidth() / 8;
    }
  }];
}

def TTL_DFBType : TTL_Type<"DFB", "dfb"> {
  let summary = "a dataflow buffer (upstream tt-lang's !ttl.cb)";
  let description = [{
    A dataflow buffer holds `blockCount` blocks of `shape` tiles (rows x
    columns) of `elementType`. Producers `reserve` and `push` blocks,
    consumers `wait` and `pop` them.

    ```mlir
    !ttl.dfb<[1, 2], bf16, 2>   // two blocks of 1x2 bf16 tiles
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$shape,
                        "::mlir::Type":$elementType,
                        "int64_t":$blockCount);
  let assemblyFormat = "`<` `[` $shape `]` `,` $elementType `,` $blockCount `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The type of one block: tensor<RxCx!ttl.tile<elementType>>.
    ::mlir::RankedTensorType getBlockType() const;
    /// Number of tiles (DFB pages) in one block.
    int64_t getTilesPerBlock() const;
  }];
}

def TTL_TransferHandleType : TTL_Type<"TransferHandle", "transfer_handle"> {
  let summary = "handle of an asynchronous copy, waited on with ttl.wait";
  let description = [{
    ```mlir
    !ttl.transfer_handle<read>    // DRAM -> block
    !ttl.transfer_handle<write>   // block -> DRAM
    ```
  }];
  let parameters = (ins EnumParameter<TTL_TransferKind>:$kind);
  let assemblyFormat = "`<` $kind `>`";
}

def TTL_Block : Type<
    And<[IsTensorTypePred, HasStaticShapePred,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 2">,
         CPred<"::llvm::isa<::mlir::ttl::TileType>("
               "::llvm::cast<::mlir::ShapedType>($_self).getElementType())">]>,
    "block (2-d static tensor of !ttl.tile)", "::mlir::RankedTensorType">;

def TTL_DRAMTensor : Type<
    And<[IsTensorTypePred, HasStaticShapePred,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 2">,
         CPred<"::llvm::cast<::mlir::ShapedType>($_self).getElementType()"
               ".isBF16() || ::llvm::cast<::mlir::ShapedType>($_self)"
               ".getElementType().isF32()">]>,
    "2-d static bf16 or f32 DRAM tensor", "::mlir::RankedTensorType">;

def TTL_Scalar : AnyTypeOf<[BF16, F32], "bf16 or f32 scalar">;
def TTL_PrintArg : AnyTypeOf<[Index, I32, I1, BF16, F32], "index, i32, i1, bf16 or f32 scalar">;

#endif // TTLX_DIALECT_TTL_IR_TTLTYPES_TD
