// RUN: ttlx-opt %s -split-input-file -verify-diagnostics

// Tile elements are bf16 or f32 only.
// expected-error @+1 {{tile element type must be bf16 or f32, but got 'i32'}}
func.func @tile_i32(%b: tensor<1x1x!ttl.tile<i32>>)

// -----

// DFB elements are bf16 or f32 only.
// expected-error @+1 {{DFB element type must be bf16 or f32, but got 'f16'}}
func.func @dfb_f16(%d: !ttl.dfb<[1, 1], f16, 2>)

// -----

// A DFB block has tile rows and tile columns (after any batch dimensions).
// expected-error @+1 {{DFB block shape must have at least 2 dimensions (leading dimensions, tile rows, tile columns), but has 1}}
func.func @dfb_rank1(%d: !ttl.dfb<[1], bf16, 2>)

// -----

// expected-error @+1 {{DFB block shape must be positive, but is [2, 0, 1]}}
func.func @dfb_empty_batch(%d: !ttl.dfb<[2, 0, 1], bf16, 2>)

// -----

// expected-error @+1 {{DFB block shape must be positive, but is [0, 1]}}
func.func @dfb_empty(%d: !ttl.dfb<[0, 1], bf16, 2>)

// -----

// expected-error @+1 {{DFB block count must be at least 1, but is 0}}
func.func @dfb_no_blocks(%d: !ttl.dfb<[1, 1], bf16, 0>)

// -----

// No architecture has more than 64 DFBs per core (ttl-verify-arch-limits
// checks the chosen one).
func.func @dfb_index_too_large() {
  // expected-error @+1 {{attribute 'index' failed to satisfy constraint}}
  %d = ttl.bind_dfb 64 : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// The largest index is refused by the op, not a crash of the thread's checks.
func.func @dfb_index_huge() attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.bind_dfb' op attribute 'index' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative whose maximum value is 63}}
  %a = ttl.bind_dfb 9223372036854775807 : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Two binds of an index with another result type than a DFB: the op's own
// type constraint reports it.
func.func @dfb_index_not_dfb() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %a = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.bind_dfb' op result #0 must be a dataflow buffer}}
  %b = ttl.bind_dfb 0 : i32
  return
}

// -----

// One DFB index, one type.
func.func @dfb_index_two_types() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %a = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{binds DFB 0 as '!ttl.dfb<[1, 2], bf16, 2>', but it is bound as '!ttl.dfb<[1, 1], bf16, 2>' elsewhere in this thread}}
  %b = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

// Element access needs a data-movement thread.
func.func @element_read_in_compute() attributes {ttl.thread = #ttl.thread<compute>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.element_read' op is only allowed in data-movement threads, but the enclosing function is a compute thread; move the element access to a data-movement thread}}
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A function without a thread kind is not a data-movement thread.
func.func @element_write_no_thread(%v: f32) {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], f32, 2>
  // expected-error @+1 {{'ttl.element_write' op must be inside a data-movement thread function (a function with 'ttl.thread = #ttl.thread<datamovement>')}}
  ttl.element_write %b[%c0, %c0], %v : tensor<1x1x!ttl.tile<f32>>, f32
  ttl.dfb_push %d : !ttl.dfb<[1, 1], f32, 2>
  return
}

// -----

// The block must come straight from a DFB acquire.
func.func @element_read_block_arg(%b: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but it is a block argument}}
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  return
}

// -----

func.func @element_read_block_from_op() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %b = tensor.empty() : tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but it is the result of 'tensor.empty'}}
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  return
}

// -----

// Values are typed floats of the block's element type.
func.func @element_read_wrong_type() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{value type 'f32' does not match the block's element type 'bf16'}}
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> f32
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @element_write_wrong_type(%v: bf16) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], f32, 2>
  // expected-error @+1 {{value type 'bf16' does not match the block's element type 'f32'}}
  ttl.element_write %b[%c0, %c0], %v : tensor<1x1x!ttl.tile<f32>>, bf16
  ttl.dfb_push %d : !ttl.dfb<[1, 1], f32, 2>
  return
}

// -----

// Raw integer bit patterns are not element values.
func.func @element_read_i32() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{result #0 must be bf16 or f32 scalar, but got 'i32'}}
  %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> i32
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Static coordinates are checked against the block (2x1 tiles: 64 rows).
func.func @element_read_row_out_of_range() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 1], bf16, 2>
  // expected-error @+1 {{row index 64 is out of range [0, 64) for a block of 2x1 tiles}}
  %v = ttl.element_read %b[%c64, %c0] : tensor<2x1x!ttl.tile<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[2, 1], bf16, 2>
  return
}

