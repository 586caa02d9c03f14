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
