// SPDX-License-Identifier: Apache-2.0
//
// Tile math of the compute API on plain arrays: no device, no checks. A DST
// tile is 1024 floats, row-major; an L1 tile is four 16x16 faces in
// row-major face order, bf16 or f32. Every routine is one loop nest per tile
// (the op is chosen once per call, never per element) and gives the same bits
// as the element-by-element definition in its comment: float products and
// sums in the stated order, no fused multiply-add.
#pragma once

#include "ttlx_runtime/compute_abi.h"

#include <cstdint>

namespace ttlx_rt::tile {

constexpr uint32_t kSide = 32;
constexpr uint32_t kElems = kSide * kSide;

/// out[r][c] = value of the L1 tile at (r, c) (bf16 widened exactly).
void unpack(const uint8_t *l1, bool f32, float *out);
/// unpack, then roundToBf16, in one pass over a bf16 tile.
void unpackToBf16(const uint8_t *l1, bool f32, float *out);
/// L1 tile at (r, c) = in[r][c] (to bf16 by round-to-nearest-even, NaNs
/// quieted).
void pack(const float *in, bool f32, uint8_t *l1);
/// x = bf16(x) for each of the n floats, as pack then unpack would.
void roundToBf16(float *x, uint32_t n);

/// out = broadcast of `in` (row 0 down the rows, column 0 across the
/// columns, element 0 everywhere, or `in` itself).
void broadcast(Bcast kind, const float *in, float *out);
/// out[r][c] = in[c][r].
void transpose(const float *in, float *out);
// `round`: the result is rounded to bf16 as roundToBf16 would after the op
// (a 16-bit DST): binary ops round each row in registers before its store,
// sfpuUnary rounds the tile after its loop.
/// out[r][c] = a[r][c] op b'[r][c], b' the broadcast of b.
void fpuBinary(FpuOp op, Bcast bcast, const float *a, const float *b,
               float *out, bool round);
/// fpuBinary of two L1 tiles, each unpacked as `unpack` does (two bf16
/// tiles without broadcast a face row at a time, with no unpacked copies).
void fpuBinaryTiles(FpuOp op, Bcast bcast, const uint8_t *a, bool aF32,
                    const uint8_t *b, bool bF32, float *out, bool round);
/// x[i] = op(x[i]) with the op's scalar parameters.
void sfpuUnary(SfpuUnary op, SfpuParams params, float *x, bool round);
/// x = exp(scale * x) on the rows the first `iterations` (1 to 8) SFPU
/// passes of each 16x16 face reach: face rows 0 .. 2 * iterations - 1.
void expScaled(float *x, float scale, int iterations);
/// out[i] = a[i] op b[i] (max/min as std::fmax/std::fmin); out may be a or
/// b.
void sfpuBinary(SfpuBinary op, const float *a, const float *b, float *out,
                bool round);
/// out[i] = cond[i] != 0 ? onTrue[i] : onFalse[i] (a NaN condition is true).
void where(const float *cond, const float *onTrue, const float *onFalse,
           float *out);
void fill(float *out, float value);

/// Reduction of in * scaler, combined in row-major element order into
/// accumulators that start from `prior` (row: prior[r][0], col: prior[0][c],
/// scalar: prior[0][0]) or, when `fresh`, from the pool's identity. `out` is
/// zeroed and receives the accumulators (column 0, row 0, or element 0);
/// `out` may alias `prior`.
void reduce(Pool pool, Dim dim, const float *in, float scaler,
            const float *prior, bool fresh, float *out);

/// out[r][c] = (fresh ? 0 : out[r][c]) + s, s = sum over k = 0..31 of
/// a[r][k] * b[k][c] accumulated from 0 in order of k; `round`: then
/// rounded to bf16 as roundToBf16 would.
void matmulAccumulate(const float *a, const float *b, float *out, bool fresh,
                      bool round);

/// The instruction set of the matmul kernel ("avx512f", "avx2" or "sse2"):
/// the widest the CPU has, at most $TTLX_TILE_ISA when that is set.
const char *isaName();

} // namespace ttlx_rt::tile
