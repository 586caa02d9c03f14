// RUN: ttlx-opt %s -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// ttl.wait_any on node 0 of receives from nodes 1 and 2 (mailboxes 0 and 1,
// one done counter 2): a poll of the mailboxes, then the selected receive;
// the waits after it pull only a receive it did not select.

!dfb = !ttl.dfb<[1, 1], bf16, 1>
!blk = tensor<1x1x!ttl.tile<bf16>>
!rx = !ttl.transfer_handle<pipe_recv>

// CHECK-LABEL: func.func @select
// CHECK-DAG: %[[MB0:.*]] = ttkernel.get_semaphore 0
// CHECK-DAG: %[[MB1:.*]] = ttkernel.get_semaphore 1
// The start modulo 2, as Python's % (also of a negative start).
// CHECK: %[[M:.*]] = arith.remsi %{{.*}}, %c2 : index
// CHECK: %[[P:.*]] = arith.addi %[[M]], %c2 : index
// CHECK: %[[START:.*]] = arith.remsi %[[P]], %c2 : index
// The poll: each round invalidates the L1 cache, reads both mailboxes and
// ranks the ready ones from the start; it ends when one is ready.
// CHECK: %[[RANK:.*]] = scf.while : () -> index {
// CHECK:   ttkernel.invalidate_l1_cache
// CHECK:   ttkernel.l1_load %[[MB0]][%c0_i32] : i32
// CHECK:   ttkernel.l1_load %[[MB1]][%c0_i32] : i32
// CHECK:   %[[BEST:.*]] = arith.minui
// CHECK:   %[[NONE:.*]] = arith.cmpi eq, %[[BEST]], %c2 : index
// CHECK:   scf.condition(%[[NONE]]) %[[BEST]] : index
// CHECK: %[[SUM:.*]] = arith.addi %[[START]], %[[RANK]] : index
// CHECK: %[[SEL:.*]] = arith.remsi %[[SUM]], %c2 : index
// The selected receive is pulled: from node 1 (candidate 0) ...
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %[[SEL]], %c0 : index
// CHECK: scf.if %[[IS0]] {
// CHECK:   ttkernel.noc_semaphore_wait_min %[[MB0]], %c1_i32
// CHECK:   ttkernel.get_noc_addr %c1_i32, %c0_i32
// CHECK:   ttkernel.noc_async_read
// CHECK:   ttkernel.noc_semaphore_set %[[MB0]], %c0_i32
// CHECK:   ttkernel.noc_semaphore_inc
// ... or from node 2 (candidate 1).
// CHECK: %[[IS1:.*]] = arith.cmpi eq, %[[SEL]], %c1 : index
// CHECK: scf.if %[[IS1]] {
// CHECK:   ttkernel.noc_semaphore_wait_min %[[MB1]], %c1_i32
// CHECK:   ttkernel.get_noc_addr %c2_i32, %c0_i32
// Each wait pulls its receive unless wait_any selected it.
// CHECK: %[[NOT0:.*]] = arith.cmpi ne, %[[SEL]], %c0 : index
// CHECK: scf.if %[[NOT0]] {
// CHECK:   ttkernel.noc_semaphore_wait_min %[[MB0]], %c1_i32
// CHECK: %[[NOT1:.*]] = arith.cmpi ne, %[[SEL]], %c1 : index
// CHECK: scf.if %[[NOT1]] {
// CHECK:   ttkernel.noc_semaphore_wait_min %[[MB1]], %c1_i32
// CHECK: return %[[SEL]] : index
func.func @select(%start: index) -> index attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %da = ttl.bind_dfb 0 : !dfb
  %db = ttl.bind_dfb 1 : !dfb
  %a = ttl.dfb_reserve %da : !dfb
  %b = ttl.dfb_reserve %db : !dfb
  %ra = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %a : !blk
  %rb = ttl.pipe_recv #ttl.pipe<[2, 0] -> [0, 0] to [1, 1]>, %b : !blk
  %sel = ttl.wait_any %ra, %rb start %start : !rx, !rx
  ttl.wait %ra : !rx
  ttl.wait %rb : !rx
  ttl.dfb_push %da : !dfb
  ttl.dfb_push %db : !dfb
  return %sel : index
}

// A second ttl.wait_any counts a receive the first one selected as ready
// (and does not pull it again).
// CHECK-LABEL: func.func @twice
// CHECK: scf.while
// CHECK: %[[WAS0:.*]] = arith.cmpi eq, %{{.*}}, %c0 : index
// CHECK: scf.while
// CHECK:   %[[READY0:.*]] = arith.ori %{{.*}}, %[[WAS0]] : i1
func.func @twice(%start: index) -> index attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %da = ttl.bind_dfb 0 : !dfb
  %db = ttl.bind_dfb 1 : !dfb
  %a = ttl.dfb_reserve %da : !dfb
  %b = ttl.dfb_reserve %db : !dfb
  %ra = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %a : !blk
  %rb = ttl.pipe_recv #ttl.pipe<[2, 0] -> [0, 0] to [1, 1]>, %b : !blk
  %first = ttl.wait_any %ra, %rb start %start : !rx, !rx
  %second = ttl.wait_any %ra, %rb start %first : !rx, !rx
  ttl.dfb_push %da : !dfb
  ttl.dfb_push %db : !dfb
  return %second : index
}
