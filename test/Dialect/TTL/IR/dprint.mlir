// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of ttl.dprint: text only, and text with integer scalars.

// CHECK-LABEL: func.func @prints
// CHECK-SAME: (%[[R:.*]]: index, %[[N:.*]]: i32, %[[B:.*]]: i1)
func.func @prints(%r: index, %n: i32, %b: i1) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // CHECK: ttl.dprint "hello {{[{][{]}}world{{[}][}]}}\0A"
  ttl.dprint "hello {{world}}\0A"
  // CHECK: ttl.dprint "row {} of {}: {}\0A", %[[R]], %[[N]], %[[B]] : index, i32, i1
  ttl.dprint "row {} of {}: {}\0A", %r, %n, %b : index, i32, i1
  return
}
