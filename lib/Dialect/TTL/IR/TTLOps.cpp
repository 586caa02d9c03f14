//===- TTLOps.cpp - TTL operations ------------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::ttl;

#define GET_OP_CLASSES
#include "ttlx/Dialect/TTL/IR/TTLOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// Says where a value that should have been a DFB block came from.
static std::string describeOrigin(Value value) {
  if (Operation *def = value.getDefiningOp())
    return ("the result of '" + def->getName().getStringRef() + "'").str();
  return "a block argument";
}

static TileType getTileType(Value block) {
  return cast<TileType>(cast<RankedTensorType>(block.getType()).getElementType());
}

/// Checks that `index`, when constant, lies in [0, limit).
static LogicalResult verifyStaticIndex(Operation *op, Value index,
                                       int64_t limit, StringRef what,
                                       StringRef unit,
                                       ArrayRef<int64_t> blockShape) {
  APInt value;
  if (!matchPattern(index, m_ConstantInt(&value)))
    return success();
  int64_t v = value.getSExtValue();
  if (v >= 0 && v < limit)
    return success();
  return op->emitOpError() << what << " " << v << " is out of range [0, "
                           << limit << ") " << unit << " "
                           << blockShape[0] << "x" << blockShape[1] << " tiles";
}

static LogicalResult verifyElementAccess(Operation *op, Value block, Value row,
                                         Value col, Type valueType) {
  std::optional<ThreadKind> thread = getEnclosingThreadKind(op);
  if (!thread)
    return op->emitOpError()
           << "must be inside a data-movement thread function (a function "
              "with 'ttl.thread = #ttl.thread<datamovement>')";
  if (*thread != ThreadKind::DataMovement)
    return op->emitOpError()
           << "is only allowed in data-movement threads, but the enclosing "
              "function is a compute thread; move the element access to a "
              "data-movement thread";
  if (!getBlockAcquire(block))
    return op->emitOpError()
           << "block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but "
              "it is "
           << describeOrigin(block);
  Type elementType = getTileType(block).getElementType();
  if (valueType != elementType)
    return op->emitOpError() << "value type " << valueType
                             << " does not match the block's element type "
                             << elementType;
  ArrayRef<int64_t> shape = cast<RankedTensorType>(block.getType()).getShape();
  if (failed(verifyStaticIndex(op, row, shape[0] * TileType::kRows,
                               "row index", "for a block of", shape)) ||
      failed(verifyStaticIndex(op, col, shape[1] * TileType::kCols,
                               "column index", "for a block of", shape)))
    return failure();
  return success();
}

/// Checks a copy between `tensor` at tile (`row`, `col`) and `block`.
static LogicalResult verifyCopy(Operation *op, Value tensor, Value row,
                                Value col, Value block, bool intoBlock) {
  if (getEnclosingThreadKind(op) == ThreadKind::Compute)
    return op->emitOpError()
           << "copies run on data-movement threads, but the enclosing "
              "function is a compute thread";
  auto tensorType = cast<RankedTensorType>(tensor.getType());
  auto blockType = cast<RankedTensorType>(block.getType());
  ArrayRef<int64_t> tshape = tensorType.getShape();
  if (tshape[0] % TileType::kRows || tshape[1] % TileType::kCols)
    return op->emitOpError() << "DRAM tensor shape " << tshape[0] << "x"
                             << tshape[1]
                             << " is not a whole number of 32x32 tiles";
  Type blockElement = getTileType(block).getElementType();
  if (tensorType.getElementType() != blockElement)
    return op->emitOpError()
           << "tensor element type " << tensorType.getElementType()
           << " does not match the block's element type " << blockElement;
  Operation *acquire = getBlockAcquire(block);
  if (intoBlock && !isa_and_nonnull<DFBReserveOp>(acquire))
    return op->emitOpError()
           << "destination block must come from 'ttl.dfb_reserve', but it is "
           << describeOrigin(block);
  if (!intoBlock && !isa_and_nonnull<DFBWaitOp>(acquire))
    return op->emitOpError()
           << "source block must come from 'ttl.dfb_wait', but it is "
           << describeOrigin(block);
  ArrayRef<int64_t> bshape = blockType.getShape();
  int64_t tileRows = tshape[0] / TileType::kRows;
  int64_t tileCols = tshape[1] / TileType::kCols;
  if (bshape[0] > tileRows || bshape[1] > tileCols)
    return op->emitOpError()
           << "block of " << bshape[0] << "x" << bshape[1]
           << " tiles does not fit in a tensor of " << tileRows << "x"
           << tileCols << " tiles";
  if (failed(verifyStaticIndex(op, row, tileRows - bshape[0] + 1,
                               "tile row", "for a slice of", bshape)) ||
      failed(verifyStaticIndex(op, col, tileCols - bshape[1] + 1,
                               "tile column", "for a slice of", bshape)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// CopyToBlockOp / CopyToTensorOp
//===----------------------------------------------------------------------===//

LogicalResult CopyToBlockOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location>, ValueRange, DictionaryAttr,
    OpaqueProperties, RegionRange, SmallVectorImpl<Type> &inferred) {
  inferred.push_back(TransferHandleType::get(context, TransferKind::Read));
  return success();
}

LogicalResult CopyToBlockOp::verify() {
  return verifyCopy(*this, getTensor(), getRow(), getCol(), getBlock(),
                    /*intoBlock=*/true);
}

LogicalResult CopyToTensorOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location>, ValueRange, DictionaryAttr,
    OpaqueProperties, RegionRange, SmallVectorImpl<Type> &inferred) {
  inferred.push_back(TransferHandleType::get(context, TransferKind::Write));
  return success();
}

LogicalResult CopyToTensorOp::verify() {
  return verifyCopy(*this, getTensor(), getRow(), getCol(), getBlock(),
                    /*intoBlock=*/false);
}

//===----------------------------------------------------------------------===//
// ElementReadOp / ElementWriteOp
//===----------------------------------------------------------------------===//

LogicalResult ElementReadOp::verify() {
  return verifyElementAccess(*this, getBlock(), getRow(), getCol(),
                             getResult().getType());
}

LogicalResult ElementWriteOp::verify() {
  return verifyElementAccess(*this, getBlock(), getRow(), getCol(),
                             getValue().getType());
}
