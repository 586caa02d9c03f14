//===- TTLToTTKernel.cpp - TTL to TTKernel conversion -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "TTKernelValues.h"

#include "ttlx/Conversion/Passes.h"
#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/CopyShapes.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::ttlx {
#define GEN_PASS_DEF_CONVERTTTLTOTTKERNEL
#include "ttlx/Conversion/Passes.h.inc"
} // namespace mlir::ttlx

using namespace mlir;
using namespace mlir::ttl;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool isBlockType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<TileType, ElementType>(tensor.getElementType());
}

static Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}


/// Number of tensor arguments before `arg`, i.e. the TensorAccessorArgs slot
/// and runtime-argument index of a DRAM tensor argument.
static int64_t tensorSlot(BlockArgument arg) {
  auto func = cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  return llvm::count_if(func.getArgumentTypes().take_front(arg.getArgNumber()),
                        [](Type t) { return isa<RankedTensorType>(t); });
}


/// Element offset of (row, col) inside a block of `blockCols` tiles per row:
/// tiles row-major, four 16x16 faces per tile in row-major face order.
/// Computed in i32 with shifts and masks (cheap on the RISC-V data-movement
/// cores; arith-to-emitc has no bitwise ops on index).
static Value elementOffset(OpBuilder &b, Location loc, Value row, Value col,
                           int64_t blockCols) {
  row = b.createOrFold<arith::IndexCastOp>(loc, b.getI32Type(), row);
  col = b.createOrFold<arith::IndexCastOp>(loc, b.getI32Type(), col);
  auto shr = [&](Value v, int64_t bits) {
    return b.createOrFold<arith::ShRUIOp>(loc, v, i32Const(b, loc, bits));
  };
  auto mask = [&](Value v, int64_t m) {
    return b.createOrFold<arith::AndIOp>(loc, v, i32Const(b, loc, m));
  };
  auto mul = [&](Value v, int64_t m) {
    return b.createOrFold<arith::MulIOp>(loc, v, i32Const(b, loc, m));
  };
  auto add = [&](Value x, Value y) {
    return b.createOrFold<arith::AddIOp>(loc, x, y);
  };
  using namespace ttlx_hw;
  static_assert(llvm::isPowerOf2_32(kTileRows) &&
                    llvm::isPowerOf2_32(kTileCols) &&
                    llvm::isPowerOf2_32(kFaceRows) &&
                    llvm::isPowerOf2_32(kFaceCols),
                "element offsets use shifts and masks");
  constexpr int64_t facesPerRow = kTileCols / kFaceCols;
  constexpr int64_t faceRowsPerTile = kTileRows / kFaceRows;
  // tile = (r/32) * blockCols + c/32
  Value tile = add(mul(shr(row, llvm::Log2_32(kTileRows)), blockCols),
                   shr(col, llvm::Log2_32(kTileCols)));
  // face = ((r%32)/16) * 2 + (c%32)/16
  Value face =
      add(mul(mask(shr(row, llvm::Log2_32(kFaceRows)), faceRowsPerTile - 1),
              facesPerRow),
          mask(shr(col, llvm::Log2_32(kFaceCols)), facesPerRow - 1));
  // inFace = (r%16) * 16 + c%16
  Value inFace =
      add(mul(mask(row, kFaceRows - 1), kFaceCols), mask(col, kFaceCols - 1));
  return add(add(mul(tile, kTileRows * kTileCols),
                 mul(face, kFaceRows * kFaceCols)),
             inFace);
}

//===----------------------------------------------------------------------===//
// Type converter
//===----------------------------------------------------------------------===//

TTLToTTKernelTypeConverter::TTLToTTKernelTypeConverter(MLIRContext *context) {
  addConversion([](Type type) { return type; });
  addConversion([context](DFBType) -> Type {
    return ttkernel::CBType::get(context);
  });
  addConversion([context](RankedTensorType type) -> Type {
    if (isBlockType(type))
      return IntegerType::get(context, 32);
    return type;
  });
  addConversion([](TransferHandleType, SmallVectorImpl<Type> &) {
    return success();
  });
}

//===----------------------------------------------------------------------===//
// DFB protocol
//===----------------------------------------------------------------------===//

