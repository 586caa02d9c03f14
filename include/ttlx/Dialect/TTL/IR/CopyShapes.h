//===- CopyShapes.h - Shapes of tensor slices that copies move --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// How a block copied to or from a DRAM tensor covers the tensor: the units
// the tensor is counted in and the slice a block of a given shape spans.
// The copy verifiers and the copy lowering share them.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_IR_COPYSHAPES_H
#define TTLX_DIALECT_TTL_IR_COPYSHAPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::ttl {

/// The tensor's size in copy units: its leading dimensions as they are, the
/// last two in 32x32 tiles; every dimension in elements when the tensor is
/// row-major (#ttl.layout<row_major>).
SmallVector<int64_t> tensorUnits(RankedTensorType tensorType);

/// The shape of the tensor slice a copy of a block of `blockShape` moves:
/// the block's shape aligned with the tensor's last dimensions (leading
/// dimensions of extent 1 of the longer shape dropped, missing ones 1), or
/// nothing when they do not align (a dropped dimension is not 1).
std::optional<SmallVector<int64_t>>
alignedSliceShape(ArrayRef<int64_t> blockShape, int64_t tensorRank);

} // namespace mlir::ttl

#endif // TTLX_DIALECT_TTL_IR_COPYSHAPES_H
