//===- TTLTypes.cpp - TTL types ---------------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ttl;

#define GET_TYPEDEF_CLASSES
#include "ttlx/Dialect/TTL/IR/TTLTypes.cpp.inc"

void TTLDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "ttlx/Dialect/TTL/IR/TTLTypes.cpp.inc"
      >();
}

static bool isTileElementType(Type type) { return type.isBF16() || type.isF32(); }

LogicalResult TileType::verify(function_ref<InFlightDiagnostic()> emitError,
                               Type elementType) {
  if (!isTileElementType(elementType))
    return emitError() << "tile element type must be bf16 or f32, but got "
                       << elementType;
  return success();
}

LogicalResult ElementType::verify(function_ref<InFlightDiagnostic()> emitError,
                                  Type elementType) {
  if (!isTileElementType(elementType))
    return emitError() << "element type must be bf16 or f32, but got "
                       << elementType;
  return success();
}

LogicalResult DFBType::verify(function_ref<InFlightDiagnostic()> emitError,
                              ArrayRef<int64_t> shape, Type elementType,
                              int64_t blockCount, Layout layout) {
  if (layout == Layout::RowMajor && shape.empty())
    return emitError() << "row-major DFB block shape must have at least 1 "
                          "dimension (in elements)";
  if (layout == Layout::Tile && shape.size() < 2)
    return emitError() << "DFB block shape must have at least 2 dimensions "
                          "(leading dimensions, tile rows, tile columns), but "
                          "has "
                       << shape.size();
  if (llvm::any_of(shape, [](int64_t d) { return d < 1; })) {
    InFlightDiagnostic diag = emitError()
                              << "DFB block shape must be positive, but is [";
    llvm::interleaveComma(shape, diag);
    return diag << "]";
  }
  if (!isTileElementType(elementType))
    return emitError() << "DFB element type must be bf16 or f32, but got "
                       << elementType;
  if (blockCount < 1)
    return emitError() << "DFB block count must be at least 1, but is "
                       << blockCount;
  return success();
}

RankedTensorType DFBType::getBlockType() const {
  if (isRowMajor())
    return RankedTensorType::get(getShape(),
                                 ElementType::get(getContext(), getElementType()));
  return RankedTensorType::get(getShape(),
                               TileType::get(getContext(), getElementType()));
}

int64_t DFBType::getPagesPerBlock() const {
  SmallVector<int64_t> tiles = getComputeTileShape(getBlockType());
  int64_t pages = 1;
  for (int64_t d : tiles)
    pages *= d;
  return pages;
}

int64_t DFBType::getPageSizeInBytes() const {
  return getElementType().getIntOrFloatBitWidth() / 8 * TileType::kRows *
         TileType::kCols;
}

Type mlir::ttl::getBlockScalarType(RankedTensorType block) {
  Type unit = block.getElementType();
  if (auto element = dyn_cast<ElementType>(unit))
    return element.getElementType();
  return cast<TileType>(unit).getElementType();
}

bool mlir::ttl::isRowMajorBlock(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<ElementType>(tensor.getElementType());
}

SmallVector<int64_t> mlir::ttl::getComputeTileShape(RankedTensorType block) {
  if (!isRowMajorBlock(block))
    return SmallVector<int64_t>(block.getShape());
  int64_t elements = block.getNumElements();
  int64_t perTile = TileType::kRows * TileType::kCols;
  return {1, (elements + perTile - 1) / perTile};
}

bool mlir::ttl::isRowMajorTensor(RankedTensorType type) {
  auto layout = dyn_cast_or_null<LayoutAttr>(type.getEncoding());
  return layout && layout.getValue() == Layout::RowMajor;
}

bool mlir::ttl::isDRAMTensorLayoutValid(RankedTensorType type) {
  if (!type.getEncoding())
    return type.getRank() >= 2;
  return isRowMajorTensor(type) && type.getRank() >= 1;
}
