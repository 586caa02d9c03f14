//===- TTKernelToEmitC.h - TTKernel to EmitC conversion ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_CONVERSION_TTKERNELTOEMITC_TTKERNELTOEMITC_H
#define TTLX_CONVERSION_TTKERNELTOEMITC_TTKERNELTOEMITC_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::ttkernel {

/// Marks the `emitc.verbatim` braces of a device profiler zone (values made
/// inside a zone and used after it are hoisted out of its C++ block).
inline constexpr llvm::StringLiteral kDeviceZoneAttr = "ttkernel.device_zone";

/// On the `emitc.call_opaque` of a user C++ call: the header the kernel
/// includes, and (unit) that a template argument is a
/// `ttlang::DFBDescriptor`, which the kernel then defines.
inline constexpr llvm::StringLiteral kOpaqueHeaderAttr = "ttkernel.opaque_header";
inline constexpr llvm::StringLiteral kDFBDescriptorAttr = "ttkernel.dfb_descriptor";

/// Adds the TTKernel type mappings (`!ttkernel.cb` -> `uint32_t`, accessors
/// -> `auto`) to an EmitC type converter.
void populateTTKernelToEmitCTypeConversions(TypeConverter &typeConverter);

/// Patterns turning each TTKernel op into the tt-metal call of that name.
void populateTTKernelToEmitCPatterns(const TypeConverter &typeConverter,
                                     RewritePatternSet &patterns);

} // namespace mlir::ttkernel

#endif // TTLX_CONVERSION_TTKERNELTOEMITC_TTKERNELTOEMITC_H
