// RUN: ttlx-opt %s -split-input-file -ttl-assign-pipe-semaphores -verify-diagnostics
// Module-wide pipe checks of ttl-assign-pipe-semaphores.

func.func @two_block_types() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %c = ttl.dfb_reserve %e : !ttl.dfb<[1, 2], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_recv' op uses #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]> with blocks of type 'tensor<1x2x!ttl.tile<bf16>>', but the pipe carries 'tensor<1x1x!ttl.tile<bf16>>' elsewhere in this module; both ends of a pipe use the same block shape and element type}}
  %ry = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %c : tensor<1x2x!ttl.tile<bf16>>
  ttl.wait %ry : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %e : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

// Sixteen pipes into core (0, 0) need sixteen mailboxes, plus a counter.
// expected-error @+1 {{the pipes of this module need 17 semaphores per core (16 mailboxes, 1 completion counter(s)), but a core has 16; use fewer pipes that share a core}}
module {
func.func @gather() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 17, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b1 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r1 = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %b1 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r1 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b2 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r2 = ttl.pipe_recv #ttl.pipe<[2, 0] -> [0, 0] to [1, 1]>, %b2 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r2 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b3 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r3 = ttl.pipe_recv #ttl.pipe<[3, 0] -> [0, 0] to [1, 1]>, %b3 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r3 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b4 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r4 = ttl.pipe_recv #ttl.pipe<[4, 0] -> [0, 0] to [1, 1]>, %b4 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r4 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b5 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r5 = ttl.pipe_recv #ttl.pipe<[5, 0] -> [0, 0] to [1, 1]>, %b5 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r5 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b6 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r6 = ttl.pipe_recv #ttl.pipe<[6, 0] -> [0, 0] to [1, 1]>, %b6 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r6 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b7 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r7 = ttl.pipe_recv #ttl.pipe<[7, 0] -> [0, 0] to [1, 1]>, %b7 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r7 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b8 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r8 = ttl.pipe_recv #ttl.pipe<[8, 0] -> [0, 0] to [1, 1]>, %b8 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r8 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b9 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r9 = ttl.pipe_recv #ttl.pipe<[9, 0] -> [0, 0] to [1, 1]>, %b9 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r9 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b10 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r10 = ttl.pipe_recv #ttl.pipe<[10, 0] -> [0, 0] to [1, 1]>, %b10 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r10 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b11 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r11 = ttl.pipe_recv #ttl.pipe<[11, 0] -> [0, 0] to [1, 1]>, %b11 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r11 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b12 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r12 = ttl.pipe_recv #ttl.pipe<[12, 0] -> [0, 0] to [1, 1]>, %b12 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r12 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b13 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r13 = ttl.pipe_recv #ttl.pipe<[13, 0] -> [0, 0] to [1, 1]>, %b13 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r13 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b14 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r14 = ttl.pipe_recv #ttl.pipe<[14, 0] -> [0, 0] to [1, 1]>, %b14 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r14 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b15 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r15 = ttl.pipe_recv #ttl.pipe<[15, 0] -> [0, 0] to [1, 1]>, %b15 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r15 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  %b16 = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %r16 = ttl.pipe_recv #ttl.pipe<[16, 0] -> [0, 0] to [1, 1]>, %b16 : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %r16 : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
}

// -----

// The operation's semaphores 0 to 14 leave one id for a pipe, which needs two.
// expected-error @+1 {{the pipes of this module need 2 semaphores per core (1 mailboxes, 1 completion counter(s)) besides the operation's 15 ttl.Semaphore(s), but a core has 16; use fewer pipes that share a core}}
module {
func.func @crowded(%v: i32) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  ttl.semaphore_set 14, %v
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
}

// -----

// Two families joined by their common member (0, 0) -> (1..2, 0): the
// first's (2, 0) -> (3..4, 0) and the second's (3, 0) -> (4..5, 0) would
// share a mailbox on core (4, 0).
// expected-error @+1 {{pipes #ttl.pipe<[2, 0] -> [3, 0] to [5, 1]> and #ttl.pipe<[3, 0] -> [4, 0] to [6, 1]> are one channel of this module (a pipe family joins the pipes it holds) but share a destination, so they cannot share its semaphores; name them in separate PipeNets}}
module {
func.func @overlapping_families() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 6, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %t0 = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [3, 1] repeat [2, 1] step [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t0 : !ttl.transfer_handle<pipe_send>
  %t1 = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [3, 1] repeat [2, 1] step [3, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t1 : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
}
