// RUN: ttlx-opt %s -split-input-file -ttl-assign-dst | FileCheck %s --enable-var-scope

// A value used twice in one store is computed once and keeps one DST tile.
// CHECK-LABEL: func.func @value_used_twice
// CHECK: %[[A:.*]] = ttl.dfb_wait
// CHECK: %[[T:.*]] = ttl.copy_tile %[[A]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[E:.*]] = ttl.exp %[[T]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[P:.*]] = ttl.mul %[[E]], %[[E]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: ttl.store %[[P]],
// CHECK-NOT: ttl.exp
func.func @value_used_twice() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %p = ttl.mul %e, %e : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %p, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// FPU or SFPU: a binary op on two DFB blocks reads their circular buffers
// (ttl.fpu, no copy into DST); with a computed operand both are in DST.
// CHECK-LABEL: func.func @fpu_or_sfpu
// CHECK: %[[A:.*]] = ttl.dfb_wait
// CHECK: %[[B:.*]] = ttl.dfb_wait
// CHECK: %[[S:.*]] = ttl.add %[[A]], %[[B]] {ttl.dst_idx = 0 : i32, ttl.fpu}
// CHECK-NEXT: ttl.store %[[S]],
// CHECK: %[[TA:.*]] = ttl.copy_tile %[[A]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[E:.*]] = ttl.exp %[[TA]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[TB:.*]] = ttl.copy_tile %[[B]] {ttl.dst_idx = 1 : i32}
// CHECK-NEXT: %[[S2:.*]] = ttl.add %[[E]], %[[TB]] {ttl.dst_idx = 0 : i32}
// CHECK-NOT: ttl.fpu
// CHECK-NEXT: ttl.store %[[S2]],
func.func @fpu_or_sfpu() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[1, 4], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 4], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 4], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[1, 4], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 4], bf16, 2>
  %s = ttl.add %a, %b : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  ttl.store %s, %o : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 4], bf16, 2>
  %o2 = ttl.dfb_reserve %do : !ttl.dfb<[1, 4], bf16, 2>
  %e = ttl.exp %a : tensor<1x4x!ttl.tile<bf16>>
  %s2 = ttl.add %e, %b : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
  ttl.store %s2, %o2 : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 4], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[1, 4], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 4], bf16, 2>
  return
}

// -----

// Broadcasts: the FPU broadcasts its second operand (add and mul commute
// there); sub with a broadcast first unpacks it into DST (SFPU).
// CHECK-LABEL: func.func @broadcasts
// CHECK: %[[X:.*]] = ttl.dfb_wait
// CHECK: %[[I:.*]] = ttl.dfb_wait
// CHECK: %[[B:.*]] = ttl.broadcast %[[I]] col
// CHECK-NOT: ttl.dst_idx
// CHECK-NEXT: %[[M:.*]] = ttl.mul %[[B]], %[[X]] {ttl.dst_idx = 0 : i32, ttl.fpu}
// CHECK: %[[B2:.*]] = ttl.broadcast %[[I]] col {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[TX:.*]] = ttl.copy_tile %[[X]] {ttl.dst_idx = 1 : i32}
// CHECK-NEXT: ttl.sub %[[B2]], %[[TX]] {ttl.dst_idx = 0 : i32}
func.func @broadcasts() attributes {ttl.thread = #ttl.thread<compute>} {
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[2, 8], bf16, 2>
  %di = ttl.bind_dfb 1 : !ttl.dfb<[2, 1], bf16, 1>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[2, 8], bf16, 2>
  %x = ttl.dfb_wait %dx : !ttl.dfb<[2, 8], bf16, 2>
  %i = ttl.dfb_wait %di : !ttl.dfb<[2, 1], bf16, 1>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[2, 8], bf16, 2>
  %b = ttl.broadcast %i col : tensor<2x1x!ttl.tile<bf16>> -> tensor<2x8x!ttl.tile<bf16>>
  %m = ttl.mul %b, %x : tensor<2x8x!ttl.tile<bf16>>, tensor<2x8x!ttl.tile<bf16>> -> tensor<2x8x!ttl.tile<bf16>>
  ttl.store %m, %o : tensor<2x8x!ttl.tile<bf16>>, tensor<2x8x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[2, 8], bf16, 2>
  %o2 = ttl.dfb_reserve %do : !ttl.dfb<[2, 8], bf16, 2>
  %d = ttl.sub %b, %x : tensor<2x8x!ttl.tile<bf16>>, tensor<2x8x!ttl.tile<bf16>> -> tensor<2x8x!ttl.tile<bf16>>
  ttl.store %d, %o2 : tensor<2x8x!ttl.tile<bf16>>, tensor<2x8x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[2, 8], bf16, 2>
  ttl.dfb_pop %di : !ttl.dfb<[2, 1], bf16, 1>
  ttl.dfb_pop %dx : !ttl.dfb<[2, 8], bf16, 2>
  return
}

// -----

