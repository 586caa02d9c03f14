// RUN: ttlx-opt %s -split-input-file -verify-diagnostics

// Only dimensions of extent 1 can be removed.
func.func @squeeze_extent(%x: tensor<2x1x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.squeeze' op removes dimension 0 of extent 2; only dimensions of extent 1 can be removed}}
  %s = ttl.squeeze %x, dims = [0] : tensor<2x1x3x!ttl.tile<bf16>> -> tensor<1x3x!ttl.tile<bf16>>
  return
}

// -----

// Squeeze dims index the input's dimensions.
func.func @squeeze_range(%x: tensor<1x2x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.squeeze' op dimension 3 is out of range for an input of 3 dimensions}}
  %s = ttl.squeeze %x, dims = [3] : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<bf16>>
  return
}

// -----

// Unsqueeze dims index the result's dimensions.
func.func @unsqueeze_range(%x: tensor<2x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.unsqueeze' op dimension -4 is out of range for a result of 3 dimensions}}
  %u = ttl.unsqueeze %x, dims = [-4] : tensor<2x3x!ttl.tile<bf16>> -> tensor<1x2x3x!ttl.tile<bf16>>
  return
}

// -----

func.func @squeeze_twice(%x: tensor<1x1x2x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.squeeze' op lists dimension 0 twice}}
  %s = ttl.squeeze %x, dims = [0, -4] : tensor<1x1x2x3x!ttl.tile<bf16>> -> tensor<1x2x3x!ttl.tile<bf16>>
  return
}

// -----

// The result is the input without the listed dimensions.
func.func @squeeze_result(%x: tensor<1x2x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.squeeze' op of 'tensor<1x2x3x!ttl.tile<bf16>>' by dims [0] gives a block of 2x3 tiles, not 3x2}}
  %s = ttl.squeeze %x, dims = [0] : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<3x2x!ttl.tile<bf16>>
  return
}

// -----

// The result has 1 at the listed dimensions and the input's elsewhere.
func.func @unsqueeze_result(%x: tensor<2x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.unsqueeze' op of 'tensor<2x3x!ttl.tile<bf16>>' by dims [0] gives a block of 1x2x3 tiles, not 2x1x3}}
  %u = ttl.unsqueeze %x, dims = [0] : tensor<2x3x!ttl.tile<bf16>> -> tensor<2x1x3x!ttl.tile<bf16>>
  return
}

// -----

func.func @unsqueeze_rank(%x: tensor<2x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.unsqueeze' op of 'tensor<2x3x!ttl.tile<bf16>>' by dims [0] gives a block of 1x2x3 tiles, not 1x1x2x3}}
  %u = ttl.unsqueeze %x, dims = [0] : tensor<2x3x!ttl.tile<bf16>> -> tensor<1x1x2x3x!ttl.tile<bf16>>
  return
}

// -----

func.func @view_tile_type(%x: tensor<1x2x3x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.squeeze' op changes the tile type from '!ttl.tile<bf16>' to '!ttl.tile<f32>'}}
  %s = ttl.squeeze %x, dims = [0] : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<f32>>
  return
}

// -----

// Views are tile math: compute threads only.
func.func @view_in_dm(%x: tensor<1x2x3x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.squeeze' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %s = ttl.squeeze %x, dims = [0] : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<bf16>>
  return
}
