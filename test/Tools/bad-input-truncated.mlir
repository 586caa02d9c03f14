// RUN: not ttlx-opt %s 2>&1 | FileCheck %s
// RUN: not ttlx-translate --ttkernel-to-cpp %s 2>&1 | FileCheck %s
// A file cut off in the middle of a function: a diagnostic, exit 1, no crash.
// CHECK: error: unbalanced '<' character in pretty dialect name
func.func @cut(%t: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16,
