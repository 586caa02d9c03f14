// RUN: ttlx-opt %s -convert-ttl-to-ttkernel | ttlx-translate --ttkernel-to-cpp | FileCheck %s
//
// ttl.call_extern_func: the kernel defines ttlang::DFBDescriptor, then
// includes the user's header after the tt-metal API headers, and calls the
// function with its template arguments (a DFB descriptor and id through the
// DFB's compile-time argument, so they are constant expressions; an si32; a
// boolean; a float's bits as a ui32) and function arguments (a DFB's index,
// an integer). A thread without such a call includes no user header.

// CHECK-LABEL: // ===== kernel reader (datamovement) =====
// CHECK: #include "api/debug/dprint_pages.h"
// CHECK-NEXT: namespace ttlang {
// CHECK-NEXT: template <uint32_t Index, uint32_t PagesPerBlock, uint32_t BlockCount,
// CHECK: static constexpr uint32_t page_size = PageSize;
// CHECK: } // namespace ttlang
// CHECK-NEXT: #include "/user/include/flip.hpp"
// CHECK: void kernel_main() {
// CHECK: uint32_t [[CB:v[0-9]+]] = get_compile_time_arg_val(0);
// CHECK: flip<ttlang::DFBDescriptor<get_compile_time_arg_val(0), 2, 3, 4096>, get_compile_time_arg_val(0), -3, true, 1069547520U>([[CB]], {{v[0-9]+}});
func.func @reader() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], f32, 3>
  %mask = arith.constant 32768 : i32
  ttl.opaque_call "flip" header "/user/include/flip.hpp"
      template_args ["dfb_descriptor", "dfb_id", -3 : si32, true, 1069547520 : ui32]
      template_dfbs(%in, %in : !ttl.dfb<[1, 2], f32, 3>, !ttl.dfb<[1, 2], f32, 3>)
      (%in, %mask : !ttl.dfb<[1, 2], f32, 3>, i32)
  return
}

// CHECK-LABEL: // ===== kernel writer (datamovement) =====
// CHECK-NOT: #include "/
// CHECK-NOT: namespace ttlang
// CHECK: void kernel_main() {
func.func @writer() attributes {ttl.thread = #ttl.thread<datamovement>} {
  return
}

// A tensor argument (its second tensor: runtime argument 1, accessor
// arguments at compile-time argument 1) goes in as its TensorAccessor, its
// address (ttl.raw_addr) as the runtime argument; the declared effects emit
// nothing.
// CHECK-LABEL: // ===== kernel loader (datamovement) =====
// CHECK: #include "/user/include/load.hpp"
// CHECK: void kernel_main() {
// CHECK-DAG: get_arg_val<uint32_t>(1)
// CHECK-DAG: TensorAccessorArgs<1>()
// CHECK: load(v{{[0-9]+}}, v{{[0-9]+}});
// CHECK-NOT: cb_reserve_back
func.func @loader(%x: tensor<64x64xbf16>, %y: tensor<64x64xf32>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], f32, 3>
  %a = ttl.tensor_addr %y : tensor<64x64xf32>
  ttl.opaque_call "load" header "/user/include/load.hpp" template_args []
      effects ["reserve", "push"] [2, 2] (%in, %in : !ttl.dfb<[1, 2], f32, 3>, !ttl.dfb<[1, 2], f32, 3>)
      (%y, %a : tensor<64x64xf32>, i32)
  return
}
