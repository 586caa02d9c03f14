// RUN: ttlx-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// ttl.matmul: round trip, and each verifier message.

// CHECK-LABEL: func.func @product_in_an_expression
// CHECK: %[[P:.*]] = ttl.matmul %{{.*}}, %{{.*}} : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
// CHECK: ttl.relu %[[P]]
func.func @product_in_an_expression() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 4], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[4, 2], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[2, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 4], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[4, 2], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[2, 2], bf16, 2>
  %p = ttl.matmul %a, %b : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  %r = ttl.relu %p : tensor<2x2x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[2, 2], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[4, 2], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[2, 4], bf16, 2>
  return
}

// -----

// CHECK-LABEL: func.func @product_onto
// CHECK: %[[Q:.*]] = ttl.matmul %{{.*}}, %{{.*}} onto %{{.*}} : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
func.func @product_onto(%c: tensor<2x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 4], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[4, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 4], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[4, 2], bf16, 2>
  %q = ttl.matmul %a, %b onto %c : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  ttl.dfb_pop %db : !ttl.dfb<[4, 2], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[2, 4], bf16, 2>
  return
}

// -----

func.func @onto_other_type(%a: tensor<1x1x!ttl.tile<bf16>>, %c: tensor<1x2x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.matmul' op failed to verify that acc has the result's type}}
  %p = "ttl.matmul"(%a, %a, %c) : (tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>>) -> tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

func.func @inner_dimensions(%a: tensor<2x4x!ttl.tile<bf16>>, %b: tensor<3x2x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.matmul' op multiplies 2x4 by 3x2 tiles: the inner dimensions (K) differ}}
  %p = ttl.matmul %a, %b : tensor<2x4x!ttl.tile<bf16>>, tensor<3x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @result_shape(%a: tensor<2x4x!ttl.tile<bf16>>, %b: tensor<4x2x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.matmul' op product of 2x4 and 4x2 tiles is 2x2 tiles, but the result has 2x4}}
  %p = ttl.matmul %a, %b : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x4x!ttl.tile<bf16>>
  return
}

// -----

func.func @dtypes(%a: tensor<1x1x!ttl.tile<bf16>>, %b: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.matmul' op result tile type must be '!ttl.tile<f32>' for operands of '!ttl.tile<bf16>' and '!ttl.tile<f32>' (f32 when either is f32), but it is '!ttl.tile<bf16>'}}
  %p = ttl.matmul %a, %b : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

func.func @operand_not_waited(%a: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.matmul' op lhs must be a block from 'ttl.dfb_wait' (matmul_tiles reads a CB), but it is a block argument}}
  %p = ttl.matmul %a, %b : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @matmul_in_dm() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.matmul' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %p = ttl.matmul %b, %b : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
