// RUN: ttlx-opt %s -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// Each elementwise math op of tt-lang's appendix B lowers to its tt-metal
// init and tile call on the DST tile; ops sharing an init (floor, ceil,
// trunc, frac: rounding_op_tile_init) configure it once.

// CHECK-LABEL: func.func @unary_chain
// CHECK: ttkernel.copy_tile %{{.*}}, %{{.*}}, %[[D:c0_i32]]
// CHECK-NEXT: ttkernel.sin_tile_init
// CHECK-NEXT: ttkernel.sin_tile %[[D]]
// CHECK-NEXT: ttkernel.cos_tile_init
// CHECK-NEXT: ttkernel.cos_tile %[[D]]
// CHECK-NEXT: ttkernel.tan_tile_init
// CHECK-NEXT: ttkernel.tan_tile %[[D]]
// CHECK-NEXT: ttkernel.asin_tile_init
// CHECK-NEXT: ttkernel.asin_tile %[[D]]
// CHECK-NEXT: ttkernel.acos_tile_init
// CHECK-NEXT: ttkernel.acos_tile %[[D]]
// CHECK-NEXT: ttkernel.atan_tile_init
// CHECK-NEXT: ttkernel.atan_tile %[[D]]
// CHECK-NEXT: ttkernel.asinh_tile_init
// CHECK-NEXT: ttkernel.asinh_tile %[[D]]
// CHECK-NEXT: ttkernel.acosh_tile_init
// CHECK-NEXT: ttkernel.acosh_tile %[[D]]
// CHECK-NEXT: ttkernel.atanh_tile_init
// CHECK-NEXT: ttkernel.atanh_tile %[[D]]
// CHECK-NEXT: ttkernel.expm1_tile_init
// CHECK-NEXT: ttkernel.expm1_tile %[[D]]
// CHECK-NEXT: ttkernel.exp2_tile_init
// CHECK-NEXT: ttkernel.exp2_tile %[[D]]
// CHECK-NEXT: ttkernel.log1p_tile_init
// CHECK-NEXT: ttkernel.log1p_tile %[[D]]
// CHECK-NEXT: ttkernel.rounding_op_tile_init
// CHECK-NEXT: ttkernel.floor_tile %[[D]]
// CHECK-NEXT: ttkernel.ceil_tile %[[D]]
// CHECK-NEXT: ttkernel.trunc_tile %[[D]]
// CHECK-NEXT: ttkernel.frac_tile %[[D]]
// CHECK-NEXT: ttkernel.signbit_tile_init
// CHECK-NEXT: ttkernel.signbit_tile %[[D]]
// CHECK-NEXT: ttkernel.gelu_tile_init
// CHECK-NEXT: ttkernel.gelu_tile %[[D]]
// CHECK-NEXT: ttkernel.hardsigmoid_tile_init
// CHECK-NEXT: ttkernel.hardsigmoid_tile %[[D]]
// CHECK-NEXT: ttkernel.softsign_tile_init
// CHECK-NEXT: ttkernel.softsign_tile %[[D]]
// CHECK-NEXT: ttkernel.tile_regs_commit
func.func @unary_chain() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  %u0 = ttl.sin %a : tensor<1x1x!ttl.tile<f32>>
  %u1 = ttl.cos %u0 : tensor<1x1x!ttl.tile<f32>>
  %u2 = ttl.tan %u1 : tensor<1x1x!ttl.tile<f32>>
  %u3 = ttl.asin %u2 : tensor<1x1x!ttl.tile<f32>>
  %u4 = ttl.acos %u3 : tensor<1x1x!ttl.tile<f32>>
  %u5 = ttl.atan %u4 : tensor<1x1x!ttl.tile<f32>>
  %u6 = ttl.asinh %u5 : tensor<1x1x!ttl.tile<f32>>
  %u7 = ttl.acosh %u6 : tensor<1x1x!ttl.tile<f32>>
  %u8 = ttl.atanh %u7 : tensor<1x1x!ttl.tile<f32>>
  %u9 = ttl.expm1 %u8 : tensor<1x1x!ttl.tile<f32>>
  %u10 = ttl.exp2 %u9 : tensor<1x1x!ttl.tile<f32>>
  %u11 = ttl.log1p %u10 : tensor<1x1x!ttl.tile<f32>>
  %u12 = ttl.floor %u11 : tensor<1x1x!ttl.tile<f32>>
  %u13 = ttl.ceil %u12 : tensor<1x1x!ttl.tile<f32>>
  %u14 = ttl.trunc %u13 : tensor<1x1x!ttl.tile<f32>>
  %u15 = ttl.frac %u14 : tensor<1x1x!ttl.tile<f32>>
  %u16 = ttl.signbit %u15 : tensor<1x1x!ttl.tile<f32>>
  %u17 = ttl.gelu %u16 : tensor<1x1x!ttl.tile<f32>>
  %u18 = ttl.hardsigmoid %u17 : tensor<1x1x!ttl.tile<f32>>
  %u19 = ttl.softsign %u18 : tensor<1x1x!ttl.tile<f32>>
  ttl.store %u19, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], f32, 2>
  return
}
