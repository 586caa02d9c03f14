// SPDX-License-Identifier: Apache-2.0
//
// Tile math as loops the compiler vectorises. Bits are those of the scalar
// definitions (TileMath.h): this file is built with -ffp-contract=off, sums
// keep their order, max/min fall back to std::fmax/std::fmin where a NaN
// appears. The hot loops are compiled for AVX-512, AVX2 and the baseline and
// picked at run time (target_clones, or a dispatch for the matmul kernel), so
// the shipped library stays portable.

#include "TileMath.h"
#include "ElementwiseOps.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define TTLX_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define TTLX_X86_DISPATCH 1
#endif
#endif
#ifndef TTLX_SIMD_CLONES
#define TTLX_SIMD_CLONES
#endif

// Helpers are inlined into each instruction-set clone of their caller.
#if defined(__GNUC__)
#define TTLX_INLINE __attribute__((always_inline)) inline
#else
#define TTLX_INLINE inline
#endif

namespace ttlx_rt::tile {

namespace {

constexpr uint32_t kFace = 16;

/// Offset of element (face row fr, face column fc, row r) in an L1 tile.
constexpr uint32_t faceRowOffset(uint32_t fr, uint32_t fc, uint32_t r) {
  return (fr * 2 + fc) * kFace * kFace + r * kFace;
}

/// bf16 bits (upper half of the word) of a float's bits: NaNs quieted,
/// others rounded to nearest even.
TTLX_INLINE uint32_t bf16Word(uint32_t w) {
  uint32_t rounded = (w + 0x7fffu + ((w >> 16) & 1u)) & 0xffff0000u;
  uint32_t quiet = (w | 0x00400000u) & 0xffff0000u;
  return (w & 0x7fffffffu) > 0x7f800000u ? quiet : rounded;
}

#if defined(__GNUC__)
typedef uint32_t Words8 __attribute__((vector_size(32)));
typedef int32_t Ints8 __attribute__((vector_size(32)));

/// bf16Word of 8 words at once, without branches: the NaN test compares
/// magnitudes (below 2^31) as signed words. (An unsigned compare with a
/// select, or vectors wider than AVX2's, were left scalar by GCC.)
TTLX_INLINE Words8 bf16Words(Words8 w) {
  Words8 rounded = (w + 0x7fffu + ((w >> 16) & 1u)) & 0xffff0000u;
  Words8 quiet = (w | 0x00400000u) & 0xffff0000u;
  Words8 nan = reinterpret_cast<Words8>(
      reinterpret_cast<Ints8>(w & 0x7fffffffu) > 0x7f800000);
  return (quiet & nan) | (rounded & ~nan);
}

#endif

/// x = bf16(x) for the n floats of a row just computed (n a multiple of 8),
/// while they are still in the first-level cache: the rounding of a DST
/// write fused into the loop that makes the values.
TTLX_INLINE void roundRow(float *x, uint32_t n) {
#if defined(__GNUC__)
  for (uint32_t i = 0; i < n; i += 8) {
    Words8 w;
    std::memcpy(&w, x + i, sizeof(w));
    w = bf16Words(w);
    std::memcpy(x + i, &w, sizeof(w));
  }
#else
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t w;
    std::memcpy(&w, x + i, 4);
    w = bf16Word(w);
    std::memcpy(x + i, &w, 4);
  }
#endif
}

TTLX_INLINE bool anyNaN(const float *x, uint32_t n) {
  bool nan = false;
  for (uint32_t i = 0; i < n; ++i)
    nan |= x[i] != x[i];
  return nan;
}

/// elementwise::Max / Min (std::fmax / std::fmin) without a NaN operand:
/// equal operands give the second one (signed zeros as the C library does).
TTLX_INLINE float maxNoNaN(float a, float b) { return a > b ? a : b; }
TTLX_INLINE float minNoNaN(float a, float b) { return a < b ? a : b; }

// The loops below round each row to bf16 right after computing it when
// `round` (a 16-bit DST): the same bits as rounding the whole tile after.

template <Bcast bcast, typename F>
TTLX_INLINE void fpuLoop(const float *a, const float *b, float *out, F f,
                         bool round) {
  for (uint32_t r = 0; r < kSide; ++r) {
    const float *lhs = a + r * kSide;
    float *o = out + r * kSide;
    if constexpr (bcast == Bcast::None) {
      const float *rhs = b + r * kSide;
      for (uint32_t c = 0; c < kSide; ++c)
        o[c] = f(lhs[c], rhs[c]);
    } else if constexpr (bcast == Bcast::Rows) {
      for (uint32_t c = 0; c < kSide; ++c)
        o[c] = f(lhs[c], b[c]);
    } else {
      float rhs = bcast == Bcast::Cols ? b[r * kSide] : b[0];
      for (uint32_t c = 0; c < kSide; ++c)
        o[c] = f(lhs[c], rhs);
    }
    if (round)
      roundRow(o, kSide);
  }
}

template <typename F>
TTLX_INLINE void fpuBcast(Bcast bcast, const float *a, const float *b,
                          float *out, F f, bool round) {
  switch (bcast) {
  case Bcast::None:
    return fpuLoop<Bcast::None>(a, b, out, f, round);
  case Bcast::Rows:
    return fpuLoop<Bcast::Rows>(a, b, out, f, round);
  case Bcast::Cols:
    return fpuLoop<Bcast::Cols>(a, b, out, f, round);
  case Bcast::Scalar:
    return fpuLoop<Bcast::Scalar>(a, b, out, f, round);
  }
}

template <typename F> TTLX_INLINE void mapInPlace(float *x, F f, bool round) {
  for (uint32_t r = 0; r < kSide; ++r) {
    float *row = x + r * kSide;
    for (uint32_t c = 0; c < kSide; ++c)
      row[c] = f(row[c]);
    if (round)
      roundRow(row, kSide);
  }
}

/// out may be a or b (element by element, each read before it is written).
template <typename F>
TTLX_INLINE void zipWith(const float *a, const float *b, float *out, F f,
                         bool round) {
  for (uint32_t r = 0; r < kSide; ++r) {
    const uint32_t at = r * kSide;
    for (uint32_t c = 0; c < kSide; ++c)
      out[at + c] = f(a[at + c], b[at + c]);
    if (round)
      roundRow(out + at, kSide);
  }
}

// ---------------------------------------------------------------------------
// matmul: register-blocked over rows, vectorised across the 32 output
// columns; each output element sums its 32 products in order of k.
//
// A sparse left tile (the 0/1 shift tiles of a depthwise convolution, masks)
// takes a shortcut: each output row sums only the products of the nonzero
// entries of its row of `a`. The bits are the dense sum's: a skipped product
// a[r][k] * b[k][c] is +0 or -0 when b's row k is finite, and adding a zero
// to a sum that starts at +0 changes nothing (such a sum is never -0: x + y
// is -0 only when both are). Rows of b holding an infinity or NaN are never
// skipped (0 * inf is NaN).

/// At most this many nonzero entries of `a` take the sparse path (a
/// quarter: beyond, the dense kernel's register blocking wins).
constexpr uint32_t kSparseLimit = kElems / 4;

#if defined(__GNUC__)
template <int V> struct VecOf {
  typedef float type __attribute__((vector_size(V * sizeof(float))));
};

template <int V>
TTLX_INLINE void matmulKernel(const float *a, const float *b, float *out, bool fresh) {
  using vec = typename VecOf<V>::type;
  constexpr int perRow = kSide / V;  // vectors per row of 32
  constexpr int rows = 8 / perRow;   // rows per block: 8 accumulators
  for (uint32_t r0 = 0; r0 < kSide; r0 += rows) {
    vec acc[rows][perRow] = {};
    for (uint32_t k = 0; k < kSide; ++k) {
      const float *bk = b + k * kSide;
      for (int j = 0; j < perRow; ++j) {
        vec bv;
        std::memcpy(&bv, bk + j * V, sizeof(vec));
        for (int i = 0; i < rows; ++i) {
          vec product = a[(r0 + i) * kSide + k] * bv;
          acc[i][j] = acc[i][j] + product;
        }
      }
    }
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < perRow; ++j) {
        float *o = out + (r0 + i) * kSide + j * V;
        vec prior = {};
        if (!fresh)
          std::memcpy(&prior, o, sizeof(vec));
        vec result = prior + acc[i][j];
        std::memcpy(o, &result, sizeof(vec));
      }
    }
  }
}

