// RUN: ttlx-opt %s -split-input-file -convert-ttkernel-to-emitc -verify-diagnostics

// Scalar floats must be lowered to integers first.
func.func @float_left(%a: i32, %i: i32) {
  // expected-error @+1 {{'ttkernel.l1_load' op produces a scalar 'bf16' value, which has no C++ type on a data-movement core; run 'ttkernel-emulate-scalar-floats' first}}
  %v = ttkernel.l1_load %a[%i] : bf16
  return
}