namespace {
struct BindDFBLowering : OpConversionPattern<BindDFBOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BindDFBOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<ttkernel::GetCompileTimeArgValOp>(
        op, ttkernel::CBType::get(getContext()), getDFBCompileTimeArgIndex(op));
    return success();
  }
};

/// reserve/wait: acquire the block's pages, then the block is its address.
template <typename SourceOp, typename AcquireOp, typename PointerOp>
struct DFBAcquireLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto dfbType = cast<DFBType>(op.getDfb().getType());
    Value pages = i32Const(rewriter, loc, dfbType.getPagesPerBlock());
    AcquireOp::create(rewriter, loc, adaptor.getDfb(), pages);
    rewriter.replaceOpWithNewOp<PointerOp>(op, rewriter.getI32Type(),
                                           adaptor.getDfb());
    return success();
  }
};

template <typename SourceOp, typename ReleaseOp>
struct DFBReleaseLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dfbType = cast<DFBType>(op.getDfb().getType());
    Value pages = i32Const(rewriter, op.getLoc(), dfbType.getPagesPerBlock());
    rewriter.replaceOpWithNewOp<ReleaseOp>(op, adaptor.getDfb(), pages);
    return success();
  }
};

/// publish: reserve and push the whole capacity; the bytes are in place.
struct DFBPublishLowering : OpConversionPattern<DFBPublishOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DFBPublishOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dfbType = cast<DFBType>(op.getDfb().getType());
    Value pages =
        i32Const(rewriter, op.getLoc(),
                 dfbType.getPagesPerBlock() * dfbType.getBlockCount());
    ttkernel::CBReserveBackOp::create(rewriter, op.getLoc(), adaptor.getDfb(),
                                      pages);
    rewriter.replaceOpWithNewOp<ttkernel::CBPushBackOp>(op, adaptor.getDfb(),
                                                        pages);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Run-time coordinate checks
//===----------------------------------------------------------------------===//

/// ASSERT(coordinate[d] < limit[d] for every d), unsigned so negatives fail
/// too; the message is "<op> at file:line:col: <detail>", the user's line.
static void assertCoordinatesBelow(ConversionPatternRewriter &rewriter,
                                   Operation *op, ValueRange coordinates,
                                   ArrayRef<int64_t> limits,
                                   llvm::function_ref<void(raw_ostream &)> detail) {
  Location loc = op->getLoc();
  Value ok;
  for (auto [coordinate, limit] : llvm::zip(coordinates, limits)) {
    Value below =
        arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult,
                              coordinate, indexConst(rewriter, loc, limit));
    ok = ok ? arith::AndIOp::create(rewriter, loc, ok, below).getResult()
            : below;
  }
  std::string message;
  llvm::raw_string_ostream os(message);
  os << op->getName();
  if (auto file = loc->findInstanceOf<FileLineColLoc>())
    os << " at " << file.getFilename().getValue() << ":" << file.getLine()
       << ":" << file.getColumn();
  os << ": ";
  detail(os);
  ttkernel::AssertOp::create(rewriter, loc, ok, rewriter.getStringAttr(message));
}

//===----------------------------------------------------------------------===//
// Copies
//===----------------------------------------------------------------------===//

