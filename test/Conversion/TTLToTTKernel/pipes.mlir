// RUN: ttlx-opt %s -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// A chain 0 -> 1 -> 2 on a 3x1 grid: both pipes share mailbox semaphore 0
// (no common destination) and completion semaphore 1 (different sources),
// and the send stages its block in DFB 1.

!dfb = !ttl.dfb<[1, 2], bf16, 2>
!blk = tensor<1x2x!ttl.tile<bf16>>

// The send waits until the destination has read what was staged before,
// counts the one destination still to read, copies the block into the
// staging DFB and publishes its address in the destination's mailbox. Its
// wait has nothing left to do.
// CHECK-LABEL: func.func @forward
// CHECK: %[[BLK:.*]] = ttkernel.get_write_ptr
// CHECK: %[[CB:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: %[[STAGE:.*]] = ttkernel.get_write_ptr %[[CB]]
// CHECK: %[[DONE:.*]] = ttkernel.get_semaphore 1
// CHECK: ttkernel.noc_semaphore_wait %[[DONE]], %c0_i32
// CHECK: ttkernel.noc_semaphore_set %[[DONE]], %c1_i32
// CHECK: %[[SELF:.*]] = ttkernel.get_noc_addr %{{.*}}, %{{.*}}, %[[BLK]]
// CHECK: ttkernel.noc_async_read %[[SELF]], %[[STAGE]], %c4096_i32
// CHECK: ttkernel.noc_async_read_barrier
// CHECK: %[[MB:.*]] = ttkernel.get_semaphore 0
// CHECK: %[[DST:.*]] = ttkernel.get_noc_addr %c2_i32, %c0_i32, %[[MB]]
// CHECK: ttkernel.noc_inline_dw_write %[[DST]], %[[STAGE]]
// CHECK-NOT: noc_semaphore
// CHECK: ttkernel.cb_push_back

// The receive happens at its wait: mailbox, NOC read of 2 bf16 tiles from
// the source's staging DFB, clear the mailbox, take this destination off
// the source's count (an increment by -1: the NOC's atomic add wraps).
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
// CHECK: ttkernel.noc_semaphore_inc %[[AT]], %c-1_i32
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

// A multicast to (0, 1)..(0, 3) counts three destinations, stages once and
// publishes to each destination, in a loop over them.
// CHECK-LABEL: func.func @multicast
// CHECK: ttkernel.noc_semaphore_set %{{.*}}, %c3_i32
// CHECK: scf.for %[[K:.*]] = %c0 to %c3 step %c1
// CHECK:   %[[KI:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK:   %[[Y:.*]] = arith.addi %[[KI]], %c1_i32
// CHECK:   %[[MB:.*]] = ttkernel.get_semaphore 0
// CHECK:   %[[DST:.*]] = ttkernel.get_noc_addr %c0_i32, %[[Y]], %[[MB]]
// CHECK:   ttkernel.noc_inline_dw_write %[[DST]]
// CHECK: }
// CHECK-NOT: noc_semaphore_wait
func.func @multicast() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 4>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_wait %d : !dfb
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [0, 1] to [1, 4]>, %b : !blk
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !dfb
  return
}
