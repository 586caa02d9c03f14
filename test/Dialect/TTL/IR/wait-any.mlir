// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// ttl.wait_any round-trips.

!dfb = !ttl.dfb<[1, 1], bf16, 1>
!blk = tensor<1x1x!ttl.tile<bf16>>
!rx = !ttl.transfer_handle<pipe_recv>

// CHECK-LABEL: func.func @select
// CHECK: %[[A:.*]] = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>
// CHECK: %[[B:.*]] = ttl.pipe_recv #ttl.pipe<[2, 0] -> [0, 0] to [1, 1]>
// CHECK: %{{.*}} = ttl.wait_any %[[A]], %[[B]] start %{{.*}} : !ttl.transfer_handle<pipe_recv>, !ttl.transfer_handle<pipe_recv>
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
