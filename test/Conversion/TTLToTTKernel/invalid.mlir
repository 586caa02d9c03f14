// RUN: ttlx-opt %s -split-input-file -convert-ttl-to-ttkernel -verify-diagnostics

// The grid size is a compile-time constant of the operation.
func.func @grid_size_without_grid() -> index attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.grid_size' op needs the grid size, but the enclosing function has no 'ttl.grid' attribute}}
  %g = ttl.grid_size 0
  return %g : index
}

// -----

// DRAM tensors reach a thread through its arguments (runtime args).
func.func @copy_from_local_tensor() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %t = tensor.empty() : tensor<32x32xbf16>
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.copy_to_block' op copies a DRAM tensor that is not an argument of the thread function; pass the tensor in as an argument}}
  %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// The lowering emits what ttl-assign-dst decided; without it there is
// nothing to emit.
func.func @store_without_dst_assignment() attributes {ttl.thread = #ttl.thread<compute>} {
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
  // expected-error @+1 {{'ttl.store' op has no DST assignment; run 'ttl-assign-dst' before lowering tile math}}
  ttl.store %e, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Pipe ops are lowered with the ids ttl-assign-pipe-semaphores wrote.
func.func @pipe_without_semaphores() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_send' op has no semaphore ids; run 'ttl-assign-pipe-semaphores' before lowering pipes}}
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}
