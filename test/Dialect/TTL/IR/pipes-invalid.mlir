// RUN: ttlx-opt %s -split-input-file -verify-diagnostics
// Each pipe verifier message.

func.func @source_outside_grid() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_send' op pipe source (2, 0) is outside the 2x1 grid of this operation; use a larger grid or a source inside it}}
  %tx = ttl.pipe_send #ttl.pipe<[2, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @destination_outside_grid() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_recv' op pipe destinations reach (4, 0), outside the 4x1 grid of this operation; use a larger grid or destinations inside it}}
  %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [5, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @recv_into_waited_block() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_recv' op destination block must come from 'ttl.dfb_reserve', but it is the result of 'ttl.dfb_wait'}}
  %rx = ttl.pipe_recv #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %rx : !ttl.transfer_handle<pipe_recv>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @send_from_compute() attributes {ttl.thread = #ttl.thread<compute>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_send' op pipe transfers run on data-movement threads, but the enclosing function is a compute thread}}
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @no_grid() attributes {ttl.thread = #ttl.thread<datamovement>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_send' op needs the grid, but the enclosing function has no 'ttl.grid' attribute}}
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

func.func @send_computed_block(%x: tensor<1x1x!ttl.tile<bf16>>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  // expected-error @+1 {{'ttl.pipe_send' op block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but it is a block argument}}
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %x : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  return
}

// -----

func.func @wait_on_argument(%h: !ttl.transfer_handle<pipe_recv>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  // expected-error @+1 {{'ttl.wait' op a pipe_recv handle must come from 'ttl.pipe_recv', but it is a block argument}}
  ttl.wait %h : !ttl.transfer_handle<pipe_recv>
  return
}

// -----

func.func @wait_on_argument_send(%h: !ttl.transfer_handle<pipe_send>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  // expected-error @+1 {{'ttl.wait' op a pipe_send handle must come from 'ttl.pipe_send', but it is a block argument}}
  ttl.wait %h : !ttl.transfer_handle<pipe_send>
  return
}

// -----

// expected-error @+1 {{pipe destination range [1, 0] to [1, 1] is empty}}
func.func @empty_range() attributes {p = #ttl.pipe<[0, 0] -> [1, 0] to [1, 1]>} {
  return
}

// -----

// expected-error @+1 {{pipe net numbers must not be negative}}
func.func @negative_net() attributes {p = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net -1>} {
  return
}

// -----

// expected-error @+1 {{pipe coordinates are (x, y) pairs}}
func.func @rank() attributes {p = #ttl.pipe<[0] -> [1, 0] to [2, 1]>} {
  return
}

// -----

// expected-error @+1 {{pipe coordinates must not be negative}}
func.func @negative() attributes {p = #ttl.pipe<[0, -1] -> [1, 0] to [2, 1]>} {
  return
}

// -----

// Semaphore ids name semaphores of a core.
func.func @pipe_semaphore_out_of_range() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_semaphores' must be array<i64: mailbox, done> with semaphore ids in [0, 16)}}
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b {ttl.pipe_semaphores = array<i64: 0, 16>} : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Only pipe ops have semaphore ids.
func.func @pipe_semaphores_elsewhere() attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttl.pipe_semaphores' is only valid on pipe sends and receives}}
  %d = ttl.bind_dfb 0 {ttl.pipe_semaphores = array<i64: 0, 1>} : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// The last member of a family, (2, 0) -> (3, 0), leaves the 3x1 grid.
func.func @family_outside_grid() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 3, 1>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
  // expected-error @+1 {{'ttl.pipe_send' op pipe destinations reach (3, 0), outside the 3x1 grid of this operation; use a larger grid or destinations inside it}}
  %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 1] step [1, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %tx : !ttl.transfer_handle<pipe_send>
  ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// expected-error @+1 {{a pipe family has a count and a step per dimension: repeat [cx, cy] step [sx, sy]}}
func.func @family_rank() attributes {a = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3] step [1]>} {
  return
}

// -----

// expected-error @+1 {{pipe family counts and steps must be positive}}
func.func @family_zero_step() attributes {a = #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 1] step [0, 1]>} {
  return
}

// -----

// Multicasts to 2 rows, 1 row apart: neighbours would share a row.
// expected-error @+1 {{the members of this pipe family share destinations: they are 1 apart along dimension 0 but each reaches 2 cores along it; use a step of at least the destination range}}
func.func @family_overlap() attributes {a = #ttl.pipe<[0, 0] -> [1, 0] to [3, 1] repeat [2, 1] step [1, 1]>} {
  return
}