/// Row r of the product over the terms k of `terms[r]` only.
template <int V>
TTLX_INLINE void sparseKernel(const float *a, const float *b,
                              const uint32_t *terms, float *out, bool fresh) {
  using vec = typename VecOf<V>::type;
  constexpr int perRow = kSide / V;
  for (uint32_t r = 0; r < kSide; ++r) {
    vec sum[perRow] = {};
    for (uint32_t left = terms[r]; left; left &= left - 1) {
      uint32_t k = static_cast<uint32_t>(__builtin_ctz(left));
      vec s = vec{} + a[r * kSide + k];
      for (int j = 0; j < perRow; ++j) {
        vec bv;
        std::memcpy(&bv, b + k * kSide + j * V, sizeof(vec));
        sum[j] = sum[j] + s * bv;
      }
    }
    for (int j = 0; j < perRow; ++j) {
      float *o = out + r * kSide + j * V;
      vec prior = {};
      if (!fresh)
        std::memcpy(&prior, o, sizeof(vec));
      vec result = prior + sum[j];
      std::memcpy(o, &result, sizeof(vec));
    }
  }
}
#else
template <int V>
inline void sparseKernel(const float *a, const float *b, const uint32_t *terms,
                         float *out, bool fresh) {
  for (uint32_t r = 0; r < kSide; ++r) {
    float sum[kSide] = {};
    for (uint32_t k = 0; k < kSide; ++k)
      if (terms[r] >> k & 1)
        for (uint32_t c = 0; c < kSide; ++c)
          sum[c] = sum[c] + a[r * kSide + k] * b[k * kSide + c];
    for (uint32_t c = 0; c < kSide; ++c)
      out[r * kSide + c] = (fresh ? 0.0f : out[r * kSide + c]) + sum[c];
  }
}

