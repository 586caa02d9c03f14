// RUN: ttlx-opt %s -split-input-file -ttl-decompose-engram -verify-diagnostics

func.func @gate_result_not_stored() attributes {ttl.thread = #ttl.thread<compute>} {
  %dk = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %k = ttl.dfb_wait %dk : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], f32, 2>
  // expected-error @+1 {{'ttl.engram_gate' op result must be stored directly with 'ttl.store' (the compiler schedules the gate around that store)}}
  %g = ttl.engram_gate %k, %k, %k, %k, %k {eps = 1.0e-6 : f32, scale = 1.0 : f32} : tensor<1x1x!ttl.tile<f32>>
  %e = ttl.exp %g : tensor<1x1x!ttl.tile<f32>>
  ttl.store %e, %o : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %dk : !ttl.dfb<[1, 1], f32, 2>
  return
}
