//===- KernelEmitter.cpp - C API of the kernel C++ emitter ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx-c/KernelEmitter.h"

#include "ttlx/Target/Cpp/KernelEmitter.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"

MlirLogicalResult ttlxEmitKernels(MlirModule module, MlirStringRef arch,
                                  TtlxKernelCallback callback,
                                  void *userData) {
  auto kernels = mlir::ttlx::emitKernels(unwrap(module), unwrap(arch));
  if (mlir::failed(kernels))
    return mlirLogicalResultFailure();
  for (const mlir::ttlx::KernelSource &kernel : *kernels)
    callback(mlirStringRefCreate(kernel.name.data(), kernel.name.size()),
             mlirStringRefCreate(kernel.thread.data(), kernel.thread.size()),
             mlirStringRefCreate(kernel.source.data(), kernel.source.size()),
             userData);
  return mlirLogicalResultSuccess();
}
