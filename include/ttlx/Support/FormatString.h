//===- FormatString.h - DPRINT format strings -------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// The fmt-style format strings of ttl.dprint / ttkernel.dprint (tt-metal's
// DPRINT): `{}` takes the next argument, `{{` and `}}` are literal braces.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_SUPPORT_FORMATSTRING_H
#define TTLX_SUPPORT_FORMATSTRING_H

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::ttlx {

/// The number of `{}` placeholders in `format`, or nullopt when it has a
/// brace that is neither a placeholder nor an escaped brace.
inline std::optional<unsigned> countPlaceholders(llvm::StringRef format) {
  unsigned count = 0;
  for (size_t i = 0, e = format.size(); i < e; ++i) {
    char c = format[i];
    if (c != '{' && c != '}')
      continue;
    if (i + 1 < e && format[i + 1] == c) { // `{{` or `}}`
      ++i;
      continue;
    }
    if (c == '{' && i + 1 < e && format[i + 1] == '}') {
      ++count;
      ++i;
      continue;
    }
    return std::nullopt;
  }
  return count;
}

} // namespace mlir::ttlx

#endif // TTLX_SUPPORT_FORMATSTRING_H
