// RUN: ttlx-opt %s -ttl-assign-dst -ttl-assign-pipe-semaphores -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// acc + a @ b with a 2x4 and b 4x2 tiles: per output tile, the accumulator
// is unpacked into DST 0, then matmul_tiles accumulates the four K tiles
// into DST 1 (fresh after tile_regs_acquire), then the SFPU adds.

// CHECK-LABEL: func.func @accumulate
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.copy_tile %[[ACC:.*]], %{{.*}}, %c0_i32
// CHECK: ttkernel.matmul_init %[[A:.*]], %[[B:.*]]
// CHECK: scf.for %[[K:.*]] = %c0 to %c4 step %c1
// CHECK:   ttkernel.matmul_tiles %[[A]], %[[B]], %{{.*}}, %{{.*}}, %c1_i32
// CHECK: ttkernel.add_binary_tile %c0_i32, %c1_i32, %c0_i32
// CHECK: ttkernel.pack_tile %c0_i32
func.func @accumulate() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 4], f32, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[4, 2], f32, 2>
  %dc = ttl.bind_dfb 2 : !ttl.dfb<[2, 2], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 4], f32, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[4, 2], f32, 2>
  %prev = ttl.dfb_wait %dc : !ttl.dfb<[2, 2], f32, 2>
  %next = ttl.dfb_reserve %dc : !ttl.dfb<[2, 2], f32, 2>
  %p = ttl.matmul %a, %b : tensor<2x4x!ttl.tile<f32>>, tensor<4x2x!ttl.tile<f32>> -> tensor<2x2x!ttl.tile<f32>>
  %s = ttl.add %prev, %p : tensor<2x2x!ttl.tile<f32>>, tensor<2x2x!ttl.tile<f32>> -> tensor<2x2x!ttl.tile<f32>>
  ttl.store %s, %next : tensor<2x2x!ttl.tile<f32>>, tensor<2x2x!ttl.tile<f32>>
  ttl.dfb_push %dc : !ttl.dfb<[2, 2], f32, 2>
  ttl.dfb_pop %dc : !ttl.dfb<[2, 2], f32, 2>
  ttl.dfb_pop %db : !ttl.dfb<[4, 2], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[2, 4], f32, 2>
  return
}

// acc + a @ b as `ttl.matmul %a, %b onto %acc`: acc is unpacked into DST 0
// and matmul_tiles adds the four K tiles onto it there: no fill, no add.
// CHECK-LABEL: func.func @onto
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.copy_tile %[[ACC:.*]], %{{.*}}, %c0_i32
// CHECK-NOT: ttkernel.fill_tile
// CHECK: ttkernel.matmul_init %[[A:.*]], %[[B:.*]]
// CHECK: scf.for %[[K:.*]] = %c0 to %c4 step %c1
// CHECK:   ttkernel.matmul_tiles %[[A]], %[[B]], %{{.*}}, %{{.*}}, %c0_i32
// CHECK-NOT: ttkernel.add_binary_tile
// CHECK: ttkernel.pack_tile %c0_i32
func.func @onto() attributes {ttl.thread = #ttl.thread<compute>, ttl.fp32_dest_acc} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[2, 4], f32, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[4, 2], f32, 2>
  %dc = ttl.bind_dfb 2 : !ttl.dfb<[2, 2], f32, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[2, 4], f32, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[4, 2], f32, 2>
  %prev = ttl.dfb_wait %dc : !ttl.dfb<[2, 2], f32, 2>
  %next = ttl.dfb_reserve %dc : !ttl.dfb<[2, 2], f32, 2>
  %s = ttl.matmul %a, %b onto %prev : tensor<2x4x!ttl.tile<f32>>, tensor<4x2x!ttl.tile<f32>> -> tensor<2x2x!ttl.tile<f32>>
  ttl.store %s, %next : tensor<2x2x!ttl.tile<f32>>, tensor<2x2x!ttl.tile<f32>>
  ttl.dfb_push %dc : !ttl.dfb<[2, 2], f32, 2>
  ttl.dfb_pop %dc : !ttl.dfb<[2, 2], f32, 2>
  ttl.dfb_pop %db : !ttl.dfb<[4, 2], f32, 2>
  ttl.dfb_pop %da : !ttl.dfb<[2, 4], f32, 2>
  return
}

// Two products onto one another (the ShortConv's row shift S @ x + H @ h):
// the second adds onto the first in its slot; no fill, no add.
// CHECK-LABEL: func.func @product_onto_product
// CHECK: ttkernel.tile_regs_acquire
// CHECK-NOT: ttkernel.fill_tile
// CHECK: ttkernel.matmul_tiles %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c0_i32
// CHECK-NOT: ttkernel.fill_tile
// CHECK: ttkernel.matmul_tiles %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c0_i32
// CHECK-NOT: ttkernel.add_binary_tile
// CHECK: ttkernel.pack_tile %c0_i32
func.func @product_onto_product() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %db = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %db : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %p = ttl.matmul %a, %b : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %q = ttl.matmul %b, %a onto %p : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %q, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %db : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// A product evaluated into a DST slot that an earlier operand used (here
// exp(x) frees slot 1 before the matmul needs it): the slot is zeroed with
// fill_tile first, since matmul_tiles accumulates into DST.
// CHECK-LABEL: func.func @reused_slot
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.binary_max_tile
// CHECK: ttkernel.fill_tile %[[SLOT:.*]], %cst
// CHECK-NEXT: ttkernel.matmul_init
// CHECK: ttkernel.matmul_tiles %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SLOT]]
func.func @reused_slot() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  %m = ttl.max %a, %e : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %p = ttl.matmul %a, %a : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  %s = ttl.add %m, %p : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
  ttl.store %s, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}
