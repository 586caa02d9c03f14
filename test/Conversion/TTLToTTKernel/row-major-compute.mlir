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
