// SPDX-License-Identifier: Apache-2.0
//
// Entry points of the ttlx host runtime that the tt-metal API headers call.
// Each takes the kernel source location of the call so faults can name it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ttlx_rt {

struct Site {
  const char *file;
  int line;
};

uint32_t arg(int index, Site site);
uint32_t logical_x();
uint32_t logical_y();

void cb_reserve_back(int32_t cb, int32_t pages, Site site);
void cb_push_back(int32_t cb, int32_t pages, Site site);
void cb_wait_front(int32_t cb, int32_t pages, Site site);
void cb_pop_front(int32_t cb, int32_t pages, Site site);
uint32_t cb_write_ptr(int32_t cb, Site site);
uint32_t cb_read_ptr(int32_t cb, Site site);
uint32_t cb_page_size(int32_t cb, Site site);

/// tt-metal's LocalCBInterface fields of a DFB (get_local_cb_interface):
/// L1 addresses and sizes in bytes, in 16-byte units in compute kernels;
/// tiles_acked / tiles_received count popped / pushed pages modulo 2^16.
struct CBState {
  uint32_t size, limit, page_size, num_pages, rd_ptr, wr_ptr;
  uint16_t tiles_acked, tiles_received;
  uint32_t wr_tile_ptr;
};
CBState cb_state(int32_t cb, Site site);

/// DRAM page `page` of the buffer at `bank_base` <-> `size` bytes of L1.
void dram_read_page(uint32_t bank_base, uint32_t page, uint32_t page_size,
                    uint32_t l1_addr, uint32_t offset, Site site);
void dram_write_page(uint32_t bank_base, uint32_t page, uint32_t page_size,
                     uint32_t l1_addr, Site site);

/// NOC addresses: (core x, core y, offset in that core's L1).
uint64_t noc_l1_addr(uint32_t x, uint32_t y, uint32_t local_l1_addr, Site site);
/// The NOC address of byte `offset` of page `page` of the buffer at
/// `bank_base` (get_noc_addr(id, accessor, offset)): noc_read / noc_write
/// move part of a page with it.
uint64_t dram_noc_addr(uint32_t bank_base, uint32_t page, uint32_t page_size,
                       uint32_t offset, Site site);
void noc_read(uint64_t src_noc_addr, uint32_t dst_l1, uint32_t size, Site site);
void noc_write(uint32_t src_l1, uint64_t dst_noc_addr, uint32_t size, Site site);
void read_barrier();
void write_barrier();

uint32_t semaphore_addr(uint32_t id, Site site);
void semaphore_set(uint32_t l1_addr, uint32_t value, Site site);
void semaphore_inc(uint64_t noc_addr, uint32_t incr, Site site);
void inline_dw_write(uint64_t noc_addr, uint32_t value, Site site);
void semaphore_wait(uint32_t l1_addr, uint32_t value, bool at_least, Site site);
void invalidate_l1_cache(Site site);

} // namespace ttlx_rt

#define TTLX_SITE (::ttlx_rt::Site{__FILE__, __LINE__})

// The C++ emitter prints infinite and NaN float constants as INFINITY / NAN
// (ttl.block.mask_posinf, fills): defined as <math.h> does, token for token
// (a later <cmath> redefines them identically), without its 20000 lines.
#ifndef INFINITY
#define INFINITY (__builtin_inff ())
#endif
#ifndef NAN
#define NAN (__builtin_nanf (""))
#endif