/// A block copied at `starts` must lie inside the tensor: a column past its
/// width would otherwise address the next row's pages. Unless every start
/// is a constant inside it, ASSERT(start[d] <= size[d] - extent[d]),
/// unsigned so negatives fail too.
static void checkTileRange(ConversionPatternRewriter &rewriter, Operation *op,
                           ValueRange starts, RankedTensorType blockType,
                           RankedTensorType tensorType) {
  SmallVector<int64_t> units = tensorUnits(tensorType);
  // The verifier checked that the block aligns with the tensor.
  SmallVector<int64_t> extent =
      *alignedSliceShape(blockType.getShape(), tensorType.getRank());
  SmallVector<int64_t> limits;
  bool inside = true;
  for (auto [start, size, ext] : llvm::zip(starts, units, extent)) {
    limits.push_back(size - ext + 1);
    APInt v;
    inside &= matchPattern(start, m_ConstantInt(&v)) && v.getSExtValue() >= 0 &&
              v.getSExtValue() + ext <= size;
  }
  if (inside)
    return;
  StringRef unit = isRowMajorTensor(tensorType) ? "elements" : "tiles";
  assertCoordinatesBelow(rewriter, op, starts, limits, [&](raw_ostream &os) {
    if (units.size() == 2 && unit == "tiles") {
      int64_t rows = units[0], cols = units[1], h = extent[0], w = extent[1];
      os << "a block of " << h << "x" << w
         << " tiles at a tile row or column outside the tensor of " << rows
         << "x" << cols << " tiles (rows 0.." << rows - h << ", columns 0.."
         << cols - w << " can start a block)";
      return;
    }
    os << "a block of ";
    llvm::interleave(blockType.getShape(), os, "x");
    os << " " << unit << " at coordinates outside the tensor of ";
    llvm::interleave(units, os, "x");
    os << " " << unit << " (starts 0..";
    llvm::interleave(limits, os, [&](int64_t l) { os << l - 1; }, ", 0..");
    os << " can start a block)";
  });
}

/// The `!ttkernel.tensor_accessor` of DRAM tensor argument `arg`, set up
/// at the thread's entry the first time a copy needs it: bank address in
/// runtime arg k, TensorAccessorArgs at compile-time arg k (k counting
/// tensor arguments), one tile per page (one row of the last dimension
/// when the tensor is row-major).
static Value getOrCreateTensorAccessor(OpBuilder &b, BlockArgument arg) {
  int64_t slot = tensorSlot(arg);
  Block *entry = arg.getOwner();
  for (auto accessor : entry->getOps<ttkernel::TensorAccessorOp>()) {
    auto args =
        accessor.getArgs().getDefiningOp<ttkernel::TensorAccessorArgsOp>();
    if (args && args.getCtaOffset() ==
                    slot * ttlx_hw::kCompileTimeArgsPerTensor)
      return accessor;
  }
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(entry);
  Location loc = arg.getLoc();
  auto type = cast<RankedTensorType>(arg.getType());
  int64_t elementBytes = type.getElementType().getIntOrFloatBitWidth() / 8;
  int64_t pageBytes = isRowMajorTensor(type)
                          ? type.getShape().back() * elementBytes
                          : TileType::kRows * TileType::kCols * elementBytes;
  Value address = ttkernel::GetArgValOp::create(
      b, loc, b.getI32Type(), slot * ttlx_hw::kRuntimeArgsPerTensor);
  Value args = ttkernel::TensorAccessorArgsOp::create(
      b, loc, ttkernel::TensorAccessorArgsType::get(b.getContext()),
      slot * ttlx_hw::kCompileTimeArgsPerTensor);
  Value page = i32Const(b, loc, pageBytes);
  return ttkernel::TensorAccessorOp::create(
      b, loc, ttkernel::TensorAccessorType::get(b.getContext()), args,
      address, page);
}

/// The page of a tensor of `units` holding coordinates `starts` + `offsets`
/// (one per leading dimension of the page grid): row-major over `units`.
static Value pageIndex(OpBuilder &b, Location loc, ValueRange starts,
                       ArrayRef<int64_t> offsets, ArrayRef<int64_t> units) {
  Value id;
  for (auto [start, offset, size] : llvm::zip(starts, offsets, units)) {
    Value coordinate =
        b.createOrFold<arith::AddIOp>(loc, start, indexConst(b, loc, offset));
    id = id ? b.createOrFold<arith::AddIOp>(
                  loc,
                  b.createOrFold<arith::MulIOp>(loc, id,
                                                indexConst(b, loc, size)),
                  coordinate)
            : coordinate;
  }
  return id ? id : indexConst(b, loc, 0);
}