template <int V>
inline void matmulKernel(const float *a, const float *b, float *out,
                         bool fresh) {
  for (uint32_t r = 0; r < kSide; ++r) {
    float sum[kSide] = {};
    for (uint32_t k = 0; k < kSide; ++k)
      for (uint32_t c = 0; c < kSide; ++c)
        sum[c] = sum[c] + a[r * kSide + k] * b[k * kSide + c];
    for (uint32_t c = 0; c < kSide; ++c)
      out[r * kSide + c] = (fresh ? 0.0f : out[r * kSide + c]) + sum[c];
  }
}
#endif

/// terms[r], bit k: a[r][k] != 0 (a NaN counts). False, with `terms` left
/// incomplete, as soon as more than kSparseLimit entries are nonzero (a
/// dense tile pays for about a quarter of the scan).
TTLX_INLINE bool sparseTerms(const float *a, uint32_t *terms) {
  uint32_t count = 0;
  for (uint32_t r = 0; r < kSide; ++r) {
    uint32_t bits = 0;
    for (uint32_t k = 0; k < kSide; ++k)
      bits |= a[r * kSide + k] != 0.0f ? 1u << k : 0u;
    terms[r] = bits;
    count += static_cast<uint32_t>(__builtin_popcount(bits));
    if (count > kSparseLimit)
      return false;
  }
  return true;
}

/// Bit k set: row k of `b` holds an infinity or NaN.
TTLX_INLINE uint32_t nonFiniteRows(const float *b) {
  uint32_t rows = 0;
  for (uint32_t k = 0; k < kSide; ++k) {
    uint32_t special = 0;
    for (uint32_t c = 0; c < kSide; ++c) {
      uint32_t w;
      std::memcpy(&w, b + k * kSide + c, 4);
      special |= (w & 0x7f800000u) == 0x7f800000u;
    }
    rows |= (special ? 1u : 0u) << k;
  }
  return rows;
}

template <int V>
TTLX_INLINE void matmulTile(const float *a, const float *b, float *out,
                            bool fresh) {
  uint32_t terms[kSide];
  if (!sparseTerms(a, terms))
    return matmulKernel<V>(a, b, out, fresh);
  if (uint32_t always = nonFiniteRows(b))
    for (uint32_t &row : terms)
      row |= always;
  sparseKernel<V>(a, b, terms, out, fresh);
}

using MatmulFn = void (*)(const float *, const float *, float *, bool);

void matmulBaseline(const float *a, const float *b, float *out, bool fresh) {
  matmulTile<4>(a, b, out, fresh);
}

#ifdef TTLX_X86_DISPATCH
__attribute__((target("avx2"))) void
matmulAvx2(const float *a, const float *b, float *out, bool fresh) {
  matmulTile<8>(a, b, out, fresh);
}

__attribute__((target("avx512f"))) void
matmulAvx512(const float *a, const float *b, float *out, bool fresh) {
  matmulTile<16>(a, b, out, fresh);
}
#endif

