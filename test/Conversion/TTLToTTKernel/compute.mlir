// RUN: ttlx-opt %s -split-input-file -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope

// Two DFB blocks: the FPU form reads both CBs, no unpack to DST. One
// register-sync sequence per output tile (a loop over the 1x4 tiles).
// CHECK-LABEL: func.func @fpu_add
// CHECK-DAG: %[[A:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[B:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK-DAG: %[[O:.*]] = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
// CHECK: ttkernel.compute_kernel_hw_startup %[[A]], %[[B]], %[[O]]
// CHECK-NOT: ttkernel.pack_reconfig_data_format
// CHECK: scf.for %[[C:.*]] =
// CHECK-NEXT: ttkernel.tile_regs_acquire
// CHECK-NEXT: ttkernel.add_init %[[A]], %[[B]]
// CHECK-NEXT: %[[T:.*]] = arith.index_cast %[[C]]
// CHECK-NEXT: ttkernel.add_tiles %[[A]], %[[B]], %[[T]], %[[T]], %[[D0:.*]]
// CHECK-NEXT: ttkernel.tile_regs_commit
// CHECK-NEXT: ttkernel.tile_regs_wait
// CHECK-NEXT: ttkernel.pack_tile %[[D0]], %[[O]], %[[T]]
// CHECK-NEXT: ttkernel.tile_regs_release
// CHECK-NOT: ttkernel.copy_tile
func.func @fpu_add() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[1, 4], bf16, 2>
  %dout = ttl.bind_dfb 2 : !ttl.dfb<[1, 4], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 4], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[1, 4], bf16, 2>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[1, 4], bf16, 2>
  %s = ttl.add %a, %b : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  ttl.store %s, %o : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>>
  ttl.dfb_push %dout : !ttl.dfb<[1, 4], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[1, 4], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 4], bf16, 2>
  return
}

// -----

// sigmoid(a) * b + exp(-abs(a)): the whole tree in one sync sequence, DST
// tile 1 reused, the exp init emitted once for two exps.
// CHECK-LABEL: func.func @fused_tree
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.copy_tile %[[A:.*]], %[[T:.*]], %[[D0:c0_i32]]
// CHECK: ttkernel.sigmoid_tile %[[D0]]
// CHECK: ttkernel.copy_tile %{{.*}}, %[[T]], %[[D1:c1_i32]]
// CHECK: ttkernel.mul_binary_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK: ttkernel.copy_tile %[[A]], %[[T]], %[[D1]]
// CHECK: ttkernel.abs_tile %[[D1]]
// CHECK: ttkernel.negative_tile %[[D1]]
// CHECK: ttkernel.exp_tile_init
// CHECK-NEXT: ttkernel.exp_tile %[[D1]]
// CHECK-NEXT: ttkernel.exp_tile %[[D1]]
// CHECK-NEXT: ttkernel.add_binary_tile_init
// CHECK-NEXT: ttkernel.add_binary_tile %[[D0]], %[[D1]], %[[D0]]
// CHECK-NEXT: ttkernel.tile_regs_commit
// CHECK-NOT: ttkernel.tile_regs_acquire
// CHECK: return
func.func @fused_tree() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 2], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[2, 2], bf16, 2>
  %dout = ttl.bind_dfb 2 : !ttl.dfb<[2, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 2], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[2, 2], bf16, 2>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[2, 2], bf16, 2>
  %s = ttl.sigmoid %a : tensor<2x2x!ttl.tile<bf16>>
  %m = ttl.mul %s, %b : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  %abs = ttl.abs %a : tensor<2x2x!ttl.tile<bf16>>
  %n = ttl.neg %abs : tensor<2x2x!ttl.tile<bf16>>
  %e = ttl.exp %n : tensor<2x2x!ttl.tile<bf16>>
  %e2 = ttl.exp %e : tensor<2x2x!ttl.tile<bf16>>
  %r = ttl.add %m, %e2 : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>>
  ttl.dfb_push %dout : !ttl.dfb<[2, 2], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[2, 2], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[2, 2], bf16, 2>
  return
}

