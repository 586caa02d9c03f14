// RUN: ttlx-opt %s -split-input-file -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize | FileCheck %s --enable-var-scope

// DFB i resolves through the thread's base compile-time-argument index
// (default: after the TensorAccessorArgs of its tensor arguments). A block
// is its L1 address: write pointer after a reserve.
// CHECK-LABEL: func.func @reader()
// CHECK-DAG: %[[PAGE:.*]] = arith.constant 2048 : i32
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : i32
// CHECK: %[[ADDR:.*]] = ttkernel.get_arg_val 0 : i32
// CHECK: %[[ARGS:.*]] = ttkernel.tensor_accessor_args 0
// CHECK: %[[ACC:.*]] = ttkernel.tensor_accessor %[[ARGS]], %[[ADDR]], %[[PAGE]]
// CHECK: %[[CB:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.cb_reserve_back %[[CB]], %[[TWO]]
// CHECK: %[[WP:.*]] = ttkernel.get_write_ptr %[[CB]]
// One tile read per tile of the 1x2 block; tile id = row * 2 + col.
// CHECK: ttkernel.noc_async_read_tile %{{.*}}, %[[ACC]], %[[WP]]
// CHECK: %[[WP1:.*]] = arith.addi %[[WP]], %[[PAGE]] : i32
// CHECK: ttkernel.noc_async_read_tile %{{.*}}, %[[ACC]], %[[WP1]]
// CHECK: ttkernel.noc_async_read_barrier
// CHECK: ttkernel.cb_push_back %[[CB]], %[[TWO]]
func.func @reader(%t: tensor<64x64xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %r = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 2], bf16, 2>
  %h = ttl.copy_to_block %t[%r, %c0], %b : tensor<64x64xbf16>, tensor<1x2x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

// Read pointer after a wait; write barrier for a copy to DRAM; an explicit
// base index; f32 tiles are 4096 bytes.
// CHECK-LABEL: func.func @writer()
// CHECK-DAG: %[[PAGE:.*]] = arith.constant 4096 : i32
// CHECK: %[[ACC:.*]] = ttkernel.tensor_accessor %{{.*}}, %{{.*}}, %[[PAGE]]
// CHECK: %[[CB:.*]] = ttkernel.get_compile_time_arg_val 7 : !ttkernel.cb
// CHECK: ttkernel.cb_wait_front %[[CB]]
// CHECK: %[[RP:.*]] = ttkernel.get_read_ptr %[[CB]]
// CHECK: ttkernel.noc_async_write_tile %{{.*}}, %[[ACC]], %[[RP]]
// CHECK: ttkernel.noc_async_write_barrier
// CHECK: ttkernel.cb_pop_front %[[CB]]
func.func @writer(%t: tensor<32x32xf32>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 5} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], f32, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], f32, 2>
  %h = ttl.copy_to_tensor %b, %t[%c0, %c0] : tensor<1x1x!ttl.tile<f32>>, tensor<32x32xf32>
  ttl.wait %h : !ttl.transfer_handle<write>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], f32, 2>
  return
}

// -----

// Element offset: tile * 1024 + face * 256 + (r % 16) * 16 + c % 16 with
// tile = (r / 32) * cols + c / 32, face = ((r % 32) / 16) * 2 + (c % 32) / 16.
// Element (37, 50) of a 2x2 block: tile 3, face 1, in-face 5 * 16 + 2.
// Static coordinates were checked by the verifier: no runtime check.
// CHECK-LABEL: func.func @static_offset()
// CHECK-NOT: ttkernel.assert
// CHECK-DAG: %[[OFF:.*]] = arith.constant 3410 : i32
// CHECK: %[[RP:.*]] = ttkernel.get_read_ptr
// CHECK: %[[V:.*]] = ttkernel.l1_load %[[RP]][%[[OFF]]] : bf16
// CHECK: ttkernel.l1_store %[[RP]][%[[OFF]]], %[[V]] : bf16
func.func @static_offset() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %r = arith.constant 37 : index
  %c = arith.constant 50 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 2], bf16, 1>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 2], bf16, 1>
  %v = ttl.element_read %b[%r, %c] : tensor<2x2x!ttl.tile<bf16>> -> bf16
  ttl.element_write %b[%r, %c], %v : tensor<2x2x!ttl.tile<bf16>>, bf16
  ttl.dfb_pop %d : !ttl.dfb<[2, 2], bf16, 1>
  return
}

// -----

