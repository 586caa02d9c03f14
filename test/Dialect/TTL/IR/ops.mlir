// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of every TTL op, type and attribute.

// CHECK-LABEL: func.func @protocol_and_copies
// CHECK-SAME: (%[[T:.*]]: tensor<64x128xbf16>) attributes {ttl.grid = array<i64: 2, 4>, ttl.thread = #ttl.thread<datamovement>}
func.func @protocol_and_copies(%t: tensor<64x128xbf16>)
    attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 4>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // CHECK: %[[IN:.*]] = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  // CHECK: %[[OUT:.*]] = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 2>
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %out = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 2>
  // CHECK: %[[R:.*]] = ttl.dfb_reserve %[[IN]] : !ttl.dfb<[1, 2], bf16, 2>
  %r = ttl.dfb_reserve %in : !ttl.dfb<[1, 2], bf16, 2>
  // CHECK: %[[X:.*]] = ttl.node 0
  // CHECK: %[[G:.*]] = ttl.grid_size 1
  %x = ttl.node 0
  %g = ttl.grid_size 1
  // CHECK: %[[H:.*]] = ttl.copy_to_block %[[T]][%[[X]], %{{.*}}], %[[R]] : tensor<64x128xbf16>, tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.wait %[[H]] : !ttl.transfer_handle<read>
  %h = ttl.copy_to_block %t[%x, %c0], %r : tensor<64x128xbf16>, tensor<1x2x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  // CHECK: ttl.dfb_push %[[IN]] : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_push %in : !ttl.dfb<[1, 2], bf16, 2>
  // CHECK: %[[W:.*]] = ttl.dfb_wait %[[OUT]] : !ttl.dfb<[1, 2], bf16, 2>
  %w = ttl.dfb_wait %out : !ttl.dfb<[1, 2], bf16, 2>
  // CHECK: %[[H2:.*]] = ttl.copy_to_tensor %[[W]], %[[T]][%{{.*}}, %[[G]]] : tensor<1x2x!ttl.tile<bf16>>, tensor<64x128xbf16>
  // CHECK: ttl.wait %[[H2]] : !ttl.transfer_handle<write>
  %h2 = ttl.copy_to_tensor %w, %t[%c1, %g] : tensor<1x2x!ttl.tile<bf16>>, tensor<64x128xbf16>
  ttl.wait %h2 : !ttl.transfer_handle<write>
  // CHECK: ttl.dfb_pop %[[OUT]] : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_pop %out : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// CHECK-LABEL: func.func @element_access
func.func @element_access() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 3} {
  %c0 = arith.constant 0 : index
  %c63 = arith.constant 63 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[2, 1], f32, 1>
  %w = ttl.dfb_wait %in : !ttl.dfb<[2, 1], f32, 1>
  // CHECK: %[[V:.*]] = ttl.element_read %{{.*}}[%{{.*}}, %{{.*}}] : tensor<2x1x!ttl.tile<f32>> -> f32
  %v = ttl.element_read %w[%c63, %c0] : tensor<2x1x!ttl.tile<f32>> -> f32
  // CHECK: ttl.element_write %{{.*}}[%{{.*}}, %{{.*}}], %[[V]] : tensor<2x1x!ttl.tile<f32>>, f32
  ttl.element_write %w[%c0, %c0], %v : tensor<2x1x!ttl.tile<f32>>, f32
  ttl.dfb_pop %in : !ttl.dfb<[2, 1], f32, 1>
  return
}

// CHECK-LABEL: func.func @compute_thread
// CHECK-SAME: ttl.thread = #ttl.thread<compute>
func.func @compute_thread() attributes {ttl.thread = #ttl.thread<compute>} {
  return
}

// Profiler scopes nest; each name is closed in its block.
// CHECK-LABEL: func.func @signposts
// CHECK: ttl.signpost_begin "outer"
// CHECK: ttl.signpost_begin "inner"
// CHECK: ttl.signpost_end "inner"
// CHECK: ttl.signpost_end "outer"
func.func @signposts() attributes {ttl.thread = #ttl.thread<datamovement>} {
  ttl.signpost_begin "outer"
  ttl.signpost_begin "inner"
  ttl.signpost_end "inner"
  ttl.signpost_end "outer"
  return
}

// A tensor-backed DFB's whole capacity, published in place.
// CHECK-LABEL: func.func @publish
// CHECK: %[[D:.*]] = ttl.bind_dfb 0 : !ttl.dfb<[1, 3], f32, 2>
// CHECK: ttl.dfb_publish %[[D]] : !ttl.dfb<[1, 3], f32, 2>
func.func @publish() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 3], f32, 2>
  ttl.dfb_publish %d : !ttl.dfb<[1, 3], f32, 2>
  return
}

// A call of user C++ (ttl.call_extern_func).
// CHECK-LABEL: func.func @opaque_call
// CHECK: %[[D:.*]] = ttl.bind_dfb 0
// CHECK: ttl.opaque_call "inspect" header "/src/inspect.hpp" template_args ["dfb_descriptor", -3 : si32, true, 1069547520 : ui32] template_dfbs(%[[D]] : !ttl.dfb<[1, 1], bf16, 2>) (%[[D]], %{{.*}} : !ttl.dfb<[1, 1], bf16, 2>, i32)
// CHECK: ttl.opaque_call "nothing" header "/src/inspect.hpp" template_args [] ()
// CHECK: %[[A:.*]] = ttl.tensor_addr %{{.*}} : tensor<64x64xbf16>
// CHECK: ttl.opaque_call "drain" header "/src/inspect.hpp" template_args [] effects ["wait", "pop"] [1, 1](%[[D]], %[[D]] : !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>) (%[[A]] : i32)
func.func @opaque_call(%t: tensor<64x64xbf16>) attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %n = arith.constant 4 : i32
  ttl.opaque_call "inspect" header "/src/inspect.hpp" template_args ["dfb_descriptor", -3 : si32, true, 1069547520 : ui32]
      template_dfbs(%d : !ttl.dfb<[1, 1], bf16, 2>) (%d, %n : !ttl.dfb<[1, 1], bf16, 2>, i32)
  ttl.opaque_call "nothing" header "/src/inspect.hpp" template_args [] ()
  %a = ttl.tensor_addr %t : tensor<64x64xbf16>
  ttl.opaque_call "drain" header "/src/inspect.hpp" template_args [] effects ["wait", "pop"] [1, 1]
      (%d, %d : !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>) (%a : i32)
  return
}