// -----

// A scalar operand is filled into a DST tile; the SFPU form follows.
// CHECK-LABEL: func.func @scalar_operand(
// CHECK-SAME: %[[F:.*]]: f32)
// CHECK: ttkernel.copy_tile %{{.*}}, %{{.*}}, %[[D0:c0_i32]]
// CHECK: ttkernel.fill_tile_init
// CHECK: ttkernel.fill_tile %[[D1:c1_i32]], %[[F]]
// CHECK: ttkernel.sub_binary_tile_init
// CHECK: ttkernel.sub_binary_tile %[[D0]], %[[D1]], %[[D0]]
func.func @scalar_operand(%f: f32) attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %dout = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[1, 1], f32, 2>
  %r = ttl.sub %a, %f : tensor<1x1x!ttl.tile<f32>>, f32 -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %r, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %dout : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], f32, 2>
  return
}

// -----

// A row reduction of a 1x32 block accumulates 32 reduce_tile calls into one
// DST tile, with the scaler CB; rsqrt then runs on the result.
// CHECK-LABEL: func.func @reduce_then_rsqrt
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.reduce_init sum row %[[X:.*]], %[[S:.*]], %{{.*}}
// CHECK: scf.for %[[K:.*]] = %c0 to %c32 step %c1
// CHECK: ttkernel.reduce_tile sum row %[[X]], %[[S]], %{{.*}}, %c0_i32, %c0_i32
// CHECK: ttkernel.reduce_uninit
// CHECK: ttkernel.rsqrt_tile_init
// CHECK: ttkernel.rsqrt_tile %c0_i32
func.func @reduce_then_rsqrt() attributes {ttl.thread = #ttl.thread<compute>} {
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 32], bf16, 2>
  %ds = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
  %dout = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 1>
  %x = ttl.dfb_wait %dx : !ttl.dfb<[1, 32], bf16, 2>
  %s = ttl.dfb_wait %ds : !ttl.dfb<[1, 1], bf16, 1>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[1, 1], bf16, 1>
  %sum = ttl.reduce_sum %x, %s row : tensor<1x32x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %r = ttl.rsqrt %sum : tensor<1x1x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %dout : !ttl.dfb<[1, 1], bf16, 1>
  ttl.dfb_pop %ds : !ttl.dfb<[1, 1], bf16, 1>
  ttl.dfb_pop %dx : !ttl.dfb<[1, 32], bf16, 2>
  return
}

// -----

// x * broadcast(inv) uses the FPU broadcast form: the column-0 tile index
// is the output tile's row.
// CHECK-LABEL: func.func @broadcast_mul
// CHECK: scf.for %[[R:.*]] =
// CHECK: scf.for %[[C:.*]] =
// CHECK: ttkernel.mul_bcast_cols_init
// CHECK: ttkernel.mul_tiles_bcast_cols %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c0_i32
func.func @broadcast_mul() attributes {ttl.thread = #ttl.thread<compute>} {
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[2, 8], bf16, 2>
  %di = ttl.bind_dfb 1 : !ttl.dfb<[2, 1], bf16, 1>
  %dout = ttl.bind_dfb 2 : !ttl.dfb<[2, 8], bf16, 2>
  %x = ttl.dfb_wait %dx : !ttl.dfb<[2, 8], bf16, 2>
  %i = ttl.dfb_wait %di : !ttl.dfb<[2, 1], bf16, 1>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[2, 8], bf16, 2>
  %b = ttl.broadcast %i col : tensor<2x1x!ttl.tile<bf16>> -> tensor<2x8x!ttl.tile<bf16>>
  %y = ttl.mul %x, %b : tensor<2x8x!ttl.tile<bf16>>, tensor<2x8x!ttl.tile<bf16>> -> tensor<2x8x!ttl.tile<bf16>>
  ttl.store %y, %o : tensor<2x8x!ttl.tile<bf16>>, tensor<2x8x!ttl.tile<bf16>>
  ttl.dfb_push %dout : !ttl.dfb<[2, 8], bf16, 2>
  ttl.dfb_pop %di : !ttl.dfb<[2, 1], bf16, 1>
  ttl.dfb_pop %dx : !ttl.dfb<[2, 8], bf16, 2>
  return
}

