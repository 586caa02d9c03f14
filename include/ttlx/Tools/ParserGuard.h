//===- ParserGuard.h - Reject inputs that abort MLIR's parser ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// MLIR 22's parser aborts on a dense array of `index` (`array<index: 1, 2>`:
// DenseArrayAttr asks `index` for a bit width and asserts) instead of
// reporting an error. A tool must not crash on bad input, so ttlx's drivers
// look at their input first and report such arrays at their line.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_TOOLS_PARSERGUARD_H
#define TTLX_TOOLS_PARSERGUARD_H

namespace mlir::ttlx {

/// Finds the driver's input among `argv` (the positional argument, or
/// standard input, which it reads and puts back for the driver) and prints
/// an error at each construct that would abort the parser. Returns false
/// when the input must not reach the parser.
bool guardAgainstParserAborts(int argc, char **argv);

} // namespace mlir::ttlx

#endif // TTLX_TOOLS_PARSERGUARD_H
