// RUN: ttlx-opt %s -split-input-file -ttl-decompose-engram -verify-diagnostics | FileCheck %s --enable-var-scope
// ttl.depthwise_conv1d (K = 2, dilation 3): tap 1 is x itself, tap 0 the rows
// 3 back: S_3 @ x + H_3 @ halo (the second matmul onto the first, no add),
// with the 0/1 tiles built by the module's data-movement thread (zeros, then
// ones at (i, i-3) and (i, 29+i)) and held by the compute thread.

// CHECK-LABEL: func.func @reader
// CHECK: %[[S:.*]] = ttl.bind_dfb 4 : !ttl.dfb<[1, 1], f32, 1>
// CHECK: %[[SB:.*]] = ttl.dfb_reserve %[[S]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: ttl.element_write %[[SB]]
// CHECK: arith.constant -3 : index
// CHECK: scf.for %{{.*}} = %c3 to %c32
// CHECK: ttl.dfb_push %[[S]]
// CHECK: %[[H:.*]] = ttl.bind_dfb 5 : !ttl.dfb<[1, 1], f32, 1>
// CHECK: arith.constant 29 : index
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c3
// CHECK: ttl.dfb_push %[[H]]
func.func @reader() attributes {ttl.thread = #ttl.thread<datamovement>} {
  return
}

// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[HS:.*]] = ttl.dfb_wait %{{.*}} : !ttl.dfb<[1, 1], f32, 1>
// CHECK-DAG: %[[SS:.*]] = ttl.dfb_wait %{{.*}} : !ttl.dfb<[1, 1], f32, 1>
// CHECK: %[[X:.*]] = ttl.dfb_wait %[[DX:.*]] : !ttl.dfb<[1, 2], f32, 2>
// CHECK: %[[MOVED:.*]] = ttl.matmul %[[SS]], %[[X]]
// CHECK-NEXT: %[[TAP:.*]] = ttl.matmul %[[HS]], %{{.*}} onto %[[MOVED]]
// CHECK-NEXT: ttl.mul %{{.*}}, %[[TAP]]
// CHECK: ttl.silu
// CHECK-NOT: ttl.depthwise_conv1d
// CHECK: ttl.dfb_pop
// CHECK: return
func.func @conv() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], f32, 2>
  %dh = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], f32, 2>
  %dw = ttl.bind_dfb 2 : !ttl.dfb<[1, 2], f32, 2>
  %do = ttl.bind_dfb 3 : !ttl.dfb<[1, 2], f32, 2>
  %x = ttl.dfb_wait %dx : !ttl.dfb<[1, 2], f32, 2>
  %h = ttl.dfb_wait %dh : !ttl.dfb<[1, 2], f32, 2>
  %w = ttl.dfb_wait %dw : !ttl.dfb<[1, 2], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 2], f32, 2>
  %y = ttl.depthwise_conv1d %x, %h, [%w, %w] {kernel_size = 2 : i64, dilation = 3 : i64, silu} : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>
  ttl.store %y, %o : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 2], f32, 2>
  ttl.dfb_pop %dw : !ttl.dfb<[1, 2], f32, 2>
  ttl.dfb_pop %dh : !ttl.dfb<[1, 2], f32, 2>
  ttl.dfb_pop %dx : !ttl.dfb<[1, 2], f32, 2>
  return
}

// -----

func.func @conv_alone() attributes {ttl.thread = #ttl.thread<compute>} {
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %x = ttl.dfb_wait %dx : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  // expected-error @+1 {{'ttl.depthwise_conv1d' op needs a data-movement thread in the module to build its 0/1 row-shift tiles}}
  %y = ttl.depthwise_conv1d %x, %x, [%x, %x] {kernel_size = 2 : i64, dilation = 1 : i64} : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.store %y, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %dx : !ttl.dfb<[1, 1], f32, 2>
  return
}
