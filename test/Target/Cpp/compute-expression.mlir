// RUN: ttlx-translate --ttkernel-to-cpp %s > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// The C++ of a TTL expression tree, sigmoid(a) * b + exp(-abs(a)), on 2x2
// tiles: one register-sync sequence per output tile, inside the tile loops.

// COMPILED: compiled compute (compute)

// CHECK-LABEL: // ===== kernel compute (compute) =====
// CHECK: void kernel_main() {
// CHECK: compute_kernel_hw_startup(
// CHECK: for (ptrdiff_t
// CHECK: for (ptrdiff_t
// CHECK: tile_regs_acquire();
// CHECK: sigmoid_tile(
// CHECK: mul_binary_tile(
// CHECK: exp_tile(
// CHECK: add_binary_tile(
// CHECK: tile_regs_commit();
// CHECK: tile_regs_wait();
// CHECK: pack_tile<true>(
// CHECK: tile_regs_release();
// CHECK-NOT: tile_regs_acquire();
// CHECK: cb_push_back(
func.func @compute() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 2], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[2, 2], bf16, 2>
  %dout = ttl.bind_dfb 2 : !ttl.dfb<[2, 2], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 2], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[2, 2], bf16, 2>
  %o = ttl.dfb_reserve %dout : !ttl.dfb<[2, 2], bf16, 2>
  %s = ttl.sigmoid %a : tensor<2x2x!ttl.tile<bf16>>
  %m = ttl.mul %s, %b : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  %abs = ttl.abs %a : tensor<2x2x!ttl.tile<bf16>>
  %n = ttl.neg %abs : tensor<2x2x!ttl.tile<bf16>>
  %e = ttl.exp %n : tensor<2x2x!ttl.tile<bf16>>
  %r = ttl.add %m, %e : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
  ttl.store %r, %o : tensor<2x2x!ttl.tile<bf16>>, tensor<2x2x!ttl.tile<bf16>>
  ttl.dfb_push %dout : !ttl.dfb<[2, 2], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[2, 2], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[2, 2], bf16, 2>
  return
}
