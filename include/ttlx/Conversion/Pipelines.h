//===- Pipelines.h - ttlx pass pipelines ------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_CONVERSION_PIPELINES_H
#define TTLX_CONVERSION_PIPELINES_H

#include "llvm/ADT/StringRef.h"

namespace mlir {
class OpPassManager;
namespace ttlx {

/// The architecture the pipelines target by default.
inline constexpr llvm::StringLiteral kDefaultArch = "wormhole_b0";

/// TTKernel (plus func/arith/scf) -> EmitC.
void buildTTKernelToEmitCPipeline(OpPassManager &pm);

/// TTL -> TTKernel for `arch` (wormhole_b0 or blackhole): verify, decompose
/// fused ops, coalesce DFB acquires, assign DST and semaphores, convert.
void buildTTLToTTKernelPipeline(OpPassManager &pm,
                                llvm::StringRef arch = kDefaultArch);

/// TTL -> EmitC: the whole compiler up to C++ emission.
void buildTTLToEmitCPipeline(OpPassManager &pm,
                             llvm::StringRef arch = kDefaultArch);

} // namespace ttlx
} // namespace mlir

#endif // TTLX_CONVERSION_PIPELINES_H
