// RUN: ttlx-opt %s -split-input-file | ttlx-opt -split-input-file | FileCheck %s --enable-var-scope

// N-d DFBs and blocks: leading batch dimensions, then tile rows and columns.
// A copy takes one index per tensor dimension; elementwise math and store
// take blocks of any rank.
// CHECK-LABEL: func.func @batched
// CHECK: %[[D:.*]] = ttl.bind_dfb 0 : !ttl.dfb<[1, 2, 3], bf16, 2>
// CHECK: %[[R:.*]] = ttl.dfb_reserve %[[D]] : !ttl.dfb<[1, 2, 3], bf16, 2>
// CHECK: ttl.copy_to_block %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}], %[[R]] : tensor<2x64x96xbf16>, tensor<1x2x3x!ttl.tile<bf16>>
// CHECK: ttl.copy_to_tensor %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : tensor<2x3x!ttl.tile<bf16>>, tensor<4x1x64x96xbf16>
func.func @batched(%t: tensor<2x64x96xbf16>, %u: tensor<4x1x64x96xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2, 3], bf16, 2>
  %r = ttl.dfb_reserve %d : !ttl.dfb<[1, 2, 3], bf16, 2>
  %h = ttl.copy_to_block %t[%c1, %c0, %c0], %r : tensor<2x64x96xbf16>, tensor<1x2x3x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 2, 3], bf16, 2>
  %e = ttl.bind_dfb 1 : !ttl.dfb<[2, 3], bf16, 2>
  %w = ttl.dfb_wait %e : !ttl.dfb<[2, 3], bf16, 2>
  %h2 = ttl.copy_to_tensor %w, %u[%c1, %c0, %c0, %c0] : tensor<2x3x!ttl.tile<bf16>>, tensor<4x1x64x96xbf16>
  ttl.wait %h2 : !ttl.transfer_handle<write>
  ttl.dfb_pop %e : !ttl.dfb<[2, 3], bf16, 2>
  return
}

// -----

// CHECK-LABEL: func.func @batched_math
// CHECK: %[[S:.*]] = ttl.mul %{{.*}}, %{{.*}} : tensor<2x1x2x!ttl.tile<f32>>, tensor<2x1x2x!ttl.tile<f32>> -> tensor<2x1x2x!ttl.tile<f32>>
// CHECK: ttl.store %[[S]], %{{.*}} : tensor<2x1x2x!ttl.tile<f32>>, tensor<2x1x2x!ttl.tile<f32>>
func.func @batched_math() attributes {ttl.thread = #ttl.thread<compute>} {
  %a = ttl.bind_dfb 0 : !ttl.dfb<[2, 1, 2], f32, 2>
  %o = ttl.bind_dfb 1 : !ttl.dfb<[2, 1, 2], f32, 2>
  %x = ttl.dfb_wait %a : !ttl.dfb<[2, 1, 2], f32, 2>
  %y = ttl.dfb_reserve %o : !ttl.dfb<[2, 1, 2], f32, 2>
  %s = ttl.mul %x, %x : tensor<2x1x2x!ttl.tile<f32>>, tensor<2x1x2x!ttl.tile<f32>> -> tensor<2x1x2x!ttl.tile<f32>>
  ttl.store %s, %y : tensor<2x1x2x!ttl.tile<f32>>, tensor<2x1x2x!ttl.tile<f32>>
  ttl.dfb_pop %a : !ttl.dfb<[2, 1, 2], f32, 2>
  ttl.dfb_push %o : !ttl.dfb<[2, 1, 2], f32, 2>
  return
}

// -----

// Batched matmul and whole-tile broadcast along a leading dimension.
// CHECK-LABEL: func.func @batched_ops
// CHECK: ttl.broadcast_tiles %{{.*}} : tensor<1x2x1x!ttl.tile<bf16>> -> tensor<3x2x1x!ttl.tile<bf16>>
// CHECK: ttl.matmul %{{.*}}, %{{.*}} : tensor<3x1x2x!ttl.tile<bf16>>, tensor<3x2x1x!ttl.tile<bf16>> -> tensor<3x1x1x!ttl.tile<bf16>>
func.func @batched_ops(%x: tensor<1x2x1x!ttl.tile<bf16>>) -> tensor<3x2x1x!ttl.tile<bf16>> attributes {ttl.thread = #ttl.thread<compute>} {
  %bb = ttl.broadcast_tiles %x : tensor<1x2x1x!ttl.tile<bf16>> -> tensor<3x2x1x!ttl.tile<bf16>>
  %da = ttl.bind_dfb 0 : !ttl.dfb<[3, 1, 2], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[3, 2, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[3, 1, 2], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[3, 2, 1], bf16, 2>
  %m = ttl.matmul %a, %b : tensor<3x1x2x!ttl.tile<bf16>>, tensor<3x2x1x!ttl.tile<bf16>> -> tensor<3x1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %da : !ttl.dfb<[3, 1, 2], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[3, 2, 1], bf16, 2>
  return %bb : tensor<3x2x1x!ttl.tile<bf16>>
}
