// RUN: ttlx-opt %s -split-input-file -verify-diagnostics

func.func @l1_load_f64(%a: i32) {
  // expected-error @+1 {{result #0 must be bfloat16 type or 32-bit float or 16-bit signless integer or 32-bit signless integer, but got 'f64'}}
  %v = ttkernel.l1_load %a[%a] : f64
  return
}

// -----

func.func @negative_arg_index() {
  // expected-error @+1 {{attribute 'index' failed to satisfy constraint: 32-bit signless integer attribute whose value is non-negative}}
  %v = ttkernel.get_arg_val -1 : i32
  return
}

// -----

func.func @dprint_count(%x: i32) {
  // expected-error @+1 {{'ttkernel.dprint' op format needs one '{}' per argument (1) and '{{' / '}}' for literal braces}}
  ttkernel.dprint "x\0A", %x : i32
  return
}

// -----

// f32_bits marks each argument.
func.func @dprint_bits_count(%x: i32) {
  // expected-error @+1 {{'ttkernel.dprint' op f32_bits has 2 entries but the op has 1 argument(s)}}
  ttkernel.dprint "{}\0A", %x : i32 {f32_bits = array<i1: true, false>}
  return
}

// -----

// A marked argument is the i32 bit pattern of an f32.
func.func @dprint_bits_type(%x: index) {
  // expected-error @+1 {{'ttkernel.dprint' op argument #0 is marked in f32_bits, so it must be the i32 bit pattern of an f32, but it is 'index'}}
  ttkernel.dprint "{}\0A", %x : index {f32_bits = array<i1: true>}
  return
}

// -----

// A zone is closed in the block that opened it (it is a C++ block).
func.func @zone_unclosed() {
  // expected-error @+1 {{'ttkernel.device_zone_begin' op is not closed by 'ttkernel.device_zone_end' "load" in its block}}
  ttkernel.device_zone_begin "load"
  return
}

// -----

func.func @zone_stray_end() {
  // expected-error @+1 {{'ttkernel.device_zone_end' op closes no 'ttkernel.device_zone_begin' "load" before it in its block}}
  ttkernel.device_zone_end "load"
  return
}

// -----

// The loop keeper belongs in the body of a while loop.
func.func @sideeffect_outside_a_loop() {
  // expected-error @+1 {{'ttkernel.sideeffect' op expects parent op 'scf.while'}}
  ttkernel.sideeffect
  return
}

// -----

// A tilize block is a width in tiles.
func.func @tilize_block_zero(%in: !ttkernel.cb, %out: !ttkernel.cb, %i: i32) {
  %zero = arith.constant 0 : i32
  // expected-error @+1 {{'ttkernel.tilize_block' op block is a width in tiles, at least 1, but it is 0}}
  ttkernel.tilize_block %in, %zero, %out, %i, %i
  return
}

// -----

// pack_untilize_block's rows are whole blocks.
func.func @untilize_partial_block(%in: !ttkernel.cb, %out: !ttkernel.cb, %n: i32) {
  // expected-error @+1 {{'ttkernel.pack_untilize_block' op full_ct_dim 5 must be a multiple of block_ct_dim 2 (a row is whole blocks)}}
  ttkernel.pack_untilize_block<2, 5> %in, %n, %out, %n
  return
}

// -----

// A block goes through DST at once.
func.func @untilize_wide_block(%in: !ttkernel.cb, %out: !ttkernel.cb) {
  // expected-error @+1 {{'ttkernel.pack_untilize_init' op block_ct_dim 16 exceeds the 8 tiles of DST a block goes through}}
  ttkernel.pack_untilize_init<16, 16> %in, %out
  return
}
