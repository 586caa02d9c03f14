// RUN: ttlx-translate --ttkernel-to-cpp %s > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// relu(a @ b) for 2x4 by 4x2 tiles: matmul_init, then per output tile a loop
// of matmul_tiles over K into one DST tile; it compiles against the
// runtime's tt-metal headers.

// COMPILED: compiled mm (compute)

// CHECK-LABEL: // ===== kernel mm (compute) =====
// CHECK: #include "api/compute/matmul.h"
// CHECK: tile_regs_acquire();
// CHECK: matmul_init(
// CHECK: for (ptrdiff_t
// CHECK: matmul_tiles(
// CHECK: relu_tile(
// CHECK: pack_tile<true>(
func.func @mm() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 4], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[4, 2], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[2, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 4], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[4, 2], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[2, 2], bf16, 2>
  %p = ttl.matmul %a, %b : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  %r = ttl.relu %p : tensor<2x2x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[2, 2], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[4, 2], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[2, 4], bf16, 2>
  return
}
