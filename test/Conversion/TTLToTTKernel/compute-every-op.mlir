// RUN: ttlx-opt %s -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// Every TTL tile op lowers to its tt-metal tile call (with its init) in one
// tile program: a chain of the unary ops, then each binary op in its SFPU
// form (the left operand is already in DST).

// CHECK-LABEL: func.func @every_op
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.copy_tile %[[A:.*]], %{{.*}}, %[[D0:c0_i32]]
// CHECK: ttkernel.exp_tile_init
// CHECK-NEXT: ttkernel.exp_tile %[[D0]]
// CHECK: ttkernel.log_tile_init
// CHECK-NEXT: ttkernel.log_tile %[[D0]]
// CHECK: ttkernel.sqrt_tile_init
// CHECK-NEXT: ttkernel.sqrt_tile %[[D0]]
// CHECK: ttkernel.rsqrt_tile_init
// CHECK-NEXT: ttkernel.rsqrt_tile %[[D0]]
// CHECK: ttkernel.recip_tile_init
// CHECK-NEXT: ttkernel.recip_tile %[[D0]]
// CHECK: ttkernel.sigmoid_tile_init
// CHECK-NEXT: ttkernel.sigmoid_tile %[[D0]]
// CHECK: ttkernel.silu_tile_init
// CHECK-NEXT: ttkernel.silu_tile %[[D0]]
// CHECK: ttkernel.tanh_tile_init
// CHECK-NEXT: ttkernel.tanh_tile %[[D0]]
// CHECK: ttkernel.abs_tile_init
// CHECK-NEXT: ttkernel.abs_tile %[[D0]]
// CHECK: ttkernel.negative_tile_init
// CHECK-NEXT: ttkernel.negative_tile %[[D0]]
// CHECK: ttkernel.sign_tile_init
// CHECK-NEXT: ttkernel.sign_tile %[[D0]]
// CHECK: ttkernel.square_tile_init
// CHECK-NEXT: ttkernel.square_tile %[[D0]]
// CHECK: ttkernel.relu_tile_init
// CHECK-NEXT: ttkernel.relu_tile %[[D0]]
// CHECK: ttkernel.copy_tile %[[A]], %{{.*}}, %[[D1:c1_i32]]
// CHECK: ttkernel.add_binary_tile_init
// CHECK-NEXT: ttkernel.add_binary_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK: ttkernel.copy_tile %[[A]], %{{.*}}, %[[D1:c1_i32]]
// CHECK: ttkernel.sub_binary_tile_init
// CHECK-NEXT: ttkernel.sub_binary_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK: ttkernel.copy_tile %[[A]], %{{.*}}, %[[D1:c1_i32]]
// CHECK: ttkernel.mul_binary_tile_init
// CHECK-NEXT: ttkernel.mul_binary_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK: ttkernel.copy_tile %[[A]], %{{.*}}, %[[D1:c1_i32]]
// CHECK: ttkernel.div_binary_tile_init
// CHECK-NEXT: ttkernel.div_binary_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK: ttkernel.copy_tile %[[A]], %{{.*}}, %[[D1:c1_i32]]
// CHECK: ttkernel.binary_max_tile_init
// CHECK-NEXT: ttkernel.binary_max_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK: ttkernel.copy_tile %[[A]], %{{.*}}, %[[D1:c1_i32]]
// CHECK: ttkernel.binary_min_tile_init
// CHECK-NEXT: ttkernel.binary_min_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK: ttkernel.tile_regs_commit
// CHECK-NOT: ttkernel.tile_regs_acquire
func.func @every_op() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  %u0 = ttl.exp %a : tensor<1x1x!ttl.tile<f32>>
  %u1 = ttl.log %u0 : tensor<1x1x!ttl.tile<f32>>
  %u2 = ttl.sqrt %u1 : tensor<1x1x!ttl.tile<f32>>
  %u3 = ttl.rsqrt %u2 : tensor<1x1x!ttl.tile<f32>>
  %u4 = ttl.recip %u3 : tensor<1x1x!ttl.tile<f32>>
  %u5 = ttl.sigmoid %u4 : tensor<1x1x!ttl.tile<f32>>
  %u6 = ttl.silu %u5 : tensor<1x1x!ttl.tile<f32>>
  %u7 = ttl.tanh %u6 : tensor<1x1x!ttl.tile<f32>>
  %u8 = ttl.abs %u7 : tensor<1x1x!ttl.tile<f32>>
  %u9 = ttl.neg %u8 : tensor<1x1x!ttl.tile<f32>>
  %u10 = ttl.sign %u9 : tensor<1x1x!ttl.tile<f32>>
  %u11 = ttl.square %u10 : tensor<1x1x!ttl.tile<f32>>
  %u12 = ttl.relu %u11 : tensor<1x1x!ttl.tile<f32>>
  %b0 = ttl.add %u12, %a : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  %b1 = ttl.sub %b0, %a : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  %b2 = ttl.mul %b1, %a : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  %b3 = ttl.div %b2, %a : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  %b4 = ttl.max %b3, %a : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  %b5 = ttl.min %b4, %a : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %b5, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], f32, 2>
  return
}
