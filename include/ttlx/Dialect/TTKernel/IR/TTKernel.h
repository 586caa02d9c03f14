//===- TTKernel.h - TTKernel dialect ----------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTKERNEL_IR_TTKERNEL_H
#define TTLX_DIALECT_TTKERNEL_IR_TTKERNEL_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::ttkernel {
/// Marks a call tt-metal declares for compute kernels only.
template <typename ConcreteType>
class ComputeKernelOnly
    : public OpTrait::TraitBase<ConcreteType, ComputeKernelOnly> {};
/// Marks a call tt-metal declares for data-movement kernels only.
template <typename ConcreteType>
class DataMovementKernelOnly
    : public OpTrait::TraitBase<ConcreteType, DataMovementKernelOnly> {};
} // namespace mlir::ttkernel

#include "ttlx/Dialect/TTKernel/IR/TTKernelDialect.h.inc"
#include "ttlx/Dialect/TTKernel/IR/TTKernelEnums.h.inc"
#include "ttlx/Dialect/TTKernel/IR/TTKernelInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelTypes.h.inc"

#define GET_OP_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelOps.h.inc"

namespace mlir::ttkernel {
// Elementwise ops sharing a tt-metal init function (floor, ceil, trunc and
// frac: rounding_op_tile_init) share its op, named after the first of them
// in TTLElementwiseOps.def: `using CeilTileInitOp = FloorTileInitOp;`.
#include "ttlx/Dialect/TTKernel/IR/TTKernelElementwiseInits.h.inc"
} // namespace mlir::ttkernel

#endif // TTLX_DIALECT_TTKERNEL_IR_TTKERNEL_H
