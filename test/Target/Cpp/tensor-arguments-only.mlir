// A TTL thread that holds no TTL op but takes DRAM tensors still goes
// through the TTL lowering: its tensors become runtime arguments and
// kernel_main takes none.
// RUN: ttlx-translate --ttkernel-to-cpp %s | FileCheck %s
// RUN: ttlx-translate --ttkernel-to-cpp %s > %t.cpp && %compile-kernels %t.cpp

// CHECK: // ===== kernel copy_nothing (datamovement) =====
// CHECK: void kernel_main() {
func.func @copy_nothing(%a: tensor<32x32xbf16>, %b: tensor<32x32xbf16>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  return
}
