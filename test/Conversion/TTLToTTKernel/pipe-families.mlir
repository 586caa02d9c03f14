// RUN: ttlx-opt %s -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// Pipe families (`repeat [cx, cy] step [sx, sy]`): each op lowered once,
// for the core's own member, from the core's coordinates.

!dfb = !ttl.dfb<[1, 2], bf16, 2>
!blk = tensor<1x2x!ttl.tile<bf16>>

// A family of pipes (n, y) -> (n + 1, y) on a 4x3 grid, 2 rows apart
// (y = 0, 2): a send publishes in the mailbox of the core one to the right
// of its own; a receive reads from the core one to the left.
// CHECK-LABEL: func.func @family_send
// CHECK-DAG: %[[X:.*]] = ttkernel.my_logical_x
// CHECK-DAG: %[[Y:.*]] = ttkernel.my_logical_y
// CHECK-DAG: %[[XI:.*]] = arith.index_cast %[[X]] : index to i32
// CHECK-DAG: %[[YI:.*]] = arith.index_cast %[[Y]] : index to i32
// CHECK-DAG: %[[TO:.*]] = arith.addi %[[XI]], %c1_i32
// CHECK: %[[DST:.*]] = ttkernel.get_noc_addr %[[TO]], %[[YI]], %{{.*}}
// CHECK: ttkernel.noc_inline_dw_write %[[DST]]
// CHECK-NOT: noc_semaphore_wait
func.func @family_send() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 3>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_wait %d : !dfb
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 2] step [1, 2]>, %b : !blk
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !dfb
  return
}

// The receive's source: x - 1, and y rounded down to its member's row
// (y / 2 * 2).
// CHECK-LABEL: func.func @family_receive
// CHECK-DAG: %[[X:.*]] = ttkernel.my_logical_x
// CHECK-DAG: %[[Y:.*]] = ttkernel.my_logical_y
// CHECK-DAG: %[[XI:.*]] = arith.index_cast %[[X]] : index to i32
// CHECK-DAG: %[[YI:.*]] = arith.index_cast %[[Y]] : index to i32
// CHECK-DAG: %[[FROMX:.*]] = arith.subi %[[XI]], %c1_i32
// CHECK-DAG: %[[ROW:.*]] = arith.divsi %[[YI]], %c2_i32
// CHECK-DAG: %[[FROMY:.*]] = arith.muli %[[ROW]], %c2_i32
// CHECK: %[[SRC:.*]] = ttkernel.l1_load
// CHECK: %[[FROM:.*]] = ttkernel.get_noc_addr %[[FROMX]], %[[FROMY]], %[[SRC]]
// CHECK: ttkernel.noc_async_read %[[FROM]]
// CHECK: %[[AT:.*]] = ttkernel.get_noc_addr %[[FROMX]], %[[FROMY]], %{{.*}}
// CHECK: ttkernel.noc_semaphore_inc %[[AT]], %c-1_i32
func.func @family_receive() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 3>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 2] step [1, 2]>, %b : !blk
  ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !dfb
  return
}

// A family of column multicasts (3, y) -> (0..2, y): one loop over the
// three destinations, in the sender's row.
// CHECK-LABEL: func.func @family_multicast
// CHECK: ttkernel.noc_semaphore_set %{{.*}}, %c3_i32
// CHECK: %[[Y:.*]] = ttkernel.my_logical_y
// CHECK: %[[YI:.*]] = arith.index_cast %[[Y]] : index to i32
// CHECK: scf.for %[[K:.*]] = %c0 to %c3 step %c1
// CHECK:   %[[KI:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK:   %[[DST:.*]] = ttkernel.get_noc_addr %[[KI]], %[[YI]], %{{.*}}
// CHECK:   ttkernel.noc_inline_dw_write %[[DST]]
// CHECK: }
// CHECK-NOT: noc_semaphore_wait
func.func @family_multicast() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 3>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_wait %d : !dfb
  %tx = ttl.pipe_send #ttl.pipe<[3, 0] -> [0, 0] to [3, 1] repeat [1, 3] step [1, 1]>, %b : !blk
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !dfb
  return
}