/// A row-major copy: one NOC transfer per row of the slice (a row of the
/// tensor's last dimension is one page), from the slice's first column;
/// the block's rows lie one after another in L1.
static void lowerRowMajorCopy(ConversionPatternRewriter &rewriter,
                              Location loc, bool read, Value accessor,
                              Value address, ValueRange starts,
                              RankedTensorType blockType,
                              RankedTensorType tensorType) {
  SmallVector<int64_t> units = tensorUnits(tensorType);
  SmallVector<int64_t> extent =
      *alignedSliceShape(blockType.getShape(), tensorType.getRank());
  int64_t elementBytes =
      tensorType.getElementType().getIntOrFloatBitWidth() / 8;
  int64_t rowBytes = extent.back() * elementBytes;
  Value column = rewriter.createOrFold<arith::MulIOp>(
      loc, starts.back(), indexConst(rewriter, loc, elementBytes));
  Value columnBytes = rewriter.createOrFold<arith::IndexCastOp>(
      loc, rewriter.getI32Type(), column);
  ArrayRef<int64_t> rowExtent = ArrayRef<int64_t>(extent).drop_back();
  int64_t rows = 1;
  for (int64_t e : rowExtent)
    rows *= e;
  SmallVector<int64_t> offsets(rowExtent.size(), 0);
  for (int64_t r = 0; r < rows; ++r) {
    int64_t rest = r;
    for (int64_t d = static_cast<int64_t>(rowExtent.size()) - 1; d >= 0; --d) {
      offsets[d] = rest % rowExtent[d];
      rest /= rowExtent[d];
    }
    Value id = pageIndex(rewriter, loc, starts.drop_back(), offsets,
                         ArrayRef<int64_t>(units).drop_back());
    Value id32 = rewriter.createOrFold<arith::IndexCastOp>(
        loc, rewriter.getI32Type(), id);
    Value noc = ttkernel::GetNocAddrPageOp::create(
        rewriter, loc, rewriter.getI64Type(), id32, accessor, columnBytes);
    Value l1 = r == 0 ? address
                      : rewriter.createOrFold<arith::AddIOp>(
                            loc, address, i32Const(rewriter, loc, r * rowBytes));
    Value size = i32Const(rewriter, loc, rowBytes);
    if (read)
      ttkernel::NocAsyncReadOp::create(rewriter, loc, noc, l1, size);
    else
      ttkernel::NocAsyncWriteOp::create(rewriter, loc, l1, noc, size);
  }
}

/// One NOC tile transfer per tile of the block (per row, row-major); the
/// handle disappears.
template <typename SourceOp, typename TileOp>
struct CopyLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SourceOp op,
                  typename OpConversionPattern<SourceOp>::OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto tensorArg = dyn_cast<BlockArgument>(op.getTensor());
    if (!tensorArg ||
        !isa<FunctionOpInterface>(tensorArg.getOwner()->getParentOp()))
      return rewriter.notifyMatchFailure(
          op, "tensor is not a DRAM tensor argument of the thread");
    Value accessor = getOrCreateTensorAccessor(rewriter, tensorArg);
    Location loc = op.getLoc();
    auto blockType = cast<RankedTensorType>(op.getBlock().getType());
    auto tensorType = cast<RankedTensorType>(op.getTensor().getType());
    Value address = adaptor.getBlock().front();
    SmallVector<Value> starts;
    for (ValueRange index : adaptor.getIndices())
      starts.push_back(index.front());
    checkTileRange(rewriter, op, starts, blockType, tensorType);
    if (isRowMajorTensor(tensorType)) {
      lowerRowMajorCopy(rewriter, loc, std::is_same_v<SourceOp, CopyToBlockOp>,
                        accessor, address, starts, blockType, tensorType);
      rewriter.replaceOpWithMultiple(op, {ValueRange{}});
      return success();
    }
    int64_t tileBytes =
        cast<TileType>(blockType.getElementType()).getSizeInBytes();
    // Tile pages are row-major over the tensor's units (batch indices, tile
    // rows, tile columns); the block's tiles row-major in L1.
    SmallVector<int64_t> units = tensorUnits(tensorType);
    // The verifier checked that the block aligns with the tensor.
  SmallVector<int64_t> extent =
      *alignedSliceShape(blockType.getShape(), tensorType.getRank());
    int64_t tiles = blockType.getNumElements();
    for (int64_t t = 0; t < tiles; ++t) {
      Value id;
      int64_t rest = t, stride = tiles;
      for (auto [d, start] : llvm::enumerate(starts)) {
        stride /= extent[d];
        int64_t offset = rest / stride;
        rest %= stride;
        Value coordinate = rewriter.createOrFold<arith::AddIOp>(
            loc, start, indexConst(rewriter, loc, offset));
        id = id ? rewriter.createOrFold<arith::AddIOp>(
                      loc,
                      rewriter.createOrFold<arith::MulIOp>(
                          loc, id, indexConst(rewriter, loc, units[d])),
                      coordinate)
                : coordinate;
      }
      Value id32 = rewriter.createOrFold<arith::IndexCastOp>(
          loc, rewriter.getI32Type(), id);
      int64_t byteOffset = t * tileBytes;
      Value l1 = byteOffset == 0
                     ? address
                     : rewriter.createOrFold<arith::AddIOp>(
                           loc, address, i32Const(rewriter, loc, byteOffset));
      TileOp::create(rewriter, loc, id32, accessor, l1);
    }
    rewriter.replaceOpWithMultiple(op, {ValueRange{}});
    return success();
  }
};

