//===- InitAll.cpp - register everything ttlx provides ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/InitAll.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::ttlx::registerAllDialects(DialectRegistry &registry) {
  registry.insert<ttl::TTLDialect, ttkernel::TTKernelDialect,
                  arith::ArithDialect, emitc::EmitCDialect, func::FuncDialect,
                  math::MathDialect, scf::SCFDialect>();
}
