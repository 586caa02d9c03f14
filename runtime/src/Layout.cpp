// SPDX-License-Identifier: Apache-2.0
//
// Tile layout conversion, in place (a host tensor's own memory serves as
// its DRAM buffer) or from one buffer into another (a host tensor kept in
// tile order between operations, docs/runtime.md). A band of 32 rows holds
// exactly one row of tiles, so each band converts on its own; in place,
// through a band-sized scratch buffer. A copy's matrix in rows may have its
// rows at any stride (a column slice, or rows that repeat one row: stride
// 0). Tiles of a band in order; each tile
// four 16x16 faces in row-major face order, row-major inside a face. The
// bands of a large tensor are shared out over the host threads
// (HostThreads.h): the copy is memory-bound, and so is the first touch of a
// fresh destination's pages. A destination larger than the caches is
// written with streaming stores (StreamingStores.h), a whole line at a time.

#include "HostThreads.h"
#include "StreamingStores.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

/// Converts one band of 32 rows x `cols` elements of `elemSize` bytes from
/// `from` into `to` (distinct memory), to tiles when `ToTiles`, otherwise
/// back to rows; in rows, row r starts r * `rowStride` bytes after row 0.
/// Row by row: the side in rows is read or written front to back, one
/// stream the hardware prefetcher follows, and the band's tiles (a few
/// hundred KiB) stay in cache while their rows arrive. Tile by tile, each
/// tile's 32 rows were 32 streams: the copy took twice as long.
///
/// `Stream`: with streaming stores (element sizes 2 and 4), each 64-byte
/// line of `to` written whole at once (a line written in two halves far
/// apart in time would be written to memory twice, each half read first).
/// For bf16 to tiles a line holds the same face row of two rows, so the
/// rows go two at a time (with ordinary stores that was slower,
/// docs/measurements.md); the other lines are a row's face row (f32) or
/// the two face rows side by side in a row (back to rows). Needs `to` (and
/// the stride of rows in `to`) 16-byte aligned; the caller fences
/// (streamFence).
template <bool ToTiles, bool Stream>
__attribute__((always_inline)) inline void
convertBandOf(const uint8_t *from, uint8_t *to, uint64_t cols,
              uint32_t elemSize, uint64_t rowStride) {
  const uint64_t run = 16 * elemSize;   // one face row
  const uint64_t face = 256 * elemSize; // to the face on its right
  const uint32_t rowsAtOnce = Stream && ToTiles && elemSize == 2 ? 2 : 1;
  auto copy = [run](uint8_t *dst, const uint8_t *src) {
    if (Stream)
      ttlx_rt::streamStores(dst, src, static_cast<uint32_t>(run));
    else
      std::memcpy(dst, src, run);
  };
  for (uint32_t r = 0; r < 32; r += rowsAtOnce) {
    // Row r is face row r % 16 of the tiles' faces 2 * (r / 16) and the one
    // after it (the row's right half).
    const uint64_t plainRow = r * rowStride;
    const uint64_t tiledRow = ((r / 16) * 512 + (r % 16) * 16) * elemSize;
    for (uint64_t tile = 0; tile < cols / 32; ++tile) {
      const uint64_t plain = plainRow + tile * 2 * run;
      const uint64_t tiled = tiledRow + tile * 1024 * elemSize;
      for (uint32_t half = 0; half < 2; ++half)
        for (uint32_t k = 0; k < rowsAtOnce; ++k) {
          if (ToTiles)
            copy(to + tiled + half * face + k * run,
                 from + plain + k * rowStride + half * run);
          else
            copy(to + plain + half * run, from + tiled + half * face);
        }
    }
  }
}

/// The kernels' element sizes (bf16, f32) are constants here, so each
/// face row is a copy of constant size, inlined, not a call of memcpy;
/// `stream` (those sizes only): with streaming stores.
template <bool ToTiles>
void convertBandTo(const uint8_t *from, uint8_t *to, uint64_t cols,
                   uint32_t elemSize, uint64_t rowStride, bool stream) {
  switch (elemSize) {
  case 2:
    return stream ? convertBandOf<ToTiles, true>(from, to, cols, 2, rowStride)
                  : convertBandOf<ToTiles, false>(from, to, cols, 2, rowStride);
  case 4:
    return stream ? convertBandOf<ToTiles, true>(from, to, cols, 4, rowStride)
                  : convertBandOf<ToTiles, false>(from, to, cols, 4, rowStride);
  default:
    return convertBandOf<ToTiles, false>(from, to, cols, elemSize, rowStride);
  }
}