// Dynamic coordinates compute the same formula with shifts and masks, after
// a runtime bounds check (tt-metal's watcher ASSERT) naming the source.
// CHECK-LABEL: func.func @dynamic_offset(
// CHECK-SAME: %[[R:.*]]: index, %[[C:.*]]: index)
// CHECK-DAG: %[[ROK:.*]] = arith.cmpi ult, %[[R]], %c32 : index
// CHECK-DAG: %[[COK:.*]] = arith.cmpi ult, %[[C]], %c128 : index
// CHECK: %[[OK:.*]] = arith.andi %[[ROK]], %[[COK]] : i1
// CHECK: ttkernel.assert %[[OK]], "ttl.element_read at {{.*}}ttl-to-ttkernel.mlir:{{[0-9]+}}:{{[0-9]+}}: coordinates out of range for a block of 1x4 tiles (rows < 32, columns < 128)"
// CHECK: %[[R32:.*]] = arith.index_cast %[[R]] : index to i32
// CHECK: %[[C32:.*]] = arith.index_cast %[[C]] : index to i32
// CHECK: arith.shrui %[[R32]], %{{.*}} : i32
// CHECK: %[[OFF:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// CHECK: %[[V:.*]] = ttkernel.l1_load %{{.*}}[%{{.*}}] : f32
// CHECK: return %[[V]]
func.func @dynamic_offset(%r: index, %c: index) -> f32 attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], f32, 1>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 4], f32, 1>
  %v = ttl.element_read %b[%r, %c] : tensor<1x4x!ttl.tile<f32>> -> f32
  ttl.dfb_push %d : !ttl.dfb<[1, 4], f32, 1>
  return %v : f32
}

// -----

// A row-major block's element (row, col) is at row * C + col from its first
// page (row: its leading coordinates flattened), after the runtime check of
// dynamic coordinates against its rows and last extent.
// CHECK-LABEL: func.func @row_major_offset(
// CHECK-SAME: %[[R:.*]]: index, %[[C:.*]]: index)
// CHECK-DAG: %[[ROK:.*]] = arith.cmpi ult, %[[R]], %c6 : index
// CHECK-DAG: %[[COK:.*]] = arith.cmpi ult, %[[C]], %c50 : index
// CHECK: %[[OK:.*]] = arith.andi %[[ROK]], %[[COK]] : i1
// CHECK: ttkernel.assert %[[OK]], "ttl.element_read at {{.*}}ttl-to-ttkernel.mlir:{{[0-9]+}}:{{[0-9]+}}: coordinates out of range for a block of 2x3x50 elements (rows < 6, columns < 50)"
// CHECK: %[[R32:.*]] = arith.index_cast %[[R]] : index to i32
// CHECK: %[[C32:.*]] = arith.index_cast %[[C]] : index to i32
// CHECK: %[[ROW:.*]] = arith.muli %[[R32]], %c50_i32 : i32
// CHECK: %[[OFF:.*]] = arith.addi %[[ROW]], %[[C32]] : i32
// CHECK: %[[V:.*]] = ttkernel.l1_load %{{.*}}[%[[OFF]]] : bf16
// CHECK: return %[[V]]
func.func @row_major_offset(%r: index, %c: index) -> bf16 attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 3, 50], bf16, 1, row_major>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 3, 50], bf16, 1, row_major>
  %v = ttl.element_read %b[%r, %c] : tensor<2x3x50x!ttl.element<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[2, 3, 50], bf16, 1, row_major>
  return %v : bf16
}

// -----

// Grid queries: the core coordinate comes from the device, the grid size
// from the function's ttl.grid.
// CHECK-LABEL: func.func @grid
// CHECK-DAG: %[[GY:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[X:.*]] = ttkernel.my_logical_x
// CHECK-DAG: %[[Y:.*]] = ttkernel.my_logical_y
// CHECK: return %[[X]], %[[Y]], %[[GY]]
func.func @grid() -> (index, index, index) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 4>} {
  %x = ttl.node 0
  %y = ttl.node 1
  %g = ttl.grid_size 1
  return %x, %y, %g : index, index, index
}

// -----

