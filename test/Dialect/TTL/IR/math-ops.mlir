// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of the elementwise math ops of tt-lang's appendix B.

// CHECK-LABEL: func.func @unary
func.func @unary(%a: tensor<1x2x!ttl.tile<bf16>>) -> tensor<1x2x!ttl.tile<bf16>> attributes {ttl.thread = #ttl.thread<compute>} {
  // CHECK: %[[V0:.*]] = ttl.sin %{{.*}} : tensor<1x2x!ttl.tile<bf16>>
  %0 = ttl.sin %a : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V1:.*]] = ttl.cos %[[V0]] : tensor<1x2x!ttl.tile<bf16>>
  %1 = ttl.cos %0 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V2:.*]] = ttl.tan %[[V1]] : tensor<1x2x!ttl.tile<bf16>>
  %2 = ttl.tan %1 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V3:.*]] = ttl.asin %[[V2]] : tensor<1x2x!ttl.tile<bf16>>
  %3 = ttl.asin %2 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V4:.*]] = ttl.acos %[[V3]] : tensor<1x2x!ttl.tile<bf16>>
  %4 = ttl.acos %3 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V5:.*]] = ttl.atan %[[V4]] : tensor<1x2x!ttl.tile<bf16>>
  %5 = ttl.atan %4 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V6:.*]] = ttl.asinh %[[V5]] : tensor<1x2x!ttl.tile<bf16>>
  %6 = ttl.asinh %5 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V7:.*]] = ttl.acosh %[[V6]] : tensor<1x2x!ttl.tile<bf16>>
  %7 = ttl.acosh %6 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V8:.*]] = ttl.atanh %[[V7]] : tensor<1x2x!ttl.tile<bf16>>
  %8 = ttl.atanh %7 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V9:.*]] = ttl.expm1 %[[V8]] : tensor<1x2x!ttl.tile<bf16>>
  %9 = ttl.expm1 %8 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V10:.*]] = ttl.exp2 %[[V9]] : tensor<1x2x!ttl.tile<bf16>>
  %10 = ttl.exp2 %9 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V11:.*]] = ttl.log1p %[[V10]] : tensor<1x2x!ttl.tile<bf16>>
  %11 = ttl.log1p %10 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V12:.*]] = ttl.floor %[[V11]] : tensor<1x2x!ttl.tile<bf16>>
  %12 = ttl.floor %11 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V13:.*]] = ttl.ceil %[[V12]] : tensor<1x2x!ttl.tile<bf16>>
  %13 = ttl.ceil %12 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V14:.*]] = ttl.trunc %[[V13]] : tensor<1x2x!ttl.tile<bf16>>
  %14 = ttl.trunc %13 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V15:.*]] = ttl.frac %[[V14]] : tensor<1x2x!ttl.tile<bf16>>
  %15 = ttl.frac %14 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V16:.*]] = ttl.signbit %[[V15]] : tensor<1x2x!ttl.tile<bf16>>
  %16 = ttl.signbit %15 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V17:.*]] = ttl.gelu %[[V16]] : tensor<1x2x!ttl.tile<bf16>>
  %17 = ttl.gelu %16 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V18:.*]] = ttl.hardsigmoid %[[V17]] : tensor<1x2x!ttl.tile<bf16>>
  %18 = ttl.hardsigmoid %17 : tensor<1x2x!ttl.tile<bf16>>
  // CHECK-NEXT: %[[V19:.*]] = ttl.softsign %[[V18]] : tensor<1x2x!ttl.tile<bf16>>
  %19 = ttl.softsign %18 : tensor<1x2x!ttl.tile<bf16>>
  return %19 : tensor<1x2x!ttl.tile<bf16>>
}

// CHECK-LABEL: func.func @with_parameters
func.func @with_parameters(%a: tensor<1x2x!ttl.tile<bf16>>) -> tensor<1x2x!ttl.tile<bf16>> attributes {ttl.thread = #ttl.thread<compute>} {
  // CHECK: ttl.rsub %{{.*}} {
  %0 = ttl.rsub %a {b = 2.5 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.pow %{{.*}} {
  %1 = ttl.pow %0 {exponent = 3.0 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.relu_max %{{.*}} {
  %2 = ttl.relu_max %1 {upper_limit = 0.5 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.relu_min %{{.*}} {
  %3 = ttl.relu_min %2 {lower_limit = 0.25 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.leaky_relu %{{.*}} {
  %4 = ttl.leaky_relu %3 {slope = 0.125 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.prelu %{{.*}} {
  %5 = ttl.prelu %4 {alpha = 0.25 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.elu %{{.*}} {
  %6 = ttl.elu %5 {alpha = 0.5 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.celu %{{.*}} {
  %7 = ttl.celu %6 {alpha = 2.0 : f32, alpha_recip = 0.5 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.selu %{{.*}} {
  %8 = ttl.selu %7 {scale = 1.0507 : f32, alpha = 1.67 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.softplus %{{.*}} {
  %9 = ttl.softplus %8 {beta = 2.0 : f32, beta_reciprocal = 0.5 : f32, threshold = 1.5 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.hardtanh %{{.*}} {
  %10 = ttl.hardtanh %9 {min = -0.5 : f32, max = 0.75 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.clamp %{{.*}} {
  %11 = ttl.clamp %10 {min = -0.5 : f32, max = 0.75 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.threshold %{{.*}} {
  %12 = ttl.threshold %11 {threshold = 0.25 : f32, value = -2.0 : f32} : tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.round %{{.*}} {
  %13 = ttl.round %12 {decimals = 2 : i32} : tensor<1x2x!ttl.tile<bf16>>
  return %13 : tensor<1x2x!ttl.tile<bf16>>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<1x2x!ttl.tile<bf16>>, %b: tensor<1x2x!ttl.tile<bf16>>, %f: f32) -> tensor<1x2x!ttl.tile<bf16>> attributes {ttl.thread = #ttl.thread<compute>} {
  // CHECK: %[[R:.*]] = ttl.remainder %{{.*}}, %{{.*}} : tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
  %0 = ttl.remainder %a, %b : tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
  // CHECK: ttl.remainder %[[R]], %{{.*}} : tensor<1x2x!ttl.tile<bf16>>, f32 -> tensor<1x2x!ttl.tile<bf16>>
  %1 = ttl.remainder %0, %f : tensor<1x2x!ttl.tile<bf16>>, f32 -> tensor<1x2x!ttl.tile<bf16>>
  return %1 : tensor<1x2x!ttl.tile<bf16>>
}

// CHECK-LABEL: func.func @transpose
func.func @transpose() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %x = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 2>
  // CHECK: ttl.transpose %{{.*}} : tensor<1x2x!ttl.tile<bf16>> -> tensor<2x1x!ttl.tile<bf16>>
  %t = ttl.transpose %x : tensor<1x2x!ttl.tile<bf16>> -> tensor<2x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// CHECK-LABEL: func.func @exp_flags
func.func @exp_flags(%a: tensor<1x2x!ttl.tile<bf16>>) -> tensor<1x2x!ttl.tile<bf16>> attributes {ttl.thread = #ttl.thread<compute>} {
  // CHECK: ttl.exp_flagged %{{.*}} {approx, iterations = 4 : i32, scale = 2.000000e+00 : f32, skip_clamp_check} : tensor<1x2x!ttl.tile<bf16>>
  %0 = ttl.exp_flagged %a {approx, scale = 2.0 : f32, skip_clamp_check, iterations = 4 : i32} : tensor<1x2x!ttl.tile<bf16>>
  return %0 : tensor<1x2x!ttl.tile<bf16>>
}