// -----

func.func @element_write_col_out_of_range(%v: bf16) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %cm1 = arith.constant -1 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 2], bf16, 2>
  // expected-error @+1 {{column index -1 is out of range [0, 64) for a block of 1x2 tiles}}
  ttl.element_write %b[%c0, %cm1], %v : tensor<1x2x!ttl.tile<bf16>>, bf16
  ttl.dfb_push %d : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

// A copy fills a block being produced.
func.func @copy_into_waited_block(%t: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{destination block must come from 'ttl.dfb_reserve', but it is the result of 'ttl.dfb_wait'}}
  %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A copy to DRAM reads a block of a DFB (waited, or reserved and filled).
func.func @copy_from_argument_block(%t: tensor<32x32xbf16>, %b: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{source block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but it is a block argument}}
  %h = ttl.copy_to_tensor %b, %t[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>>, tensor<32x32xbf16>
  ttl.wait %h : !ttl.transfer_handle<write>
  return
}

// -----

func.func @copy_partial_tiles(%t: tensor<30x64xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{DRAM tensor shape 30x64 is not a whole number of 32x32 tiles}}
  %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<30x64xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @copy_dtype_mismatch(%t: tensor<32x32xf32>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{tensor element type 'f32' does not match the block's element type 'bf16'}}
  %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<32x32xf32>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @copy_block_larger_than_tensor(%t: tensor<32x64xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[2, 1], bf16, 2>
  // expected-error @+1 {{block of 2x1 tiles does not fit in a tensor of 1x2 tiles}}
  %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<32x64xbf16>, tensor<2x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[2, 1], bf16, 2>
  return
}

// -----

// A 1x2 slice of a 2x2-tile tensor starts at tile column 0 at most.
func.func @copy_slice_out_of_range(%t: tensor<64x64xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 2>
  // expected-error @+1 {{tile column 1 is out of range [0, 1) for a slice of 1x2 tiles}}
  %h = ttl.copy_to_tensor %b, %t[%c0, %c1] : tensor<1x2x!ttl.tile<bf16>>, tensor<64x64xbf16>
  ttl.wait %h : !ttl.transfer_handle<write>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

func.func @copy_in_compute(%t: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<compute>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{copies run on data-movement threads, but the enclosing function is a compute thread}}
  %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Function attributes of the dialect.
// expected-error @+1 {{'ttl.thread' must be #ttl.thread<datamovement> or #ttl.thread<compute>}}
func.func @thread_string() attributes {ttl.thread = "datamovement"} {
  return
}

// -----

// expected-error @+1 {{'ttl.thread' is only valid on functions}}
module attributes {ttl.thread = #ttl.thread<compute>} {
}

// -----

// expected-error @+1 {{'ttl.grid' must be array<i64: x, y> with positive sizes}}
func.func @grid_zero() attributes {ttl.grid = array<i64: 0, 4>} {
  return
}

// -----

// expected-error @+1 {{'ttl.base_cta_index' must be a non-negative integer}}
func.func @base_negative() attributes {ttl.base_cta_index = -1} {
  return
}

// -----

// Tensor k's TensorAccessorArgs sit at compile-time argument k.
// expected-error @+1 {{has 'ttl.base_cta_index' = 1, which overlaps the TensorAccessorArgs of its 2 tensor argument(s); it must be at least 2}}
func.func @base_overlaps_tensors(%a: tensor<32x32xbf16>, %b: tensor<32x32xbf16>)
    attributes {ttl.thread = #ttl.thread<datamovement>, ttl.base_cta_index = 1} {
  return
}

// -----

// expected-error @+1 {{unknown TTL attribute 'ttl.threads'}}
func.func @unknown_attribute() attributes {ttl.threads = 1} {
  return
}

// -----

// One '{}' per argument.
func.func @dprint_count(%r: index) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.dprint' op format has 1 '{}' placeholder(s) but the op has 2 argument(s)}}
  ttl.dprint "row {}\0A", %r, %r : index, index
  return
}

// -----

// A brace that is neither a placeholder nor escaped.
func.func @dprint_brace(%r: index) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.dprint' op format has a lone '{' or '}'; write '{}' for an argument and '{{' or '}}' for a brace}}
  ttl.dprint "row {0}\0A", %r : index
  return
}

// -----

// Scalars are index, i32, i1, bf16 or f32.
func.func @dprint_f16(%f: f16) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.dprint' op operand #0 must be variadic of index, i32, i1, bf16 or f32 scalar, but got 'f16'}}
  ttl.dprint "{}\0A", %f : f16
  return
}

