// SPDX-License-Identifier: Apache-2.0
//
// Streaming stores: writes that go to memory without first reading the
// destination's lines into the cache (a normal store of a line not in the
// cache reads it first, a third memory pass on top of the copy's read and
// write). Worth it for destinations larger than the caches, whose lines
// leave them before anything reads them back: a DRAM buffer a kernel
// writes, a whole tensor converted to or from tile order.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ttlx_rt {

/// Destinations of this many bytes or more are written with streaming
/// stores.
constexpr uint64_t kStreamedBytes = uint64_t{8} << 20;

/// Copies `size` bytes (a multiple of 16; `to` 16-byte aligned, `from` any)
/// with streaming stores, without the fence (streamFence).
inline void streamStores(uint8_t *to, const uint8_t *from, uint32_t size) {
#if defined(__SSE2__)
  for (uint32_t i = 0; i < size; i += 16)
    _mm_stream_si128(reinterpret_cast<__m128i *>(to + i),
                     _mm_loadu_si128(reinterpret_cast<const __m128i *>(from + i)));
#else
  std::memcpy(to, from, size);
#endif
}

/// Streaming stores are weakly ordered: this makes those made so far
/// visible before any later store.
inline void streamFence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

} // namespace ttlx_rt
