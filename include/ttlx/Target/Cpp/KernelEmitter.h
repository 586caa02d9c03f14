//===- KernelEmitter.h - tt-metal kernel C++ emission -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_TARGET_CPP_KERNELEMITTER_H
#define TTLX_TARGET_CPP_KERNELEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir::ttlx {

/// One tt-metal kernel source file: a thread function as `kernel_main`, with
/// the helpers it calls.
struct KernelSource {
  std::string name;   // the thread function's symbol
  std::string thread; // "datamovement" or "compute"
  std::string source; // complete C++ translation unit
};

/// Lowers a module (TTL, TTKernel with func/arith/scf, or already EmitC) to
/// EmitC on a copy and emits one C++ file per thread function
/// (`ttl.thread`). A module without thread functions yields one file holding
/// all of its functions, with name "module".
/// TTL input is compiled for `arch` (wormhole_b0 or blackhole).
FailureOr<SmallVector<KernelSource>>
emitKernels(ModuleOp module, StringRef arch = "wormhole_b0");

/// `emitKernels`, printed one after another under a banner per kernel.
LogicalResult translateKernelsToCpp(ModuleOp module, raw_ostream &os);

/// Registers `--ttkernel-to-cpp` with mlir-translate style drivers.
void registerTTKernelToCppTranslation();

} // namespace mlir::ttlx

#endif // TTLX_TARGET_CPP_KERNELEMITTER_H
