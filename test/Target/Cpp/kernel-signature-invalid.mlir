// Threads become `void kernel_main()`: scalar arguments and results cannot
// be emitted (the C++ would not compile), so emission rejects them.
// RUN: ttlx-translate --ttkernel-to-cpp --split-input-file --verify-diagnostics %s

// expected-error @+1 {{'func.func' op cannot become a tt-metal kernel: argument #1 has type 'f32'; a kernel's only arguments are DRAM tensors (compute scalars inside the thread, e.g. with arith.constant)}}
func.func @scalar_argument(%t: tensor<32x32xbf16>, %f: f32) attributes {ttl.thread = #ttl.thread<compute>} {
  return
}

// -----

// expected-error @+1 {{'func.func' op cannot become a tt-metal kernel: it returns 1 value(s); a kernel returns nothing}}
func.func @returns_value() -> i32 attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c = arith.constant 1 : i32
  return %c : i32
}
