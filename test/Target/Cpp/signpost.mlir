// RUN: ttlx-opt %s -convert-ttl-to-ttkernel | ttlx-translate --ttkernel-to-cpp > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// `with ttl.signpost("load"):` around a DFB reservation whose block address
// is used after the scope: the zone is a C++ block, so the kernel declares
// its variables first and the address stays visible after the braces.

// COMPILED: compiled reader (datamovement)

// CHECK-LABEL: // ===== kernel reader (datamovement) =====
// CHECK: void kernel_main() {
// CHECK: { DeviceZoneScopedN("load");
// CHECK: cb_reserve_back(
// CHECK: get_write_ptr(
// CHECK: }
// CHECK: noc_async_read_tile(
func.func @reader(%src: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  ttl.signpost_begin "load"
  %blk = ttl.dfb_reserve %in : !ttl.dfb<[1, 1], bf16, 2>
  ttl.signpost_end "load"
  %xf = ttl.copy_to_block %src[%c0, %c0], %blk : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[1, 1], bf16, 2>
  return
}
