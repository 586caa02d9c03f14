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

/// Reports stores that cannot become tile programs (blocks not from bound
/// DFBs, not enough DST tiles); run before the patterns below.
LogicalResult checkTTLComputeStores(Operation *root);

/// Patterns turning each `ttl.store` of a tile expression into its tile
/// program (run before the dialect conversion; the expression ops die).
void populateTTLComputeToTTKernelPatterns(RewritePatternSet &patterns);

} // namespace mlir::ttl

#endif // TTLX_CONVERSION_TTLTOTTKERNEL_TTLTOTTKERNEL_H
