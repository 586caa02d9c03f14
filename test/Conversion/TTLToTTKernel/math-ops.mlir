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

// Parameters become the call's arguments after the DST index: f32 ones as
// their IEEE bits (0.5 = 0x3f000000 = 1056964608), the decimals of round
// as the integer.
// CHECK-LABEL: func.func @with_parameters
// CHECK-DAG: %[[K0:.*]] = arith.constant 1075838976 : i32
// CHECK-DAG: %[[K1:.*]] = arith.constant 1077936128 : i32
// CHECK-DAG: %[[K2:.*]] = arith.constant 1056964608 : i32
// CHECK-DAG: %[[K3:.*]] = arith.constant 1048576000 : i32
// CHECK-DAG: %[[K4:.*]] = arith.constant 1040187392 : i32
// CHECK-DAG: %[[K5:.*]] = arith.constant 1073741824 : i32
// CHECK-DAG: %[[K6:.*]] = arith.constant 1065778518 : i32
// CHECK-DAG: %[[K7:.*]] = arith.constant 1070973583 : i32
// CHECK-DAG: %[[K8:.*]] = arith.constant 1069547520 : i32
// CHECK-DAG: %[[K9:.*]] = arith.constant -1090519040 : i32
// CHECK-DAG: %[[K10:.*]] = arith.constant 1061158912 : i32
// CHECK-DAG: %[[K11:.*]] = arith.constant -1073741824 : i32
// CHECK-DAG: %[[K12:.*]] = arith.constant 2 : i32
// CHECK: ttkernel.rsub_tile_init
// CHECK-NEXT: ttkernel.rsub_tile %{{.*}}, %[[K0]]
// CHECK: ttkernel.power_tile_init
// CHECK-NEXT: ttkernel.power_tile %{{.*}}, %[[K1]]
// CHECK: ttkernel.relu_max_tile_init
// CHECK-NEXT: ttkernel.relu_max_tile %{{.*}}, %[[K2]]
// CHECK: ttkernel.relu_min_tile_init
// CHECK-NEXT: ttkernel.relu_min_tile %{{.*}}, %[[K3]]
// CHECK: ttkernel.leaky_relu_tile_init
// CHECK-NEXT: ttkernel.leaky_relu_tile %{{.*}}, %[[K4]]
// CHECK: ttkernel.prelu_tile_init
// CHECK-NEXT: ttkernel.prelu_tile %{{.*}}, %[[K3]]
// CHECK: ttkernel.elu_tile_init
// CHECK-NEXT: ttkernel.elu_tile %{{.*}}, %[[K2]]
// CHECK: ttkernel.celu_tile_init
// CHECK-NEXT: ttkernel.celu_tile %{{.*}}, %[[K5]], %[[K2]]
// CHECK: ttkernel.selu_tile_init
// CHECK-NEXT: ttkernel.selu_tile %{{.*}}, %[[K6]], %[[K7]]
// CHECK: ttkernel.softplus_tile_init
// CHECK-NEXT: ttkernel.softplus_tile %{{.*}}, %[[K5]], %[[K2]], %[[K8]]
// CHECK: ttkernel.hardtanh_tile_init
// CHECK-NEXT: ttkernel.hardtanh_tile %{{.*}}, %[[K9]], %[[K10]]
// CHECK: ttkernel.clamp_tile_init
// CHECK-NEXT: ttkernel.clamp_tile %{{.*}}, %[[K9]], %[[K10]]
// CHECK: ttkernel.threshold_tile_init
// CHECK-NEXT: ttkernel.threshold_tile %{{.*}}, %[[K3]], %[[K11]]
// CHECK: ttkernel.rounding_op_tile_init
// CHECK-NEXT: ttkernel.round_tile %{{.*}}, %[[K12]]
func.func @with_parameters() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  %p0 = ttl.rsub %a {b = 2.5 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p1 = ttl.pow %p0 {exponent = 3.0 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p2 = ttl.relu_max %p1 {upper_limit = 0.5 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p3 = ttl.relu_min %p2 {lower_limit = 0.25 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p4 = ttl.leaky_relu %p3 {slope = 0.125 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p5 = ttl.prelu %p4 {alpha = 0.25 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p6 = ttl.elu %p5 {alpha = 0.5 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p7 = ttl.celu %p6 {alpha = 2.0 : f32, alpha_recip = 0.5 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p8 = ttl.selu %p7 {scale = 1.0507 : f32, alpha = 1.67 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p9 = ttl.softplus %p8 {beta = 2.0 : f32, beta_reciprocal = 0.5 : f32, threshold = 1.5 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p10 = ttl.hardtanh %p9 {min = -0.5 : f32, max = 0.75 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p11 = ttl.clamp %p10 {min = -0.5 : f32, max = 0.75 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p12 = ttl.threshold %p11 {threshold = 0.25 : f32, value = -2.0 : f32} : tensor<1x1x!ttl.tile<f32>>
  %p13 = ttl.round %p12 {decimals = 2 : i32} : tensor<1x1x!ttl.tile<f32>>
  ttl.store %p13, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], f32, 2>
  return
}

// % of blocks: remainder_binary_tile on two DST tiles (no FPU form).
// CHECK-LABEL: func.func @remainder
// CHECK: ttkernel.copy_tile %{{.*}}, %{{.*}}, %[[D0:c0_i32]]
// CHECK: ttkernel.copy_tile %{{.*}}, %{{.*}}, %[[D1:c1_i32]]
// CHECK-NEXT: ttkernel.remainder_binary_tile_init
// CHECK-NEXT: ttkernel.remainder_binary_tile %[[D0]], %[[D1]], %[[D0]]
func.func @remainder() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %db = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], f32, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  %r = ttl.remainder %a, %b : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %r, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %db : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], f32, 2>
  return
}

// Output tile (r, c) of a 2x3-tile transpose is input tile (c, r) of the
// 3x2 input: index c * 2 + r, unpacked transposed.
// CHECK-LABEL: func.func @transpose
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %{{.*}}
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %{{.*}}
// CHECK-DAG: %[[RI:.*]] = arith.index_cast %[[R]] : index to i32
// CHECK-DAG: %[[CI:.*]] = arith.index_cast %[[C]] : index to i32
// CHECK: %[[M:.*]] = arith.muli %[[CI]], %{{.*}} : i32
// CHECK: %[[T:.*]] = arith.addi %[[M]], %[[RI]] : i32
// CHECK: ttkernel.transpose_init %[[CB:.*]]
// CHECK-NEXT: ttkernel.transpose_tile %[[CB]], %[[T]], %{{.*}}
func.func @transpose() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[3, 2], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[2, 3], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[3, 2], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[2, 3], f32, 2>
  %t = ttl.transpose %a : tensor<3x2x!ttl.tile<f32>> -> tensor<2x3x!ttl.tile<f32>>
  ttl.store %t, %o : tensor<2x3x!ttl.tile<f32>>, tensor<2x3x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[2, 3], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[3, 2], f32, 2>
  return
}

// exp with flags: the init carries the scale's f32 bits (2.0 = 0x40000000),
// the call its bf16 bits (0x4000 = 16384) and scale_en; skip_clamp_check
// drops the clamping. Two calls with the same flags share one init.
// CHECK-LABEL: func.func @exp_flags
// CHECK: ttkernel.exp_tile_init_flagged {approx = true, clamp = false, scale = 1073741824 : i32}
// CHECK-NEXT: ttkernel.exp_tile_flagged {approx = true, clamp = false, idst = 0 : i32, iterations = 4 : i32, scale = 16384 : i32, scale_en = true}
// CHECK-NEXT: ttkernel.exp_tile_flagged {approx = true, clamp = false, idst = 0 : i32, iterations = 4 : i32, scale = 16384 : i32, scale_en = true}
// CHECK-NEXT: ttkernel.exp_tile_init_flagged {approx = false, clamp = true, scale = 1065353216 : i32}
// CHECK-NEXT: ttkernel.exp_tile_flagged {approx = false, clamp = true, idst = 0 : i32, iterations = 8 : i32, scale = 16256 : i32, scale_en = false}
func.func @exp_flags() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  %e = ttl.exp_flagged %a {approx, scale = 2.0 : f32, skip_clamp_check, iterations = 4 : i32} : tensor<1x1x!ttl.tile<f32>>
  %f = ttl.exp_flagged %e {approx, scale = 2.0 : f32, skip_clamp_check, iterations = 4 : i32} : tensor<1x1x!ttl.tile<f32>>
  %g = ttl.exp_flagged %f {scale = 1.0 : f32, iterations = 8 : i32} : tensor<1x1x!ttl.tile<f32>>
  ttl.store %g, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], f32, 2>
  return
}
