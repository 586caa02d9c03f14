// RUN: ttlx-opt %s -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// A chain 0 -> 1 -> 2 on a 3x1 grid: both pipes share mailbox semaphore 0
// (no common destination) and completion semaphore 1 (different sources).

!dfb = !ttl.dfb<[1, 2], bf16, 2>
!blk = tensor<1x2x!ttl.tile<bf16>>

// The send publishes the block's address in the destination's mailbox; its
// wait waits for the one destination to finish reading, then resets.
// CHECK-LABEL: func.func @forward
// CHECK: %[[BLK:.*]] = ttkernel.get_write_ptr
// CHECK: %[[MB:.*]] = ttkernel.get_semaphore 0
// CHECK: %[[DST:.*]] = ttkernel.get_noc_addr %c2_i32, %c0_i32, %[[MB]]
// CHECK: ttkernel.noc_inline_dw_write %[[DST]], %[[BLK]]
// CHECK: %[[DONE:.*]] = ttkernel.get_semaphore 1
// CHECK: ttkernel.noc_semaphore_wait %[[DONE]], %c1_i32
// CHECK: ttkernel.noc_semaphore_set %[[DONE]], %c0_i32
// CHECK: ttkernel.cb_push_back

// The receive happens at its wait: mailbox, NOC read of 2 bf16 tiles from
// the source, clear the mailbox, count at the source.
// CHECK-LABEL: func.func @receive
// CHECK: %[[BLK:.*]] = ttkernel.get_write_ptr
// CHECK: %[[MB:.*]] = ttkernel.get_semaphore 0
// CHECK: ttkernel.noc_semaphore_wait_min %[[MB]], %c1_i32
// CHECK: %[[SRC:.*]] = ttkernel.l1_load %[[MB]][%c0_i32] : i32
// CHECK: %[[FROM:.*]] = ttkernel.get_noc_addr %c0_i32, %c0_i32, %[[SRC]]
// CHECK: ttkernel.noc_async_read %[[FROM]], %[[BLK]], %c4096_i32
// CHECK: ttkernel.noc_async_read_barrier
// CHECK: ttkernel.noc_semaphore_set %[[MB]], %c0_i32
// CHECK: %[[DONE:.*]] = ttkernel.get_semaphore 1
// CHECK: %[[AT:.*]] = ttkernel.get_noc_addr %c0_i32, %c0_i32, %[[DONE]]
// CHECK: ttkernel.noc_semaphore_inc %[[AT]], %c1_i32
func.func @forward() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %tx = ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %b : !blk
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_push %d : !dfb
  return
}

func.func @receive() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : !blk
  ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !dfb
  return
}

// A multicast to (0, 1)..(0, 3) publishes to each destination, in a loop
// over them, and waits for all three.
// CHECK-LABEL: func.func @multicast
// CHECK: scf.for %[[K:.*]] = %c0 to %c3 step %c1
// CHECK:   %[[KI:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK:   %[[Y:.*]] = arith.addi %[[KI]], %c1_i32
// CHECK:   %[[MB:.*]] = ttkernel.get_semaphore 0
// CHECK:   %[[DST:.*]] = ttkernel.get_noc_addr %c0_i32, %[[Y]], %[[MB]]
// CHECK:   ttkernel.noc_inline_dw_write %[[DST]]
// CHECK: }
// CHECK: ttkernel.noc_semaphore_wait %{{.*}}, %c3_i32
func.func @multicast() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 4>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_wait %d : !dfb
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [0, 1] to [1, 4]>, %b : !blk
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !dfb
  return
}
