//===- Dialects.h - C API of the ttlx dialects --------------------*- C -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_C_DIALECTS_H
#define TTLX_C_DIALECTS_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(TTL, ttl);
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(TTKernel, ttkernel);

/// Adds ttl, ttkernel and the upstream dialects ttlx IR uses (func, arith,
/// scf, emitc, math) to `registry`.
MLIR_CAPI_EXPORTED void ttlxRegisterAllDialects(MlirDialectRegistry registry);

/// Registers every ttlx pass and pipeline, and upstream's generic transform
/// passes (canonicalize, cse, ...), with the global pass registry.
MLIR_CAPI_EXPORTED void ttlxRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif // TTLX_C_DIALECTS_H
