// RUN: ttlx-opt %s -split-input-file -ttl-assign-dst -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope

// Elementwise math on row-major blocks of 2x600 bf16 elements: 1200
// elements, row-major from the start of the block's first tile-sized page,
// fill two pages (the second one's tail is padding). The program runs over
// those two tiles in place (one loop of 2, the tile index the same in the
// inputs and the output), as on a 1x2-tile block: no tilize, no untilize.
// CHECK-LABEL: func.func @exp_times
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[A:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[O:.*]] = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
// CHECK: ttkernel.cb_wait_front %[[A]], %[[TWO]]
// CHECK: ttkernel.cb_reserve_back %[[O]], %[[TWO]]
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %{{.*}}2 step
// CHECK: ttkernel.tile_regs_acquire
// CHECK: %[[T:.*]] = arith.index_cast %[[C]]
// CHECK: ttkernel.copy_tile %[[A]], %[[T]], %[[D0:.*]]
// CHECK: ttkernel.exp_tile %[[D0]]
// CHECK: ttkernel.mul_binary_tile
// CHECK: ttkernel.pack_tile %{{.*}}, %[[O]], %[[T]]
// CHECK: ttkernel.tile_regs_release
// CHECK-NOT: tilize
// CHECK: ttkernel.cb_push_back %[[O]], %[[TWO]]
func.func @exp_times() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 600], bf16, 2, row_major>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[2, 600], bf16, 2, row_major>
  %dout = ttl.bind_dfb 2 : !ttl.dfb<[2, 600], bf16, 2, row_major>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 600], bf16, 2, row_major>
  %b = ttl.dfb_wait %db : !ttl.dfb<[2, 600], bf16, 2, row_major>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[2, 600], bf16, 2, row_major>
  %e = ttl.exp %a : tensor<2x600x!ttl.element<bf16>>
  %s = ttl.mul %e, %b : tensor<2x600x!ttl.element<bf16>>, tensor<2x600x!ttl.element<bf16>> -> tensor<2x600x!ttl.element<bf16>>
  ttl.store %s, %o : tensor<2x600x!ttl.element<bf16>>, tensor<2x600x!ttl.element<bf16>>
  ttl.dfb_push %dout : !ttl.dfb<[2, 600], bf16, 2, row_major>
  ttl.dfb_pop %db : !ttl.dfb<[2, 600], bf16, 2, row_major>
  ttl.dfb_pop %da : !ttl.dfb<[2, 600], bf16, 2, row_major>
  return
}

// -----

// A fill stored into a row-major block of 40 f32 elements: one page, one
// tile filled (the 984 elements past the block are the page's padding).
// CHECK-LABEL: func.func @fill_row_major
// CHECK-DAG: %[[O:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-NOT: scf.for
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.fill_tile
// CHECK: ttkernel.pack_tile %{{.*}}, %[[O]], %{{.*}}
func.func @fill_row_major() attributes {ttl.thread = #ttl.thread<compute>} {
  %one = arith.constant 1.0 : f32
  %dout = ttl.bind_dfb 0 : !ttl.dfb<[40], f32, 2, row_major>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[40], f32, 2, row_major>
  %f = ttl.fill %one : f32 -> tensor<40x!ttl.element<f32>>
  ttl.store %f, %o : tensor<40x!ttl.element<f32>>, tensor<40x!ttl.element<f32>>
  ttl.dfb_push %dout : !ttl.dfb<[40], f32, 2, row_major>
  return
}

// -----

// ttl.tilize of a 2x64x96 row-major block (2 batches of 2x3 tiles): one
// tilize_block per row of tiles (4), each 3 tiles wide, the row's first
// tile (r * 3) picking both where it reads and where it packs.
// CHECK-LABEL: func.func @tilize
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3 : i32
// CHECK-DAG: %[[R:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[T:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.tilize_init %[[R]], %[[THREE]], %[[T]]
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %{{.*}}4 step
// CHECK: %[[I:.*]] = arith.index_cast %[[ROW]]
// CHECK: %[[FIRST:.*]] = arith.muli %[[I]], %[[THREE]]
// CHECK: ttkernel.tilize_block %[[R]], %[[THREE]], %[[T]], %[[FIRST]], %[[FIRST]]
// CHECK: ttkernel.tilize_uninit %[[R]], %[[T]]
func.func @tilize() attributes {ttl.thread = #ttl.thread<compute>} {
  %r = ttl.bind_dfb 0 : !ttl.dfb<[2, 64, 96], bf16, 2, row_major>
  %t = ttl.bind_dfb 1 : !ttl.dfb<[2, 2, 3], bf16, 1>
  %rb = ttl.dfb_wait %r : !ttl.dfb<[2, 64, 96], bf16, 2, row_major>
  %tb = ttl.dfb_reserve %t : !ttl.dfb<[2, 2, 3], bf16, 1>
  ttl.tilize %rb, %tb : tensor<2x64x96x!ttl.element<bf16>>, tensor<2x2x3x!ttl.tile<bf16>>
  ttl.dfb_push %t : !ttl.dfb<[2, 2, 3], bf16, 1>
  ttl.dfb_pop %r : !ttl.dfb<[2, 64, 96], bf16, 2, row_major>
  return
}

// -----

// ttl.untilize of 2x6-tile blocks: the whole block (12 pages) waited and
// reserved, then per row of tiles two pack_untilize_blocks of 3 tiles (the
// widest divisor of 6 that fits a 32-bit DST's 4 tiles), columns 0 and 1,
// and the row's 6 pages popped and pushed.
// CHECK-LABEL: func.func @untilize
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i32
// CHECK-DAG: %[[SIX:.*]] = arith.constant 6 : i32
// CHECK-DAG: %[[TWELVE:.*]] = arith.constant 12 : i32
// CHECK-DAG: %[[T:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[R:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.cb_wait_front %[[T]], %[[TWELVE]]
// CHECK: ttkernel.cb_reserve_back %[[R]], %[[TWELVE]]
// CHECK: ttkernel.pack_untilize_init<3, 6> %[[T]], %[[R]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}}2 step
// CHECK: ttkernel.pack_untilize_block<3, 6> %[[T]], %[[C1]], %[[R]], %[[C0]]
// CHECK: ttkernel.pack_untilize_block<3, 6> %[[T]], %[[C1]], %[[R]], %[[C1]]
// CHECK: ttkernel.cb_pop_front %[[T]], %[[SIX]]
// CHECK: ttkernel.cb_push_back %[[R]], %[[SIX]]
// CHECK: ttkernel.pack_untilize_uninit %[[R]]
func.func @untilize() attributes {ttl.thread = #ttl.thread<compute>} {
  %t = ttl.bind_dfb 0 : !ttl.dfb<[2, 6], bf16, 1>
  %r = ttl.bind_dfb 1 : !ttl.dfb<[64, 192], bf16, 1, row_major>
  ttl.untilize %t, %r : !ttl.dfb<[2, 6], bf16, 1>, !ttl.dfb<[64, 192], bf16, 1, row_major>
  %rb = ttl.dfb_wait %r : !ttl.dfb<[64, 192], bf16, 1, row_major>
  ttl.dfb_pop %r : !ttl.dfb<[64, 192], bf16, 1, row_major>
  return
}
