// MLIR 22's parser aborts on dense arrays of `index`; the drivers report
// them as errors at their line instead, from a file or from standard input.
// RUN: not ttlx-opt %s 2>&1 | FileCheck %s
// RUN: not ttlx-opt < %s 2>&1 | FileCheck %s --check-prefix=STDIN
// RUN: not ttlx-translate --ttkernel-to-cpp %s 2>&1 | FileCheck %s
// Comments are not parsed: array<index: 1> here is fine.

func.func @f() attributes {ttl.grid = array<index: 2, 1>} {
  return
}
// CHECK: bad-input-index-array.mlir:[[@LINE-3]]:39: error: dense arrays of 'index' are not supported (MLIR's parser cannot read them); use array<i64: ...>
// CHECK-NOT: Assertion
// STDIN: <stdin>:[[@LINE-5]]:39: error: dense arrays of 'index' are not supported
