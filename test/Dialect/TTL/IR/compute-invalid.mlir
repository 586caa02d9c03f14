// RUN: ttlx-opt %s -split-input-file -verify-diagnostics

// Tile math runs on compute threads.
func.func @math_in_dm() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.exp' op is tile math, which runs on compute threads, but the enclosing function is a data-movement thread}}
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Binary operands have the result's type.
func.func @binary_shape_mismatch(%a: tensor<1x2x!ttl.tile<bf16>>, %b: tensor<1x1x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.add' op operand type 'tensor<1x1x!ttl.tile<bf16>>' does not match the result type 'tensor<1x2x!ttl.tile<bf16>>'; broadcast it first}}
  %r = ttl.add %a, %b : tensor<1x2x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

// Operands of both data types unpack each in its format: the result is f32.
func.func @binary_dtype_mismatch(%a: tensor<1x1x!ttl.tile<bf16>>, %b: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.mul' op result data type must be 'f32' (f32 when any block operand is f32, bf16 otherwise), but it is 'bf16'}}
  %r = ttl.mul %a, %b : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

func.func @binary_f32_from_bf16(%a: tensor<1x1x!ttl.tile<bf16>>, %s: f32) {
  // expected-error @+1 {{'ttl.add' op result data type must be 'bf16' (f32 when any block operand is f32, bf16 otherwise), but it is 'f32'}}
  %r = ttl.add %a, %s : tensor<1x1x!ttl.tile<bf16>>, f32 -> tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @binary_two_scalars(%x: f32) {
  // expected-error @+1 {{'ttl.sub' op needs at least one block operand; for scalar math use arith}}
  %r = ttl.sub %x, %x : f32, f32 -> tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

// Broadcast shapes.
func.func @broadcast_col_shape() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 2>
  // expected-error @+1 {{'ttl.broadcast' op col broadcast needs an Rx1-tile input and an RxC-tile result, but maps 1x2 tiles to 1x4}}
  %b = ttl.broadcast %a col : tensor<1x2x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

func.func @broadcast_row_shape() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 2], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[2, 2], bf16, 2>
  // expected-error @+1 {{'ttl.broadcast' op row broadcast needs a 1xC-tile input and an RxC-tile result, but maps 2x2 tiles to 2x2}}
  %b = ttl.broadcast %a row : tensor<2x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[2, 2], bf16, 2>
  return
}

// -----

// The hardware broadcasts while unpacking a CB.
func.func @broadcast_of_expression() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.broadcast' op input must be a block from 'ttl.dfb_wait' (broadcasting happens while unpacking a CB), but it is the result of 'ttl.exp'; store the expression into a DFB first}}
  %b = ttl.broadcast %e scalar : tensor<1x1x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @broadcast_changes_dtype() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.broadcast' op changes the tile type from '!ttl.tile<bf16>' to '!ttl.tile<f32>'}}
  %b = ttl.broadcast %a scalar : tensor<1x1x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<f32>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Reduction result shapes.
func.func @reduce_row_shape() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 4], bf16, 2>
  %s = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[2, 4], bf16, 2>
  %c = ttl.dfb_wait %s : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.reduce_sum' op row reduction of 2x4 tiles gives 2x1 tiles, but the result has 1x1}}
  %r = ttl.reduce_sum %a, %c row : tensor<2x4x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %s : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %d : !ttl.dfb<[2, 4], bf16, 2>
  return
}

// -----

func.func @reduce_scaler_shape() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 4], bf16, 2>
  // expected-error @+1 {{'ttl.reduce_max' op scaler must be a 1x1-tile block, but has 1x4 tiles}}
  %r = ttl.reduce_max %a, %a scalar : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 4], bf16, 2>
  return
}

// -----

func.func @reduce_dtype_mismatch() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], bf16, 2>
  %s = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 4], bf16, 2>
  %c = ttl.dfb_wait %s : !ttl.dfb<[1, 1], f32, 2>
  // expected-error @+1 {{'ttl.reduce_sum' op input, scaler and result must have the same tile type}}
  %r = ttl.reduce_sum %a, %c row : tensor<1x4x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<f32>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %s : !ttl.dfb<[1, 1], f32, 2>
  ttl.dfb_pop %d : !ttl.dfb<[1, 4], bf16, 2>
  return
}

