// RUN: ttlx-opt %s -split-input-file -verify-diagnostics

// The elements of row-major blocks are bf16 or f32 only.
// expected-error @+1 {{element type must be bf16 or f32, but got 'i32'}}
func.func @element_i32(%b: tensor<1x8x!ttl.element<i32>>)

// -----

// A row-major DFB's shape counts elements, so one dimension is fine; they
// must be positive.
// expected-error @+1 {{DFB block shape must be positive, but is [0]}}
func.func @row_major_zero(%d: !ttl.dfb<[0], bf16, 2, row_major>)

// -----

// A row-major tensor copied with a tiled DFB's block.
func.func @layouts_differ(%x: tensor<64x64xbf16, #ttl.layout<row_major>>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.copy_to_block' op row-major tensor copied with a block of a tiled DFB; a tensor's layout and its DFBs' must be the same}}
  %h = ttl.copy_to_block %x[%c0, %c0], %b : tensor<64x64xbf16, #ttl.layout<row_major>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A tiled tensor copied with a row-major DFB's block.
func.func @tiled_tensor(%x: tensor<64x64xbf16>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 8], bf16, 2, row_major>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  // expected-error @+1 {{'ttl.copy_to_block' op tiled tensor copied with a block of a row-major DFB; a tensor's layout and its DFBs' must be the same}}
  %h = ttl.copy_to_block %x[%c0, %c0], %b : tensor<64x64xbf16>, tensor<2x8x!ttl.element<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  return
}

// -----

// The block's elements must fit in the tensor's.
func.func @too_wide(%x: tensor<6x40xbf16, #ttl.layout<row_major>>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 48], bf16, 2, row_major>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 48], bf16, 2, row_major>
  // expected-error @+1 {{'ttl.copy_to_block' op block of 1x48 elements does not fit in a tensor of 6x40 elements}}
  %h = ttl.copy_to_block %x[%c0, %c0], %b : tensor<6x40xbf16, #ttl.layout<row_major>>, tensor<1x48x!ttl.element<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 48], bf16, 2, row_major>
  return
}

// -----

// A constant start past the last one a block of this shape can take.
func.func @start_out_of_range(%x: tensor<6x40xbf16, #ttl.layout<row_major>>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c24 = arith.constant 24 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 20], bf16, 2, row_major>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[2, 20], bf16, 2, row_major>
  // expected-error @+1 {{'ttl.copy_to_block' op dimension 1 index 24 is out of range [0, 21) for a slice of 2x20 elements}}
  %h = ttl.copy_to_block %x[%c0, %c24], %b : tensor<6x40xbf16, #ttl.layout<row_major>>, tensor<2x20x!ttl.element<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[2, 20], bf16, 2, row_major>
  return
}

// -----

// Elementwise math and shape views take row-major blocks; the ops that
// move elements across rows by tile do not.
func.func @transpose_of_row_major() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 8], bf16, 2, row_major>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  // expected-error @+1 {{'ttl.transpose' op operand #0 must be block (static tensor of !ttl.tile with at least 2 dimensions)}}
  %t = ttl.transpose %b : tensor<2x8x!ttl.element<bf16>> -> tensor<8x2x!ttl.element<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  return
}

// -----

// A row-major and a tiled block in one elementwise op: their elements lie
// in different orders.
func.func @mixed_layouts(%t: tensor<2x8x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 8], bf16, 2, row_major>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  // expected-error @+1 {{'ttl.add' op operand type 'tensor<2x8x!ttl.tile<bf16>>' does not match the result type 'tensor<2x8x!ttl.element<bf16>>'; broadcast it first}}
  %s = ttl.add %b, %t : tensor<2x8x!ttl.element<bf16>>, tensor<2x8x!ttl.tile<bf16>> -> tensor<2x8x!ttl.element<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  return
}

// -----

// Element coordinates of a row-major block count its leading rows and its
// last extent in elements.
func.func @element_out_of_row_major() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 8], bf16, 2, row_major>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  // expected-error @+1 {{'ttl.element_read' op column index 8 is out of range [0, 8) for a block of 2x8 elements}}
  %v = ttl.element_read %b[%c0, %c8] : tensor<2x8x!ttl.element<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[2, 8], bf16, 2, row_major>
  return
}

// -----

// tilize_block takes whole 32x32 tiles: the row-major block's last two
// dimensions are multiples of 32.
func.func @tilize_partial_tiles() attributes {ttl.thread = #ttl.thread<compute>} {
  %r = ttl.bind_dfb 0 : !ttl.dfb<[20, 64], bf16, 2, row_major>
  %t = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 1>
  %rb = ttl.dfb_wait %r : !ttl.dfb<[20, 64], bf16, 2, row_major>
  %tb = ttl.dfb_reserve %t : !ttl.dfb<[1, 2], bf16, 1>
  // expected-error @+1 {{'ttl.tilize' op row-major block 'tensor<20x64x!ttl.element<bf16>>' must have at least 2 dimensions, the last two multiples of 32 (whole tiles)}}
  ttl.tilize %rb, %tb : tensor<20x64x!ttl.element<bf16>>, tensor<1x2x!ttl.tile<bf16>>
  ttl.dfb_push %t : !ttl.dfb<[1, 2], bf16, 1>
  ttl.dfb_pop %r : !ttl.dfb<[20, 64], bf16, 2, row_major>
  return
}

// -----

