//===- CopyShapes.cpp - Shapes of tensor slices that copies move ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/CopyShapes.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

using namespace mlir;

SmallVector<int64_t> mlir::ttl::tensorUnits(RankedTensorType tensorType) {
  SmallVector<int64_t> units(tensorType.getShape());
  if (isRowMajorTensor(tensorType))
    return units;
  units[units.size() - 2] /= TileType::kRows;
  units.back() /= TileType::kCols;
  return units;
}

std::optional<SmallVector<int64_t>>
mlir::ttl::alignedSliceShape(ArrayRef<int64_t> blockShape, int64_t tensorRank) {
  int64_t extra = static_cast<int64_t>(blockShape.size()) - tensorRank;
  for (int64_t i = 0; i < extra; ++i)
    if (blockShape[i] != 1)
      return std::nullopt;
  SmallVector<int64_t> slice(std::max<int64_t>(-extra, 0), 1);
  llvm::append_range(slice, blockShape.drop_front(std::max<int64_t>(extra, 0)));
  return slice;
}
