// RUN: ttlx-opt %s -split-input-file -verify-diagnostics
// ttl.read_index follows the rules of element access.

// Data-movement threads only.
func.func @read_index_in_compute() attributes {ttl.thread = #ttl.thread<compute>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.read_index' op is only allowed in data-movement threads, but the enclosing function is a compute thread; move the element access to a data-movement thread}}
  %i = ttl.read_index %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> index
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// The block comes from a DFB acquire.
func.func @read_index_block_arg(%b: tensor<1x1x!ttl.tile<f32>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but it is a block argument}}
  %i = ttl.read_index %b[%c0, %c0] : tensor<1x1x!ttl.tile<f32>> -> index
  return
}

// -----

// Constant coordinates inside the block.
func.func @read_index_out_of_range() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{row index 32 is out of range [0, 32) for a block of 1x1 tiles}}
  %i = ttl.read_index %b[%c32, %c0] : tensor<1x1x!ttl.tile<bf16>> -> index
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