// -----

func.func @reduce_of_expression() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], bf16, 2>
  %s = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 4], bf16, 2>
  %c = ttl.dfb_wait %s : !ttl.dfb<[1, 1], bf16, 2>
  %sq = ttl.mul %a, %a : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.reduce_sum' op input must be a block from 'ttl.dfb_wait' (reduce_tile reads a CB), but it is the result of 'ttl.mul'; store the expression into a DFB first}}
  %r = ttl.reduce_sum %sq, %c row : tensor<1x4x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %s : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %d : !ttl.dfb<[1, 4], bf16, 2>
  return
}

// -----

// Stores go into a reserved block of the same shape (the dtype may differ).
func.func @store_type_mismatch() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %r = ttl.dfb_reserve %o : !ttl.dfb<[1, 2], bf16, 2>
  // expected-error @+1 {{'ttl.store' op stores a value of type 'tensor<1x1x!ttl.tile<bf16>>' into a block of type 'tensor<1x2x!ttl.tile<bf16>>'}}
  ttl.store %a, %r : tensor<1x1x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>>
  ttl.dfb_push %o : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A tiled value does not go into a row-major block, whatever the dtypes.
func.func @store_unit_mismatch() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %o = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2, row_major>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], f32, 2>
  %r = ttl.dfb_reserve %o : !ttl.dfb<[1, 1], bf16, 2, row_major>
  // expected-error @+1 {{'ttl.store' op stores a value of type 'tensor<1x1x!ttl.tile<f32>>' into a block of type 'tensor<1x1x!ttl.element<bf16>>'}}
  ttl.store %a, %r : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.element<bf16>>
  ttl.dfb_push %o : !ttl.dfb<[1, 1], bf16, 2, row_major>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], f32, 2>
  return
}

// -----

func.func @store_into_waited_block() attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.store' op destination must be a block from 'ttl.dfb_reserve', but it is the result of 'ttl.dfb_wait'}}
  ttl.store %e, %a : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// expected-error @+1 {{'ttl.fp32_dest_acc' must be a unit attribute on a function}}
func.func @fp32_attr_value() attributes {ttl.fp32_dest_acc = 1 : i32} {
  return
}

// -----

func.func @where_condition_shape(%c: tensor<1x1x!ttl.tile<bf16>>, %a: tensor<1x2x!ttl.tile<bf16>>) {
  // expected-error @+1 {{'ttl.where' op condition type 'tensor<1x1x!ttl.tile<bf16>>' does not match the result type 'tensor<1x2x!ttl.tile<bf16>>'; broadcast it first}}
  %r = ttl.where %c, %a, %a : tensor<1x1x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
  return
}

// -----