// where(c, a, 2.0): the condition, the true value and the filled false
// value in three DST tiles; the result overwrites the condition's tile.
// CHECK-LABEL: func.func @where
// CHECK: ttkernel.copy_tile %{{.*}}, %{{.*}}, %[[C:c0_i32]]
// CHECK: ttkernel.copy_tile %{{.*}}, %{{.*}}, %[[T:c1_i32]]
// CHECK: ttkernel.fill_tile %[[F:c2_i32]]
// CHECK: ttkernel.where_tile_init
// CHECK-NEXT: ttkernel.where_tile %[[C]], %[[T]], %[[F]], %[[C]]{{$}}
// CHECK: ttkernel.pack_tile %[[C]]
func.func @where() attributes {ttl.thread = #ttl.thread<compute>} {
  %dc = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %da = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %c = ttl.dfb_wait %dc : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %two = arith.constant 2.0 : f32
  %r = ttl.where %c, %a, %two : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>, f32 -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %dc : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// where_tile's format is DST's width, not the result's dtype: Float32
// ({fp32}) for a bf16 result with a 32-bit DST, Float16_b for a float32
// result with a 16-bit one.
// CHECK-LABEL: func.func @where_in_fp32_dst
// CHECK: ttkernel.where_tile %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {fp32}
func.func @where_in_fp32_dst() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %dc = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %c = ttl.dfb_wait %dc : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %two = arith.constant 2.0 : f32
  %r = ttl.where %c, %c, %two : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>, f32 -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %dc : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// CHECK-LABEL: func.func @float32_where_in_16bit_dst
// CHECK: ttkernel.where_tile %{{[^ ,]*}}, %{{[^ ,]*}}, %{{[^ ,]*}}, %{{[^ ,]*}}{{$}}
func.func @float32_where_in_16bit_dst() attributes {ttl.thread = #ttl.thread<compute>} {
  %dc = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %c = ttl.dfb_wait %dc : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  %two = arith.constant 2.0 : f32
  %r = ttl.where %c, %c, %two : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, f32 -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %r, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %dc : !ttl.dfb<[1, 1], f32, 2>
  return
}

// -----

// A thread packing into CBs of two formats (a float32 value into a bf16 DFB,
// a bf16 value into a float32 DFB): each store sets the packer's output
// format to its CB first; pack_tile then converts DST to it.
// CHECK-LABEL: func.func @pack_two_formats
// CHECK-DAG: %[[Y:.*]] = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
// CHECK-DAG: %[[Q:.*]] = ttkernel.get_compile_time_arg_val 3 : !ttkernel.cb
// CHECK: ttkernel.pack_reconfig_data_format %[[Y]]
// CHECK: ttkernel.pack_tile %{{.*}}, %[[Y]]
// CHECK: ttkernel.pack_reconfig_data_format %[[Q]]
// CHECK: ttkernel.pack_tile %{{.*}}, %[[Q]]
func.func @pack_two_formats() attributes {ttl.thread = #ttl.thread<compute>} {
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %dw = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %dy = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %dq = ttl.bind_dfb 3 : !ttl.dfb<[1, 1], f32, 2>
  %x = ttl.dfb_wait %dx : !ttl.dfb<[1, 1], f32, 2>
  %w = ttl.dfb_wait %dw : !ttl.dfb<[1, 1], bf16, 2>
  %y = ttl.dfb_reserve %dy : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %x : tensor<1x1x!ttl.tile<f32>>
  ttl.store %e, %y : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %dy : !ttl.dfb<[1, 1], bf16, 2>
  %q = ttl.dfb_reserve %dq : !ttl.dfb<[1, 1], f32, 2>
  %s = ttl.exp %w : tensor<1x1x!ttl.tile<bf16>>
  ttl.store %s, %q : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %dq : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %dw : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %dx : !ttl.dfb<[1, 1], f32, 2>
  return
}
