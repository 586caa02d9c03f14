// RUN: ttlx-opt %s -split-input-file -ttl-assign-dst -convert-ttl-to-ttkernel -canonicalize | FileCheck %s --enable-var-scope

// An N-d tensor's pages are its tiles row-major over (batch..., tile row,
// tile column): tile (1, 0, 1) of a 2x2x3-tile tensor is page (1 * 2 + 0) *
// 3 + 1 = 7; the block's two tiles are read into consecutive L1 tiles.
// CHECK-LABEL: func.func @read_nd()
// CHECK-DAG: %[[P7:.*]] = arith.constant 7 : i32
// CHECK-DAG: %[[P8:.*]] = arith.constant 8 : i32
// CHECK-DAG: %[[PAGE:.*]] = arith.constant 2048 : i32
// CHECK: %[[WP:.*]] = ttkernel.get_write_ptr
// CHECK-NOT: ttkernel.assert
// CHECK: ttkernel.noc_async_read_tile %[[P7]], %{{.*}}, %[[WP]]
// CHECK: %[[WP1:.*]] = arith.addi %[[WP]], %[[PAGE]] : i32
// CHECK: ttkernel.noc_async_read_tile %[[P8]], %{{.*}}, %[[WP1]]
func.func @read_nd(%t: tensor<2x64x96xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1, 2], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1, 2], bf16, 2>
  %h = ttl.copy_to_block %t[%c1, %c0, %c1], %b : tensor<2x64x96xbf16>, tensor<1x1x2x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1, 2], bf16, 2>
  return
}

// -----

// A batch index known only at run time: the page is computed from it, and
// the runtime checks every start against the tensor.
// CHECK-LABEL: func.func @write_nd_dynamic()
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[B:.*]] = ttkernel.my_logical_x
// CHECK: %[[OK:.*]] = arith.cmpi ult, %[[B]], %[[C2]] : index
// CHECK: ttkernel.assert %[[OK]], "ttl.copy_to_tensor at {{.*}}nd-blocks.mlir:{{[0-9]+}}:8: a block of 1x2x3 tiles at coordinates outside the tensor of 2x2x3 tiles (starts 0..1, 0..0, 0..0 can start a block)"
// CHECK: %[[FIRST:.*]] = arith.muli %[[B]], %[[C6]] : index
// CHECK: %[[ID:.*]] = arith.index_cast %[[FIRST]] : index to i32
// CHECK: ttkernel.noc_async_write_tile %[[ID]]
func.func @write_nd_dynamic(%t: tensor<2x64x96xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %n = ttl.node 0
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2, 3], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 2, 3], bf16, 2>
  %h = ttl.copy_to_tensor %b, %t[%n, %c0, %c0] : tensor<1x2x3x!ttl.tile<bf16>>, tensor<2x64x96xbf16>
  ttl.wait %h : !ttl.transfer_handle<write>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2, 3], bf16, 2>
  return
}

// -----

// Tile math on an N-d block runs over all its tiles: 2 * 1 rows of 2 tiles.
// CHECK-LABEL: func.func @math_nd()
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: ttkernel.cb_reserve_back %{{.*}}, %{{.*}}
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C2]]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C2]]
// CHECK: ttkernel.mul_tiles
// CHECK: ttkernel.pack_tile
func.func @math_nd() attributes {ttl.thread = #ttl.thread<compute>} {
  %a = ttl.bind_dfb 0 : !ttl.dfb<[2, 1, 2], bf16, 2>
  %o = ttl.bind_dfb 1 : !ttl.dfb<[2, 1, 2], bf16, 2>
  %x = ttl.dfb_wait %a : !ttl.dfb<[2, 1, 2], bf16, 2>
  %y = ttl.dfb_reserve %o : !ttl.dfb<[2, 1, 2], bf16, 2>
  %s = ttl.mul %x, %x : tensor<2x1x2x!ttl.tile<bf16>>, tensor<2x1x2x!ttl.tile<bf16>> -> tensor<2x1x2x!ttl.tile<bf16>>
  ttl.store %s, %y : tensor<2x1x2x!ttl.tile<bf16>>, tensor<2x1x2x!ttl.tile<bf16>>
  ttl.dfb_pop %a : !ttl.dfb<[2, 1, 2], bf16, 2>
  ttl.dfb_push %o : !ttl.dfb<[2, 1, 2], bf16, 2>
  return
}

// -----

// An unsqueezed DFB block is read into DST by copy_tile from its circular
// buffer, tile by tile in the output's row-major order (tile r * 3 + c).
// CHECK-LABEL: func.func @unsqueeze_leaf()
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : i32
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3 : index
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %[[TWO]]
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %[[THREE]]
// CHECK: %[[IN:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK: ttkernel.copy_init %[[IN]]
// CHECK: %[[RI:.*]] = arith.index_cast %[[R]] : index to i32
// CHECK: %[[CI:.*]] = arith.index_cast %[[C]] : index to i32
// CHECK: %[[ROW:.*]] = arith.muli %[[RI]], %[[C3]] : i32
// CHECK: %[[TILE:.*]] = arith.addi %[[ROW]], %[[CI]] : i32
// CHECK: ttkernel.copy_tile %[[IN]], %[[TILE]]
// CHECK: ttkernel.pack_tile
func.func @unsqueeze_leaf() attributes {ttl.thread = #ttl.thread<compute>} {
  %a = ttl.bind_dfb 0 : !ttl.dfb<[2, 3], bf16, 2>
  %o = ttl.bind_dfb 1 : !ttl.dfb<[2, 1, 3], bf16, 2>
  %x = ttl.dfb_wait %a : !ttl.dfb<[2, 3], bf16, 2>
  %y = ttl.dfb_reserve %o : !ttl.dfb<[2, 1, 3], bf16, 2>
  %u = ttl.unsqueeze %x, dims = [1] : tensor<2x3x!ttl.tile<bf16>> -> tensor<2x1x3x!ttl.tile<bf16>>
  ttl.store %u, %y : tensor<2x1x3x!ttl.tile<bf16>>, tensor<2x1x3x!ttl.tile<bf16>>
  ttl.dfb_pop %a : !ttl.dfb<[2, 3], bf16, 2>
  ttl.dfb_push %o : !ttl.dfb<[2, 1, 3], bf16, 2>
  return
}

