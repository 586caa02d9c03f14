// RUN: ttlx-opt %s -split-input-file -ttl-verify-dfb-protocol -verify-diagnostics
// RUN: ttlx-opt %s -split-input-file -ttl-to-ttkernel -verify-diagnostics
// DFB protocol misuse visible inside one thread function.

func.func @push_without_reserve() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.dfb_push' op pushes a DFB that holds no reserved block; call 'ttl.dfb_reserve' first}}
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @pop_without_wait() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.dfb_pop' op pops a DFB that holds no waited block; call 'ttl.dfb_wait' first}}
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @pop_a_reserved_block() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.dfb_pop' op releases a block obtained with 'ttl.dfb_reserve'; use 'ttl.dfb_push' instead}}
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @produce_and_consume_one_block() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 1>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 1>
  // expected-error @+1 {{'ttl.dfb_wait' op acquires the one block of a DFB this thread already holds through 'ttl.dfb_reserve', which can never complete; give the DFB two blocks (block_count=2)}}
  %w = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 1>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 1>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 1>
  return
}

// -----

func.func @read_after_pop() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-note @+1 {{released here}}
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.element_read' op uses a block after its DFB was popped; use the block before releasing it}}
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  return
}

// -----

// A use nested in a loop after the push is caught too.
func.func @write_after_push_in_loop(%v: f32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], f32, 2>
  // expected-note @+1 {{released here}}
  ttl.dfb_push %d : !ttl.dfb<[1, 1], f32, 2>
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error @+1 {{'ttl.element_write' op uses a block after its DFB was pushed; use the block before releasing it}}
    ttl.element_write %b[%c0, %i], %v : tensor<1x1x!ttl.tile<f32>>, f32
  }
  return
}

// -----

func.func @never_popped() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.dfb_wait' op acquires a block that is never popped in this region; add 'ttl.dfb_pop'}}
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Acquired inside a loop body, so it must be released there.
func.func @never_pushed_in_loop() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error @+1 {{'ttl.dfb_reserve' op acquires a block that is never pushed in this region; add 'ttl.dfb_push'}}
    %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  }
  return
}

// -----

// A block carried through a loop is gone once its DFB is popped.
func.func @use_loop_block_after_pop() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%x = %a) -> (tensor<1x1x!ttl.tile<bf16>>) {
    scf.yield %x : tensor<1x1x!ttl.tile<bf16>>
  }
  // expected-note @+1 {{released here}}
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.element_read' op uses a block after its DFB was popped; use the block before releasing it}}
  %v = ttl.element_read %r[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  return
}

// -----

// The effects a user C++ call declares take part in order: a block its C++
// reserves must be pushed (by it or later kernel code).
func.func @effect_reserve_never_pushed() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op acquires a block that is never pushed in this region; add 'ttl.dfb_push'}}
  ttl.opaque_call "fill" header "/x/fill.hpp" template_args [] effects ["reserve"] [1] (%d : !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

func.func @effect_pop_without_wait() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op (its dfb_effects) pops a DFB that holds no waited block; call 'ttl.dfb_wait' first}}
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["pop"] [1] (%d : !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

// A C++ call pops no more pages than the thread waited for: its waits count
// pages from the DFB's front, so two waits of one page are one page.
func.func @effect_pops_more_than_waited() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op (its dfb_effects) pops 2 page(s) of a DFB of which this thread holds 1 waited page(s); wait for all of them first (a wait counts its pages from the DFB's front, not after those held)}}
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["wait", "wait", "pop"] [1, 1, 2] (%d, %d, %d : !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

// Tiles count against the block's pages: a [1, 2] block is two pages.
func.func @effect_pushes_more_than_reserved() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 2], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op (its dfb_effects) pushes 3 page(s) of a DFB of which this thread holds 2 reserved page(s); reserve for all of them first (a reserve counts its pages from the DFB's back, not after those held)}}
  ttl.opaque_call "publish" header "/x/publish.hpp" template_args [] effects ["push"] [3] (%d : !ttl.dfb<[1, 2], bf16, 2>) ()
  return
}

// -----

// Popping one of the two pages waited for leaves the other held.
func.func @effect_pops_part_of_its_wait() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op acquires a block that is never popped in this region; add 'ttl.dfb_pop'}}
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["wait", "pop"] [2, 1] (%d, %d : !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

// A C++ wait while the kernel holds a waited block is that block's pages
// (the front), not a second block: the C++ pop that follows pops the
// kernel's block.
func.func @effect_pops_the_kernels_block() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-note @+1 {{released here}}
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["wait", "pop"] [1, 1] (%d, %d : !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>) ()
  // expected-error @+1 {{'ttl.element_read' op uses a block after its DFB was popped; use the block before releasing it}}
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// ... and the kernel's own pop after it pops a block twice.
func.func @kernel_pops_what_the_call_popped() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["wait", "pop"] [1, 1] (%d, %d : !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>) ()
  // expected-error @+1 {{'ttl.dfb_pop' op pops a waited block that the dfb_effects of an earlier user C++ call already popped; release it once}}
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
