// SPDX-License-Identifier: Apache-2.0
//
// tt-metal's debug helpers that print a circular buffer's state and tiles
// through DPRINT (api/debug/dprint_pages.h of tt-metal 0.81):
// `print_cb_details(cb_id)` in any kernel, and in compute kernels
// `tt::compute::common::print_full_tile(cb_id, tile_id, untilize)`, which
// reads tile `tile_id` from the read pointer when the unpacker runs it
// (`UNPACK((...))`) and from the write pointer when the packer does
// (`PACK((...))`). The runtime formats and prints the lines.
#pragma once

#include "api/debug/dprint.h"
#include "ttlx_runtime/kernel_abi.h"

namespace ttlx_rt {

/// `cb_id N: { size: S, limit: L, page_size: P, num_pages: K, rd_ptr: R,
/// wr_ptr: W, wr_tile_ptr: T }` (bytes and L1 byte addresses).
void dprint_cb_details(int32_t cb, Site site);

/// A tile of `cb` at the read pointer (`trisc` 1, unpack) or the write
/// pointer (2, pack): `======`, then `r: v0 ... v31` per element row,
/// then `++++++`.
void dprint_full_tile(int32_t cb, uint32_t tile, bool untilize, Site site);

/// The compute core a statement runs on (1 unpack, 2 pack, 3 math, 0 all);
/// returns the previous one.
int set_trisc(int trisc);

struct TriscScope {
  int saved;
  explicit TriscScope(int trisc) : saved(set_trisc(trisc)) {}
  ~TriscScope() { set_trisc(saved); }
};

} // namespace ttlx_rt

#define print_cb_details(cb) ::ttlx_rt::dprint_cb_details((cb), TTLX_SITE)

namespace tt::compute::common {
inline void print_full_tile(uint32_t cb_id, uint32_t tile_id = 0,
                            bool untilize = false,
                            const char *file = __builtin_FILE(),
                            int line = __builtin_LINE()) {
  ::ttlx_rt::dprint_full_tile(static_cast<int32_t>(cb_id), tile_id, untilize,
                              ::ttlx_rt::Site{file, line});
}
} // namespace tt::compute::common

// tt-metal's selection of the compute core (TRISC) that runs a statement:
// `UNPACK((expr));`.
#ifndef UNPACK
#define UNPACK(x) do { ::ttlx_rt::TriscScope ttlx_trisc_(1); x; } while (0)
#define MATH(x) do { ::ttlx_rt::TriscScope ttlx_trisc_(3); x; } while (0)
#define PACK(x) do { ::ttlx_rt::TriscScope ttlx_trisc_(2); x; } while (0)
#endif
