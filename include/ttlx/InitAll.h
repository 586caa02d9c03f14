//===- InitAll.h - register everything ttlx provides ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_INITALL_H
#define TTLX_INITALL_H

namespace mlir {
class DialectRegistry;
namespace ttlx {

/// The ttl and ttkernel dialects plus the upstream dialects ttlx IR uses.
void registerAllDialects(DialectRegistry &registry);

} // namespace ttlx
} // namespace mlir

#endif // TTLX_INITALL_H