// -----

// A batched matmul reads rhs tiles of its batch: output row (batch * M + m)
// gives batch = row / M, rhs tile batch * K * N + k * N + col (M = 2, K = 1,
// N = 2 here).
// CHECK-LABEL: func.func @batched_matmul()
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : i32
// CHECK: scf.for %[[R:.*]] = 
// CHECK: %[[RI:.*]] = arith.index_cast %[[R]] : index to i32
// CHECK: %[[BATCH:.*]] = arith.divui %[[RI]], %[[TWO]] : i32
// CHECK: %[[BASE:.*]] = arith.muli %[[BATCH]], %[[TWO]] : i32
// The one-iteration K loop folds away: rhs tile = base + col.
// CHECK: %[[RHS:.*]] = arith.addi %[[BASE]], %{{.*}} : i32
// CHECK: ttkernel.matmul_tiles %{{.*}}, %{{.*}}, %{{.*}}, %[[RHS]]
func.func @batched_matmul() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[3, 2, 1], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[3, 1, 2], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[3, 2, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[3, 2, 1], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[3, 1, 2], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[3, 2, 2], bf16, 2>
  %m = ttl.matmul %a, %b : tensor<3x2x1x!ttl.tile<bf16>>, tensor<3x1x2x!ttl.tile<bf16>> -> tensor<3x2x2x!ttl.tile<bf16>>
  ttl.store %m, %o : tensor<3x2x2x!ttl.tile<bf16>>, tensor<3x2x2x!ttl.tile<bf16>>
  ttl.dfb_pop %da : !ttl.dfb<[3, 2, 1], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[3, 1, 2], bf16, 2>
  ttl.dfb_push %do : !ttl.dfb<[3, 2, 2], bf16, 2>
  return
}

// -----

// broadcast_tiles of a (1, 2, 3) block to (4, 2, 3): output row (l * 2 + r)
// reads input row r (the batch index dropped), tile r * 3 + col.
// CHECK-LABEL: func.func @broadcast_batch()
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3 : i32
// CHECK: %[[RI:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[IN:.*]] = arith.remui %[[RI]], %[[TWO]] : i32
// CHECK: %[[ROW:.*]] = arith.muli %[[IN]], %[[THREE]] : i32
// CHECK: %[[TILE:.*]] = arith.addi %[[ROW]], %{{.*}} : i32
// CHECK: ttkernel.copy_tile %{{.*}}, %[[TILE]]
func.func @broadcast_batch() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 2, 3], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[4, 2, 3], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 2, 3], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[4, 2, 3], bf16, 2>
  %b = ttl.broadcast_tiles %a : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<4x2x3x!ttl.tile<bf16>>
  ttl.store %b, %o : tensor<4x2x3x!ttl.tile<bf16>>, tensor<4x2x3x!ttl.tile<bf16>>
  ttl.dfb_pop %da : !ttl.dfb<[1, 2, 3], bf16, 2>
  ttl.dfb_push %do : !ttl.dfb<[4, 2, 3], bf16, 2>
  return
}

// -----

// A transpose of a (2, 1, 3) block to (2, 3, 1): output row (batch * 3 + i)
// reads input tile (batch * 1 + col) * 3 + i of its batch (the one-column
// output's column loop folds away: col = 0).
// CHECK-LABEL: func.func @transpose_batches()
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3 : i32
// CHECK: %[[RI:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[BATCH:.*]] = arith.divui %[[RI]], %[[THREE]] : i32
// CHECK: %[[I:.*]] = arith.remui %[[RI]], %[[THREE]] : i32
// CHECK: %[[BASE:.*]] = arith.muli %[[BATCH]], %[[THREE]] : i32
// CHECK: %[[TILE:.*]] = arith.addi %[[BASE]], %[[I]] : i32
// CHECK: ttkernel.transpose_tile %{{.*}}, %[[TILE]]
func.func @transpose_batches() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 1, 3], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[2, 3, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 1, 3], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[2, 3, 1], bf16, 2>
  %t = ttl.transpose %a : tensor<2x1x3x!ttl.tile<bf16>> -> tensor<2x3x1x!ttl.tile<bf16>>
  ttl.store %t, %o : tensor<2x3x1x!ttl.tile<bf16>>, tensor<2x3x1x!ttl.tile<bf16>>
  ttl.dfb_pop %da : !ttl.dfb<[2, 1, 3], bf16, 2>
  ttl.dfb_push %do : !ttl.dfb<[2, 3, 1], bf16, 2>
  return
}
