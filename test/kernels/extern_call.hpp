// SPDX-License-Identifier: Apache-2.0
//
// User C++ of test/kernels/extern_call.py (ttl.call_extern_func).
#pragma once

#include <cstdint>

#if defined(COMPILE_FOR_TRISC)
#include "api/compute/common.h"
#endif

// Flips the sign bit of every bf16 element of the block reserved in DFB
// `Block` (its write pointer), when `Enabled`: `mask` is the bit. `dfb` is
// the same DFB's index, passed as a function argument.
template <typename Block, uint32_t Id, bool Enabled>
inline void flip_signs(uint32_t dfb, uint32_t mask) {
#if !defined(COMPILE_FOR_TRISC)
  static_assert(Block::index == Id, "a descriptor and an id of one DFB");
  if (!Enabled || dfb != Block::index)
    return;
  auto *element = reinterpret_cast<uint16_t *>(get_write_ptr(Block::index));
  uint32_t count = Block::pages_per_block * Block::page_size / sizeof(uint16_t);
  for (uint32_t i = 0; i < count; ++i)
    element[i] ^= static_cast<uint16_t>(mask);
#endif
}

// Prints what tt-metal's unpacker sees of the waited DFB `Block`, and a
// float passed by its bit pattern.
template <typename Block, uint32_t ScaleBits, int32_t Offset>
inline void report_dfb() {
#if defined(COMPILE_FOR_TRISC)
  using namespace ckernel;
  UNPACK(({
    const LocalCBInterface &view = get_local_cb_interface(Block::index);
    DPRINT("dfb pages {} of {} bytes, {} blocks, page in 16-byte units {}, "
           "scale bits {}, offset {}\n",
           Block::pages_per_block, Block::page_size, Block::block_count,
           view.fifo_page_size, ScaleBits, Offset);
  }));
#endif
}