// A scalar operand becomes a filled tile; where writes over its condition.
// CHECK-LABEL: func.func @scalars_and_where(
// CHECK-SAME: %[[F:.*]]: f32)
// CHECK: %[[TC:.*]] = ttl.copy_tile %{{.*}} {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[TA:.*]] = ttl.copy_tile %{{.*}} {ttl.dst_idx = 1 : i32}
// CHECK-NEXT: %[[FILL:.*]] = ttl.fill %[[F]] {ttl.dst_idx = 2 : i32} : f32 -> tensor<1x1x!ttl.tile<bf16>>
// CHECK-NEXT: %[[W:.*]] = ttl.where %[[TC]], %[[TA]], %[[FILL]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: ttl.store %[[W]],
func.func @scalars_and_where(%f: f32) attributes {ttl.thread = #ttl.thread<compute>} {
  %dc = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %da = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %c = ttl.dfb_wait %dc : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %r = ttl.where %c, %a, %f : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>, f32 -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %dc : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// exp(e) + e: exp works in place on e's tile, so the add gets e evaluated
// again (its copy of a too, which the first exp overwrote).
// CHECK-LABEL: func.func @overwritten_in_place
// CHECK: %[[A:.*]] = ttl.dfb_wait
// CHECK: %[[T:.*]] = ttl.copy_tile %[[A]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[E:.*]] = ttl.exp %[[T]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[EE:.*]] = ttl.exp %[[E]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[T2:.*]] = ttl.copy_tile %[[A]] {ttl.dst_idx = 1 : i32}
// CHECK-NEXT: %[[E2:.*]] = ttl.exp %[[T2]] {ttl.dst_idx = 1 : i32}
// CHECK-NEXT: %[[S:.*]] = ttl.add %[[EE]], %[[E2]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: ttl.store %[[S]],
func.func @overwritten_in_place() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %ee = ttl.exp %e : tensor<1x1x!ttl.tile<bf16>>
  %s = ttl.add %ee, %e : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %s, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// An expression read by two stores: each store gets its own program, the
// original ops die.
// CHECK-LABEL: func.func @shared_by_two_stores
// CHECK: ttl.dfb_wait
// CHECK-NOT: ttl.exp
// CHECK: ttl.dfb_reserve
// CHECK: %[[E1:.*]] = ttl.exp %{{.*}} {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: ttl.store %[[E1]], %[[O1:[^ ,]*]]
// CHECK: %[[E2:.*]] = ttl.exp %{{.*}} {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: ttl.store %[[E2]], %[[O2:[^ ,]*]]
// CHECK-NOT: ttl.exp
func.func @shared_by_two_stores() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %dp = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.store %e, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  %p = ttl.dfb_reserve %dp : !ttl.dfb<[1, 1], bf16, 2>
  ttl.store %e, %p : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %dp : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// transpose reads its circular buffer directly (no copy into DST); ops with
// attributes (a parameterised unary op, exp with flags) work in place on
// their operand's DST tile like the plain unary ops.
// CHECK-LABEL: func.func @transpose_and_flagged_unary
// CHECK: %[[A:.*]] = ttl.dfb_wait
// CHECK-NOT: ttl.copy_tile
// CHECK: %[[T:.*]] = ttl.transpose %[[A]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[C:.*]] = ttl.clamp %[[T]] {max = 1.000000e+00 : f32, min = 0.000000e+00 : f32, ttl.dst_idx = 0 : i32}
// CHECK-NEXT: %[[E:.*]] = ttl.exp_flagged %[[C]] {iterations = 8 : i32, scale = 2.000000e+00 : f32, ttl.dst_idx = 0 : i32}
// CHECK-NEXT: ttl.store %[[E]],
func.func @transpose_and_flagged_unary() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[2, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 2], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[2, 1], bf16, 2>
  %t = ttl.transpose %a : tensor<1x2x!ttl.tile<bf16>> -> tensor<2x1x!ttl.tile<bf16>>
  %c = ttl.clamp %t {min = 0.0 : f32, max = 1.0 : f32} : tensor<2x1x!ttl.tile<bf16>>
  %e = ttl.exp_flagged %c {scale = 2.0 : f32, iterations = 8 : i32} : tensor<2x1x!ttl.tile<bf16>>
  ttl.store %e, %o : tensor<2x1x!ttl.tile<bf16>>, tensor<2x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[2, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 2], bf16, 2>
  return
}

// -----

// A squeeze of a DFB block reads the block's tiles into DST itself (as
// ttl.copy_tile does), typed as its result; the add then runs on DST.
// CHECK-LABEL: func.func @squeeze_leaf
// CHECK: %[[A:.*]] = ttl.dfb_wait
// CHECK: %[[B:.*]] = ttl.dfb_wait
// CHECK: %[[S:.*]] = ttl.squeeze %[[A]], dims = [0] {ttl.dst_idx = 0 : i32} : tensor<1x1x2x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
// CHECK-NEXT: %[[TB:.*]] = ttl.copy_tile %[[B]] {ttl.dst_idx = 1 : i32}
// CHECK-NEXT: %[[R:.*]] = ttl.add %[[S]], %[[TB]] {ttl.dst_idx = 0 : i32}
// CHECK-NEXT: ttl.store %[[R]],
func.func @squeeze_leaf() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1, 2], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1, 2], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[1, 2], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 2], bf16, 2>
  %s = ttl.squeeze %a, dims = [0] : tensor<1x1x2x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
  %r = ttl.add %s, %b : tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>> -> tensor<1x2x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<1x2x!ttl.tile<bf16>>, tensor<1x2x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[1, 2], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1, 2], bf16, 2>
  return
}
