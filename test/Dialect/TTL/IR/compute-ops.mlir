// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of the TTL compute ops.

// CHECK-LABEL: func.func @compute
// CHECK-SAME: ttl.fp32_dest_acc
func.func @compute(%f: f32) attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], bf16, 2>
  %ds = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %dr = ttl.bind_dfb 2 : !ttl.dfb<[1, 4], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 4], bf16, 2>
  %s = ttl.dfb_wait %ds : !ttl.dfb<[1, 1], bf16, 2>
  %r = ttl.dfb_reserve %dr : !ttl.dfb<[1, 4], bf16, 2>
  // CHECK: %[[E:.*]] = ttl.exp %{{.*}} : tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.log %[[E]]
  // CHECK: ttl.sqrt
  // CHECK: ttl.rsqrt
  // CHECK: ttl.recip
  // CHECK: ttl.sigmoid
  // CHECK: ttl.silu
  // CHECK: ttl.tanh
  // CHECK: ttl.abs
  // CHECK: ttl.neg
  // CHECK: ttl.sign
  // CHECK: ttl.square
  // CHECK: %[[U:.*]] = ttl.relu
  %0 = ttl.exp %a : tensor<1x4x!ttl.tile<bf16>>
  %1 = ttl.log %0 : tensor<1x4x!ttl.tile<bf16>>
  %2 = ttl.sqrt %1 : tensor<1x4x!ttl.tile<bf16>>
  %3 = ttl.rsqrt %2 : tensor<1x4x!ttl.tile<bf16>>
  %4 = ttl.recip %3 : tensor<1x4x!ttl.tile<bf16>>
  %5 = ttl.sigmoid %4 : tensor<1x4x!ttl.tile<bf16>>
  %6 = ttl.silu %5 : tensor<1x4x!ttl.tile<bf16>>
  %7 = ttl.tanh %6 : tensor<1x4x!ttl.tile<bf16>>
  %8 = ttl.abs %7 : tensor<1x4x!ttl.tile<bf16>>
  %9 = ttl.neg %8 : tensor<1x4x!ttl.tile<bf16>>
  %10 = ttl.sign %9 : tensor<1x4x!ttl.tile<bf16>>
  %11 = ttl.square %10 : tensor<1x4x!ttl.tile<bf16>>
  %12 = ttl.relu %11 : tensor<1x4x!ttl.tile<bf16>>
  // CHECK: %[[ADD:.*]] = ttl.add %[[U]], %{{.*}} : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.sub %[[ADD]], %{{.*}} : tensor<1x4x!ttl.tile<bf16>>, f32 -> tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.mul %{{.*}}, %{{.*}} : f32, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.div
  // CHECK: ttl.max
  // CHECK: ttl.min
  %13 = ttl.add %12, %a : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %14 = ttl.sub %13, %f : tensor<1x4x!ttl.tile<bf16>>, f32 -> tensor<1x4x!ttl.tile<bf16>>
  %15 = ttl.mul %f, %14 : f32, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %16 = ttl.div %15, %a : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %17 = ttl.max %16, %a : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %18 = ttl.min %17, %a : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.fill %{{.*}} : f32 -> tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.broadcast %{{.*}} scalar : tensor<1x1x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.reduce_sum %{{.*}}, %{{.*}} row : tensor<1x4x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  // CHECK: ttl.reduce_max %{{.*}}, %{{.*}} col : tensor<1x4x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.copy_tile %{{.*}} {ttl.dst_idx = 3 : i32} : tensor<1x4x!ttl.tile<bf16>>
  // CHECK: ttl.mul %{{.*}}, %{{.*}} {ttl.dst_idx = 0 : i32, ttl.fpu}
  // CHECK: ttl.store %{{.*}}, %{{.*}} : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>>
  %19 = ttl.fill %f : f32 -> tensor<1x4x!ttl.tile<bf16>>
  %20 = ttl.broadcast %s scalar : tensor<1x1x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %21 = ttl.reduce_sum %a, %s row : tensor<1x4x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %22 = ttl.reduce_max %a, %s col : tensor<1x4x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %23 = ttl.add %18, %19 : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %24 = ttl.add %23, %20 : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %25 = ttl.add %24, %22 : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  %26 = ttl.copy_tile %a {ttl.dst_idx = 3 : i32} : tensor<1x4x!ttl.tile<bf16>>
  %27 = ttl.mul %a, %a {ttl.dst_idx = 0 : i32, ttl.fpu} : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  ttl.store %25, %r : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>>
  ttl.dfb_push %dr : !ttl.dfb<[1, 4], bf16, 2>
  ttl.dfb_pop %ds : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 4], bf16, 2>
  return
}

// The packer writes DST in the output DFB's format: a value of either float
// dtype may be stored into a block of the other (same shape and unit).
// CHECK-LABEL: func.func @store_other_dtype
// CHECK: ttl.store %{{.*}}, %{{.*}} : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<bf16>>
// CHECK: ttl.store %{{.*}}, %{{.*}} : tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<f32>>
func.func @store_other_dtype() attributes {ttl.thread = #ttl.thread<compute>} {
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], f32, 2>
  %dw = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 2>
  %dy = ttl.bind_dfb 2 : !ttl.dfb<[1, 2], bf16, 2>
  %dq = ttl.bind_dfb 3 : !ttl.dfb<[1, 2], f32, 2>
  %x = ttl.dfb_wait %dx : !ttl.dfb<[1, 2], f32, 2>
  %w = ttl.dfb_wait %dw : !ttl.dfb<[1, 2], bf16, 2>
  %y = ttl.dfb_reserve %dy : !ttl.dfb<[1, 2], bf16, 2>
  %q = ttl.dfb_reserve %dq : !ttl.dfb<[1, 2], f32, 2>
  %e = ttl.exp %x : tensor<1x2x!ttl.tile<f32>>
  ttl.store %e, %y : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<bf16>>
  %s = ttl.exp %w : tensor<1x2x!ttl.tile<bf16>>
  ttl.store %s, %q : tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<f32>>
  ttl.dfb_push %dq : !ttl.dfb<[1, 2], f32, 2>
  ttl.dfb_push %dy : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_pop %dw : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_pop %dx : !ttl.dfb<[1, 2], f32, 2>
  return
}