struct WaitLowering : OpConversionPattern<WaitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(WaitOp op, OneToNOpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TransferKind kind = op.getHandle().getType().getKind();
    if (kind == TransferKind::Read)
      ttkernel::NocAsyncReadBarrierOp::create(rewriter, op.getLoc());
    else if (kind == TransferKind::Write)
      ttkernel::NocAsyncWriteBarrierOp::create(rewriter, op.getLoc());
    else
      return rewriter.notifyMatchFailure(op, "pipe waits are a handshake");
    rewriter.eraseOp(op);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Grid queries
//===----------------------------------------------------------------------===//

struct NodeLowering : OpConversionPattern<NodeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NodeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.getDim() == 0)
      rewriter.replaceOpWithNewOp<ttkernel::MyLogicalXOp>(op, op.getType());
    else
      rewriter.replaceOpWithNewOp<ttkernel::MyLogicalYOp>(op, op.getType());
    return success();
  }
};

/// ttl.dprint -> ttkernel.dprint: the same format, the converted scalars
/// (bf16 extended to f32, which DPRINT prints alike).
struct DPrintLowering : OpConversionPattern<DPrintOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DPrintOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> args;
    for (Value arg : adaptor.getArgs())
      args.push_back(arg.getType().isBF16()
                         ? arith::ExtFOp::create(rewriter, op.getLoc(),
                                                 rewriter.getF32Type(), arg)
                         : arg);
    rewriter.replaceOpWithNewOp<ttkernel::DPrintOp>(op, op.getFormatAttr(),
                                                    args, DenseBoolArrayAttr());
    return success();
  }
};

/// print(dfb): print_cb_details of its circular buffer.
struct DPrintDFBLowering : OpConversionPattern<DPrintDFBOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DPrintDFBOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<ttkernel::PrintCBDetailsOp>(op,
                                                            adaptor.getDfb());
    return success();
  }
};

/// print(blk) in a compute thread: print_full_tile of each of its tiles,
/// by the unpacker for a waited block (from the read pointer), by the
/// packer for a reserved one (from the write pointer).
struct DPrintBlockLowering : OpConversionPattern<DPrintBlockOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DPrintBlockOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto bind = getBlockDFB(op.getBlock()).getDefiningOp<BindDFBOp>();
    if (!bind)
      return rewriter.notifyMatchFailure(op, "block of an unbound DFB");
    Value cb = boundCB(rewriter, loc, bind);
    ttkernel::Trisc trisc = isWaitedBlock(op.getBlock())
                                ? ttkernel::Trisc::Unpack
                                : ttkernel::Trisc::Pack;
    // A row-major block's pages print in memory order (not untilized).
    RankedTensorType type = op.getBlock().getType();
    bool rowMajor = isRowMajorBlock(type);
    int64_t pages = rowMajor ? getComputeTileShape(type).back()
                             : type.getNumElements();
    for (int64_t page = 0; page < pages; ++page)
      ttkernel::PrintFullTileOp::create(rewriter, loc, cb,
                                        i32Const(rewriter, loc, page), trisc,
                                        /*untilize=*/!rowMajor);
    rewriter.eraseOp(op);
    return success();
  }
};

