// SPDX-License-Identifier: Apache-2.0
// Shim for the Python op bindings of the TTKernel dialect.
include "ttlx/Dialect/TTKernel/IR/TTKernelOps.td"