func.func @where_operand_type(%c: tensor<1x1x!ttl.tile<bf16>>, %a: tensor<1x1x!ttl.tile<f32>>, %s: f32) {
  // expected-error @+1 {{'ttl.where' op result data type must be 'f32' (f32 when any block operand is f32, bf16 otherwise), but it is 'bf16'}}
  %r = ttl.where %c, %a, %s : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<f32>>, f32 -> tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

func.func @gate_eps(%k: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.engram_gate' op eps must be positive, but it is 0}}
  %g = ttl.engram_gate %k, %k, %k, %k, %k {eps = 0.0 : f32, scale = 1.0 : f32} : tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @gate_scale(%k: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.engram_gate' op scale must be positive, but it is -1}}
  %g = ttl.engram_gate %k, %k, %k, %k, %k {eps = 1.0e-6 : f32, scale = -1.0 : f32} : tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @gate_not_waited(%k: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.engram_gate' op key must be a block from 'ttl.dfb_wait' (its reductions read CBs), but it is a block argument; store the expression into a DFB first}}
  %g = ttl.engram_gate %k, %k, %k, %k, %k {eps = 1.0e-6 : f32, scale = 1.0 : f32} : tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @gate_types(%k: tensor<1x1x!ttl.tile<f32>>, %v: tensor<1x2x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.engram_gate' op failed to verify that all of {key, query, value, keyWeight, result} have same type}}
  %g = "ttl.engram_gate"(%k, %k, %v, %k, %k) {eps = 1.0e-6 : f32, scale = 1.0 : f32} : (tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>) -> tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

// The optional query weight has the others' type too.
func.func @gate_query_weight_type(%k: tensor<1x1x!ttl.tile<f32>>, %w: tensor<1x2x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.engram_gate' op failed to verify that the query weight has the result's type}}
  %g = "ttl.engram_gate"(%k, %k, %k, %k, %w) {eps = 1.0e-6 : f32, scale = 1.0 : f32} : (tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>) -> tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @conv_kernel_size(%x: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.depthwise_conv1d' op has 2 weight blocks, but kernel_size is 4}}
  %y = ttl.depthwise_conv1d %x, %x, [%x, %x] {kernel_size = 4 : i64, dilation = 3 : i64} : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @conv_reach(%x: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.depthwise_conv1d' op reaches 33 rows back, but the halo is one tile-row (at most 31 rows)}}
  %y = ttl.depthwise_conv1d %x, %x, [%x, %x, %x, %x] {kernel_size = 4 : i64, dilation = 11 : i64} : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @conv_dilation(%x: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.depthwise_conv1d' op kernel_size and dilation must be at least 1, but they are 1 and 0}}
  %y = ttl.depthwise_conv1d %x, %x, [%x] {kernel_size = 1 : i64, dilation = 0 : i64} : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

func.func @conv_rows(%x: tensor<2x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.depthwise_conv1d' op input must be one tile-row (1xC tiles), but it has 2 tile-rows}}
  %y = ttl.depthwise_conv1d %x, %x, [%x] {kernel_size = 1 : i64, dilation = 1 : i64} : tensor<2x1x!ttl.tile<f32>>, tensor<2x1x!ttl.tile<f32>>
  return
}

// -----

func.func @conv_weight_type(%x: tensor<1x1x!ttl.tile<f32>>, %w: tensor<1x2x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.depthwise_conv1d' op weight type 'tensor<1x2x!ttl.tile<f32>>' does not match the input type 'tensor<1x1x!ttl.tile<f32>>'}}
  %y = ttl.depthwise_conv1d %x, %x, [%w] {kernel_size = 1 : i64, dilation = 1 : i64} : tensor<1x1x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>
  return
}

// -----

func.func @conv_not_waited(%x: tensor<1x1x!ttl.tile<f32>>) {
  // expected-error @+1 {{'ttl.depthwise_conv1d' op input must be a block from 'ttl.dfb_wait' (matmul_tiles reads a CB), but it is a block argument; store the expression into a DFB first}}
  %y = ttl.depthwise_conv1d %x, %x, [%x] {kernel_size = 1 : i64, dilation = 1 : i64} : tensor<1x1x!ttl.tile<f32>>, tensor<1x1x!ttl.tile<f32>>
  return
}

// -----

// ttl.copy_tile unpacks a DFB block.
func.func @copy_tile_of_computed(%x: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttl.copy_tile' op input must be a block from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but it is a block argument}}
  %t = ttl.copy_tile %x : tensor<1x1x!ttl.tile<bf16>>
  return
}

// -----

// A DST tile index lies inside DST.
func.func @dst_idx_out_of_range() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.dst_idx' must be an i32 DST tile index in [0, 8)}}
  %t = ttl.copy_tile %a {ttl.dst_idx = 8 : i32} : tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Only tile math has a DST tile.
func.func @dst_idx_on_store() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.dst_idx' is only valid on TTL tile-math ops}}
  ttl.store %a, %o {ttl.dst_idx = 0 : i32} : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// The FPU form belongs to binary ops.
func.func @fpu_on_unary() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.fpu' must be a unit attribute on a binary tile-math op}}
  %e = ttl.exp %a {ttl.fpu} : tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}
