// RUN: ttlx-opt %s -ttl-coalesce-dfb-acquires -convert-ttl-to-ttkernel | ttlx-translate --ttkernel-to-cpp > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// Argmax of each row of a bf16 tile in a data-movement thread: element_read
// in an scf.for whose iter_args carry the best value and its index, result
// written with element_write. Two threads (a core's two data-movement
// processors): reader, and argmax that also writes the result out.

// COMPILED: compiled reader (datamovement)
// COMPILED: compiled argmax (datamovement)

// CHECK-LABEL: // ===== kernel reader (datamovement) =====
// CHECK: #include "api/dataflow/dataflow_api.h"
// CHECK: void kernel_main() {
// CHECK: get_arg_val<uint32_t>(0)
// CHECK: TensorAccessorArgs<0>()
// CHECK: get_compile_time_arg_val(1)
// CHECK: cb_reserve_back(
// CHECK: noc_async_read_tile(
// CHECK: noc_async_read_barrier();
// CHECK: cb_push_back(
func.func @reader(%src: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %blk = ttl.dfb_reserve %in : !ttl.dfb<[1, 1], bf16, 2>
  %xf = ttl.copy_to_block %src[%c0, %c0], %blk : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// The argmax kernel: the soft-float helpers for int -> float come first,
// then bf16 elements read as 16-bit patterns through the read pointer. The
// results are patched into the waited block in place (columns 0 and 1 of
// each row), which then goes to DRAM.
// CHECK-LABEL: // ===== kernel argmax (datamovement) =====
// CHECK-DAG: static inline int32_t ttlx_sf_i32_to_f32(int32_t
// CHECK-DAG: static inline int16_t ttlx_sf_f32_to_bf16(int32_t
// CHECK: void kernel_main() {
// CHECK: get_arg_val<uint32_t>(0)
// CHECK: get_compile_time_arg_val(1)
// CHECK: cb_wait_front(
// CHECK: get_read_ptr(
// CHECK: for (ptrdiff_t
// CHECK: reinterpret_cast<int16_t*>(
// CHECK: for (ptrdiff_t
// CHECK: reinterpret_cast<int16_t*>(
// CHECK: ttlx_sf_i32_to_f32(
// CHECK: noc_async_write_tile(
// CHECK: noc_async_write_barrier();
// CHECK: cb_pop_front(
func.func @argmax(%dst: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %blk = ttl.dfb_wait %in : !ttl.dfb<[1, 1], bf16, 2>
  scf.for %r = %c0 to %c32 step %c1 {
    %first = ttl.element_read %blk[%r, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    %best:2 = scf.for %c = %c1 to %c32 step %c1 iter_args(%bv = %first, %bi = %c0) -> (bf16, index) {
      %v = ttl.element_read %blk[%r, %c] : tensor<1x1x!ttl.tile<bf16>> -> bf16
      %gt = arith.cmpf ogt, %v, %bv : bf16
      %nv = arith.select %gt, %v, %bv : bf16
      %ni = arith.select %gt, %c, %bi : index
      scf.yield %nv, %ni : bf16, index
    }
    %idx = arith.index_cast %best#1 : index to i32
    %fidx = arith.sitofp %idx : i32 to bf16
    ttl.element_write %blk[%r, %c0], %best#0 : tensor<1x1x!ttl.tile<bf16>>, bf16
    ttl.element_write %blk[%r, %c1], %fidx : tensor<1x1x!ttl.tile<bf16>>, bf16
  }
  %xf = ttl.copy_to_tensor %blk, %dst[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>>, tensor<32x32xbf16>
  ttl.wait %xf : !ttl.transfer_handle<write>
  ttl.dfb_pop %in : !ttl.dfb<[1, 1], bf16, 2>
  return
}
