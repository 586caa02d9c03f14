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

/// Patterns lowering TTL data movement and element access to TTKernel.
/// `tensorAccessors` maps each DRAM tensor argument of a thread to the
/// `!ttkernel.tensor_accessor` set up at the thread's entry.
void populateTTLToTTKernelPatterns(
    const TTLToTTKernelTypeConverter &typeConverter,
    const DenseMap<Value, Value> &tensorAccessors,
    RewritePatternSet &patterns);

/// Reports a store whose expression `ttl-assign-dst` has not annotated;
/// run before the patterns below.
LogicalResult checkDSTAssigned(Operation *root);

/// Patterns turning each `ttl.store` into the tile program `ttl-assign-dst`
/// laid out (run before the dialect conversion; the expression ops die).
void populateTTLComputeToTTKernelPatterns(RewritePatternSet &patterns);

/// The two semaphores of each pipe: `mailbox` on its destinations (the L1
/// address of the block to read, 0 when empty) and `done` on its source (how
/// many destinations have read the block).
struct PipeSemaphores {
  int64_t mailbox;
  int64_t done;
};
using PipeSemaphoreMap = DenseMap<Attribute, PipeSemaphores>;

/// Gives every pipe used in `module` its semaphore ids, as few as possible:
/// pipes share a mailbox id unless they share a destination core, and a done
/// id unless they share the source. Fails, with an error at the op, when a
/// pipe carries two block types or the pipes need more semaphores than a
/// core has.
FailureOr<PipeSemaphoreMap> assignPipeSemaphores(Operation *module);

/// Patterns lowering pipe sends, receives and their waits (the semaphore
/// handshake) with the ids from `assignPipeSemaphores`.
void populatePipeToTTKernelPatterns(
    const TTLToTTKernelTypeConverter &typeConverter,
    const PipeSemaphoreMap &semaphores, RewritePatternSet &patterns);

} // namespace mlir::ttl

#endif // TTLX_CONVERSION_TTLTOTTKERNEL_TTLTOTTKERNEL_H
