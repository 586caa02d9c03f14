//===- Dialects.cpp - C API of the ttlx dialects ----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx-c/Dialects.h"

#include "ttlx/Conversion/Passes.h"
#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/InitAll.h"

#include "mlir/CAPI/Registration.h"
#include "mlir/Transforms/Passes.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(TTL, ttl, mlir::ttl::TTLDialect)
MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(TTKernel, ttkernel,
                                      mlir::ttkernel::TTKernelDialect)

void ttlxRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::ttlx::registerAllDialects(*unwrap(registry));
}

void ttlxRegisterAllPasses(void) {
  static bool registered = [] {
    // Upstream's generic passes (canonicalize, cse, ...) for Python pipelines.
    mlir::registerTransformsPasses();
    mlir::ttlx::registerAllPasses();
    return true;
  }();
  (void)registered;
}
