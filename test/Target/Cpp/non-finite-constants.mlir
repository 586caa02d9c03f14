// RUN: ttlx-translate --ttkernel-to-cpp %s > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// A compute thread filling a tile with inf or NaN (ttl.block.fill(float("inf"), ...)):
// the C++ emitter writes INFINITY and NAN, which the API headers define as
// <math.h> does (it did not compile: a fuzz finding), so the unit needs no
// <cmath> (20000 lines to parse).

// COMPILED: compiled fill (compute)

// CHECK-LABEL: // ===== kernel fill (compute) =====
// CHECK-NEXT: #include <cstdint>
// CHECK-NOT: #include <cmath>
// CHECK: float [[INF:v[0-9]+]] = INFINITY;
// CHECK: float [[NAN:v[0-9]+]] = NAN;
// CHECK: fill_tile({{.*}}, [[INF]]);
// CHECK: fill_tile({{.*}}, [[NAN]]);
func.func @fill() attributes {ttl.thread = #ttl.thread<compute>} {
  %c0 = arith.constant 0 : i32
  %inf = arith.constant 0x7F800000 : f32
  %nan = arith.constant 0x7FC00000 : f32
  ttkernel.tile_regs_acquire
  ttkernel.fill_tile_init
  ttkernel.fill_tile %c0, %inf
  ttkernel.fill_tile %c0, %nan
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.tile_regs_release
  return
}

// CHECK-LABEL: // ===== kernel idle (datamovement) =====
// CHECK-NEXT: #include <cstdint>
// CHECK-NEXT: #include "api/dataflow/dataflow_api.h"
// COMPILED: compiled idle (datamovement)
func.func @idle() attributes {ttl.thread = #ttl.thread<datamovement>} {
  return
}
