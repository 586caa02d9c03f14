// RUN: ttlx-opt %s -split-input-file -ttl-coalesce-dfb-acquires | FileCheck %s --enable-var-scope

// A second wait with no pop in between is the same block: merged, and the
// element reads between them stay where they are.
// CHECK-LABEL: func.func @merge_waits
func.func @merge_waits() -> (bf16, bf16) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // CHECK: %[[A:.*]] = ttl.dfb_wait
  // CHECK-NEXT: %[[X:.*]] = ttl.element_read %[[A]][%{{.*}}, %{{.*}}]
  // CHECK-NEXT: %[[Y:.*]] = ttl.element_read %[[A]][%{{.*}}, %{{.*}}]
  // CHECK-NEXT: ttl.dfb_pop
  // CHECK-NOT: ttl.dfb_wait
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %x = ttl.element_read %a[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %y = ttl.element_read %b[%c0, %c1] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return %x, %y : bf16, bf16
}

// -----

// A wait after a pop is the next block: nothing merges, and the pop does
// not move across the element read that precedes it.
// CHECK-LABEL: func.func @no_merge_across_pop
func.func @no_merge_across_pop() -> (bf16, bf16) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // CHECK: %[[A:.*]] = ttl.dfb_wait %[[D:.*]] :
  // CHECK-NEXT: %[[X:.*]] = ttl.element_read %[[A]]
  // CHECK-NEXT: ttl.dfb_pop %[[D]]
  // CHECK-NEXT: %[[B:.*]] = ttl.dfb_wait %[[D]]
  // CHECK-NEXT: %[[Y:.*]] = ttl.element_read %[[B]]
  // CHECK-NEXT: ttl.dfb_pop %[[D]]
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %x = ttl.element_read %a[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %y = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return %x, %y : bf16, bf16
}

// -----

// Reserves merge the same way; an element write keeps its place.
// CHECK-LABEL: func.func @merge_reserves
func.func @merge_reserves(%v: f32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  // CHECK: %[[R:.*]] = ttl.dfb_reserve
  // CHECK-NEXT: ttl.element_write %[[R]]
  // CHECK-NEXT: ttl.element_write %[[R]]
  // CHECK-NEXT: ttl.dfb_push
  %r = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], f32, 2>
  ttl.element_write %r[%c0, %c0], %v : tensor<1x1x!ttl.tile<f32>>, f32
  %s = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], f32, 2>
  ttl.element_write %s[%c0, %c0], %v : tensor<1x1x!ttl.tile<f32>>, f32
  ttl.dfb_push %d : !ttl.dfb<[1, 1], f32, 2>
  return
}

// -----

// A pop inside a nested region ends the run.
// CHECK-LABEL: func.func @nested_pop_blocks_merge
func.func @nested_pop_blocks_merge(%c: i1) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // CHECK-COUNT-2: ttl.dfb_wait
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  scf.if %c {
    ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  } else {
    ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  }
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
