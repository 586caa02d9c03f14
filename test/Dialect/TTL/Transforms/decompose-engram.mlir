// RUN: ttlx-opt %s -ttl-decompose-engram | FileCheck %s --enable-var-scope
// RUN: ttlx-opt %s -ttl-to-ttkernel | FileCheck %s --check-prefix=TTKERNEL
// ttl.engram_gate becomes row sums through scratch DFBs (new indices after
// the module's highest, 4 here), the gate into a 1-tile-column DFB, and
// value * broadcast(gate) in place of the op; the gate block is popped
// after the store, the ones scaler before the return. The product of the
// two norm weights (here both the value) is made once, right after their
// waits, and popped just before the first pop of their DFB.

// CHECK-LABEL: func.func @gate
// CHECK: %[[W:.*]] = ttl.bind_dfb 12 : !ttl.dfb<[1, 4], f32, 1>
// CHECK: %[[P:.*]] = ttl.bind_dfb 6 : !ttl.dfb<[1, 4], f32, 1>
// CHECK: %[[ONES:.*]] = ttl.bind_dfb 5 : !ttl.dfb<[1, 1], f32, 1>
// CHECK: ttl.dfb_reserve %[[ONES]]
// CHECK: arith.constant 1.000000e+00 : f32
// CHECK: %[[ONE:.*]] = ttl.dfb_wait %[[ONES]]
// CHECK: %[[K:.*]] = ttl.dfb_wait
// CHECK-NEXT: %[[Q:.*]] = ttl.dfb_wait
// CHECK-NEXT: %[[V:.*]] = ttl.dfb_wait %[[DV:.*]] :
// CHECK-NEXT: %[[WW:.*]] = ttl.mul %[[V]], %[[V]]
// CHECK-NEXT: %[[WR:.*]] = ttl.dfb_reserve %[[W]]
// CHECK-NEXT: ttl.store %[[WW]], %[[WR]]
// CHECK-NEXT: ttl.dfb_push %[[W]]
// CHECK-NEXT: %[[WB:.*]] = ttl.dfb_wait %[[W]]
// CHECK: ttl.mul %[[K]], %[[K]]
// CHECK: %[[PW:.*]] = ttl.dfb_wait %[[P]]
// CHECK: ttl.reduce_sum %[[PW]], %[[ONE]] row
// CHECK: ttl.dfb_pop %[[P]]
// CHECK: ttl.reduce_sum
// CHECK: %[[KQ:.*]] = ttl.mul %[[K]], %[[Q]]
// CHECK-NEXT: ttl.mul %[[KQ]], %[[WB]]
// CHECK: ttl.reduce_sum
// CHECK: ttl.rsqrt
// CHECK: ttl.rsqrt
// CHECK: ttl.abs
// CHECK: ttl.max
// CHECK: ttl.sqrt
// CHECK: ttl.sign
// CHECK: ttl.sigmoid
// CHECK: %[[G:.*]] = ttl.dfb_wait %[[GD:.*]] : !ttl.dfb<[1, 1], f32, 1>
// CHECK: %[[B:.*]] = ttl.broadcast %[[G]] col
// CHECK: %[[OUT:.*]] = ttl.mul %{{.*}}, %[[B]]
// CHECK: ttl.store %[[OUT]]
// CHECK-NEXT: ttl.dfb_pop %[[GD]]
// CHECK-NOT: ttl.engram_gate
// CHECK: ttl.dfb_pop %[[W]]
// CHECK-NEXT: ttl.dfb_pop %[[DV]]
// CHECK: ttl.dfb_pop %[[ONES]]
// CHECK-NEXT: return
// The named pipeline ttl-to-ttkernel decomposes before converting.
// TTKERNEL-LABEL: func.func @gate
// TTKERNEL-NOT: ttl.engram_gate
// TTKERNEL-NOT: ttl.reduce_sum
// TTKERNEL: ttkernel.reduce_tile
func.func @gate() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %dk = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], f32, 2>
  %dq = ttl.bind_dfb 1 : !ttl.dfb<[1, 4], f32, 2>
  %dv = ttl.bind_dfb 2 : !ttl.dfb<[1, 4], f32, 2>
  %do = ttl.bind_dfb 3 : !ttl.dfb<[1, 4], f32, 2>
  %k = ttl.dfb_wait %dk : !ttl.dfb<[1, 4], f32, 2>
  %q = ttl.dfb_wait %dq : !ttl.dfb<[1, 4], f32, 2>
  %v = ttl.dfb_wait %dv : !ttl.dfb<[1, 4], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 4], f32, 2>
  %g = ttl.engram_gate %k, %q, %v, %v, %v {eps = 1.1920929e-07 : f32, scale = 0.0883883 : f32} : tensor<1x4x!ttl.tile<f32>>
  ttl.store %g, %o : tensor<1x4x!ttl.tile<f32>>, tensor<1x4x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 4], f32, 2>
  ttl.dfb_pop %dv : !ttl.dfb<[1, 4], f32, 2>
  ttl.dfb_pop %dq : !ttl.dfb<[1, 4], f32, 2>
  ttl.dfb_pop %dk : !ttl.dfb<[1, 4], f32, 2>
  return
}