/// The matmul kernel for this CPU; TTLX_TILE_ISA=sse2|avx2 asks for a
/// narrower one (tests check that every width gives the same bits).
struct Dispatch {
  MatmulFn matmul = matmulBaseline;
  const char *isa = "sse2";
  Dispatch() {
#ifdef TTLX_X86_DISPATCH
    const char *cap = std::getenv("TTLX_TILE_ISA");
    std::string limit = cap ? cap : "";
    __builtin_cpu_init();
    if (limit != "sse2" && limit != "avx2" &&
        __builtin_cpu_supports("avx512f")) {
      matmul = matmulAvx512;
      isa = "avx512f";
    } else if (limit != "sse2" && __builtin_cpu_supports("avx2")) {
      matmul = matmulAvx2;
      isa = "avx2";
    }
#endif
  }
};

const Dispatch &dispatch() {
  static const Dispatch d;
  return d;
}

} // namespace

// ---------------------------------------------------------------------------
// Unpack and pack: one contiguous 16-element row of a face at a time.

namespace {
/// to[c] = the bf16 half[c], widened exactly, for the 16 of a face row;
/// `Quiet`: NaNs quieted too, which is all bf16Word changes of a widened
/// bf16 value (its low half is zero, so rounding keeps it).
template <bool Quiet>
TTLX_INLINE void widenFaceRow(const uint8_t *half, float *to) {
#if defined(__GNUC__)
  typedef uint16_t Halves8 __attribute__((vector_size(16)));
  for (uint32_t c = 0; c < kFace; c += 8) {
    Halves8 h;
    std::memcpy(&h, half + 2 * c, sizeof(h));
    Words8 w = __builtin_convertvector(h, Words8) << 16;
    if (Quiet)
      w = bf16Words(w);
    std::memcpy(to + c, &w, sizeof(w));
  }
#else
  for (uint32_t c = 0; c < kFace; ++c) {
    uint16_t h;
    std::memcpy(&h, half + 2 * c, 2);
    uint32_t w = static_cast<uint32_t>(h) << 16;
    if (Quiet)
      w = bf16Word(w);
    std::memcpy(to + c, &w, 4);
  }
#endif
}

/// half[c] = bf16Word(from[c]) >> 16 for the 16 of a face row.
TTLX_INLINE void narrowFaceRow(const float *from, uint8_t *half) {
#if defined(__GNUC__)
  typedef uint16_t Halves8 __attribute__((vector_size(16)));
  for (uint32_t c = 0; c < kFace; c += 8) {
    Words8 w;
    std::memcpy(&w, from + c, sizeof(w));
    Halves8 h = __builtin_convertvector(bf16Words(w) >> 16, Halves8);
    std::memcpy(half + 2 * c, &h, sizeof(h));
  }
#else
  for (uint32_t c = 0; c < kFace; ++c) {
    uint32_t w;
    std::memcpy(&w, from + c, 4);
    uint16_t h = static_cast<uint16_t>(bf16Word(w) >> 16);
    std::memcpy(half + 2 * c, &h, 2);
  }
#endif
}
} // namespace

TTLX_SIMD_CLONES
void unpack(const uint8_t *l1, bool f32, float *out) {
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r) {
        uint32_t from = faceRowOffset(fr, fc, r);
        float *to = out + (fr * kFace + r) * kSide + fc * kFace;
        if (f32) {
          std::memcpy(to, l1 + 4 * from, kFace * 4);
          continue;
        }
        widenFaceRow<false>(l1 + 2 * from, to);
      }
}

TTLX_SIMD_CLONES
void unpackToBf16(const uint8_t *l1, bool f32, float *out) {
  if (f32) {
    unpack(l1, f32, out);
    return roundToBf16(out, kElems);
  }
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r)
        widenFaceRow<true>(l1 + 2 * faceRowOffset(fr, fc, r),
                           out + (fr * kFace + r) * kSide + fc * kFace);
}

TTLX_SIMD_CLONES
void pack(const float *in, bool f32, uint8_t *l1) {
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r) {
        uint32_t to = faceRowOffset(fr, fc, r);
        const float *from = in + (fr * kFace + r) * kSide + fc * kFace;
        if (f32) {
          std::memcpy(l1 + 4 * to, from, kFace * 4);
          continue;
        }
        narrowFaceRow(from, l1 + 2 * to);
      }
}

