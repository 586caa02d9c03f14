// RUN: ttlx-translate --ttkernel-to-cpp %s > %t.cpp
// RUN: FileCheck %s --input-file=%t.cpp
// RUN: %compile-kernels %t.cpp | FileCheck %s --check-prefix=COMPILED
//
// RMSNorm over rows of 1024 columns (1x32-tile blocks), two tile rows:
// y = x * rsqrt(mean(x^2) + eps). test/python/test_rmsnorm.py runs it
// (and its f32 twin) against torch.

// COMPILED: compiled reader (datamovement)
// COMPILED: compiled compute (compute)
// COMPILED: compiled writer (datamovement)

// Three tile programs in the compute kernel: x*x, rsqrt(reduce + eps) and
// x * broadcast(inv).
// CHECK-LABEL: // ===== kernel compute (compute) =====
// CHECK: compute_kernel_hw_startup(
// CHECK: tile_regs_acquire();
// CHECK: mul_tiles(
// CHECK: pack_tile<true>(
// CHECK: tile_regs_acquire();
// CHECK: reduce_init<PoolType::SUM, ReduceDim::REDUCE_ROW>(
// CHECK: reduce_tile<PoolType::SUM, ReduceDim::REDUCE_ROW>(
// CHECK: reduce_uninit(
// CHECK: fill_tile(
// CHECK: add_binary_tile(
// CHECK: rsqrt_tile(
// CHECK: pack_tile<true>(
// CHECK: tile_regs_acquire();
// CHECK: mul_tiles_bcast_cols(
// CHECK: pack_tile<true>(

func.func @reader(%x: tensor<64x1024xbf16>, %s: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 1, 1>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 32], bf16, 2>
  %ds = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
  %sb = ttl.dfb_reserve %ds : !ttl.dfb<[1, 1], bf16, 1>
  %sx = ttl.copy_to_block %s[%c0, %c0], %sb : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %sx : !ttl.transfer_handle<read>
  ttl.dfb_push %ds : !ttl.dfb<[1, 1], bf16, 1>
  scf.for %r = %c0 to %c2 step %c1 {
    %xb = ttl.dfb_reserve %dx : !ttl.dfb<[1, 32], bf16, 2>
    %xx = ttl.copy_to_block %x[%r, %c0], %xb : tensor<64x1024xbf16>, tensor<1x32x!ttl.tile<bf16>>
    ttl.wait %xx : !ttl.transfer_handle<read>
    ttl.dfb_push %dx : !ttl.dfb<[1, 32], bf16, 2>
  }
  return
}

func.func @compute() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %eps = arith.constant 1.0e-5 : f32
  %dx = ttl.bind_dfb 0 : !ttl.dfb<[1, 32], bf16, 2>
  %ds = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
  %dsq = ttl.bind_dfb 2 : !ttl.dfb<[1, 32], bf16, 1>
  %dinv = ttl.bind_dfb 3 : !ttl.dfb<[1, 1], bf16, 1>
  %dout = ttl.bind_dfb 4 : !ttl.dfb<[1, 32], bf16, 2>
  %scaler = ttl.dfb_wait %ds : !ttl.dfb<[1, 1], bf16, 1>
  scf.for %r = %c0 to %c2 step %c1 {
    %x = ttl.dfb_wait %dx : !ttl.dfb<[1, 32], bf16, 2>
    // x^2 into an intermediate DFB: reduce_tile reads circular buffers.
    %sqb = ttl.dfb_reserve %dsq : !ttl.dfb<[1, 32], bf16, 1>
    %sq = ttl.mul %x, %x : tensor<1x32x!ttl.tile<bf16>>, tensor<1x32x!ttl.tile<bf16>> -> tensor<1x32x!ttl.tile<bf16>>
    ttl.store %sq, %sqb : tensor<1x32x!ttl.tile<bf16>>, tensor<1x32x!ttl.tile<bf16>>
    ttl.dfb_push %dsq : !ttl.dfb<[1, 32], bf16, 1>
    // rsqrt(mean(x^2) + eps): the scaler tile holds 1/1024.
    %sqw = ttl.dfb_wait %dsq : !ttl.dfb<[1, 32], bf16, 1>
    %invb = ttl.dfb_reserve %dinv : !ttl.dfb<[1, 1], bf16, 1>
    %mean = ttl.reduce_sum %sqw, %scaler row : tensor<1x32x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
    %shifted = ttl.add %mean, %eps : tensor<1x1x!ttl.tile<bf16>>, f32 -> tensor<1x1x!ttl.tile<bf16>>
    %inv = ttl.rsqrt %shifted : tensor<1x1x!ttl.tile<bf16>>
    ttl.store %inv, %invb : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
    ttl.dfb_push %dinv : !ttl.dfb<[1, 1], bf16, 1>
    ttl.dfb_pop %dsq : !ttl.dfb<[1, 32], bf16, 1>
    // x * broadcast(inv) along each row.
    %invw = ttl.dfb_wait %dinv : !ttl.dfb<[1, 1], bf16, 1>
    %ob = ttl.dfb_reserve %dout : !ttl.dfb<[1, 32], bf16, 2>
    %bc = ttl.broadcast %invw col : tensor<1x1x!ttl.tile<bf16>> -> tensor<1x32x!ttl.tile<bf16>>
    %y = ttl.mul %x, %bc : tensor<1x32x!ttl.tile<bf16>>, tensor<1x32x!ttl.tile<bf16>> -> tensor<1x32x!ttl.tile<bf16>>
    ttl.store %y, %ob : tensor<1x32x!ttl.tile<bf16>>, tensor<1x32x!ttl.tile<bf16>>
    ttl.dfb_push %dout : !ttl.dfb<[1, 32], bf16, 2>
    ttl.dfb_pop %dinv : !ttl.dfb<[1, 1], bf16, 1>
    ttl.dfb_pop %dx : !ttl.dfb<[1, 32], bf16, 2>
  }
  ttl.dfb_pop %ds : !ttl.dfb<[1, 1], bf16, 1>
  return
}

func.func @writer(%y: tensor<64x1024xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 1, 1>, ttl.base_cta_index = 1} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %dout = ttl.bind_dfb 4 : !ttl.dfb<[1, 32], bf16, 2>
  scf.for %r = %c0 to %c2 step %c1 {
    %ob = ttl.dfb_wait %dout : !ttl.dfb<[1, 32], bf16, 2>
    %xo = ttl.copy_to_tensor %ob, %y[%r, %c0] : tensor<1x32x!ttl.tile<bf16>>, tensor<64x1024xbf16>
    ttl.wait %xo : !ttl.transfer_handle<write>
    ttl.dfb_pop %dout : !ttl.dfb<[1, 32], bf16, 2>
  }
  return
}
