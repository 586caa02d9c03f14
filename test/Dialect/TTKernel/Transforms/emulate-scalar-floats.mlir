// RUN: ttlx-opt %s -split-input-file -ttkernel-emulate-scalar-floats | FileCheck %s --enable-var-scope
// Numerics of the lowered code are checked in test/python/test_scalar_float.py.

// Compares become signed compares of order-preserving keys, guarded by NaN
// tests; no float type is left.
// CHECK-LABEL: func.func @compare(
// CHECK-SAME: %[[A:.*]]: i16, %[[B:.*]]: i16) -> i1
// CHECK-NOT: bf16
// CHECK: arith.shli
// CHECK: %[[KB:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : i32
// CHECK: %[[KA:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : i32
// CHECK: %[[LT:.*]] = arith.cmpi slt, %[[KA]], %[[KB]] : i32
// CHECK: arith.andi %[[LT]], %{{.*}} : i1
// CHECK-NOT: arith.cmpf
func.func @compare(%a: bf16, %b: bf16) -> i1 attributes {ttl.thread = #ttl.thread<datamovement>} {
  %lt = arith.cmpf olt, %a, %b : bf16
  return %lt : i1
}

// -----

// Arithmetic calls soft-float helpers, added once per module; bf16 results
// are rounded by the f32 -> bf16 helper.
// CHECK-DAG: func.func private @ttlx_sf_f32_to_bf16(%{{.*}}: i32) -> i16
// CHECK-DAG: func.func private @ttlx_sf_mul_f32(%{{.*}}: i32, %{{.*}}: i32) -> i32
// CHECK-DAG: func.func private @ttlx_sf_add_f32(%{{.*}}: i32, %{{.*}}: i32) -> i32
// CHECK-LABEL: func.func @arith(
// CHECK: %[[S:.*]] = call @ttlx_sf_add_f32
// CHECK: call @ttlx_sf_f32_to_bf16(%[[S]])
// CHECK: call @ttlx_sf_add_f32
// CHECK: call @ttlx_sf_mul_f32
// CHECK-NOT: func.func private @ttlx_sf_add_f32
func.func @arith(%a: bf16, %b: bf16, %x: f32, %y: f32) -> (bf16, f32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %s = arith.addf %a, %b : bf16
  %t = arith.addf %x, %y : f32
  %u = arith.mulf %t, %y : f32
  return %s, %u : bf16, f32
}

// -----

// Constants become their bit patterns; negation flips the sign bit.
// CHECK-LABEL: func.func @constants
// CHECK-DAG: arith.constant -16512 : i16
// CHECK-DAG: arith.constant 1069547520 : i32
// CHECK-DAG: %[[SIGN:.*]] = arith.constant -2147483648 : i32
// CHECK: arith.xori %{{.*}}, %[[SIGN]] : i32
func.func @constants(%x: f32) -> (bf16, f32, f32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %a = arith.constant -1.0 : bf16
  %b = arith.constant 1.5 : f32
  %n = arith.negf %x : f32
  return %a, %b, %n : bf16, f32, f32
}

// -----

// Loop-carried and branch-carried floats stay SSA, retyped.
// CHECK-LABEL: func.func @carried
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i16)
// CHECK: scf.if %{{.*}} -> (i16)
// CHECK-NOT: memref
func.func @carried(%init: bf16, %c: i1) -> bf16 attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (bf16) {
    %n = scf.if %c -> (bf16) {
      %m = arith.maximumf %acc, %init : bf16
      scf.yield %m : bf16
    } else {
      scf.yield %acc : bf16
    }
    scf.yield %n : bf16
  }
  return %r : bf16
}

// -----

// Compute threads have an FPU: left alone.
// CHECK-LABEL: func.func @compute
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
func.func @compute(%x: f32) -> f32 attributes {ttl.thread = #ttl.thread<compute>} {
  %y = arith.addf %x, %x : f32
  return %y : f32
}

// -----

// A compute core has an FPU but its C++ has no bf16 scalar type: bf16
// scalars become i16 bit patterns computed by the soft-float helpers, f32
// stays a float, and the two meet through bitcasts of the f32 bits.
// CHECK-DAG: func.func private @ttlx_sf_f32_to_bf16(%{{.*}}: i32) -> i16
// CHECK-DAG: func.func private @ttlx_sf_add_f32(%{{.*}}: i32, %{{.*}}: i32) -> i32
// CHECK-LABEL: func.func @compute_bf16(
// CHECK-SAME: %[[X:.*]]: f32, %[[A:.*]]: i16) -> (f32, i16)
// CHECK: %[[XB:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK: %[[R:.*]] = call @ttlx_sf_f32_to_bf16(%[[XB]])
// CHECK: %[[S:.*]] = call @ttlx_sf_add_f32
// CHECK: %[[SB:.*]] = call @ttlx_sf_f32_to_bf16(%[[S]])
// CHECK: %[[E:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK: %[[M:.*]] = arith.mulf %[[E]], %[[X]] : f32
// CHECK: return %[[M]], %[[SB]] : f32, i16
func.func @compute_bf16(%x: f32, %a: bf16) -> (f32, bf16) attributes {ttl.thread = #ttl.thread<compute>} {
  %r = arith.truncf %x : f32 to bf16
  %s = arith.addf %r, %a : bf16
  %e = arith.extf %s : bf16 to f32
  %m = arith.mulf %e, %x : f32
  return %m, %s : f32, bf16
}

// -----

// Helpers go into the module nearest to their callers when modules nest.
// CHECK-LABEL: module @outer
// CHECK: module @inner
// CHECK: func.func private @ttlx_sf_add_f32
// CHECK-LABEL: func.func @nested
// CHECK: call @ttlx_sf_add_f32
module @outer {
  module @inner {
    func.func @nested(%a: f32, %b: f32) -> f32 attributes {ttl.thread = #ttl.thread<datamovement>} {
      %c = arith.addf %a, %b : f32
      return %c : f32
    }
  }
}

// -----

// DPRINT of an f32 on a data-movement core: its bit pattern, marked in
// f32_bits (the C++ passes it as a float again).
// CHECK-LABEL: func.func @print_float(
// CHECK-SAME: %[[A:.*]]: i32, %[[N:.*]]: index)
// CHECK: ttkernel.dprint "{} {}\0A", %[[A]], %[[N]] : i32, index {f32_bits = array<i1: true, false>}
func.func @print_float(%a: f32, %n: index) attributes {ttl.thread = #ttl.thread<datamovement>} {
  ttkernel.dprint "{} {}\0A", %a, %n : f32, index
  return
}

// -----

// A compute core has an FPU: its DPRINT keeps the float.
// CHECK-LABEL: func.func @print_float_compute(
// CHECK: ttkernel.dprint "{}\0A", %{{.*}} : f32
// CHECK-NOT: f32_bits
func.func @print_float_compute(%a: f32) attributes {ttl.thread = #ttl.thread<compute>} {
  ttkernel.dprint "{}\0A", %a : f32
  return
}
