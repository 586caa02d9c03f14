//===- TTLToTTKernel.h - TTL to TTKernel conversion -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_CONVERSION_TTLTOTTKERNEL_TTLTOTTKERNEL_H
#define TTLX_CONVERSION_TTLTOTTKERNEL_TTLTOTTKERNEL_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::ttl {

/// Maps TTL types to what they become on a Tensix thread: a DFB becomes a
/// `!ttkernel.cb`, a block its i32 L1 address, a transfer handle nothing.
class TTLToTTKernelTypeConverter : public TypeConverter {
public:
  TTLToTTKernelTypeConverter(MLIRContext *context);
};

/// Patterns lowering TTL data movement and element access to TTKernel. A
/// copy sets up the `!ttkernel.tensor_accessor` of its DRAM tensor argument
/// at the thread's entry (once per tensor).
void populateTTLToTTKernelPatterns(const TypeConverter &typeConverter,
                                   RewritePatternSet &patterns);

/// Patterns turning each `ttl.store` into the tile program `ttl-assign-dst`
/// laid out (run before the dialect conversion; the expression ops die).
void populateTTLComputeToTTKernelPatterns(RewritePatternSet &patterns);

/// Patterns lowering `ttl.tilize` and `ttl.untilize` to tt-metal's
/// tilize_block and pack_untilize_block (run with the compute patterns).
void populateTTLLayoutToTTKernelPatterns(RewritePatternSet &patterns);

/// Patterns lowering pipe sends, receives and their waits (the semaphore
/// handshake) with the ids `ttl-assign-pipe-semaphores` wrote on the ops.
void populatePipeToTTKernelPatterns(const TypeConverter &typeConverter,
                                    RewritePatternSet &patterns);

/// Patterns lowering the ttl.semaphore_* ops (ttl.Semaphore) to tt-metal's
/// semaphore calls on `get_semaphore(id)`.
void populateSemaphoreToTTKernelPatterns(RewritePatternSet &patterns);

} // namespace mlir::ttl

#endif // TTLX_CONVERSION_TTLTOTTKERNEL_TTLTOTTKERNEL_H