void convertBand(const uint8_t *from, uint8_t *to, uint64_t cols,
                 uint32_t elemSize, uint64_t rowStride, bool toTiles,
                 bool stream) {
  if (toTiles)
    convertBandTo<true>(from, to, cols, elemSize, rowStride, stream);
  else
    convertBandTo<false>(from, to, cols, elemSize, rowStride, stream);
}

/// A thread takes at least this many bytes of bands (below, starting a
/// thread costs more than it saves).
constexpr uint64_t kBytesPerThread = uint64_t{4} << 20;

/// Runs convert(first, last) on shares of the `bands` bands of `bandBytes`.
template <typename Convert>
void forBands(uint64_t bands, uint64_t bandBytes, Convert convert) {
  ttlx_rt::forEachShare(bands, (kBytesPerThread + bandBytes - 1) / bandBytes,
                        ttlx_rt::configuredWorkers(), convert);
}

void convertInPlace(uint8_t *data, uint64_t rows, uint64_t cols,
                    uint32_t elemSize, bool toTiles) {
  const uint64_t band = 32 * cols * elemSize;
  forBands(rows / 32, band, [&](uint64_t first, uint64_t last) {
    std::vector<uint8_t> scratch(band);
    for (uint64_t b = first; b < last; ++b) {
      uint8_t *at = data + b * band;
      std::memcpy(scratch.data(), at, band);
      convertBand(scratch.data(), at, cols, elemSize, cols * elemSize, toTiles,
                  /*stream=*/false);
    }
  });
}

/// `rowStride`: of the matrix in rows (`src` when `toTiles`, else `dst`).
void convertCopy(const uint8_t *src, uint8_t *dst, uint64_t rows,
                 uint64_t cols, uint32_t elemSize, uint64_t rowStride,
                 bool toTiles) {
  const uint64_t band = 32 * cols * elemSize;
  const uint64_t srcBand = toTiles ? 32 * rowStride : band;
  const uint64_t dstBand = toTiles ? band : 32 * rowStride;
  // The destination's lines stream when it is larger than the caches and
  // every face row in it is 16-byte aligned.
  const bool stream = rows * cols * elemSize >= ttlx_rt::kStreamedBytes &&
                      (elemSize == 2 || elemSize == 4) &&
                      reinterpret_cast<uintptr_t>(dst) % 16 == 0 &&
                      (toTiles || rowStride % 16 == 0);
  forBands(rows / 32, band, [&](uint64_t first, uint64_t last) {
    for (uint64_t b = first; b < last; ++b)
      convertBand(src + b * srcBand, dst + b * dstBand, cols, elemSize,
                  rowStride, toTiles, stream);
    if (stream)
      ttlx_rt::streamFence();
  });
}

} // namespace

extern "C" {

/// Row-major -> tiles, in place. rows and cols are multiples of 32.
void ttlx_rt_tilize_in_place(void *data, uint64_t rows, uint64_t cols,
                             uint32_t elemSize) {
  convertInPlace(static_cast<uint8_t *>(data), rows, cols, elemSize, true);
}

/// Tiles -> row-major, in place.
void ttlx_rt_untilize_in_place(void *data, uint64_t rows, uint64_t cols,
                               uint32_t elemSize) {
  convertInPlace(static_cast<uint8_t *>(data), rows, cols, elemSize, false);
}

/// Row-major `src`, its rows `rowStride` bytes apart (any stride, 0
/// included), -> tiles in contiguous `dst` (not overlapping `src`).
void ttlx_rt_tilize_copy(const void *src, void *dst, uint64_t rows,
                         uint64_t cols, uint32_t elemSize, uint64_t rowStride) {
  convertCopy(static_cast<const uint8_t *>(src), static_cast<uint8_t *>(dst),
              rows, cols, elemSize, rowStride, true);
}

/// Tiles in contiguous `src` -> row-major in `dst`, its rows `rowStride`
/// bytes apart (not overlapping each other or `src`).
void ttlx_rt_untilize_copy(const void *src, void *dst, uint64_t rows,
                           uint64_t cols, uint32_t elemSize,
                           uint64_t rowStride) {
  convertCopy(static_cast<const uint8_t *>(src), static_cast<uint8_t *>(dst),
              rows, cols, elemSize, rowStride, false);
}

} // extern "C"
