//===- SoftFloat.h - integer-only f32 helpers -------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Builders for the soft-float helper functions that ttkernel-emulate-scalar-floats
// adds to a module: f32 values as i32 bit patterns, IEEE round to nearest
// even, written branch-free in arith so they lower to plain C++.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_LIB_DIALECT_TTKERNEL_TRANSFORMS_SOFTFLOAT_H
#define TTLX_LIB_DIALECT_TTKERNEL_TRANSFORMS_SOFTFLOAT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::ttkernel::softfloat {

/// The helpers, by symbol name. Signatures use i32 for f32 bits and i16 for
/// bf16 bits.
enum class Helper {
  AddF32,     // (i32, i32) -> i32
  SubF32,     // (i32, i32) -> i32
  MulF32,     // (i32, i32) -> i32
  DivF32,     // (i32, i32) -> i32
  MaximumF32, // (i32, i32) -> i32, NaN-propagating, -0 < +0
  MinimumF32, // (i32, i32) -> i32
  MaxNumF32,  // (i32, i32) -> i32, a NaN operand yields the other
  MinNumF32,  // (i32, i32) -> i32
  F32ToBF16,  // (i32) -> i16, round to nearest even, NaN stays NaN
  I32ToF32,   // (i32) -> i32, round to nearest even
  F32ToI32,   // (i32) -> i32, toward zero, saturating, NaN -> 0
};

StringRef getHelperName(Helper helper);

/// Returns the helper's function in `module`, adding it first if missing.
func::FuncOp getOrInsertHelper(ModuleOp module, Helper helper);

/// Integer code that builds the order-preserving key of f32 bits: signed
/// compares of keys order floats as IEEE does, with -0 == +0.
Value buildOrderKey(OpBuilder &b, Location loc, Value bits);

/// i1: the f32 bits are a NaN.
Value buildIsNaN(OpBuilder &b, Location loc, Value bits);

/// bf16 bits (i16) to f32 bits (i32), exact.
Value buildBF16ToF32(OpBuilder &b, Location loc, Value bits);

} // namespace mlir::ttkernel::softfloat

#endif // TTLX_LIB_DIALECT_TTKERNEL_TRANSFORMS_SOFTFLOAT_H
