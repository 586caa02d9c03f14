//===- Passes.h - TTKernel transformation passes ----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTKERNEL_TRANSFORMS_PASSES_H
#define TTLX_DIALECT_TTKERNEL_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ttkernel {

/// A unit attribute on an integer division whose divisor a pass made
/// non-zero and not -1: ttkernel-assert-divisors adds no check to it.
inline constexpr llvm::StringLiteral kDivisorChecked =
    "ttkernel.divisor_checked";

/// A unit attribute on an `arith.fptosi` the user wrote (`int(x)`,
/// `ttl.i32(x)`): its operand must be a number the integer type holds.
/// ttkernel-assert-no-wrap checks it and drops the attribute.
inline constexpr llvm::StringLiteral kMustFit = "ttkernel.must_fit";

#define GEN_PASS_DECL
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h.inc"

} // namespace mlir::ttkernel

#endif // TTLX_DIALECT_TTKERNEL_TRANSFORMS_PASSES_H
