// RUN: ttlx-opt %s -split-input-file -verify-diagnostics
// Each ttl.wait_any verifier message.

!dfb = !ttl.dfb<[1, 1], bf16, 1>
!blk = tensor<1x1x!ttl.tile<bf16>>
!rx = !ttl.transfer_handle<pipe_recv>

// No candidates.
func.func @empty(%s: index) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  // expected-error @+1 {{'ttl.wait_any' op needs at least one receive request}}
  %sel = "ttl.wait_any"(%s) : (index) -> index
  return
}

// -----

!dfb = !ttl.dfb<[1, 1], bf16, 1>
!blk = tensor<1x1x!ttl.tile<bf16>>

// A tensor read is not a pipe receive.
func.func @not_a_receive(%t: tensor<32x32xbf16>, %s: index) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %xf = ttl.copy_to_block %t[%c0, %c0], %b : tensor<32x32xbf16>, !blk
  // expected-error @+1 {{'ttl.wait_any' op request 0 must be a pipe receive (the handle of 'ttl.pipe_recv'), but it is}}
  %sel = ttl.wait_any %xf start %s : !ttl.transfer_handle<read>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !dfb
  return
}

// -----

!dfb = !ttl.dfb<[1, 1], bf16, 1>
!blk = tensor<1x1x!ttl.tile<bf16>>
!rx = !ttl.transfer_handle<pipe_recv>

func.func @twice(%s: index) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %r = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %b : !blk
  // expected-error @+1 {{'ttl.wait_any' op requests 0 and 1 are the same receive; pass each once}}
  %sel = ttl.wait_any %r, %r start %s : !rx, !rx
  ttl.wait %r : !rx
  ttl.dfb_push %d : !dfb
  return
}

// -----

!dfb = !ttl.dfb<[1, 1], bf16, 2>
!blk = tensor<1x1x!ttl.tile<bf16>>
!rx = !ttl.transfer_handle<pipe_recv>

// Two receives of one pipe arrive in order.
func.func @same_pipe(%s: index) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !dfb
  %a = ttl.dfb_reserve %d : !dfb
  %ra = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %a : !blk
  %b = ttl.dfb_reserve %d : !dfb
  %rb = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %b : !blk
  // expected-error @+1 {{'ttl.wait_any' op requests 0 and 1 receive from the same pipe, which delivers in order; wait for them one after the other}}
  %sel = ttl.wait_any %ra, %rb start %s : !rx, !rx
  ttl.wait %ra : !rx
  ttl.wait %rb : !rx
  ttl.dfb_push %d : !dfb
  ttl.dfb_push %d : !dfb
  return
}

// -----

!dfb = !ttl.dfb<[1, 1], bf16, 1>
!blk = tensor<1x1x!ttl.tile<bf16>>
!rx = !ttl.transfer_handle<pipe_recv>

// The receive is posted outside the loop that selects among it.
func.func @other_block(%s: index) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %r = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %b : !blk
  scf.for %i = %c0 to %c2 step %c1 {
    // expected-error @+1 {{'ttl.wait_any' op request 0 is posted in another block; post the receives in the loop body or branch of 'ttl.wait_any'}}
    %sel = ttl.wait_any %r start %s : !rx
  }
  ttl.wait %r : !rx
  ttl.dfb_push %d : !dfb
  return
}

// -----

!dfb = !ttl.dfb<[1, 1], bf16, 1>
!blk = tensor<1x1x!ttl.tile<bf16>>
!rx = !ttl.transfer_handle<pipe_recv>

func.func @already_waited(%s: index) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !dfb
  %b = ttl.dfb_reserve %d : !dfb
  %r = ttl.pipe_recv #ttl.pipe<[1, 0] -> [0, 0] to [1, 1]>, %b : !blk
  ttl.wait %r : !rx
  // expected-error @+1 {{'ttl.wait_any' op request 0 is waited before it; 'ttl.wait_any' selects among receives still pending}}
  %sel = ttl.wait_any %r start %s : !rx
  ttl.dfb_push %d : !dfb
  return
}

// -----

func.func @on_compute(%s: index) attributes {ttl.thread = #ttl.thread<compute>, ttl.grid = array<i64: 2, 1>} {
  // expected-error @+1 {{'ttl.wait_any' op waits for pipe receives, which data-movement threads make, but the enclosing function is a compute thread}}
  %sel = "ttl.wait_any"(%s) : (index) -> index
  return
}
