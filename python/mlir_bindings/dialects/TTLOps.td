// SPDX-License-Identifier: Apache-2.0
// Shim for the Python op bindings of the TTL dialect.
include "ttlx/Dialect/TTL/IR/TTLOps.td"
