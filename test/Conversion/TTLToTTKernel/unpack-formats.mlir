// RUN: ttlx-opt %s -split-input-file -ttl-assign-dst -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope

// The unpacker's source formats follow the CBs a compute thread reads
// (api/compute/reconfig_data_format.h). One format: the hardware startup
// configured it, no reconfig call at all.
// CHECK-LABEL: func.func @one_format
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: return
func.func @one_format() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], f32, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], f32, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 2], f32, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[1, 2], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 2], bf16, 2>
  %m = ttl.mul %a, %b : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>> -> tensor<1x2x!ttl.tile<f32>>
  %e = ttl.exp %a : tensor<1x2x!ttl.tile<f32>>
  %s = ttl.add %m, %e : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>> -> tensor<1x2x!ttl.tile<f32>>
  ttl.store %s, %o : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[1, 2], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 2], f32, 2>
  return
}

// -----

// bf16 * f32 on the FPU: srcA unpacks the bf16 CB, srcB the f32 one. The
// program leaves them so, so both are set once, before the tile loop, and
// the product is f32.
// CHECK-LABEL: func.func @fpu_mixed
// CHECK-DAG: %[[A:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[B:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.reconfig_data_format %[[A]], %[[B]]
// CHECK-NEXT: scf.for
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: ttkernel.mul_init %[[A]], %[[B]]
// CHECK-NEXT: arith.index_cast
// CHECK-NEXT: ttkernel.mul_tiles %[[A]], %[[B]]
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: return
func.func @fpu_mixed() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], f32, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 2], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[1, 2], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 2], f32, 2>
  %m = ttl.mul %a, %b : tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<f32>> -> tensor<1x2x!ttl.tile<f32>>
  ttl.store %m, %o : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 2], f32, 2>
  ttl.dfb_pop %db : !ttl.dfb<[1, 2], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

// exp(a) + q: both copied into DST through srcA, a bf16 then q f32. Each
// tile starts with srcA as the previous tile left it (q's, set before the
// tile loop, which one tile folds away): a's copy reconfigures srcA and
// re-inits, q's switches back. srcB is never touched.
// CHECK-LABEL: func.func @sfpu_mixed
// CHECK-DAG: %[[A:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[Q:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK-NOT: ttkernel.reconfig_data_format_srcb
// CHECK: ttkernel.reconfig_data_format_srca %[[Q]]
// CHECK-NEXT: ttkernel.tile_regs_acquire
// CHECK-NEXT: ttkernel.reconfig_data_format_srca %[[A]]
// CHECK-NEXT: ttkernel.copy_init %[[A]]
// CHECK: ttkernel.copy_tile %[[A]]
// CHECK: ttkernel.exp_tile %
// CHECK-NEXT: ttkernel.reconfig_data_format_srca %[[Q]]
// CHECK-NEXT: ttkernel.copy_init %[[Q]]
// CHECK: ttkernel.copy_tile %[[Q]]
// CHECK: ttkernel.add_binary_tile
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: return
func.func @sfpu_mixed() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %dq = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %q = ttl.dfb_wait %dq : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %s = ttl.add %e, %q : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %s, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %dq : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Two programs on one thread, the first reading a bf16 CB, the second an
// f32 one (no op mixes them): each sets srcA to its CB's format before its
// tile (loop); the scalar fill of the second needs no unpack.
// CHECK-LABEL: func.func @two_programs
// CHECK-DAG: %[[A:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[Q:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.reconfig_data_format_srca %[[A]]
// CHECK-NEXT: ttkernel.tile_regs_acquire
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: ttkernel.copy_tile %[[A]]
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: ttkernel.reconfig_data_format_srca %[[Q]]
// CHECK-NEXT: ttkernel.tile_regs_acquire
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: ttkernel.copy_tile %[[Q]]
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: return
func.func @two_programs() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %dq = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %dy = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %y = ttl.dfb_reserve %dy : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  ttl.store %e, %y : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %dy : !ttl.dfb<[1, 1], bf16, 2>
  %q = ttl.dfb_wait %dq : !ttl.dfb<[1, 1], f32, 2>
  %z = ttl.dfb_reserve %dy : !ttl.dfb<[1, 1], bf16, 2>
  %two = arith.constant 2.0 : f32
  %m = ttl.mul %q, %two : tensor<1x1x!ttl.tile<f32>>, f32 -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %m, %z : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %dy : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %dq : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// matmul_tiles unpacks in1 into srcA and in0 into srcB (tt-metal's
// api/compute/matmul.h): a bf16 @ f32 product reconfigures srcA to the f32
// rhs and srcB to the bf16 lhs.
// CHECK-LABEL: func.func @matmul_mixed
// CHECK-DAG: %[[L:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[R:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.reconfig_data_format %[[R]], %[[L]]
// CHECK-NEXT: ttkernel.tile_regs_acquire
// CHECK-NEXT: ttkernel.matmul_init %[[L]], %[[R]]
// CHECK-NOT: ttkernel.reconfig_data_format
// CHECK: ttkernel.matmul_tiles %[[L]], %[[R]]
func.func @matmul_mixed() attributes {ttl.thread = #ttl.thread<compute>} {
  %dl = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %dr = ttl.bind_dfb 1 : !ttl.dfb<[2, 1], f32, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], f32, 2>
  %l = ttl.dfb_wait %dl : !ttl.dfb<[1, 2], bf16, 2>
  %r = ttl.dfb_wait %dr : !ttl.dfb<[2, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  %p = ttl.matmul %l, %r : tensor<1x2x!ttl.tile<bf16>>, tensor<2x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %p, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %dr : !ttl.dfb<[2, 1], f32, 2>
  ttl.dfb_pop %dl : !ttl.dfb<[1, 2], bf16, 2>
  return
}