// Loop-carried element values stay SSA through the conversion.
// CHECK-LABEL: func.func @loop_carried
// CHECK: scf.for %{{.*}} iter_args(%[[BEST:.*]] = %{{.*}}) -> (bf16)
// CHECK: %[[V:.*]] = ttkernel.l1_load %{{.*}} : bf16
// CHECK: arith.maximumf %[[V]], %[[BEST]] : bf16
func.func @loop_carried() -> bf16 attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 1>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 1>
  %init = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  %best = scf.for %i = %c1 to %c32 step %c1 iter_args(%acc = %init) -> (bf16) {
    %v = ttl.element_read %b[%c0, %i] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    %m = arith.maximumf %v, %acc : bf16
    scf.yield %m : bf16
  }
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 1>
  return %best : bf16
}

// -----

// print: ttl.dprint becomes ttkernel.dprint with the same format and scalars.
// CHECK-LABEL: func.func @printer(
// CHECK-SAME: %[[N:.*]]: i32)
// CHECK: %[[X:.*]] = ttkernel.my_logical_x
// CHECK: ttkernel.dprint "node {} has {}\0A", %[[X]], %[[N]] : index, i32
func.func @printer(%n: i32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %x = ttl.node 0
  ttl.dprint "node {} has {}\0A", %x, %n : index, i32
  return
}

// -----

// A bf16 prints as the f32 it extends to.
// CHECK-LABEL: func.func @print_bf16(
// CHECK-SAME: %[[H:.*]]: bf16, %[[F:.*]]: f32)
// CHECK: %[[E:.*]] = arith.extf %[[H]] : bf16 to f32
// CHECK: ttkernel.dprint "{} {}\0A", %[[E]], %[[F]] : f32, f32
func.func @print_bf16(%h: bf16, %f: f32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  ttl.dprint "{} {}\0A", %h, %f : bf16, f32
  return
}

// -----

// print(dfb): print_cb_details of its circular buffer, in any thread.
// CHECK-LABEL: func.func @print_dfb
// CHECK: %[[CB:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.print_cb_details %[[CB]]
func.func @print_dfb() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dprint_dfb %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// print(blk) of a row-major block in a compute thread: each of its pages in
// memory order (2x600 bf16 elements: two pages).
// CHECK-LABEL: func.func @print_row_major_block
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i32
// CHECK: ttkernel.cb_wait_front
// CHECK: %[[A:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK: ttkernel.print_full_tile unpack %[[A]], %[[C0]] untilize = false
// CHECK: ttkernel.print_full_tile unpack %[[A]], %[[C1]] untilize = false
// CHECK-NOT: print_full_tile
func.func @print_row_major_block() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 600], bf16, 2, row_major>
  %a = ttl.dfb_wait %d : !ttl.dfb<[2, 600], bf16, 2, row_major>
  ttl.dprint_block %a : tensor<2x600x!ttl.element<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[2, 600], bf16, 2, row_major>
  return
}

// -----

// print(blk) in a compute thread: print_full_tile of each tile, by the
// unpacker for a waited block, by the packer for a reserved one.
// CHECK-LABEL: func.func @print_block
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i32
// CHECK: ttkernel.cb_wait_front
// CHECK: %[[A:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK: ttkernel.print_full_tile unpack %[[A]], %[[C0]]
// CHECK: ttkernel.print_full_tile unpack %[[A]], %[[C1]]
// CHECK: ttkernel.cb_reserve_back
// CHECK: %[[O:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: ttkernel.print_full_tile pack %[[O]], %[[C0]]
func.func @print_block() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %o = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dprint_block %a : tensor<1x2x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_reserve %o : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dprint_block %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %o : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A signpost scope is a device profiler zone.
// CHECK-LABEL: func.func @signpost
// CHECK: ttkernel.device_zone_begin "load"
// CHECK: ttkernel.cb_reserve_back
// CHECK: ttkernel.device_zone_end "load"
func.func @signpost() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  ttl.signpost_begin "load"
  %blk = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  ttl.signpost_end "load"
  return
}

// -----

// Publishing a tensor-backed DFB reserves and pushes its whole capacity
// (1x3 tiles x 2 blocks = 6 pages) and copies nothing.
// CHECK-LABEL: func.func @publisher()
// CHECK-DAG: %[[SIX:.*]] = arith.constant 6 : i32
// CHECK: %[[CB:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-NEXT: ttkernel.cb_reserve_back %[[CB]], %[[SIX]]
// CHECK-NEXT: ttkernel.cb_push_back %[[CB]], %[[SIX]]
// CHECK-NOT: noc_async
// CHECK: return
func.func @publisher() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 3], bf16, 2>
  ttl.dfb_publish %d : !ttl.dfb<[1, 3], bf16, 2>
  return
}
