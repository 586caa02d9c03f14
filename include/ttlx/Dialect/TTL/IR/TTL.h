//===- TTL.h - TTL dialect --------------------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_IR_TTL_H
#define TTLX_DIALECT_TTL_IR_TTL_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ttlx/Target/Hardware.h"

#include "ttlx/Dialect/TTL/IR/TTLDialect.h.inc"
#include "ttlx/Dialect/TTL/IR/TTLEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ttlx/Dialect/TTL/IR/TTLAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "ttlx/Dialect/TTL/IR/TTLTypes.h.inc"

namespace mlir::ttl {
/// Whether a DRAM tensor type is row-major (#ttl.layout<row_major>).
bool isRowMajorTensor(RankedTensorType type);
/// A DRAM tensor is tiled (no encoding) of rank >= 2, or row-major of any
/// rank >= 1.
bool isDRAMTensorLayoutValid(RankedTensorType type);
/// The scalar element type (bf16 or f32) of a tiled or row-major block.
Type getBlockScalarType(RankedTensorType block);
/// Whether `type` is a block of a row-major DFB (tensor of !ttl.element).
bool isRowMajorBlock(Type type);
/// A block's tiles as the compute engines see them: a tiled block's shape;
/// a row-major block's elements, row-major from the start of its first DFB
/// page, taken 1024 at a time as 1 x ceil(n / 1024) tiles (the last tile's
/// tail is padding). Elementwise math maps each element to the element at
/// the same place, so it computes a row-major block correctly in place.
SmallVector<int64_t> getComputeTileShape(RankedTensorType block);
/// Tile math runs on compute threads: checks the enclosing thread kind.
LogicalResult verifyComputeOp(Operation *op);
/// Binary ops: blocks of the result's shape (f32 when any is f32, else
/// bf16) and f32 scalars, at least one block.
LogicalResult verifyBinaryOp(Operation *op);
/// `tensor` is an argument of `op`'s thread function (else an error at op).
LogicalResult verifyThreadTensorArgument(Operation *op, Value tensor);
} // namespace mlir::ttl

namespace mlir::OpTrait::ttl {
template <typename ConcreteType>
class ComputeOp : public TraitBase<ConcreteType, ComputeOp> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return ::mlir::ttl::verifyComputeOp(op);
  }
};
template <typename ConcreteType>
class BinaryComputeOp : public TraitBase<ConcreteType, BinaryComputeOp> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return ::mlir::ttl::verifyBinaryOp(op);
  }
};
} // namespace mlir::OpTrait::ttl

#define GET_OP_CLASSES
#include "ttlx/Dialect/TTL/IR/TTLOps.h.inc"

namespace mlir::ttl {

/// The thread kind of `op` (a function) or of the function enclosing it,
/// if that function carries `ttl.thread`.
std::optional<ThreadKind> getEnclosingThreadKind(Operation *op);

/// The DFB acquires (`ttl.dfb_wait` / `ttl.dfb_reserve`) a block value may
/// come from, following `scf.for` iter_args and results and `scf.if`
/// results; failure when a path starts elsewhere (tile math, an argument).
FailureOr<SmallVector<Operation *>> getBlockAcquires(Value block);

/// Whether `block` is a block of a DFB: every path starts at an acquire.
bool isDFBBlock(Value block);
/// Whether every path of `block` starts at a `ttl.dfb_wait`.
bool isWaitedBlock(Value block);
/// Whether every path of `block` starts at a `ttl.dfb_reserve`.
bool isReservedBlock(Value block);

/// The DFB `block` was acquired from, when every path acquires it from the
/// same DFB; else null.
Value getBlockDFB(Value block);

/// Number of DRAM tensor arguments of a thread function (each has one
/// TensorAccessorArgs slot, in argument order, from compile-time arg 0).
int64_t getNumTensorArguments(FunctionOpInterface func);

/// Compile-time argument index of the thread's first DFB: its
/// `ttl.base_cta_index`, else the number of tensor arguments.
int64_t getBaseCTAIndex(FunctionOpInterface func);

/// Compile-time argument holding the CB id of the DFB `bind` names.
int64_t getDFBCompileTimeArgIndex(BindDFBOp bind);

} // namespace mlir::ttl

#endif // TTLX_DIALECT_TTL_IR_TTL_H