struct GridSizeLowering : OpConversionPattern<GridSizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GridSizeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto func = op->getParentOfType<FunctionOpInterface>();
    auto grid =
        func->getAttrOfType<DenseI64ArrayAttr>(TTLDialect::getGridAttrName());
    if (!grid)
      return rewriter.notifyMatchFailure(op, "no ttl.grid on the function");
    rewriter.replaceOpWithNewOp<arith::ConstantIndexOp>(op,
                                                        grid[op.getDim()]);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Element access
//===----------------------------------------------------------------------===//

/// Dynamic coordinates get a runtime check (static ones were verified):
/// ASSERT(row < rows && col < cols), unsigned so negatives fail too.
static void checkCoordinates(ConversionPatternRewriter &rewriter,
                             Operation *op, Value row, Value col,
                             RankedTensorType blockType) {
  if (matchPattern(row, m_Constant()) && matchPattern(col, m_Constant()))
    return;
  // The rows of every batch of an N-d block, one after the other; a
  // row-major block's rows are those of its leading dimensions.
  ArrayRef<int64_t> shape = blockType.getShape();
  bool rowMajor = isRowMajorBlock(blockType);
  int64_t rows = rowMajor ? 1 : TileType::kRows;
  int64_t cols = rowMajor ? shape.back() : shape.back() * TileType::kCols;
  for (int64_t d : shape.drop_back())
    rows *= d;
  assertCoordinatesBelow(
      rewriter, op, ValueRange{row, col}, {rows, cols}, [&](raw_ostream &os) {
        os << "coordinates out of range for a block of ";
        llvm::interleave(shape, os, "x");
        os << (rowMajor ? " elements" : " tiles") << " (rows < " << rows
           << ", columns < " << cols << ")";
      });
}

/// Element offset of an element access, bounds-checked when dynamic: by
/// tile and face in a tiled block, row * columns + column in a row-major
/// one (its elements lie row-major from the start of its first page).
static Value checkedElementOffset(ConversionPatternRewriter &rewriter,
                                  Operation *op, Value block, Value row,
                                  Value col) {
  auto blockType = cast<RankedTensorType>(block.getType());
  checkCoordinates(rewriter, op, row, col, blockType);
  Location loc = op->getLoc();
  if (isRowMajorBlock(blockType)) {
    Value r = rewriter.createOrFold<arith::IndexCastOp>(
        loc, rewriter.getI32Type(), row);
    Value c = rewriter.createOrFold<arith::IndexCastOp>(
        loc, rewriter.getI32Type(), col);
    Value cols = i32Const(rewriter, loc, blockType.getShape().back());
    return rewriter.createOrFold<arith::AddIOp>(
        loc, rewriter.createOrFold<arith::MulIOp>(loc, r, cols), c);
  }
  return elementOffset(rewriter, loc, row, col, blockType.getShape().back());
}

struct ElementReadLowering : OpConversionPattern<ElementReadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ElementReadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value offset = checkedElementOffset(rewriter, op, op.getBlock(),
                                        adaptor.getRow(), adaptor.getCol());
    rewriter.replaceOpWithNewOp<ttkernel::L1LoadOp>(
        op, op.getType(), adaptor.getBlock(), offset);
    return success();
  }
};

/// The element as ttl.element_read loads it, then arith.fptosi (toward
/// zero) and an index cast; ttkernel-emulate-scalar-floats turns the
/// conversion into integer code for the data-movement core.
struct ReadIndexLowering : OpConversionPattern<ReadIndexOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReadIndexOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value offset = checkedElementOffset(rewriter, op, op.getBlock(),
                                        adaptor.getRow(), adaptor.getCol());
    Type unit = op.getBlock().getType().getElementType();
    Type element = isa<ElementType>(unit)
                       ? cast<ElementType>(unit).getElementType()
                       : cast<TileType>(unit).getElementType();
    Value value = ttkernel::L1LoadOp::create(rewriter, loc, element,
                                             adaptor.getBlock(), offset);
    Value i32 =
        arith::FPToSIOp::create(rewriter, loc, rewriter.getI32Type(), value);
    rewriter.replaceOpWithNewOp<arith::IndexCastOp>(
        op, rewriter.getIndexType(), i32);
    return success();
  }
};

