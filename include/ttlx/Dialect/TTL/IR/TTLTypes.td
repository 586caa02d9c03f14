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

def TTL_ElementType : TTL_Type<"Element", "element"> {
  let summary = "one bf16 or f32 element: the unit of a row-major block";
  let description = [{
    The element type of blocks of row-major DFBs, whose shapes count
    elements (tt-lang's DFBs of ROW_MAJOR_LAYOUT tensors), as `!ttl.tile`
    is that of tiled blocks. In L1 a row-major block is its elements in
    row-major order.

    ```mlir
    tensor<2x40x!ttl.element<bf16>>
    ```
  }];
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
  let genVerifyDecl = 1;
}

def TTL_DFBType : TTL_Type<"DFB", "dfb"> {
  let summary = "a dataflow buffer (upstream tt-lang's !ttl.cb)";
  let description = [{
    A dataflow buffer holds `blockCount` blocks of `shape` units of
    `elementType`. Tiled (the default), a unit is a tile: the shape is
    tile rows x tile columns after any number of leading (batch)
    dimensions, as tt-lang's DFB shapes of tiled tensors, and the tiles of
    a block lie in L1 in row-major order over the whole shape, one tile per
    page. `row_major` (tt-lang's DFBs of ROW_MAJOR_LAYOUT tensors) counts
    the shape in elements, of any rank: a block is a row-major array of
    elements from the start of its first page, over as many tile-sized
    pages as it fills (the last one's tail is padding), so that the compute
    engines, which unpack and pack whole tiles, run elementwise math on it
    in place. Producers `reserve` and `push` blocks, consumers `wait` and
    `pop` them.

    ```mlir
    !ttl.dfb<[1, 2], bf16, 2>             // two blocks of 1x2 bf16 tiles
    !ttl.dfb<[2, 1, 2], f32, 2>           // two blocks of 2 batches of 1x2 tiles
    !ttl.dfb<[2, 40], bf16, 2, row_major> // two blocks of 2x40 bf16 elements
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$shape,
                        "::mlir::Type":$elementType,
                        "int64_t":$blockCount,
                        TTL_LayoutParameter:$layout);
  let assemblyFormat =
      "`<` `[` $shape `]` `,` $elementType `,` $blockCount (`,` $layout^)? `>`";
  let genVerifyDecl = 1;
  let builders = [
    TypeBuilder<(ins "::llvm::ArrayRef<int64_t>":$shape,
                     "::mlir::Type":$elementType, "int64_t":$blockCount), [{
      return $_get($_ctxt, shape, elementType, blockCount,
                   ::mlir::ttl::Layout::Tile);
    }]>
  ];
  let extraClassDeclaration = [{
    bool isRowMajor() const { return getLayout() == ::mlir::ttl::Layout::RowMajor; }
    /// The type of one block: tensor<...xRxCx!ttl.tile<elementType>>, or
    /// tensor<...x!ttl.element<elementType>> when row-major.
    ::mlir::RankedTensorType getBlockType() const;
    /// Number of DFB pages in one block: its tiles, or when row-major the
    /// tile-sized pages its elements fill (see getComputeTileShape).
    int64_t getPagesPerBlock() const;
    /// Bytes of one DFB page: a tile of the element type.
    int64_t getPageSizeInBytes() const;
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

// A block of any rank (leading batch dimensions, then tile rows and tile
// columns): what DFBs hold, copies move and elementwise math computes on.
def TTL_AnyBlock : Type<
    And<[IsTensorTypePred, HasStaticShapePred,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() >= 2">,
         CPred<"::llvm::isa<::mlir::ttl::TileType>("
               "::llvm::cast<::mlir::ShapedType>($_self).getElementType())">]>,
    "block (static tensor of !ttl.tile with at least 2 dimensions)",
    "::mlir::RankedTensorType">;

// A 2-d block (tile rows x tile columns): what element access and the ops
// that index tiles by row and column (matmul, reductions, broadcasts,
// transpose, the fused ops) take.
def TTL_Block : Type<
    And<[IsTensorTypePred, HasStaticShapePred,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() == 2">,
         CPred<"::llvm::isa<::mlir::ttl::TileType>("
               "::llvm::cast<::mlir::ShapedType>($_self).getElementType())">]>,
    "block (2-d static tensor of !ttl.tile)", "::mlir::RankedTensorType">;

// A block of a row-major DFB: a static tensor of !ttl.element of any rank
// (its shape in elements).
def TTL_RowMajorBlock : Type<
    And<[IsTensorTypePred, HasStaticShapePred,
         CPred<"::llvm::cast<::mlir::RankedTensorType>($_self).getRank() >= 1">,
         CPred<"::llvm::isa<::mlir::ttl::ElementType>("
               "::llvm::cast<::mlir::ShapedType>($_self).getElementType())">]>,
    "row-major block (static tensor of !ttl.element)",
    "::mlir::RankedTensorType">;

// What a DFB acquire gives and a copy moves: a tiled or a row-major block.
def TTL_DFBBlock : AnyTypeOf<[TTL_AnyBlock, TTL_RowMajorBlock],
    "block (static tensor of !ttl.tile, or of !ttl.element when row-major)",
    "::mlir::RankedTensorType">;

// Tiled (no encoding): leading dimensions are batch dimensions, the last two
// hold whole tiles. Row-major (#ttl.layout<row_major>): any rank, in elements.
def TTL_DRAMTensor : Type<
    And<[IsTensorTypePred, HasStaticShapePred,
         CPred<"::mlir::ttl::isDRAMTensorLayoutValid("
               "::llvm::cast<::mlir::RankedTensorType>($_self))">,
         CPred<"::llvm::cast<::mlir::ShapedType>($_self).getElementType()"
               ".isBF16() || ::llvm::cast<::mlir::ShapedType>($_self)"
               ".getElementType().isF32()">]>,
    "static bf16 or f32 DRAM tensor: tiled of at least 2 dimensions, or "
    "row-major (#ttl.layout<row_major>) of at least 1",
    "::mlir::RankedTensorType">;

def TTL_Scalar : AnyTypeOf<[BF16, F32], "bf16 or f32 scalar">;
def TTL_PrintArg : AnyTypeOf<[Index, I32, I1, BF16, F32], "index, i32, i1, bf16 or f32 scalar">;

#endif // TTLX_DIALECT_TTL_IR_TTLTYPES_TD
