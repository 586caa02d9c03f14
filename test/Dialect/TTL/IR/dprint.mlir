// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of ttl.dprint: text only, and text with scalars.

// CHECK-LABEL: func.func @prints
// CHECK-SAME: (%[[R:.*]]: index, %[[N:.*]]: i32, %[[B:.*]]: i1)
func.func @prints(%r: index, %n: i32, %b: i1) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // CHECK: ttl.dprint "hello {{[{][{]}}world{{[}][}]}}\0A"
  ttl.dprint "hello {{world}}\0A"
  // CHECK: ttl.dprint "row {} of {}: {}\0A", %[[R]], %[[N]], %[[B]] : index, i32, i1
  ttl.dprint "row {} of {}: {}\0A", %r, %n, %b : index, i32, i1
  return
}

// CHECK-LABEL: func.func @prints_floats
// CHECK-SAME: (%[[H:.*]]: bf16, %[[F:.*]]: f32)
func.func @prints_floats(%h: bf16, %f: f32) attributes {ttl.thread = #ttl.thread<compute>} {
  // CHECK: ttl.dprint "{} {}\0A", %[[H]], %[[F]] : bf16, f32
  ttl.dprint "{} {}\0A", %h, %f : bf16, f32
  return
}

// A DFB's state, and the tiles of a waited block in a compute thread.
// CHECK-LABEL: func.func @prints_dfb_and_block
// CHECK: %[[D:.*]] = ttl.bind_dfb 0
// CHECK: ttl.dprint_dfb %[[D]] : !ttl.dfb<[1, 2], bf16, 2>
// CHECK: %[[A:.*]] = ttl.dfb_wait %[[D]]
// CHECK: ttl.dprint_block %[[A]] : tensor<1x2x!ttl.tile<bf16>>
func.func @prints_dfb_and_block() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dprint_dfb %d : !ttl.dfb<[1, 2], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dprint_block %a : tensor<1x2x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 2>
  return
}
