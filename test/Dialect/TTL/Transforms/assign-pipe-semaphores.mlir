// RUN: ttlx-opt %s -split-input-file -ttl-assign-pipe-semaphores | FileCheck %s --enable-var-scope
// Semaphore ids of pipes: ttl.pipe_semaphores = array<i64: mailbox, done>,
// and the staging DFB of each send: ttl.pipe_staging.

// A chain 0 -> 1 -> 2: no common destination, so one mailbox id; different
// sources, so one done id.
// CHECK-LABEL: func.func @chain
func.func @chain() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // CHECK: ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 1>}
  %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
  // CHECK: ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 1>, ttl.pipe_staging = 1 : i64}
  %tx = ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Two pipes into core (2, 0) from different sources: separate mailboxes.
// CHECK-LABEL: func.func @common_destination
func.func @common_destination() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [2, 0] to [3, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 2>, ttl.pipe_staging = 1 : i64}
  %t0 = ttl.pipe_send #ttl.pipe<[0, 0] -> [2, 0] to [3, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t0 : !ttl.transfer_handle<pipe_send>
  // CHECK: ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 1, 2>, ttl.pipe_staging = 1 : i64}
  %t1 = ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t1 : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Two PipeNets whose pipes have the same ends are two channels (as in
// tt-lang): a mailbox and a done counter each.
// CHECK-LABEL: func.func @same_ends_two_nets
func.func @same_ends_two_nets() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 2>, ttl.pipe_staging = 1 : i64}
  %t0 = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t0 : !ttl.transfer_handle<pipe_send>
  // CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1>, %{{.*}} {ttl.pipe_semaphores = array<i64: 1, 3>, ttl.pipe_staging = 2 : i64}
  %t1 = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t1 : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// The operation's own semaphores (0 and 1 here) keep their ids; the pipe's
// mailbox and done counter come after them.
// CHECK-LABEL: func.func @after_user_semaphores
// CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 2, 3>, ttl.pipe_staging = 1 : i64}
func.func @after_user_semaphores(%v: i32) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  ttl.semaphore_set 1, %v
  ttl.semaphore_wait 0, %v
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Semaphores with an initial value (ttl.semaphore_init) keep their ids even
// when no op of the module uses them: the runtime sets them before the
// threads run, so a pipe's semaphores come after them.
// CHECK-LABEL: func.func @after_initialised_semaphores
// CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 3, 4>, ttl.pipe_staging = 1 : i64}
func.func @after_initialised_semaphores() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>, ttl.semaphore_init = array<i64: 0, 0, 7>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// A family (n, 0) -> (n + 1, 0), n < 3, and a pipe it holds are one
// channel: the same ids. The pipe into (3, 0) from (0, 0) shares a
// destination with the family's last member: another mailbox; its source
// is the family's first member's: another done counter.
// CHECK-LABEL: func.func @family
func.func @family() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 1] step [1, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 2>, ttl.pipe_staging = 1 : i64}
  %t0 = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 1] step [1, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t0 : !ttl.transfer_handle<pipe_send>
  // CHECK: ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 2>, ttl.pipe_staging = 1 : i64}
  %t1 = ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t1 : !ttl.transfer_handle<pipe_send>
  // CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [3, 0] to [4, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 1, 3>, ttl.pipe_staging = 2 : i64}
  %t2 = ttl.pipe_send #ttl.pipe<[0, 0] -> [3, 0] to [4, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t2 : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Sends stage their block in a DFB of the source core: one per done counter,
// numbered after the module's DFBs, one block of the largest block type its
// sends carry, bound at the entry of each function that sends. The two pipes
// here have different sources, so they share a done counter and its staging.
// CHECK-LABEL: func.func @staging
// CHECK-NEXT: ttl.bind_dfb 2 : !ttl.dfb<[1, 2], bf16, 1>
// CHECK: ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 1>, ttl.pipe_staging = 2 : i64}
// CHECK: ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %{{.*}} {ttl.pipe_semaphores = array<i64: 0, 1>, ttl.pipe_staging = 2 : i64}
func.func @staging() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %e = ttl.bind_dfb 1 : !ttl.dfb<[1, 2], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  %t0 = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %t0 : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  %c = ttl.dfb_wait %e : !ttl.dfb<[1, 2], bf16, 2>
  %t1 = ttl.pipe_send #ttl.pipe<[1, 0] -> [2, 0] to [3, 1]>, %c : tensor<1x2x!ttl.tile<bf16>>
  ttl.wait %t1 : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %e : !ttl.dfb<[1, 2], bf16, 2>
  return
}
