// RUN: ttlx-opt %s -split-input-file -ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// Blocks carried through scf.for iter_args and scf.if results are DFB
// blocks like the acquire they come from: they verify, pass the protocol
// check and lower (a block is its L1 address; in tile math, its DFB's CB).

// A reserved block carried through a loop: copies into it and element
// writes on it, then the push (the loop-carried address is the write
// pointer on every iteration, so canonicalization drops the iter_arg).
// CHECK-LABEL: func.func @reserved_through_loop
// CHECK: %[[P:.*]] = ttkernel.get_write_ptr
// CHECK: scf.for
// CHECK: ttkernel.noc_async_read_tile %{{.*}}, %{{.*}}, %[[P]]
// CHECK: ttkernel.l1_store %[[P]][%{{.*}}]
// CHECK: }
// CHECK: ttkernel.l1_store %[[P]][%{{.*}}]
// CHECK: ttkernel.cb_push_back
func.func @reserved_through_loop(%t: tensor<32x32xbf16>, %v: bf16) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %r = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %last = scf.for %i = %c0 to %c4 step %c1 iter_args(%b = %r) -> (tensor<1x1x!ttl.tile<bf16>>) {
    %h = ttl.copy_to_block %t[%c0, %c0], %b : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
    ttl.wait %h : !ttl.transfer_handle<read>
    ttl.element_write %b[%i, %c0], %v : tensor<1x1x!ttl.tile<bf16>>, bf16
    scf.yield %b : tensor<1x1x!ttl.tile<bf16>>
  }
  ttl.element_write %last[%c0, %c0], %v : tensor<1x1x!ttl.tile<bf16>>, bf16
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A waited block chosen by scf.if: element read and write (an in-place
// patch) and a copy out of it.
// CHECK-LABEL: func.func @waited_through_if
// CHECK: %[[A:.*]] = ttkernel.get_read_ptr
// CHECK: %[[B:.*]] = ttkernel.get_read_ptr
// CHECK: %[[X:.*]] = arith.select %{{.*}}, %[[A]], %[[B]] : i32
// CHECK: %[[V:.*]] = ttkernel.l1_load %[[X]][%{{.*}}] : bf16
// CHECK: ttkernel.l1_store %[[X]][%{{.*}}], %[[V]] : bf16
// CHECK: ttkernel.noc_async_write_tile %{{.*}}, %{{.*}}, %[[X]]
func.func @waited_through_if(%t: tensor<32x32xbf16>, %c: i1) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %d1 = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %d0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d1 : !ttl.dfb<[1, 1], bf16, 2>
  %x = scf.if %c -> (tensor<1x1x!ttl.tile<bf16>>) {
    scf.yield %a : tensor<1x1x!ttl.tile<bf16>>
  } else {
    scf.yield %b : tensor<1x1x!ttl.tile<bf16>>
  }
  %v = ttl.element_read %x[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
  ttl.element_write %x[%c0, %c1], %v : tensor<1x1x!ttl.tile<bf16>>, bf16
  %h = ttl.copy_to_tensor %x, %t[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>>, tensor<32x32xbf16>
  ttl.wait %h : !ttl.transfer_handle<write>
  ttl.dfb_pop %d1 : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %d0 : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Tile math on a waited block carried through a loop, stored into a
// reserved block carried through the same loop: the CBs of their DFBs.
// CHECK-LABEL: func.func @compute_through_loop
// CHECK-DAG: %[[IN:.*]] = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
// CHECK-DAG: %[[OUT:.*]] = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
// CHECK: scf.for
// CHECK: ttkernel.tile_regs_acquire
// CHECK: ttkernel.copy_tile %[[IN]],
// CHECK: ttkernel.exp_tile
// CHECK: ttkernel.pack_tile %{{.*}}, %[[OUT]],
// CHECK: }
// CHECK: ttkernel.cb_push_back %[[OUT]]
func.func @compute_through_loop() attributes {ttl.thread = #ttl.thread<compute>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %da = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %do = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 2>
  %a = ttl.dfb_wait %da : !ttl.dfb<[1, 1], bf16, 2>
  %o = ttl.dfb_reserve %do : !ttl.dfb<[1, 1], bf16, 2>
  %r:2 = scf.for %i = %c0 to %c2 step %c1 iter_args(%x = %a, %y = %o) -> (tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>) {
    %e = ttl.exp %x : tensor<1x1x!ttl.tile<bf16>>
    ttl.store %e, %y : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
    scf.yield %x, %y : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
  }
  ttl.dfb_push %do : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %da : !ttl.dfb<[1, 1], bf16, 2>
  return
}
