// RUN: ttlx-opt %s -split-input-file -convert-ttkernel-to-emitc -verify-diagnostics

// Scalar floats must be lowered to integers first.
func.func @float_left(%a: i32, %i: i32) {
  // expected-error @+1 {{'ttkernel.l1_load' op produces a scalar 'bf16' value, which has no C++ type on a data-movement core; run 'ttkernel-emulate-scalar-floats' first}}
  %v = ttkernel.l1_load %a[%i] : bf16
  return
}

// -----

// A C++ 'auto' value (a TensorAccessor) cannot be declared before a device
// zone's block without its initializer.
func.func @zone_auto_escapes(%addr: i32, %page: i32, %cb: !ttkernel.cb) {
  ttkernel.device_zone_begin "load"
  %args = ttkernel.tensor_accessor_args 0
  // expected-error @+1 {{'emitc.call_opaque' op makes a C++ 'auto' value inside a device profiler zone that is used after it; make it before the zone}}
  %acc = ttkernel.tensor_accessor %args, %addr, %page
  ttkernel.device_zone_end "load"
  %wp = ttkernel.get_write_ptr %cb
  ttkernel.noc_async_read_tile %addr, %acc, %wp
  return
}