// -----

// A block's tiles print in compute threads (data movement prints its rows).
func.func @dprint_block_in_datamovement() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.dprint_block' op prints a block's tiles in compute threads; a data-movement thread prints its element rows with 'ttl.element_read' and 'ttl.dprint'}}
  ttl.dprint_block %a : tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Only a block of a DFB is printed (a block expression is stored first).
func.func @dprint_block_of_math() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.dprint_block' op block must come from 'ttl.dfb_wait' (or from 'ttl.dfb_reserve') of one DFB, but it is the result of 'ttl.exp'}}
  ttl.dprint_block %e : tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A block carried through scf.if is what its branches yield: a waited
// block on one path and a reserved one on the other is no copy destination.
func.func @copy_into_mixed_block(%t: tensor<32x32xbf16>, %c: i1) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d0 = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %d1 = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d1 : !ttl.dfb<[1, 1], bf16, 2>
  %x = scf.if %c -> (tensor<1x1x!ttl.tile<bf16>>) {
    scf.yield %a : tensor<1x1x!ttl.tile<bf16>>
  } else {
    scf.yield %b : tensor<1x1x!ttl.tile<bf16>>
  }
  // expected-error @+1 {{'ttl.copy_to_block' op destination block must come from 'ttl.dfb_reserve', but it is a block from 'ttl.dfb_wait' on some paths and 'ttl.dfb_reserve' on others}}
  %h = ttl.copy_to_block %t[%c0, %c0], %x : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

// A loop-carried waited block is no copy destination either.
func.func @copy_into_waited_loop_block(%t: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d0 : !ttl.dfb<[1, 1], bf16, 2>
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%x = %a) -> (tensor<1x1x!ttl.tile<bf16>>) {
    // expected-error @+1 {{'ttl.copy_to_block' op destination block must come from 'ttl.dfb_reserve', but it is a block from 'ttl.dfb_wait' (through loops or branches)}}
    %h = ttl.copy_to_block %t[%c0, %c0], %x : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
    scf.yield %x : tensor<1x1x!ttl.tile<bf16>>
  }
  return
}

// -----

// The same loop without its yield (a fuzz finding: the copy's verifier,
// which runs before the loop's, read a yielded value that is not there and
// aborted).
func.func @copy_into_loop_block_without_yield(%t: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d0 : !ttl.dfb<[1, 1], bf16, 2>
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%x = %a) -> (tensor<1x1x!ttl.tile<bf16>>) {
    // expected-error @+1 {{'ttl.copy_to_block' op destination block must come from 'ttl.dfb_reserve', but it is a block argument}}
    %h = ttl.copy_to_block %t[%c0, %c0], %x : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  }
  return
}

// -----

// A profiler scope is closed in the block that opened it.
func.func @signpost_unclosed() {
  // expected-error @+1 {{'ttl.signpost_begin' op is not closed by 'ttl.signpost_end' "load" in its block}}
  ttl.signpost_begin "load"
  return
}

// -----

// An end closes a scope opened before it in its block.
func.func @signpost_stray_end() {
  // expected-error @+1 {{'ttl.signpost_end' op closes no 'ttl.signpost_begin' "load" before it in its block}}
  ttl.signpost_end "load"
  return
}

// -----

// Scopes nest: "b" opened inside "a" closes before "a".
func.func @signpost_crossed() {
  // expected-error @+1 {{'ttl.signpost_begin' op is not closed by 'ttl.signpost_end' "a" in its block}}
  ttl.signpost_begin "a"
  ttl.signpost_begin "b"
  ttl.signpost_end "a"
  ttl.signpost_end "b"
  return
}

// -----

// The name becomes a C++ string literal.
func.func @signpost_quote() {
  // expected-error @+1 {{'ttl.signpost_begin' op name must not contain quotes, backslashes or control characters: it becomes a C++ string literal}}
  ttl.signpost_begin "a\"b"
  ttl.signpost_end "a\"b"
  return
}

// -----

