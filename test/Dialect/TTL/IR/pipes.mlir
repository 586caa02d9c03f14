// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Pipe ops and the pipe attribute round-trip.

!dfb = !ttl.dfb<[1, 1], bf16, 2>
!blk = tensor<1x1x!ttl.tile<bf16>>

// CHECK-LABEL: func.func @send
// CHECK: %[[TX:.*]] = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %{{.*}} : tensor<1x1x!ttl.tile<bf16>>
// CHECK: ttl.wait %[[TX]] : !ttl.transfer_handle<pipe_send>
func.func @send() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_wait %d : !dfb
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : !blk
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !dfb
  return
}

// CHECK-LABEL: func.func @recv_multicast
// CHECK: %[[RX:.*]] = ttl.pipe_recv #ttl.pipe<[0, 0] -> [0, 1] to [1, 4]>, %{{.*}} : tensor<1x1x!ttl.tile<bf16>>
// CHECK: ttl.wait %[[RX]] : !ttl.transfer_handle<pipe_recv>
func.func @recv_multicast() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 1, 4>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [0, 1] to [1, 4]>, %b : !blk
  ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !dfb
  return
}

// The pipe of another PipeNet with the same ends (net 0 is not printed).
// CHECK-LABEL: func.func @nets
// CHECK-SAME: a = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>
// CHECK-SAME: b = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 2>
func.func @nets() attributes {a = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 0>,
                              b = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 2>} {
  return
}

// A pipe family: (n, y) -> (n + 1, y) for n < 3, y < 4 (net 1), and every
// other node of a row sending to the next one (step 2).
// CHECK-LABEL: func.func @families
// CHECK-SAME: a = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1 repeat [3, 4] step [1, 1]>
// CHECK-SAME: b = #ttl.pipe<[0, 0] -> [0, 1] to [1, 2] repeat [1, 4] step [1, 2]>
func.func @families() attributes {a = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1 repeat [3, 4] step [1, 1]>,
                                  b = #ttl.pipe<[0, 0] -> [0, 1] to [1, 2] repeat [1, 4] step [1, 2]>} {
  return
}
