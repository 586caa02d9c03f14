// SPDX-License-Identifier: Apache-2.0
//
// Tile layout conversion in place, so a host tensor's own memory can serve
// as its DRAM buffer: a band of 32 rows holds exactly one row of tiles, so
// each band is converted through a band-sized scratch buffer. Tiles of a
// band in order; each tile four 16x16 faces in row-major face order,
// row-major inside a face (docs/runtime.md).

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

/// Converts `rows` x `cols` elements of `elemSize` bytes at `data` between
/// row-major and tiled order (`toTiles` picks the direction).
void convert(uint8_t *data, uint64_t rows, uint64_t cols, uint32_t elemSize,
             bool toTiles) {
  const uint64_t band = 32 * cols * elemSize;
  const uint64_t run = 16 * elemSize; // one face row
  std::vector<uint8_t> scratch(band);
  for (uint64_t r0 = 0; r0 < rows; r0 += 32) {
    uint8_t *rowMajor = data + r0 * cols * elemSize;
    std::memcpy(scratch.data(), rowMajor, band);
    for (uint64_t tile = 0; tile < cols / 32; ++tile) {
      for (uint32_t r = 0; r < 32; ++r) {
        for (uint32_t half = 0; half < 2; ++half) {
          uint64_t plain = (r * cols + tile * 32 + half * 16) * elemSize;
          uint64_t tiled =
              (tile * 1024 + ((r / 16) * 2 + half) * 256 + (r % 16) * 16) *
              elemSize;
          if (toTiles)
            std::memcpy(rowMajor + tiled, scratch.data() + plain, run);
          else
            std::memcpy(rowMajor + plain, scratch.data() + tiled, run);
        }
      }
    }
  }
}

} // namespace

extern "C" {

/// Row-major -> tiles, in place. rows and cols are multiples of 32.
void ttlx_rt_tilize_in_place(void *data, uint64_t rows, uint64_t cols,
                             uint32_t elemSize) {
  convert(static_cast<uint8_t *>(data), rows, cols, elemSize, true);
}

/// Tiles -> row-major, in place.
void ttlx_rt_untilize_in_place(void *data, uint64_t rows, uint64_t cols,
                               uint32_t elemSize) {
  convert(static_cast<uint8_t *>(data), rows, cols, elemSize, false);
}

} // extern "C"
