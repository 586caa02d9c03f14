// SPDX-License-Identifier: Apache-2.0
//
// Tile pages gathered from and scattered to a matrix in rows (TilesInRows.h).
// The tile order is the one of Layout.cpp: tiles row-major, each four 16x16
// faces in row-major face order, row-major inside a face; so byte b of a
// page is in face row b / (16 * elemSize), which is row
// (face / 2) * 16 + face row % 16 and columns from (face % 2) * 16 of the
// tile.

#include "TilesInRows.h"

#include <algorithm>
#include <cstring>

namespace ttlx_rt {

namespace {

/// Calls visit(bytes in the matrix, offset from the page's start, length)
/// for the 64 face rows of the whole tile page whose element (0, 0) is at
/// `tile`, row by row of the tile, while visit returns true. `E` is the
/// element size: each face row is a run of constant length (an inlined
/// copy). Each row of the tile is 32 rows apart from the next in memory,
/// too many streams for the hardware prefetcher: the same row of `next`,
/// the tile of the next page (kernels mostly move a tile-row's pages in
/// order), is prefetched as each row is visited, for writing when `Write`.
template <uint32_t E, bool Write, typename Visit>
__attribute__((always_inline)) inline bool
wholePage(uint8_t *tile, const uint8_t *next, uint64_t rowStride,
          Visit &visit) {
  for (uint32_t r = 0; r < 32; ++r, tile += rowStride, next += rowStride) {
    for (uint32_t line = 0; line < 32 * E; line += 64)
      __builtin_prefetch(next + line, Write);
    const uint32_t pos = ((r / 16) * 512 + (r % 16) * 16) * E;
    if (!visit(tile, pos, 16 * E) ||
        !visit(tile + 16 * E, pos + 256 * E, 16 * E))
      return false;
  }
  return true;
}

/// Calls visit(bytes in the matrix, offset from `at`, length) for the runs
/// of bytes [at, at + size) of `m` in tile order while visit returns true;
/// returns whether every call did. `Write`: the runs are written.
template <bool Write, typename Visit>
__attribute__((always_inline)) inline bool
forRuns(const TilesInRows &m, uint64_t at, uint32_t size, Visit visit) {
  const uint32_t es = m.elemSize, run = 16 * es, page = 1024 * es;
  const uint64_t end = at + size;
  auto tileOf = [&](uint64_t p) {
    return m.data + (p / m.tilesPerRow) * 32 * m.rowStride +
           (p % m.tilesPerRow) * 32 * es;
  };
  uint32_t done = 0; // bytes visited
  while (at < end) {
    const uint64_t p = at / page;
    const auto inPage = static_cast<uint32_t>(at % page);
    uint8_t *tile = tileOf(p);
    if (inPage == 0 && end - at >= page && (es == 2 || es == 4)) {
      auto shifted = [&](uint8_t *bytes, uint32_t pos, uint32_t n) {
        return visit(bytes, done + pos, n);
      };
      // Past the last page, `next` is never read: prefetches do not fault.
      const uint8_t *next = tileOf(p + 1);
      if (!(es == 4 ? wholePage<4, Write>(tile, next, m.rowStride, shifted)
                    : wholePage<2, Write>(tile, next, m.rowStride, shifted)))
        return false;
      at += page;
      done += page;
      continue;
    }
    const uint32_t faceRow = inPage / run, within = inPage % run;
    const uint32_t face = faceRow / 16;
    const auto n = static_cast<uint32_t>(
        std::min<uint64_t>(run - within, end - at));
    uint8_t *bytes = tile + ((face / 2) * 16 + faceRow % 16) * m.rowStride +
                     (face % 2) * 16 * es + within;
    if (!visit(bytes, done, n))
      return false;
    at += n;
    done += n;
  }
  return true;
}

} // namespace

void TilesInRows::read(uint64_t at, uint8_t *to, uint32_t size) const {
  forRuns<false>(*this, at, size, [to](uint8_t *bytes, uint32_t pos, uint32_t n) {
    std::memcpy(to + pos, bytes, n);
    return true;
  });
}

void TilesInRows::write(uint64_t at, const uint8_t *from,
                        uint32_t size) const {
  forRuns<true>(*this, at, size, [from](uint8_t *bytes, uint32_t pos, uint32_t n) {
    std::memcpy(bytes, from + pos, n);
    return true;
  });
}

bool TilesInRows::equals(uint64_t at, const uint8_t *other,
                         uint32_t size) const {
  return forRuns<false>(*this, at, size,
                 [other](uint8_t *bytes, uint32_t pos, uint32_t n) {
                   return std::memcmp(bytes, other + pos, n) == 0;
                 });
}

} // namespace ttlx_rt
