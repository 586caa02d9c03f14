// RUN: ttlx-opt %s -split-input-file -verify-diagnostics

// A copy takes one index per tensor dimension.
func.func @copy_index_count(%t: tensor<2x32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{takes one index per tensor dimension (3), but has 2}}
  %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<2x32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A batch dimension of the block larger than the tensor's.
func.func @copy_batch_too_large(%t: tensor<2x32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[3, 1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[3, 1, 1], bf16, 2>
  // expected-error @+1 {{block of 3x1x1 tiles does not fit in a tensor of 2x1x1 tiles}}
  %h = ttl.copy_to_block %t[%c0, %c0, %c0], %b : tensor<2x32x32xbf16>, tensor<3x1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[3, 1, 1], bf16, 2>
  return
}

// -----

// A block of higher rank than the tensor: its extra leading dimensions must be 1.
func.func @copy_block_rank(%t: tensor<64x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 1, 1], bf16, 2>
  // expected-error @+1 {{block of 2x1x1 tiles does not fit in a tensor of 2x1 tiles}}
  %h = ttl.copy_to_tensor %b, %t[%c0, %c0] : tensor<2x1x1x!ttl.tile<bf16>>, tensor<64x32xbf16>
  ttl.wait %h : !ttl.transfer_handle<write>
  ttl.dfb_pop %d : !ttl.dfb<[2, 1, 1], bf16, 2>
  return
}

// -----

// A constant batch index past the tensor.
func.func @copy_batch_index(%t: tensor<2x32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1, 1], bf16, 2>
  // expected-error @+1 {{dimension 0 index 2 is out of range [0, 2) for a slice of 1x1x1 tiles}}
  %h = ttl.copy_to_block %t[%c2, %c0, %c0], %b : tensor<2x32x32xbf16>, tensor<1x1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1, 1], bf16, 2>
  return
}

// -----

// N-d tensors hold whole tiles in their last two dimensions.
func.func @copy_nd_partial_tiles(%t: tensor<2x32x30xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1, 1], bf16, 2>
  // expected-error @+1 {{DRAM tensor shape 2x32x30 is not a whole number of 32x32 tiles}}
  %h = ttl.copy_to_block %t[%c0, %c0, %c0], %b : tensor<2x32x30xbf16>, tensor<1x1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1, 1], bf16, 2>
  return
}

// -----

// Broadcasts inside tiles (row, column, scalar) take 2-d blocks.
func.func @broadcast_nd(%a: tensor<2x1x1x!ttl.tile<bf16>>) -> tensor<2x1x2x!ttl.tile<bf16>> {
  // expected-error @+1 {{operand #0 must be block (2-d static tensor of !ttl.tile)}}
  %t = ttl.broadcast %a row : tensor<2x1x1x!ttl.tile<bf16>> -> tensor<2x1x2x!ttl.tile<bf16>>
  return %t : tensor<2x1x2x!ttl.tile<bf16>>
}

// -----

// A transpose runs batch by batch: the leading dimensions stay.
func.func @transpose_nd(%a: tensor<2x1x3x!ttl.tile<bf16>>) -> tensor<3x1x2x!ttl.tile<bf16>> {
  // expected-error @+1 {{'ttl.transpose' op of 'tensor<2x1x3x!ttl.tile<bf16>>' gives 'tensor<2x3x1x!ttl.tile<bf16>>', but the result is 'tensor<3x1x2x!ttl.tile<bf16>>'}}
  %t = ttl.transpose %a : tensor<2x1x3x!ttl.tile<bf16>> -> tensor<3x1x2x!ttl.tile<bf16>>
  return %t : tensor<3x1x2x!ttl.tile<bf16>>
}

// -----

// A reduction runs batch by batch: the leading dimensions stay.
func.func @reduce_nd(%a: tensor<2x2x3x!ttl.tile<bf16>>, %s: tensor<1x1x!ttl.tile<bf16>>) -> tensor<1x2x1x!ttl.tile<bf16>> {
  // expected-error @+1 {{'ttl.reduce_sum' op row reduction of 2x2x3 tiles gives 2x2x1 tiles, but the result has 1x2x1}}
  %r = ttl.reduce_sum %a, %s row : tensor<2x2x3x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x2x1x!ttl.tile<bf16>>
  return %r : tensor<1x2x1x!ttl.tile<bf16>>
}

// -----

// A batched matmul multiplies batch by batch: the leading dimensions agree.
func.func @matmul_batches(%a: tensor<2x1x1x!ttl.tile<bf16>>, %b: tensor<3x1x1x!ttl.tile<bf16>>) -> tensor<2x1x1x!ttl.tile<bf16>> {
  // expected-error @+1 {{operands and result must have the same leading (batch) dimensions, but their types are 'tensor<2x1x1x!ttl.tile<bf16>>', 'tensor<3x1x1x!ttl.tile<bf16>>' and 'tensor<2x1x1x!ttl.tile<bf16>>'}}
  %m = ttl.matmul %a, %b : tensor<2x1x1x!ttl.tile<bf16>>, tensor<3x1x1x!ttl.tile<bf16>> -> tensor<2x1x1x!ttl.tile<bf16>>
  return %m : tensor<2x1x1x!ttl.tile<bf16>>
}

// -----

// broadcast_tiles replicates along leading dimensions of extent 1 only.
func.func @broadcast_tiles_inner(%a: tensor<1x1x1x!ttl.tile<bf16>>) -> tensor<1x1x2x!ttl.tile<bf16>> {
  // expected-error @+1 {{replicates tiles along leading dimensions of extent 1 only: 'tensor<1x1x1x!ttl.tile<bf16>>' cannot become 'tensor<1x1x2x!ttl.tile<bf16>>'}}
  %b = ttl.broadcast_tiles %a : tensor<1x1x1x!ttl.tile<bf16>> -> tensor<1x1x2x!ttl.tile<bf16>>
  return %b : tensor<1x1x2x!ttl.tile<bf16>>
}

// -----

func.func @broadcast_tiles_extent(%a: tensor<2x1x1x!ttl.tile<bf16>>) -> tensor<3x1x1x!ttl.tile<bf16>> {
  // expected-error @+1 {{replicates tiles along leading dimensions of extent 1 only: 'tensor<2x1x1x!ttl.tile<bf16>>' cannot become 'tensor<3x1x1x!ttl.tile<bf16>>'}}
  %b = ttl.broadcast_tiles %a : tensor<2x1x1x!ttl.tile<bf16>> -> tensor<3x1x1x!ttl.tile<bf16>>
  return %b : tensor<3x1x1x!ttl.tile<bf16>>
}
