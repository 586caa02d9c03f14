// RUN: ttlx-opt %s -split-input-file -verify-diagnostics
// Each elementwise math op of tt-lang's appendix B is tile math: compute threads only.

func.func @sin_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.sin' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.sin %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @cos_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.cos' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.cos %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @tan_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.tan' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.tan %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @asin_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.asin' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.asin %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @acos_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.acos' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.acos %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @atan_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.atan' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.atan %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @asinh_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.asinh' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.asinh %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @acosh_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.acosh' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.acosh %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @atanh_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.atanh' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.atanh %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @expm1_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.expm1' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.expm1 %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @exp2_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.exp2' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.exp2 %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @log1p_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.log1p' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.log1p %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @floor_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.floor' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.floor %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @ceil_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.ceil' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.ceil %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @trunc_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.trunc' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.trunc %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @frac_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.frac' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.frac %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @signbit_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.signbit' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.signbit %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @gelu_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.gelu' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.gelu %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @hardsigmoid_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.hardsigmoid' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.hardsigmoid %a : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @softsign_in_dm(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.softsign' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %r = ttl.softsign %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
