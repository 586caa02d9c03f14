// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// ttl.read_index round-trips: a bf16 or f32 element of a waited block read
// as an index (tt-lang spec 0.21).

// CHECK-LABEL: func.func @read_index
// CHECK: %[[B:.*]] = ttl.dfb_wait
// CHECK: %[[I:.*]] = ttl.read_index %[[B]][%{{.*}}, %{{.*}}] : tensor<1x2x!ttl.tile<bf16>> -> index
// CHECK: %[[J:.*]] = ttl.read_index %{{.*}}[%[[I]], %{{.*}}] : tensor<1x1x!ttl.tile<f32>> -> index
func.func @read_index() -> index attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c33 = arith.constant 33 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 1>
  %e = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], f32, 1>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 1>
  %i = ttl.read_index %b[%c0, %c33] : tensor<1x2x!ttl.tile<bf16>> -> index
  %w = ttl.dfb_wait %e : !ttl.dfb<[1, 1], f32, 1>
  %j = ttl.read_index %w[%i, %c0] : tensor<1x1x!ttl.tile<f32>> -> index
  ttl.dfb_pop %e : !ttl.dfb<[1, 1], f32, 1>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 1>
  return %j : index
}
