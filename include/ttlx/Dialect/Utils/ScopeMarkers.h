//===- ScopeMarkers.h - begin/end markers of named scopes -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Profiler scopes are a begin and an end marker in one block (ttl.signpost_*,
// ttkernel.device_zone_*); in C++ they become a braced block opened by
// DeviceZoneScopedN("name"), so each marker needs its partner in its block,
// properly nested, and the name must be a plain C string.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_UTILS_SCOPEMARKERS_H
#define TTLX_DIALECT_UTILS_SCOPEMARKERS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::ttlx {

/// Verifies the marker `op` of scope `name`: a begin (`isBegin`) is closed
/// by an end of the same name later in its block, an end closes a begin
/// earlier in its block; markers of other scopes in between nest.
template <typename BeginOp, typename EndOp>
LogicalResult verifyScopeMarker(Operation *op, StringRef name, bool isBegin) {
  for (char c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      return op->emitOpError()
             << "name must not contain quotes, backslashes or control "
                "characters: it becomes a C++ string literal";
  }
  if (name.empty())
    return op->emitOpError() << "needs a non-empty scope name";
  // Scan toward the partner; a stack of scope names tracks nesting.
  SmallVector<StringRef> open;
  for (Operation *other = isBegin ? op->getNextNode() : op->getPrevNode();
       other; other = isBegin ? other->getNextNode() : other->getPrevNode()) {
    auto opening = dyn_cast<BeginOp>(other);
    auto closing = dyn_cast<EndOp>(other);
    if (!opening && !closing)
      continue;
    StringRef otherName = opening ? opening.getLabel() : closing.getLabel();
    // Walking forward, begins open and ends close; backward, the reverse.
    bool opens = isBegin ? bool(opening) : bool(closing);
    if (opens) {
      open.push_back(otherName);
      continue;
    }
    if (!open.empty()) {
      if (open.back() != otherName)
        break; // crossed scopes: reported below
      open.pop_back();
      continue;
    }
    if (otherName == name)
      return success();
    break;
  }
  if (isBegin)
    return op->emitOpError() << "is not closed by '" << EndOp::getOperationName()
                             << "' \"" << name << "\" in its block";
  return op->emitOpError() << "closes no '" << BeginOp::getOperationName()
                           << "' \"" << name << "\" before it in its block";
}

} // namespace mlir::ttlx

#endif // TTLX_DIALECT_UTILS_SCOPEMARKERS_H
