//===- Passes.h - ttlx conversion passes ------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_CONVERSION_PASSES_H
#define TTLX_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"
#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"

namespace mlir::ttlx {

#define GEN_PASS_DECL
#include "ttlx/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ttlx/Conversion/Passes.h.inc"

/// Register the named pipelines (`ttl-to-emitc`).
void registerTTLXPipelines();

/// Register every ttlx pass and pipeline.
void registerAllPasses();

} // namespace mlir::ttlx

#endif // TTLX_CONVERSION_PASSES_H
