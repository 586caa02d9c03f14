// RUN: ttlx-translate --ttkernel-to-cpp %s > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// exp_tile with its template flags (ttl.math.exp(x, approx=..., scale=...,
// skip_clamp_check=..., iterations=...)): template arguments, then the DST
// index, the vector mode and the bf16 scale as literals.

// COMPILED: compiled compute (compute)

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
// CHECK: exp_tile_init<true, 1073741824, InputClamping::None>();
// CHECK: exp_tile<true, true, InputClamping::None, 4>(0, VectorMode::RC, 16384);
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
  ttkernel.copy_init %cb0
  ttkernel.copy_tile %cb0, %c0, %c0
  ttkernel.exp_tile_init_flagged {approx = true, clamp = false, scale = 1073741824 : i32}
  ttkernel.exp_tile_flagged {approx = true, clamp = false, idst = 0 : i32, iterations = 4 : i32, scale = 16384 : i32, scale_en = true}
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
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
