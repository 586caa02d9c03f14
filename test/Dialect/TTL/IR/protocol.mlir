// RUN: ttlx-opt %s | FileCheck %s
// Protocol uses the verifier accepts.

// Reserve and push in every iteration; a repeated wait is the same block.
// CHECK-LABEL: func.func @loop_producer
func.func @loop_producer() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %out = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  scf.for %i = %c0 to %c4 step %c1 {
    %a = ttl.dfb_wait %in : !ttl.dfb<[1, 1], bf16, 2>
    %b = ttl.dfb_wait %in : !ttl.dfb<[1, 1], bf16, 2>
    %r = ttl.dfb_reserve %out : !ttl.dfb<[1, 1], bf16, 2>
    %v = ttl.element_read %b[%c0, %i] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    ttl.element_write %r[%c0, %i], %v : tensor<1x1x!ttl.tile<bf16>>, bf16
    ttl.dfb_push %out : !ttl.dfb<[1, 1], bf16, 2>
    ttl.dfb_pop %in : !ttl.dfb<[1, 1], bf16, 2>
  }
  return
}

// A block held across a branch that releases it on both paths.
// CHECK-LABEL: func.func @release_in_branches
func.func @release_in_branches(%c: i1) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], f32, 2>
  scf.if %c {
    ttl.dfb_pop %d : !ttl.dfb<[1, 1], f32, 2>
  } else {
    ttl.dfb_pop %d : !ttl.dfb<[1, 1], f32, 2>
  }
  return
}

// Accumulating into the DFB a thread reads (tt-lang's K loop): the waited
// previous block and the reserved next one are held at once (two blocks).
// CHECK-LABEL: func.func @accumulate
func.func @accumulate() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %prev = ttl.dfb_wait %d : !ttl.dfb<[1, 1], f32, 2>
  %next = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], f32, 2>
  %sum = ttl.add %prev, %prev : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<f32>>
  ttl.store %sum, %next : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], f32, 2>
  return
}
