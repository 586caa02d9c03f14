// RUN: not ttlx-opt %s 2>&1 | FileCheck %s
// RUN: not ttlx-opt %s -ttl-to-emitc 2>&1 | FileCheck %s
// CHECK: error: custom op 'ttl.element_peek' is unknown
func.func @f() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %v = ttl.element_peek %c0 : index -> bf16
  return
}