// Weights waited in different blocks (the query's per row, the key's once):
// no one place to make their product, so each row's product takes both
// weights in turn.
// CHECK-LABEL: func.func @gate_weights_apart
// CHECK: %[[DW:.*]] = ttl.bind_dfb 4 :
// CHECK: %[[WK:.*]] = ttl.dfb_wait %[[DW]]
// CHECK-NOT: ttl.mul
// CHECK: scf.for
// CHECK: %[[K2:.*]] = ttl.dfb_wait %{{.*}} : !ttl.dfb<[1, 4], f32, 2>
// CHECK-NEXT: %[[Q2:.*]] = ttl.dfb_wait
// CHECK-NEXT: %[[V2:.*]] = ttl.dfb_wait
// CHECK: %[[KQ2:.*]] = ttl.mul %[[K2]], %[[Q2]]
// CHECK-NEXT: %[[KQW:.*]] = ttl.mul %[[KQ2]], %[[WK]]
// CHECK-NEXT: ttl.mul %[[KQW]], %[[V2]]
func.func @gate_weights_apart() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %dk = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], f32, 2>
  %dq = ttl.bind_dfb 1 : !ttl.dfb<[1, 4], f32, 2>
  %dv = ttl.bind_dfb 2 : !ttl.dfb<[1, 4], f32, 2>
  %do = ttl.bind_dfb 3 : !ttl.dfb<[1, 4], f32, 2>
  %dw = ttl.bind_dfb 4 : !ttl.dfb<[1, 4], f32, 1>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %wk = ttl.dfb_wait %dw : !ttl.dfb<[1, 4], f32, 1>
  scf.for %i = %c0 to %c2 step %c1 {
    %k = ttl.dfb_wait %dk : !ttl.dfb<[1, 4], f32, 2>
    %q = ttl.dfb_wait %dq : !ttl.dfb<[1, 4], f32, 2>
    %v = ttl.dfb_wait %dv : !ttl.dfb<[1, 4], f32, 2>
    %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 4], f32, 2>
    %g = ttl.engram_gate %k, %q, %v, %wk, %v {eps = 1.1920929e-07 : f32, scale = 0.0883883 : f32} : tensor<1x4x!ttl.tile<f32>>
    ttl.store %g, %o : tensor<1x4x!ttl.tile<f32>>, tensor<1x4x!ttl.tile<f32>>
    ttl.dfb_push %do : !ttl.dfb<[1, 4], f32, 2>
    ttl.dfb_pop %dv : !ttl.dfb<[1, 4], f32, 2>
    ttl.dfb_pop %dq : !ttl.dfb<[1, 4], f32, 2>
    ttl.dfb_pop %dk : !ttl.dfb<[1, 4], f32, 2>
  }
  ttl.dfb_pop %dw : !ttl.dfb<[1, 4], f32, 1>
  return
}

// One weight block (the product of the two norm weights): the rows multiply
// by it; no product is made.
// CHECK-LABEL: func.func @gate_one_weight
// CHECK: %[[DW1:.*]] = ttl.bind_dfb 4 :
// CHECK: %[[W1:.*]] = ttl.dfb_wait %[[DW1]]
// CHECK: %[[K1:.*]] = ttl.dfb_wait %{{.*}} : !ttl.dfb<[1, 4], f32, 2>
// CHECK-NEXT: %[[Q1:.*]] = ttl.dfb_wait
// CHECK-NOT: ttl.mul %[[W1]]
// CHECK: %[[KQ1:.*]] = ttl.mul %[[K1]], %[[Q1]]
// CHECK-NEXT: ttl.mul %[[KQ1]], %[[W1]]
// CHECK-NOT: ttl.mul %[[W1]]
// CHECK: return
func.func @gate_one_weight() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %dk = ttl.bind_dfb 0 : !ttl.dfb<[1, 4], f32, 2>
  %dq = ttl.bind_dfb 1 : !ttl.dfb<[1, 4], f32, 2>
  %dv = ttl.bind_dfb 2 : !ttl.dfb<[1, 4], f32, 2>
  %do = ttl.bind_dfb 3 : !ttl.dfb<[1, 4], f32, 2>
  %dw = ttl.bind_dfb 4 : !ttl.dfb<[1, 4], f32, 1>
  %w = ttl.dfb_wait %dw : !ttl.dfb<[1, 4], f32, 1>
  %k = ttl.dfb_wait %dk : !ttl.dfb<[1, 4], f32, 2>
  %q = ttl.dfb_wait %dq : !ttl.dfb<[1, 4], f32, 2>
  %v = ttl.dfb_wait %dv : !ttl.dfb<[1, 4], f32, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 4], f32, 2>
  %g = ttl.engram_gate %k, %q, %v, %w {eps = 1.1920929e-07 : f32, scale = 0.0883883 : f32} : tensor<1x4x!ttl.tile<f32>>
  ttl.store %g, %o : tensor<1x4x!ttl.tile<f32>>, tensor<1x4x!ttl.tile<f32>>
  ttl.dfb_push %do : !ttl.dfb<[1, 4], f32, 2>
  ttl.dfb_pop %dv : !ttl.dfb<[1, 4], f32, 2>
  ttl.dfb_pop %dq : !ttl.dfb<[1, 4], f32, 2>
  ttl.dfb_pop %dk : !ttl.dfb<[1, 4], f32, 2>
  ttl.dfb_pop %dw : !ttl.dfb<[1, 4], f32, 1>
  return
}
