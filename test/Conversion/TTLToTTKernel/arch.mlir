// RUN: ttlx-opt %s -pass-pipeline='builtin.module(ttl-to-ttkernel{arch=blackhole})' | FileCheck %s
// RUN: ttlx-opt %s -pass-pipeline='builtin.module(ttl-to-emitc{arch=blackhole})' | FileCheck %s --check-prefix=EMITC
// RUN: not ttlx-opt %s -ttl-to-ttkernel 2>&1 | FileCheck %s --check-prefix=WORMHOLE
// The pipelines take the architecture: DFB 40 exists on blackhole only.

// CHECK-LABEL: func.func @dfb_40
// CHECK: ttkernel.get_compile_time_arg_val 40 : !ttkernel.cb
// EMITC: call_opaque "get_compile_time_arg_val"() {args = [40 : i32]}
// WORMHOLE: error: 'ttl.bind_dfb' op binds DFB 40, but a wormhole_b0 core has 32 DFBs (0 to 31)
func.func @dfb_40() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 40 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
