//===- Pipelines.h - ttlx pass pipelines ------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_CONVERSION_PIPELINES_H
#define TTLX_CONVERSION_PIPELINES_H

namespace mlir {
class OpPassManager;
namespace ttlx {

/// TTKernel (plus func/arith/scf) -> EmitC.
void buildTTKernelToEmitCPipeline(OpPassManager &pm);

/// TTL -> TTKernel: decompose fused ops, coalesce DFB acquires, convert.
void buildTTLToTTKernelPipeline(OpPassManager &pm);

/// TTL -> EmitC: the whole compiler up to C++ emission.
void buildTTLToEmitCPipeline(OpPassManager &pm);

} // namespace ttlx
} // namespace mlir

#endif // TTLX_CONVERSION_PIPELINES_H