// The tiled block holds the same matrix as the row-major one.
func.func @tilize_shape() attributes {ttl.thread = #ttl.thread<compute>} {
  %r = ttl.bind_dfb 0 : !ttl.dfb<[32, 64], bf16, 2, row_major>
  %t = ttl.bind_dfb 1 : !ttl.dfb<[2, 1], bf16, 1>
  %rb = ttl.dfb_wait %r : !ttl.dfb<[32, 64], bf16, 2, row_major>
  %tb = ttl.dfb_reserve %t : !ttl.dfb<[2, 1], bf16, 1>
  // expected-error @+1 {{'ttl.tilize' op row-major block 'tensor<32x64x!ttl.element<bf16>>' holds 'tensor<1x2x!ttl.tile<bf16>>', but the tiled block is 'tensor<2x1x!ttl.tile<bf16>>'}}
  ttl.tilize %rb, %tb : tensor<32x64x!ttl.element<bf16>>, tensor<2x1x!ttl.tile<bf16>>
  ttl.dfb_push %t : !ttl.dfb<[2, 1], bf16, 1>
  ttl.dfb_pop %r : !ttl.dfb<[32, 64], bf16, 2, row_major>
  return
}

// -----

// Tilize moves elements without converting them.
func.func @tilize_types() attributes {ttl.thread = #ttl.thread<compute>} {
  %r = ttl.bind_dfb 0 : !ttl.dfb<[32, 32], f32, 2, row_major>
  %t = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
  %rb = ttl.dfb_wait %r : !ttl.dfb<[32, 32], f32, 2, row_major>
  %tb = ttl.dfb_reserve %t : !ttl.dfb<[1, 1], bf16, 1>
  // expected-error @+1 {{'ttl.tilize' op converts between blocks of one data type, but they are 'tensor<32x32x!ttl.element<f32>>' and 'tensor<1x1x!ttl.tile<bf16>>'}}
  ttl.tilize %rb, %tb : tensor<32x32x!ttl.element<f32>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %t : !ttl.dfb<[1, 1], bf16, 1>
  ttl.dfb_pop %r : !ttl.dfb<[32, 32], f32, 2, row_major>
  return
}

// -----

// tilize_block unpacks a waited block.
func.func @tilize_reserved_input() attributes {ttl.thread = #ttl.thread<compute>} {
  %r = ttl.bind_dfb 0 : !ttl.dfb<[32, 32], bf16, 2, row_major>
  %t = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
  %rb = ttl.dfb_reserve %r : !ttl.dfb<[32, 32], bf16, 2, row_major>
  %tb = ttl.dfb_reserve %t : !ttl.dfb<[1, 1], bf16, 1>
  // expected-error @+1 {{'ttl.tilize' op input must be a block from 'ttl.dfb_wait' (tilize_block unpacks from a CB), but it is the result of 'ttl.dfb_reserve'; store the expression into a DFB first}}
  ttl.tilize %rb, %tb : tensor<32x32x!ttl.element<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %t : !ttl.dfb<[1, 1], bf16, 1>
  ttl.dfb_push %r : !ttl.dfb<[32, 32], bf16, 2, row_major>
  return
}

// -----

// tilize_block packs into reserved tiles.
func.func @tilize_waited_output() attributes {ttl.thread = #ttl.thread<compute>} {
  %r = ttl.bind_dfb 0 : !ttl.dfb<[32, 32], bf16, 2, row_major>
  %t = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
  %rb = ttl.dfb_wait %r : !ttl.dfb<[32, 32], bf16, 2, row_major>
  %tb = ttl.dfb_wait %t : !ttl.dfb<[1, 1], bf16, 1>
  // expected-error @+1 {{'ttl.tilize' op destination must be a block from 'ttl.dfb_reserve', but it is the result of 'ttl.dfb_wait'}}
  ttl.tilize %rb, %tb : tensor<32x32x!ttl.element<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %t : !ttl.dfb<[1, 1], bf16, 1>
  ttl.dfb_pop %r : !ttl.dfb<[32, 32], bf16, 2, row_major>
  return
}

// -----

// Untilize moves blocks from a tiled DFB into a row-major one.
func.func @untilize_layouts() attributes {ttl.thread = #ttl.thread<compute>} {
  %a = ttl.bind_dfb 0 : !ttl.dfb<[32, 32], bf16, 1, row_major>
  %b = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
  // expected-error @+1 {{'ttl.untilize' op moves blocks of a tiled DFB into a row-major one, but they are '!ttl.dfb<[32, 32], bf16, 1, row_major>' and '!ttl.dfb<[1, 1], bf16, 1>'}}
  ttl.untilize %a, %b : !ttl.dfb<[32, 32], bf16, 1, row_major>, !ttl.dfb<[1, 1], bf16, 1>
  return
}

// -----

// The row-major DFB's blocks hold the tiled DFB's blocks' elements.
func.func @untilize_shape() attributes {ttl.thread = #ttl.thread<compute>} {
  %a = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 1>
  %b = ttl.bind_dfb 1 : !ttl.dfb<[64, 32], bf16, 1, row_major>
  // expected-error @+1 {{'ttl.untilize' op row-major block 'tensor<64x32x!ttl.element<bf16>>' holds 'tensor<2x1x!ttl.tile<bf16>>', but the tiled block is 'tensor<1x2x!ttl.tile<bf16>>'}}
  ttl.untilize %a, %b : !ttl.dfb<[1, 2], bf16, 1>, !ttl.dfb<[64, 32], bf16, 1, row_major>
  return
}
