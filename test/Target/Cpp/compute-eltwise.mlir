// RUN: ttlx-translate --ttkernel-to-cpp %s > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// exp(a + b) on one tile: TTL data movement around a compute thread written
// in TTKernel IR (test/python/test_runtime_compute.py runs it). The packer
// is set to the output CB before the pack, as a thread whose outputs mix
// bf16 and float32 does before each store.

// COMPILED: compiled reader (datamovement)
// COMPILED: compiled compute (compute)
// COMPILED: compiled writer (datamovement)

func.func @reader(%a: tensor<32x32xbf16>, %b: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %in0 = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %in1 = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %r0 = ttl.dfb_reserve %in0 : !ttl.dfb<[1, 1], bf16, 2>
  %x0 = ttl.copy_to_block %a[%c0, %c0], %r0 : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %x0 : !ttl.transfer_handle<read>
  ttl.dfb_push %in0 : !ttl.dfb<[1, 1], bf16, 2>
  %r1 = ttl.dfb_reserve %in1 : !ttl.dfb<[1, 1], bf16, 2>
  %x1 = ttl.copy_to_block %b[%c0, %c0], %r1 : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %x1 : !ttl.transfer_handle<read>
  ttl.dfb_push %in1 : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// CHECK-LABEL: // ===== kernel compute (compute) =====
// CHECK: #include "api/compute/compute_kernel_api.h"
// CHECK: #include "api/compute/eltwise_unary/trigonometry.h"
// CHECK: #include "api/compute/eltwise_unary/rounding.h"
// CHECK: void kernel_main() {
// CHECK: compute_kernel_hw_startup(
// CHECK: cb_wait_front(
// CHECK: tile_regs_acquire();
// CHECK: add_init(
// CHECK: add_tiles(
// CHECK: exp_tile_init();
// CHECK: exp_tile(
// CHECK: tile_regs_commit();
// CHECK: tile_regs_wait();
// CHECK: pack_reconfig_data_format(
// CHECK: pack_tile<true>(
// CHECK: tile_regs_release();
// CHECK: cb_push_back(
func.func @compute() attributes {ttl.thread = #ttl.thread<compute>} {
  %cb0 = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %cb1 = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  %cb2 = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  ttkernel.compute_kernel_hw_startup %cb0, %cb1, %cb2
  ttkernel.cb_wait_front %cb0, %c1
  ttkernel.cb_wait_front %cb1, %c1
  ttkernel.cb_reserve_back %cb2, %c1
  ttkernel.tile_regs_acquire
  ttkernel.add_init %cb0, %cb1
  ttkernel.add_tiles %cb0, %cb1, %c0, %c0, %c0
  ttkernel.exp_tile_init
  ttkernel.exp_tile %c0
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.pack_reconfig_data_format %cb2
  ttkernel.pack_tile %c0, %cb2, %c0
  ttkernel.tile_regs_release
  ttkernel.cb_push_back %cb2, %c1
  ttkernel.cb_pop_front %cb0, %c1
  ttkernel.cb_pop_front %cb1, %c1
  return
}

func.func @writer(%out: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 1} {
  %c0 = arith.constant 0 : index
  %o = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %w = ttl.dfb_wait %o : !ttl.dfb<[1, 1], bf16, 2>
  %x = ttl.copy_to_tensor %w, %out[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>>, tensor<32x32xbf16>
  ttl.wait %x : !ttl.transfer_handle<write>
  ttl.dfb_pop %o : !ttl.dfb<[1, 1], bf16, 2>
  return
}
