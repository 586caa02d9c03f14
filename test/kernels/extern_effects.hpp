// SPDX-License-Identifier: Apache-2.0
//
// User C++ of test/kernels/extern_effects.py (ttl.call_extern_func with
// tensors, ttl.raw_addr and dfb_effects): the reader and writer threads move
// tiles with the C++ below, which does the DFB protocol itself.
#pragma once

#include <cstdint>

#include "api/debug/dprint.h"
#if defined(COMPILE_FOR_TRISC)
#include "api/compute/common.h"
#endif

#if !defined(COMPILE_FOR_TRISC)
// Reserves one block of DFB `Block`, reads tensor pages first_page ... of
// `tensor` (a TensorAccessor) into it and pushes it: effects reserve, push.
template <typename Block, typename Accessor>
inline void load_block(const Accessor &tensor, uint32_t first_page) {
  cb_reserve_back(Block::index, Block::pages_per_block);
  uint32_t l1 = get_write_ptr(Block::index);
  for (uint32_t i = 0; i < Block::pages_per_block; ++i)
    noc_async_read_tile(first_page + i, tensor, l1 + i * Block::page_size);
  noc_async_read_barrier();
  cb_push_back(Block::index, Block::pages_per_block);
}

// Waits for one block of DFB `Block` and writes it to pages first_page ...
// of the bf16 tensor whose buffer starts at `address` (ttl.raw_addr), then
// pops it: effects wait, pop.
template <typename Block>
inline void store_block(uint32_t address, uint32_t first_page) {
  const InterleavedAddrGenFast<true> tensor = {
      address, Block::page_size, DataFormat::Float16_b};
  cb_wait_front(Block::index, Block::pages_per_block);
  uint32_t l1 = get_read_ptr(Block::index);
  for (uint32_t i = 0; i < Block::pages_per_block; ++i)
    noc_async_write_tile(first_page + i, tensor, l1 + i * Block::page_size);
  noc_async_write_barrier();
  cb_pop_front(Block::index, Block::pages_per_block);
}
#endif

// Prints a tensor's buffer address as the thread sees it (any thread).
inline void report_address(uint32_t address) {
#if defined(COMPILE_FOR_TRISC)
  UNPACK(DPRINT("address of y {}\n", address));
#else
  DPRINT("address of y {}\n", address);
#endif
}