TTLX_SIMD_CLONES
void roundToBf16(float *x, uint32_t n) {
  uint32_t i = 0;
#if defined(__GNUC__)
  for (; i + 8 <= n; i += 8) {
    Words8 w;
    std::memcpy(&w, x + i, sizeof(w));
    w = bf16Words(w);
    std::memcpy(x + i, &w, sizeof(w));
  }
#endif
  for (; i < n; ++i) {
    uint32_t w;
    std::memcpy(&w, x + i, 4);
    w = bf16Word(w);
    std::memcpy(x + i, &w, 4);
  }
}

// ---------------------------------------------------------------------------
// Element-wise math.

TTLX_SIMD_CLONES
void broadcast(Bcast kind, const float *in, float *out) {
  for (uint32_t r = 0; r < kSide; ++r) {
    float *o = out + r * kSide;
    switch (kind) {
    case Bcast::None:
      std::memcpy(o, in + r * kSide, kSide * sizeof(float));
      break;
    case Bcast::Rows:
      std::memcpy(o, in, kSide * sizeof(float));
      break;
    case Bcast::Cols:
    case Bcast::Scalar: {
      float v = kind == Bcast::Cols ? in[r * kSide] : in[0];
      for (uint32_t c = 0; c < kSide; ++c)
        o[c] = v;
      break;
    }
    }
  }
}

TTLX_SIMD_CLONES
void transpose(const float *in, float *out) {
  for (uint32_t r = 0; r < kSide; ++r)
    for (uint32_t c = 0; c < kSide; ++c)
      out[r * kSide + c] = in[c * kSide + r];
}

// The ops of the elementwise op table, each as its function in
// ElementwiseOps.h (wrapped in a lambda so that it inlines into the loop);
// a unary op with parameters takes them second.
#define TTLX_OP_LAMBDA1(Name)                                                  \
  [p](auto x) { /* generic: only the taken branch is instantiated */         \
    if constexpr (std::is_invocable_v<decltype(elementwise::Name), float>)     \
      return elementwise::Name(x);                                             \
    else                                                                       \
      return elementwise::Name(x, p);                                          \
  }
#define TTLX_OP_LAMBDA2(Name)                                                  \
  [](float x, float y) { return elementwise::Name(x, y); }

TTLX_SIMD_CLONES
void fpuBinary(FpuOp op, Bcast bcast, const float *a, const float *b,
               float *out, bool round) {
  switch (op) {
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  case FpuOp::Name:                                                            \
    return fpuBcast(bcast, a, b, out, TTLX_OP_LAMBDA2(Name), round);
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  }
}

namespace {
/// fpuBinary of two bf16 L1 tiles without broadcast, one face row at a
/// time: both rows widened, combined and (when `round`) rounded in
/// registers, then stored into DST once.
template <typename F>
TTLX_INLINE void fpuFaceRows(const uint8_t *a, const uint8_t *b, float *out,
                             F f, bool round) {
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r) {
        const uint32_t from = faceRowOffset(fr, fc, r);
        float x[kFace], y[kFace];
        widenFaceRow<false>(a + 2 * from, x);
        widenFaceRow<false>(b + 2 * from, y);
        float *o = out + (fr * kFace + r) * kSide + fc * kFace;
        for (uint32_t c = 0; c < kFace; ++c)
          o[c] = f(x[c], y[c]);
        if (round)
          roundRow(o, kFace);
      }
}
} // namespace

TTLX_SIMD_CLONES
void fpuBinaryTiles(FpuOp op, Bcast bcast, const uint8_t *a, bool aF32,
                    const uint8_t *b, bool bF32, float *out, bool round) {
  if (bcast != Bcast::None || aF32 || bF32) {
    float x[kElems], y[kElems];
    unpack(a, aF32, x);
    unpack(b, bF32, y);
    return fpuBinary(op, bcast, x, y, out, round);
  }
  switch (op) {
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  case FpuOp::Name:                                                            \
    return fpuFaceRows(a, b, out, TTLX_OP_LAMBDA2(Name), round);
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  }
}

TTLX_SIMD_CLONES
void sfpuUnary(SfpuUnary op, SfpuParams params, float *x, bool round) {
  elementwise::Params p(params);
  switch (op) {
#define TTLX_SFPU_UNARY_OP(Name, ...)                                          \
  case SfpuUnary::Name:                                                        \
    return mapInPlace(x, TTLX_OP_LAMBDA1(Name), round);
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  }
}

