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

// -----

// The b of ttl.rsub is a required attribute.
func.func @rsub_without_b(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.rsub' op requires attribute 'b'}}
  %r = ttl.rsub %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The exponent of ttl.pow is a required attribute.
func.func @pow_without_exponent(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.pow' op requires attribute 'exponent'}}
  %r = ttl.pow %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The upper_limit of ttl.relu_max is a required attribute.
func.func @relu_max_without_upper_limit(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.relu_max' op requires attribute 'upper_limit'}}
  %r = ttl.relu_max %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The lower_limit of ttl.relu_min is a required attribute.
func.func @relu_min_without_lower_limit(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.relu_min' op requires attribute 'lower_limit'}}
  %r = ttl.relu_min %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The slope of ttl.leaky_relu is a required attribute.
func.func @leaky_relu_without_slope(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.leaky_relu' op requires attribute 'slope'}}
  %r = ttl.leaky_relu %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The alpha of ttl.prelu is a required attribute.
func.func @prelu_without_alpha(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.prelu' op requires attribute 'alpha'}}
  %r = ttl.prelu %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The alpha of ttl.elu is a required attribute.
func.func @elu_without_alpha(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.elu' op requires attribute 'alpha'}}
  %r = ttl.elu %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The alpha of ttl.celu is a required attribute.
func.func @celu_without_alpha(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.celu' op requires attribute 'alpha'}}
  %r = ttl.celu %a {alpha_recip = 0.5 : f32} : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The scale of ttl.selu is a required attribute.
func.func @selu_without_scale(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.selu' op requires attribute 'scale'}}
  %r = ttl.selu %a {alpha = 1.67 : f32} : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The beta of ttl.softplus is a required attribute.
func.func @softplus_without_beta(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.softplus' op requires attribute 'beta'}}
  %r = ttl.softplus %a {beta_reciprocal = 0.5 : f32, threshold = 1.5 : f32} : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The min of ttl.hardtanh is a required attribute.
func.func @hardtanh_without_min(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.hardtanh' op requires attribute 'min'}}
  %r = ttl.hardtanh %a {max = 0.75 : f32} : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The min of ttl.clamp is a required attribute.
func.func @clamp_without_min(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.clamp' op requires attribute 'min'}}
  %r = ttl.clamp %a {max = 0.75 : f32} : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The threshold of ttl.threshold is a required attribute.
func.func @threshold_without_threshold(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.threshold' op requires attribute 'threshold'}}
  %r = ttl.threshold %a {value = -2.0 : f32} : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// The decimals of ttl.round is a required attribute.
func.func @round_without_decimals(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.round' op requires attribute 'decimals'}}
  %r = ttl.round %a : tensor<1x2x!ttl.tile<bf16>>
  return
}
// -----

// Parameters have the table's types: slope is f32.
func.func @leaky_relu_integer_slope(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.leaky_relu' op attribute 'slope' failed to satisfy constraint: 32-bit float attribute}}
  %r = ttl.leaky_relu %a {slope = 1 : i32} : tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

// ttl.remainder of a bf16 and an f32 block is f32.
func.func @remainder_dtype_mismatch(%a: tensor<1x1x!ttl.tile<bf16>>, %b: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.remainder' op result data type must be 'f32' (f32 when any block operand is f32, bf16 otherwise), but it is 'bf16'}}
  %r = ttl.remainder %a, %b : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

// A transpose swaps the tile grid's dimensions.
func.func @transpose_shape(%a: tensor<1x2x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.transpose' op of 'tensor<1x2x!ttl.tile<bf16>>' gives 'tensor<2x1x!ttl.tile<bf16>>', but the result is 'tensor<1x2x!ttl.tile<bf16>>'}}
  %t = ttl.transpose %a : tensor<1x2x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

// transpose_tile unpacks from a circular buffer.
func.func @transpose_of_expression() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %x = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 2>
  %e = ttl.exp %x : tensor<1x2x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.transpose' op input must be a block from 'ttl.dfb_wait' (transpose_tile unpacks from a CB), but it is the result of 'ttl.exp'; store the expression into a DFB first}}
  %t = ttl.transpose %e : tensor<1x2x!ttl.tile<bf16>> -> tensor<2x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

// exp_tile runs 1 to 8 SFPU passes per face.
func.func @exp_too_many_iterations(%a: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.exp_flagged' op attribute 'iterations' failed to satisfy constraint: 32-bit signless integer attribute whose minimum value is 1 whose maximum value is 8}}
  %e = ttl.exp_flagged %a {scale = 1.0 : f32, iterations = 9 : i32} : tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

func.func @exp_flagged_in_dm(%a: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.exp_flagged' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %e = ttl.exp_flagged %a {scale = 1.0 : f32, iterations = 8 : i32} : tensor<1x1x!ttl.tile<bf16>>
  return
}
