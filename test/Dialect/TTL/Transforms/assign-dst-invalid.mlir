// RUN: ttlx-opt %s -split-input-file -ttl-assign-dst -verify-diagnostics

// e0 + (e1 + (... + e8)) keeps 9 DST tiles live; DST holds 8 (16-bit DST).
func.func @nine_live_tiles() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e0 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e1 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e2 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e3 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e4 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e5 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e6 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e7 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e8 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %s7 = ttl.add %e7, %e8 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s6 = ttl.add %e6, %s7 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s5 = ttl.add %e5, %s6 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s4 = ttl.add %e4, %s5 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s3 = ttl.add %e3, %s4 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s2 = ttl.add %e2, %s3 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s1 = ttl.add %e1, %s2 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s0 = ttl.add %e0, %s1 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.store' op needs 9 DST tiles at once, but DST holds 8 (16-bit DST); store part of the expression into a DFB first}}
  ttl.store %s0, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// e0 + (e1 + (... + e4)) keeps 5 DST tiles live; DST holds 4 (fp32 accumulation).
func.func @five_live_tiles_fp32() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e0 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e1 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e2 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e3 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %e4 = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %s3 = ttl.add %e3, %e4 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s2 = ttl.add %e2, %s3 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s1 = ttl.add %e1, %s2 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s0 = ttl.add %e0, %s1 : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.store' op needs 5 DST tiles at once, but DST holds 4 (fp32 accumulation); store part of the expression into a DFB first}}
  ttl.store %s0, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Tile math only evaluates over DFB blocks.
func.func @store_of_argument(%x: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %x : tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.store' op can only evaluate TTL tile math on DFB blocks, but an operand is a block argument}}
  ttl.store %e, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A tile program reads each operand from one CB, known when compiling.
func.func @operand_from_two_dfbs(%c: i1) attributes {ttl.thread = #ttl.thread<compute>} {
  %d0 = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %d1 = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d1 : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %x = scf.if %c -> (tensor<1x1x!ttl.tile<bf16>>) {
    scf.yield %a : tensor<1x1x!ttl.tile<bf16>>
  } else {
    scf.yield %b : tensor<1x1x!ttl.tile<bf16>>
  }
  %e = ttl.exp %x : tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.store' op reads a block that comes from different DFBs on different paths; a tile program reads each operand from one circular buffer}}
  ttl.store %e, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %d1 : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %d0 : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A squeeze in a tile program reads a DFB block's tiles: not an expression.
func.func @squeeze_of_expression() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.squeeze' op in a tile program reads the tiles of a DFB block, but its input is the result of 'ttl.exp'; store the expression into a DFB first}}
  %s = ttl.squeeze %e, dims = [0] : tensor<1x1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %s, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1, 1], bf16, 2>
  return
}
