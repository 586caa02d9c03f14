//===- Passes.h - TTL transformation passes ---------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_TRANSFORMS_PASSES_H
#define TTLX_DIALECT_TTL_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ttl {

#define GEN_PASS_DECL
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"

} // namespace mlir::ttl

#endif // TTLX_DIALECT_TTL_TRANSFORMS_PASSES_H