void expScaled(float *x, float scale, int iterations) {
  uint32_t rows = 2 * static_cast<uint32_t>(iterations < 8 ? iterations : 8);
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t r = 0; r < rows; ++r) {
      float *row = x + (fr * kFace + r) * kSide;
      for (uint32_t c = 0; c < kSide; ++c)
        row[c] = std::exp(scale * row[c]);
    }
}

TTLX_SIMD_CLONES
void sfpuBinary(SfpuBinary op, const float *a, const float *b, float *out,
                bool round) {
  // max and min vectorise as compares when no operand is a NaN (the NaN
  // scans only for them).
  bool minMax = op == SfpuBinary::Max || op == SfpuBinary::Min;
  if (minMax && !anyNaN(a, kElems) && !anyNaN(b, kElems))
    return op == SfpuBinary::Max ? zipWith(a, b, out, maxNoNaN, round)
                                 : zipWith(a, b, out, minNoNaN, round);
  switch (op) {
#define TTLX_BINARY_CASE(Name, ...)                                            \
  case SfpuBinary::Name:                                                       \
    return zipWith(a, b, out, TTLX_OP_LAMBDA2(Name), round);
#define TTLX_FPU_BINARY_OP TTLX_BINARY_CASE
#define TTLX_SFPU_BINARY_OP TTLX_BINARY_CASE
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
#undef TTLX_BINARY_CASE
  }
}

#undef TTLX_OP_LAMBDA1
#undef TTLX_OP_LAMBDA2

TTLX_SIMD_CLONES
void where(const float *cond, const float *onTrue, const float *onFalse,
           float *out) {
  for (uint32_t i = 0; i < kElems; ++i)
    out[i] = cond[i] != 0.0f ? onTrue[i] : onFalse[i];
}

TTLX_SIMD_CLONES
void fill(float *out, float value) {
  for (uint32_t i = 0; i < kElems; ++i)
    out[i] = value;
}

// ---------------------------------------------------------------------------
// Reduce: 32 independent accumulators combined across the other dimension
// (a row reduction works on the transposed tile so that its 32 row sums
// advance together), or one accumulator over the whole tile.

TTLX_SIMD_CLONES
void reduce(Pool pool, Dim dim, const float *in, float scaler,
            const float *prior, bool fresh, float *out) {
  bool isMax = pool == Pool::Max;
  float identity = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
  // Scaled values, in the order each accumulator consumes them: lanes[j] is
  // the j-th value of all 32 accumulators.
  float lanes[kElems];
  for (uint32_t r = 0; r < kSide; ++r)
    for (uint32_t c = 0; c < kSide; ++c) {
      float v = in[r * kSide + c] * scaler;
      if (dim == Dim::Row)
        lanes[c * kSide + r] = v;
      else
        lanes[r * kSide + c] = v;
    }
  float acc[kSide];
  for (uint32_t i = 0; i < kSide; ++i)
    acc[i] = fresh ? identity : (dim == Dim::Row ? prior[i * kSide] : prior[i]);
  float total = fresh ? identity : prior[0];

  if (dim == Dim::Scalar) {
    for (uint32_t i = 0; i < kElems; ++i)
      total = isMax ? std::fmax(total, lanes[i]) : total + lanes[i];
  } else if (!isMax) {
    for (uint32_t j = 0; j < kSide; ++j)
      for (uint32_t i = 0; i < kSide; ++i)
        acc[i] = acc[i] + lanes[j * kSide + i];
  } else if (anyNaN(lanes, kElems) || anyNaN(acc, kSide)) {
    for (uint32_t j = 0; j < kSide; ++j)
      for (uint32_t i = 0; i < kSide; ++i)
        acc[i] = std::fmax(acc[i], lanes[j * kSide + i]);
  } else {
    for (uint32_t j = 0; j < kSide; ++j)
      for (uint32_t i = 0; i < kSide; ++i)
        acc[i] = maxNoNaN(acc[i], lanes[j * kSide + i]);
  }

  std::memset(out, 0, sizeof(float) * kElems);
  if (dim == Dim::Scalar) {
    out[0] = total;
    return;
  }
  for (uint32_t i = 0; i < kSide; ++i)
    out[dim == Dim::Row ? i * kSide : i] = acc[i];
}

void matmulAccumulate(const float *a, const float *b, float *out, bool fresh) {
  dispatch().matmul(a, b, out, fresh);
}

const char *isaName() { return dispatch().isa; }

} // namespace ttlx_rt::tile

/// For benchmark reports: the instruction set the tile math runs on.
extern "C" const char *ttlx_rt_tile_isa() { return ttlx_rt::tile::isaName(); }
