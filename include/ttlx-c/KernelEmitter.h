//===- KernelEmitter.h - C API of the kernel C++ emitter ----------*- C -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_C_KERNELEMITTER_H
#define TTLX_C_KERNELEMITTER_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Called once per emitted kernel with its function name, thread kind
/// ("datamovement", "compute", or "" for a module without threads) and
/// C++ source.
typedef void (*TtlxKernelCallback)(MlirStringRef name, MlirStringRef thread,
                                   MlirStringRef source, void *userData);

/// Lowers `module` (TTL, TTKernel or EmitC) on a copy for architecture
/// `arch` ("wormhole_b0" or "blackhole") and emits one C++ translation unit
/// per thread. Diagnostics go to the context's handlers.
MLIR_CAPI_EXPORTED MlirLogicalResult
ttlxEmitKernels(MlirModule module, MlirStringRef arch,
                TtlxKernelCallback callback, void *userData);

#ifdef __cplusplus
}
#endif

#endif // TTLX_C_KERNELEMITTER_H