struct ElementWriteLowering : OpConversionPattern<ElementWriteOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ElementWriteOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value offset = checkedElementOffset(rewriter, op, op.getBlock(),
                                        adaptor.getRow(), adaptor.getCol());
    rewriter.replaceOpWithNewOp<ttkernel::L1StoreOp>(
        op, adaptor.getBlock(), offset, adaptor.getValue());
    return success();
  }
};

/// `with ttl.signpost(name):` scopes are device profiler zones.
template <typename SourceOp, typename TargetOp>
struct SignpostLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<TargetOp>(op, op.getLabelAttr());
    return success();
  }
};
/// ttl.call_extern_func: DFB template arguments become C++ text naming the
/// DFB's compile-time argument (a constant expression), its other template
/// arguments literals.
struct OpaqueCallLowering : OpConversionPattern<OpaqueCallOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpaqueCallOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Attribute> templateArgs;
    size_t nextDfb = 0;
    for (Attribute arg : op.getTemplateArgs()) {
      std::string text;
      llvm::raw_string_ostream os(text);
      if (auto kind = dyn_cast<StringAttr>(arg)) {
        Value dfb = op.getTemplateDfbs()[nextDfb];
        auto index = adaptor.getTemplateDfbs()[nextDfb++]
                         .getDefiningOp<ttkernel::GetCompileTimeArgValOp>();
        if (!index)
          return rewriter.notifyMatchFailure(
              op, "a template DFB must come from ttl.bind_dfb");
        std::string id =
            "get_compile_time_arg_val(" + std::to_string(index.getIndex()) + ")";
        auto type = cast<DFBType>(dfb.getType());
        if (kind.getValue() == "dfb_id")
          os << id;
        else
          os << "ttlang::DFBDescriptor<" << id << ", "
             << type.getPagesPerBlock() << ", " << type.getBlockCount()
             << ", " << type.getPageSizeInBytes() << ">";
      } else if (auto flag = dyn_cast<BoolAttr>(arg)) {
        os << (flag.getValue() ? "true" : "false");
      } else {
        auto integer = cast<IntegerAttr>(arg);
        if (integer.getType().isUnsignedInteger())
          os << integer.getValue().getZExtValue() << "U";
        else
          os << integer.getValue().getSExtValue();
      }
      templateArgs.push_back(rewriter.getStringAttr(text));
    }
    // A tensor argument goes in as its TensorAccessor; the effects are what
    // the C++ does itself.
    SmallVector<Value> args(adaptor.getArgs());
    for (auto [i, arg] : llvm::enumerate(op.getArgs()))
      if (isa<RankedTensorType>(arg.getType()))
        args[i] = getOrCreateTensorAccessor(rewriter, cast<BlockArgument>(arg));
    rewriter.replaceOpWithNewOp<ttkernel::OpaqueCallOp>(
        op, op.getCalleeAttr(), op.getHeaderAttr(),
        rewriter.getArrayAttr(templateArgs), args);
    return success();
  }
};

/// ttl.tensor_addr: the address the tensor's runtime argument carries.
struct TensorAddrLowering : OpConversionPattern<TensorAddrOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TensorAddrOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    int64_t slot = tensorSlot(cast<BlockArgument>(op.getTensor()));
    rewriter.replaceOpWithNewOp<ttkernel::GetArgValOp>(
        op, rewriter.getI32Type(), slot * ttlx_hw::kRuntimeArgsPerTensor);
    return success();
  }
};
} // namespace

