// RUN: ttlx-opt %s -split-input-file -ttl-verify-dfb-protocol | FileCheck %s
// DFB protocol uses the check accepts (it changes nothing). The effects of a
// user C++ call count pages as tt-metal does: a wait or reserve of n pages
// holds the first n from the DFB's front / back, a pop or push of k hands
// over the first k of them.

// CHECK-LABEL: func.func @effects_with_kernel_code
// Balanced with kernel code: the C++ pushes the block the kernel reserved;
// it waits for two one-page blocks at once and pops them one by one, then
// waits for one more, which the kernel pops.
func.func @effects_with_kernel_code() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  ttl.opaque_call "publish" header "/x/publish.hpp" template_args [] effects ["push"] [1] (%d : !ttl.dfb<[1, 1], bf16, 2>) ()
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["wait", "pop", "pop", "wait"] [2, 1, 1, 1] (%e, %e, %e, %e : !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>, !ttl.dfb<[1, 1], bf16, 2>) ()
  ttl.dfb_pop %e : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// CHECK-LABEL: func.func @waits_count_from_the_front
// Waiting again for pages already waited for holds the same pages (tt-lang's
// repeated cb_wait_front of a block it inspects): one pop releases them.
func.func @waits_count_from_the_front() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], f32, 1>
  ttl.opaque_call "inspect" header "/x/inspect.hpp" template_args [] effects ["wait"] [2] (%d : !ttl.dfb<[1, 2], f32, 1>) ()
  ttl.opaque_call "inspect" header "/x/inspect.hpp" template_args [] effects ["wait"] [2] (%d : !ttl.dfb<[1, 2], f32, 1>) ()
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["pop"] [2] (%d : !ttl.dfb<[1, 2], f32, 1>) ()
  return
}

// -----

// CHECK-LABEL: func.func @kernel_block_then_call_pops_it
// The kernel's waited block (two pages) is popped by the C++ after the
// kernel last reads it.
func.func @kernel_block_then_call_pops_it() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 2>
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x2x!ttl.tile<bf16>> -> bf16
  ttl.opaque_call "drain" header "/x/drain.hpp" template_args [] effects ["pop", "pop"] [1, 1] (%d, %d : !ttl.dfb<[1, 2], bf16, 2>, !ttl.dfb<[1, 2], bf16, 2>) ()
  return
}