func.func @signpost_empty() {
  // expected-error @+1 {{'ttl.signpost_begin' op needs a non-empty scope name}}
  ttl.signpost_begin ""
  ttl.signpost_end ""
  return
}

// -----

// Publishing a tensor-backed DFB is data movement.
func.func @publish_in_compute() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 1>
  // expected-error @+1 {{publishes a tensor-backed DFB, which data-movement threads do; move it to a data-movement thread}}
  ttl.dfb_publish %d : !ttl.dfb<[1, 1], bf16, 1>
  return
}

// -----

// Semaphores belong to data-movement threads.
func.func @semaphore_in_compute(%v: i32) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.semaphore_wait' op semaphores are set, incremented and waited on by data-movement threads, but the enclosing function is a compute thread}}
  ttl.semaphore_wait 0, %v
  return
}

// -----

// A core has 16 semaphores.
func.func @semaphore_id(%x: index, %v: i32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.semaphore_remote_inc' op uses semaphore 16, but a core has 16}}
  ttl.semaphore_remote_inc 16, %x, %x, %v
  return
}

// -----

// Semaphore initial values are 32-bit unsigned.
// expected-error @+1 {{'ttl.semaphore_init' must be an array<i64> on a function of at most 16 32-bit unsigned initial values}}
func.func @semaphore_init_negative() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.semaphore_init = array<i64: 1, -1>} {
  return
}

// -----

// ttl.call_extern_func needs the C++ function's name.
func.func @opaque_call_no_callee() attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.opaque_call' op needs the name of the C++ function to call}}
  ttl.opaque_call "" header "/x.hpp" template_args [] ()
  return
}

// -----

// The header is an absolute path (the frontend resolves relative ones).
func.func @opaque_call_relative_header() attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.opaque_call' op header 'x.hpp' must be an absolute path}}
  ttl.opaque_call "f" header "x.hpp" template_args [] ()
  return
}

// -----

// A string template argument takes a DFB: a descriptor or an id.
func.func @opaque_call_bad_dfb_entry() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op template argument "dfb_index" is neither "dfb_descriptor" nor "dfb_id"}}
  ttl.opaque_call "f" header "/x.hpp" template_args ["dfb_index"] template_dfbs(%d : !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

// Numbers are si32 (integers) or ui32 (float bits).
func.func @opaque_call_bad_number() attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.opaque_call' op template argument 3 : i64 is not an si32 or ui32 integer, a boolean or a DFB entry}}
  ttl.opaque_call "f" header "/x.hpp" template_args [3] ()
  return
}

// -----

// Each DFB entry takes one template DFB.
func.func @opaque_call_dfb_count() attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.opaque_call' op has 1 DFB template argument(s) but 0 template DFB(s)}}
  ttl.opaque_call "f" header "/x.hpp" template_args ["dfb_id"] ()
  return
}

// -----

func.func @opaque_call_bad_effect() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op effect "release" is none of reserve, push, wait, pop}}
  ttl.opaque_call "f" header "/x.hpp" template_args [] effects ["release"] [1] (%d : !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

func.func @opaque_call_effect_tiles() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op effect "wait" of 0 tiles; the count must be positive}}
  ttl.opaque_call "f" header "/x.hpp" template_args [] effects ["wait"] [0] (%d : !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

func.func @opaque_call_effect_count() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.opaque_call' op has 2 effect action(s), 1 tile count(s) and 1 effect DFB(s)}}
  ttl.opaque_call "f" header "/x.hpp" template_args [] effects ["wait", "pop"] [1] (%d : !ttl.dfb<[1, 1], bf16, 2>) ()
  return
}

// -----

func.func @opaque_call_tensor_in_compute(%t: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.opaque_call' op passes a tensor (a TensorAccessor) in a compute thread, but only data-movement threads have tensor accessors; pass the tensor's address ('ttl.tensor_addr') instead}}
  ttl.opaque_call "f" header "/x.hpp" template_args [] (%t : tensor<32x32xbf16>)
  return
}

// -----

func.func @tensor_addr_not_an_argument(%a: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<compute>} {
  %t = scf.execute_region -> tensor<32x32xbf16> {
    scf.yield %a : tensor<32x32xbf16>
  }
  // expected-error @+1 {{'ttl.tensor_addr' op takes a tensor that is not an argument of the thread function; pass the tensor in as an argument}}
  %addr = ttl.tensor_addr %t : tensor<32x32xbf16>
  return
}
