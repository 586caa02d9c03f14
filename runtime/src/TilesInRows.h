// SPDX-License-Identifier: Apache-2.0
//
// A DRAM buffer of tile pages whose memory is a matrix in rows: a host
// tensor attached as it is (docs/runtime.md, "Host I/O"). Kernels address
// the buffer as tile pages in order, as on the device; each transfer
// gathers its bytes from the rows, or scatters them there, one face row (16
// elements, contiguous in both orders) at a time. So no pass over the whole
// tensor converts it before or after a run: the conversion is the
// transfers', on the cores' workers, and only of the pages they move.
#pragma once

#include <cstdint>

namespace ttlx_rt {

struct TilesInRows {
  uint8_t *data = nullptr; // element (0, 0) of the matrix
  uint64_t rowStride = 0;  // bytes from one row of the matrix to the next
  uint32_t tilesPerRow = 0;
  uint32_t elemSize = 0;

  /// Bytes [at, at + size) of the buffer (tile order) into `to`.
  void read(uint64_t at, uint8_t *to, uint32_t size) const;
  /// `size` bytes from `from` into bytes [at, at + size) of the buffer.
  void write(uint64_t at, const uint8_t *from, uint32_t size) const;
  /// Whether bytes [at, at + size) of the buffer equal `bytes`.
  bool equals(uint64_t at, const uint8_t *bytes, uint32_t size) const;
};

} // namespace ttlx_rt
