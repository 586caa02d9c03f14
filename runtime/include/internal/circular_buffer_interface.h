// SPDX-License-Identifier: Apache-2.0
//
// tt-metal's view of a circular buffer's state, `get_local_cb_interface(cb)`
// (internal/circular_buffer_interface.h of tt-metal 0.81), which user C++
// called from kernels (ttl.call_extern_func) reads. As on the device,
// pointers and sizes are in bytes in data-movement kernels and in 16-byte
// units in compute kernels. ttlx gives a snapshot of the DFB taken at the
// call (read it, do not write it: the runtime keeps the real state).
#pragma once

#include <cstdint>

#include "ttlx_runtime/kernel_abi.h"

struct LocalCBInterface {
  uint32_t fifo_size;
  uint32_t fifo_limit; // the end of its storage
  uint32_t fifo_page_size;
  uint32_t fifo_num_pages;
  uint32_t fifo_rd_ptr;
  uint32_t fifo_wr_ptr;
  union {
    uint32_t tiles_acked_received_init;
    struct {
      uint16_t tiles_acked;
      uint16_t tiles_received;
    };
  };
  uint32_t fifo_wr_tile_ptr;
};

inline LocalCBInterface &ttlx_local_cb_interface(uint32_t cb_id,
                                                 ttlx_rt::Site site) {
  static thread_local LocalCBInterface snapshots[64];
  ttlx_rt::CBState state = ttlx_rt::cb_state(static_cast<int32_t>(cb_id), site);
  LocalCBInterface &view = snapshots[cb_id % 64];
  view.fifo_size = state.size;
  view.fifo_limit = state.limit;
  view.fifo_page_size = state.page_size;
  view.fifo_num_pages = state.num_pages;
  view.fifo_rd_ptr = state.rd_ptr;
  view.fifo_wr_ptr = state.wr_ptr;
  view.tiles_acked = state.tiles_acked;
  view.tiles_received = state.tiles_received;
  view.fifo_wr_tile_ptr = state.wr_tile_ptr;
  return view;
}
#define get_local_cb_interface(cb_id) ttlx_local_cb_interface((cb_id), TTLX_SITE)
