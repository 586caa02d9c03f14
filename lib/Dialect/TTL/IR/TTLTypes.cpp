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

LogicalResult DFBType::verify(function_ref<InFlightDiagnostic()> emitError,
                              ArrayRef<int64_t> shape, Type elementType,
                              int64_t blockCount) {
  if (shape.size() < 2)
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
  return RankedTensorType::get(getShape(),
                               TileType::get(getContext(), getElementType()));
}

int64_t DFBType::getTilesPerBlock() const {
  int64_t tiles = 1;
  for (int64_t d : getShape())
    tiles *= d;
  return tiles;
}