void mlir::ttl::populateTTLToTTKernelPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<
      BindDFBLowering,
      DFBAcquireLowering<DFBReserveOp, ttkernel::CBReserveBackOp,
                         ttkernel::GetWritePtrOp>,
      DFBAcquireLowering<DFBWaitOp, ttkernel::CBWaitFrontOp,
                         ttkernel::GetReadPtrOp>,
      DFBReleaseLowering<DFBPushOp, ttkernel::CBPushBackOp>,
      DFBReleaseLowering<DFBPopOp, ttkernel::CBPopFrontOp>, DFBPublishLowering,
      WaitLowering,
      NodeLowering, GridSizeLowering, DPrintLowering, DPrintDFBLowering,
      DPrintBlockLowering, ElementReadLowering,
      ElementWriteLowering, ReadIndexLowering,
      SignpostLowering<SignpostBeginOp, ttkernel::DeviceZoneBeginOp>,
      SignpostLowering<SignpostEndOp, ttkernel::DeviceZoneEndOp>,
      OpaqueCallLowering, TensorAddrLowering,
      CopyLowering<CopyToBlockOp, ttkernel::NocAsyncReadTileOp>,
      CopyLowering<CopyToTensorOp, ttkernel::NocAsyncWriteTileOp>>(
      typeConverter, patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertTTLToTTKernelPass
    : ttlx::impl::ConvertTTLToTTKernelBase<ConvertTTLToTTKernelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();

    // Errors a pattern could only report as "failed to legalize".
    WalkResult check = module.walk([](GridSizeOp op) {
      auto func = op->getParentOfType<FunctionOpInterface>();
      if (func && func->hasAttr(TTLDialect::getGridAttrName()))
        return WalkResult::advance();
      op.emitOpError() << "needs the grid size, but the enclosing function "
                          "has no 'ttl.grid' attribute";
      return WalkResult::interrupt();
    });
    if (check.wasInterrupted())
      return signalPassFailure();
    check = module.walk([](Operation *op) {
      if (!isa<CopyToBlockOp, CopyToTensorOp>(op))
        return WalkResult::advance();
      Value tensor = isa<CopyToBlockOp>(op) ? op->getOperand(0)
                                            : op->getOperand(1);
      auto arg = dyn_cast<BlockArgument>(tensor);
      if (arg && isa<FunctionOpInterface>(arg.getOwner()->getParentOp()))
        return WalkResult::advance();
      op->emitOpError() << "copies a DRAM tensor that is not an argument of "
                           "the thread function; pass the tensor in as an "
                           "argument";
      return WalkResult::interrupt();
    });
    if (check.wasInterrupted())
      return signalPassFailure();

    // What the analyses before this pass write into the IR.
    check = module.walk([](Operation *op) {
      if (auto store = dyn_cast<StoreOp>(op)) {
        Operation *def = store.getValue().getDefiningOp();
        if (def && def->hasAttr(TTLDialect::getDstIndexAttrName()))
          return WalkResult::advance();
        store.emitOpError() << "has no DST assignment; run 'ttl-assign-dst' "
                               "before lowering tile math";
        return WalkResult::interrupt();
      }
      if (isa<PipeSendOp, PipeRecvOp>(op) &&
          !op->hasAttr(TTLDialect::getPipeSemaphoresAttrName())) {
        op->emitOpError() << "has no semaphore ids; run "
                             "'ttl-assign-pipe-semaphores' before lowering "
                             "pipes";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (check.wasInterrupted())
      return signalPassFailure();

    // Tile math first: each ttl.store becomes its tile program and the
    // expression ops it consumed die; tilize and untilize become their calls.
    {
      RewritePatternSet computePatterns(context);
      populateTTLComputeToTTKernelPatterns(computePatterns);
      populateTTLLayoutToTTKernelPatterns(computePatterns);
      if (failed(applyPatternsGreedily(module, std::move(computePatterns))))
        return signalPassFailure();
    }

    TTLToTTKernelTypeConverter typeConverter(context);
    ConversionTarget target(*context);
    target.addIllegalDialect<TTLDialect>();
    target.addLegalDialect<ttkernel::TTKernelDialect, arith::ArithDialect,
                           func::FuncDialect>();
    RewritePatternSet patterns(context);
    populateTTLToTTKernelPatterns(typeConverter, patterns);
    populatePipeToTTKernelPatterns(typeConverter, patterns);
    populateSemaphoreToTTKernelPatterns(patterns);
    scf::populateSCFStructuralTypeConversionsAndLegality(typeConverter,
                                                         patterns, target);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();

    // DRAM tensors now reach the thread through its kernel arguments.
    for (func::FuncOp func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      llvm::BitVector dead(func.getNumArguments());
      for (BlockArgument arg : func.getArguments())
        if (isa<RankedTensorType>(arg.getType()) && arg.use_empty())
          dead.set(arg.getArgNumber());
      if (failed(func.eraseArguments(dead)))
        return signalPassFailure();
    }
  }
};
} // namespace
