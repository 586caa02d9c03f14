// RUN: ttlx-opt %s -split-input-file -ttkernel-emulate-scalar-floats -verify-diagnostics

func.func @remainder(%a: f32, %b: f32) -> f32 attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'arith.remf' op on scalar floats cannot run on a data-movement core (no FPU); supported: constants, compares, add, sub, mul, div, maximum, minimum, negf, absf, extf, truncf, sitofp, fptosi, select}}
  %q = arith.remf %a, %b : f32
  return %q : f32
}

// -----

func.func @double(%a: f64) -> f64 attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'arith.addf' op uses scalar 'f64', but data-movement cores only support bf16 and f32 scalars}}
  %s = arith.addf %a, %a : f64
  return %s : f64
}

// -----

// A compute core computes f32 itself, but its bf16 scalars go through the
// same integer code: an op that code does not have is an error.
func.func @compute_bf16_remainder(%a: bf16, %b: bf16) -> bf16 attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'arith.remf' op on scalar bf16 values cannot run on a compute core (its C++ has no bf16 scalar type); supported: constants, compares, add, sub, mul, div, maximum, minimum, negf, absf, extf, truncf, sitofp, fptosi, select}}
  %q = arith.remf %a, %b : bf16
  return %q : bf16
}

// -----

// f32 on a compute core is left to its FPU.
func.func @compute_f32_remainder(%a: f32, %b: f32) -> f32 attributes {ttl.thread = #ttl.thread<compute>} {
  %q = arith.remf %a, %b : f32
  return %q : f32
}
