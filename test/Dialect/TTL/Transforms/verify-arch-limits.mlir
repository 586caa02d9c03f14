// RUN: ttlx-opt %s -split-input-file -ttl-verify-arch-limits -verify-diagnostics
// RUN: ttlx-opt %s -split-input-file -ttl-verify-arch-limits=arch=wormhole_b0 -verify-diagnostics
// RUN: ttlx-opt %s -split-input-file -ttl-verify-arch-limits=arch=blackhole | FileCheck %s --check-prefix=BLACKHOLE
// RUN: not ttlx-opt %s -split-input-file -ttl-verify-arch-limits=arch=grayskull 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// DFBs per core: 32 on wormhole_b0 (the default), 64 on blackhole.

// BLACKHOLE-LABEL: func.func @last_wormhole_dfb
// BLACKHOLE: ttl.bind_dfb 31
func.func @last_wormhole_dfb() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 31 : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// BLACKHOLE-LABEL: func.func @thirty_third_dfb
// BLACKHOLE: ttl.bind_dfb 32
// BLACKHOLE: ttl.bind_dfb 63
// UNKNOWN: error: unknown architecture 'grayskull'; use wormhole_b0 or blackhole
func.func @thirty_third_dfb() attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.bind_dfb' op binds DFB 32, but a wormhole_b0 core has 32 DFBs (0 to 31); use fewer DFBs, or target blackhole (64 DFBs: --arch blackhole or TTLX_ARCH=blackhole)}}
  %d = ttl.bind_dfb 32 : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.bind_dfb 63 : !ttl.dfb<[1, 1], bf16, 2>
  return
}
