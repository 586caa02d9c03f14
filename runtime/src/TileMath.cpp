// SPDX-License-Identifier: Apache-2.0
//
// Tile math as loops the compiler vectorises. Bits are those of the scalar
// definitions (TileMath.h): this file is built with -ffp-contract=off, sums
// keep their order, max/min fall back to std::fmax/std::fmin where a NaN
// appears. The hot loops are compiled for AVX-512, AVX2 and the baseline and
// picked at run time (target_clones, or a dispatch for the matmul kernel and
// the vector width of the element-wise loops), so the shipped library stays
// portable.

#include "TileMath.h"
#include "ElementwiseOps.h"

#include <cmath>
#include <cstddef>
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

// The loops that round to bf16, widen or narrow are written for V 32-bit
// lanes: 8 where the CPU has AVX2 (AVX-512 too: GCC left wider vectors
// scalar), 4 on the x86-64 baseline, whose SSE2 GCC has no good code for
// 8-lane selects, 16-bit compares and shuffles (it splits them into
// scalars), and off x86. The public functions pick V at run time (wide()).
// The arithmetic FPU and SFPU binary ops, loops with no 16-bit shuffle,
// also run on 16 lanes where the CPU has AVX-512 (widest()).
#if defined(__GNUC__)
template <int V> struct Lanes {
  typedef float F __attribute__((vector_size(4 * V)));
  typedef uint32_t W __attribute__((vector_size(4 * V)));
  typedef uint16_t H __attribute__((vector_size(4 * V))); // 2V halves
  typedef int16_t S __attribute__((vector_size(4 * V)));
};

/// bf16Word of V floats before its final mask: the upper half of each word
/// is the bf16, the lower half is left over. Seven vector operations: no
/// shift (w + 0x7fff + lsb is w + 0x8000 - (lsb == 0)), a float compare for
/// the NaN test, and a select of the quieted or the rounded word.
template <int V>
TTLX_INLINE typename Lanes<V>::W bf16High(typename Lanes<V>::F x) {
  using W = typename Lanes<V>::W;
  W w = reinterpret_cast<W>(x);
  W quiet = w | 0x00400000u;
  W evenMask = reinterpret_cast<W>((w & 0x10000u) == 0u);
  W rounded = w + 0x8000u + evenMask;
  return x != x ? quiet : rounded;
}

/// x rounded to bf16 as bf16Word does, kept as floats (the value in DST).
template <int V>
TTLX_INLINE typename Lanes<V>::F roundFloats(typename Lanes<V>::F x) {
  return reinterpret_cast<typename Lanes<V>::F>(bf16High<V>(x) & 0xffff0000u);
}

/// to[0 .. 2V-1] = the 2V bf16 of h widened exactly, in column order (each
/// value into the upper half of a word whose lower half is 0).
template <int V> TTLX_INLINE void widen(typename Lanes<V>::H h, float *to) {
  using H = typename Lanes<V>::H;
  const H zero = {};
  H lo, hi;
  if constexpr (V == 8) {
    lo = __builtin_shufflevector(zero, h, 0, 16, 0, 17, 0, 18, 0, 19, 0, 20, 0,
                                 21, 0, 22, 0, 23);
    hi = __builtin_shufflevector(zero, h, 0, 24, 0, 25, 0, 26, 0, 27, 0, 28, 0,
                                 29, 0, 30, 0, 31);
  } else {
    lo = __builtin_shufflevector(zero, h, 0, 8, 1, 9, 2, 10, 3, 11);
    hi = __builtin_shufflevector(zero, h, 4, 12, 5, 13, 6, 14, 7, 15);
  }
  std::memcpy(to, &lo, sizeof(lo));
  std::memcpy(to + V, &hi, sizeof(hi));
}

/// widen without crossing 128-bit lanes (one unpack instruction per half):
/// for V = 8 the columns come in the order 0-3, 8-11, 4-7, 12-15, which
/// storeFromLanes puts back. (The zeros are indexed lane by lane as the
/// unpack instructions take them, so that GCC finds those.)
template <int V>
TTLX_INLINE void widenInLanes(typename Lanes<V>::H h, float *to) {
  using H = typename Lanes<V>::H;
  if constexpr (V == 8) {
    const H zero = {};
    H lo = __builtin_shufflevector(zero, h, 0, 16, 1, 17, 2, 18, 3, 19, 8, 24,
                                   9, 25, 10, 26, 11, 27);
    H hi = __builtin_shufflevector(zero, h, 4, 20, 5, 21, 6, 22, 7, 23, 12, 28,
                                   13, 29, 14, 30, 15, 31);
    std::memcpy(to, &lo, sizeof(lo));
    std::memcpy(to + V, &hi, sizeof(hi));
  } else {
    widen<V>(h, to);
  }
}

/// o[0 .. 2V-1] = lo, hi back in column order from widenInLanes' order.
template <int V>
TTLX_INLINE void storeFromLanes(typename Lanes<V>::F lo,
                                typename Lanes<V>::F hi, float *o) {
  if constexpr (V == 8) {
    typename Lanes<V>::F left =
        __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 8, 9, 10, 11);
    typename Lanes<V>::F right =
        __builtin_shufflevector(lo, hi, 4, 5, 6, 7, 12, 13, 14, 15);
    lo = left;
    hi = right;
  }
  std::memcpy(o, &lo, sizeof(lo));
  std::memcpy(o + V, &hi, sizeof(hi));
}

/// The 2V bf16 at `bf16` widened exactly (each into the upper half of a
/// word whose lower half is 0): the even columns into `even`, the odd ones
/// into `odd`, by a shift and a mask (no shuffle).
template <int V>
TTLX_INLINE void widenEvenOdd(const uint8_t *bf16, typename Lanes<V>::F &even,
                              typename Lanes<V>::F &odd) {
  typename Lanes<V>::W w;
  std::memcpy(&w, bf16, sizeof(w));
  even = reinterpret_cast<typename Lanes<V>::F>(w << 16);
  odd = reinterpret_cast<typename Lanes<V>::F>(w & 0xffff0000u);
}

/// The upper halves of the 2V words of lo and hi, in order.
template <int V>
TTLX_INLINE typename Lanes<V>::H upperHalves(typename Lanes<V>::W lo,
                                             typename Lanes<V>::W hi) {
  using H = typename Lanes<V>::H;
  H a = reinterpret_cast<H>(lo), b = reinterpret_cast<H>(hi);
  if constexpr (V == 8)
    return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21,
                                   23, 25, 27, 29, 31);
  else
    return __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
}

/// bf16 NaNs quieted (bit 6, the float's bit 22, set): all bf16Word changes
/// of a widened bf16 value (its lower half is zero, so rounding keeps it).
template <int V>
TTLX_INLINE typename Lanes<V>::H quietHalves(typename Lanes<V>::H h) {
  using H = typename Lanes<V>::H;
  using S = typename Lanes<V>::S;
  S nan = (reinterpret_cast<S>(h) & 0x7fff) > 0x7f80;
  return h | (reinterpret_cast<H>(nan) & 0x40u);
}
#endif

/// o[c] = value(c) for the n floats of a row (n at most 32, a multiple of
/// 8), rounded to bf16 as bf16Word does when `round` (a 16-bit DST). The
/// values go through a local row that GCC keeps in registers: the first
/// loop is vectorised (selects included), the second rounds each vector
/// before its only store.
template <int V, typename Value>
TTLX_INLINE void storeRow(float *o, uint32_t n, bool round, Value value) {
  // (size_t indices: 32-bit ones could wrap, which would keep GCC from
  // seeing consecutive loads)
  float t[kSide];
  for (size_t c = 0; c < n; ++c)
    t[c] = value(c);
#if defined(__GNUC__)
  for (size_t c = 0; c < n; c += V) {
    typename Lanes<V>::F x;
    std::memcpy(&x, t + c, sizeof(x));
    if (round)
      x = roundFloats<V>(x);
    std::memcpy(o + c, &x, sizeof(x));
  }
#else
  for (size_t c = 0; c < n; ++c) {
    uint32_t w;
    std::memcpy(&w, t + c, 4);
    if (round)
      w = bf16Word(w);
    std::memcpy(o + c, &w, 4);
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

// The loops below write DST a row at a time through storeRow, which rounds
// to bf16 when `round` (a 16-bit DST): the same bits as rounding the whole
// tile after.

template <int V, Bcast bcast, typename F>
TTLX_INLINE void fpuLoop(const float *a, const float *b, float *out, F f,
                         bool round) {
  for (uint32_t r = 0; r < kSide; ++r) {
    const float *lhs = a + r * kSide;
    float *o = out + r * kSide;
    if constexpr (bcast == Bcast::None) {
      const float *rhs = b + r * kSide;
      storeRow<V>(o, kSide, round, [&](size_t c) { return f(lhs[c], rhs[c]); });
    } else if constexpr (bcast == Bcast::Rows) {
      storeRow<V>(o, kSide, round, [&](size_t c) { return f(lhs[c], b[c]); });
    } else {
      float rhs = bcast == Bcast::Cols ? b[r * kSide] : b[0];
      storeRow<V>(o, kSide, round, [&](size_t c) { return f(lhs[c], rhs); });
    }
  }
}

template <int V, typename F>
TTLX_INLINE void fpuBcast(Bcast bcast, const float *a, const float *b,
                          float *out, F f, bool round) {
  switch (bcast) {
  case Bcast::None:
    return fpuLoop<V, Bcast::None>(a, b, out, f, round);
  case Bcast::Rows:
    return fpuLoop<V, Bcast::Rows>(a, b, out, f, round);
  case Bcast::Cols:
    return fpuLoop<V, Bcast::Cols>(a, b, out, f, round);
  case Bcast::Scalar:
    return fpuLoop<V, Bcast::Scalar>(a, b, out, f, round);
  }
}

/// out may be a or b (a row at a time, each element read before it is
/// written).
template <int V, typename F>
TTLX_INLINE void zipWith(const float *a, const float *b, float *out, F f,
                         bool round) {
  for (uint32_t r = 0; r < kSide; ++r) {
    const uint32_t at = r * kSide;
    storeRow<V>(out + at, kSide, round,
                [&](size_t c) { return f(a[at + c], b[at + c]); });
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

/// prior + sum into `o` (prior: 0 when `fresh`), rounded to bf16 in the
/// register when `round` (DST of 16 bits: no pass over the tile after).
template <int V, typename Vec>
TTLX_INLINE void storeSum(float *o, Vec sum, bool fresh, bool round) {
  Vec prior = {};
  if (!fresh)
    std::memcpy(&prior, o, sizeof(Vec));
  Vec result = prior + sum;
  if (round)
    result = roundFloats<V>(result);
  std::memcpy(o, &result, sizeof(Vec));
}

template <int V>
TTLX_INLINE void matmulKernel(const float *a, const float *b, float *out,
                              bool fresh, bool round) {
  using vec = typename Lanes<V>::F;
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
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < perRow; ++j)
        storeSum<V>(out + (r0 + i) * kSide + j * V, acc[i][j], fresh, round);
  }
}

/// Row r of the product over the terms k of `terms[r]` only.
template <int V>
TTLX_INLINE void sparseKernel(const float *a, const float *b,
                              const uint32_t *terms, float *out, bool fresh,
                              bool round) {
  using vec = typename Lanes<V>::F;
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
    for (int j = 0; j < perRow; ++j)
      storeSum<V>(out + r * kSide + j * V, sum[j], fresh, round);
  }
}
#else
/// Row r of the output: prior + sum, rounded to bf16 when `round`.
inline void storeSumRow(float *o, const float *sum, bool fresh, bool round) {
  for (uint32_t c = 0; c < kSide; ++c) {
    float v = (fresh ? 0.0f : o[c]) + sum[c];
    if (round) {
      uint32_t w;
      std::memcpy(&w, &v, 4);
      w = bf16Word(w);
      std::memcpy(&v, &w, 4);
    }
    o[c] = v;
  }
}

template <int V>
inline void sparseKernel(const float *a, const float *b, const uint32_t *terms,
                         float *out, bool fresh, bool round) {
  for (uint32_t r = 0; r < kSide; ++r) {
    float sum[kSide] = {};
    for (uint32_t k = 0; k < kSide; ++k)
      if (terms[r] >> k & 1)
        for (uint32_t c = 0; c < kSide; ++c)
          sum[c] = sum[c] + a[r * kSide + k] * b[k * kSide + c];
    storeSumRow(out + r * kSide, sum, fresh, round);
  }
}

template <int V>
inline void matmulKernel(const float *a, const float *b, float *out,
                         bool fresh, bool round) {
  for (uint32_t r = 0; r < kSide; ++r) {
    float sum[kSide] = {};
    for (uint32_t k = 0; k < kSide; ++k)
      for (uint32_t c = 0; c < kSide; ++c)
        sum[c] = sum[c] + a[r * kSide + k] * b[k * kSide + c];
    storeSumRow(out + r * kSide, sum, fresh, round);
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
                            bool fresh, bool round) {
  uint32_t terms[kSide];
  if (!sparseTerms(a, terms))
    return matmulKernel<V>(a, b, out, fresh, round);
  if (uint32_t always = nonFiniteRows(b))
    for (uint32_t &row : terms)
      row |= always;
  sparseKernel<V>(a, b, terms, out, fresh, round);
}

using MatmulFn = void (*)(const float *, const float *, float *, bool, bool);

void matmulBaseline(const float *a, const float *b, float *out, bool fresh,
                    bool round) {
  matmulTile<4>(a, b, out, fresh, round);
}

#ifdef TTLX_X86_DISPATCH
__attribute__((target("avx2"))) void
matmulAvx2(const float *a, const float *b, float *out, bool fresh,
           bool round) {
  matmulTile<8>(a, b, out, fresh, round);
}

__attribute__((target("avx512f"))) void
matmulAvx512(const float *a, const float *b, float *out, bool fresh,
             bool round) {
  matmulTile<16>(a, b, out, fresh, round);
}
#endif

/// The matmul kernel and the lanes of the element-wise loops for this CPU;
/// TTLX_TILE_ISA=sse2|avx2 asks for narrower ones (tests check that every
/// width gives the same bits).
struct Dispatch {
  MatmulFn matmul = matmulBaseline;
  const char *isa = "sse2";
  bool wide = false;    // 8 lanes for the element-wise loops, else 4
  bool widest = false;  // 16 for the arithmetic ones (AVX-512)
  Dispatch() {
#ifdef TTLX_X86_DISPATCH
    const char *cap = std::getenv("TTLX_TILE_ISA");
    std::string limit = cap ? cap : "";
    __builtin_cpu_init();
    if (limit != "sse2" && limit != "avx2" &&
        __builtin_cpu_supports("avx512f")) {
      matmul = matmulAvx512;
      isa = "avx512f";
      wide = widest = true;
    } else if (limit != "sse2" && __builtin_cpu_supports("avx2")) {
      matmul = matmulAvx2;
      isa = "avx2";
      wide = true;
    }
#endif
  }
};

const Dispatch &dispatch() {
  static const Dispatch d;
  return d;
}

/// The element-wise loops run on 8 lanes (else 4).
TTLX_INLINE bool wide() { return dispatch().wide; }
/// The arithmetic binary ops run on 16 lanes.
TTLX_INLINE bool widest() { return dispatch().widest; }

} // namespace

// ---------------------------------------------------------------------------
// Unpack and pack: one contiguous 16-element row of a face at a time.

namespace {
/// to[c] = the bf16 half[c], widened exactly, for the 16 of a face row;
/// `Quiet`: NaNs quieted too, which is all bf16Word changes of a widened
/// bf16 value (its low half is zero, so rounding keeps it).
template <int V, bool Quiet>
TTLX_INLINE void widenFaceRow(const uint8_t *half, float *to) {
#if defined(__GNUC__)
  for (uint32_t c = 0; c < kFace; c += 2 * V) {
    typename Lanes<V>::H h;
    std::memcpy(&h, half + 2 * c, sizeof(h));
    if (Quiet)
      h = quietHalves<V>(h);
    widen<V>(h, to + c);
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

/// half[c] = bf16Word(from[c]) >> 16 for the 16 of a face row; `Bf16`:
/// the floats are bf16 values already (lower halves zero, as a 16-bit DST
/// holds), which rounding keeps: only their NaNs are quieted.
template <int V, bool Bf16>
TTLX_INLINE void narrowFaceRow(const float *from, uint8_t *half) {
#if defined(__GNUC__)
  using W = typename Lanes<V>::W;
  for (uint32_t c = 0; c < kFace; c += 2 * V) {
    typename Lanes<V>::F lo, hi;
    std::memcpy(&lo, from + c, sizeof(lo));
    std::memcpy(&hi, from + c + V, sizeof(hi));
    typename Lanes<V>::H h =
        Bf16 ? quietHalves<V>(upperHalves<V>(reinterpret_cast<W>(lo),
                                             reinterpret_cast<W>(hi)))
             : upperHalves<V>(bf16High<V>(lo), bf16High<V>(hi));
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

/// True when every float of the tile is a bf16 value (lower half zero).
TTLX_INLINE bool allBf16(const float *x) {
  // 32 independent ORs (one chain would wait on each OR).
  uint32_t lower[32] = {};
  for (uint32_t i = 0; i < kElems; i += 32)
    for (uint32_t j = 0; j < 32; ++j) {
      uint32_t w;
      std::memcpy(&w, x + i + j, 4);
      lower[j] |= w;
    }
  uint32_t all = 0;
  for (uint32_t j = 0; j < 32; ++j)
    all |= lower[j];
  return (all & 0xffffu) == 0;
}

template <int V>
TTLX_INLINE void unpackLanes(const uint8_t *l1, bool f32, float *out) {
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r) {
        uint32_t from = faceRowOffset(fr, fc, r);
        float *to = out + (fr * kFace + r) * kSide + fc * kFace;
        if (f32) {
          std::memcpy(to, l1 + 4 * from, kFace * 4);
          continue;
        }
        widenFaceRow<V, false>(l1 + 2 * from, to);
      }
}

template <int V>
TTLX_INLINE void unpackToBf16Lanes(const uint8_t *l1, bool f32, float *out) {
  if (!f32) {
    for (uint32_t fr = 0; fr < 2; ++fr)
      for (uint32_t fc = 0; fc < 2; ++fc)
        for (uint32_t r = 0; r < kFace; ++r)
          widenFaceRow<V, true>(l1 + 2 * faceRowOffset(fr, fc, r),
                                out + (fr * kFace + r) * kSide + fc * kFace);
    return;
  }
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r) {
        const uint8_t *row = l1 + 4 * faceRowOffset(fr, fc, r);
        storeRow<V>(out + (fr * kFace + r) * kSide + fc * kFace, kFace, true,
                    [row](size_t c) {
                      float v;
                      std::memcpy(&v, row + 4 * c, 4);
                      return v;
                    });
      }
}

template <int V, bool Bf16>
TTLX_INLINE void packBf16Rows(const float *in, uint8_t *l1) {
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r)
        narrowFaceRow<V, Bf16>(in + (fr * kFace + r) * kSide + fc * kFace,
                               l1 + 2 * faceRowOffset(fr, fc, r));
}

template <int V>
TTLX_INLINE void packLanes(const float *in, bool f32, uint8_t *l1) {
  if (!f32)
    return allBf16(in) ? packBf16Rows<V, true>(in, l1)
                       : packBf16Rows<V, false>(in, l1);
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r)
        std::memcpy(l1 + 4 * faceRowOffset(fr, fc, r),
                    in + (fr * kFace + r) * kSide + fc * kFace, kFace * 4);
}

template <int V> TTLX_INLINE void roundLanes(float *x, uint32_t n) {
  uint32_t i = 0;
#if defined(__GNUC__)
  for (; i + V <= n; i += V) {
    typename Lanes<V>::F v;
    std::memcpy(&v, x + i, sizeof(v));
    v = roundFloats<V>(v);
    std::memcpy(x + i, &v, sizeof(v));
  }
#endif
  for (; i < n; ++i) {
    uint32_t w;
    std::memcpy(&w, x + i, 4);
    w = bf16Word(w);
    std::memcpy(x + i, &w, 4);
  }
}
} // namespace

TTLX_SIMD_CLONES
void unpack(const uint8_t *l1, bool f32, float *out) {
  if (wide())
    return unpackLanes<8>(l1, f32, out);
  unpackLanes<4>(l1, f32, out);
}

TTLX_SIMD_CLONES
void unpackToBf16(const uint8_t *l1, bool f32, float *out) {
  if (wide())
    return unpackToBf16Lanes<8>(l1, f32, out);
  unpackToBf16Lanes<4>(l1, f32, out);
}

TTLX_SIMD_CLONES
void pack(const float *in, bool f32, uint8_t *l1) {
  if (wide())
    return packLanes<8>(in, f32, l1);
  packLanes<4>(in, f32, l1);
}

TTLX_SIMD_CLONES
void roundToBf16(float *x, uint32_t n) {
  if (wide())
    return roundLanes<8>(x, n);
  roundLanes<4>(x, n);
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
// Generic: on floats, and on vectors of them for the arithmetic ops
// (ElementwiseOps.h).
#define TTLX_OP_LAMBDA2(Name)                                                  \
  [](auto x, auto y) { return elementwise::Name(x, y); }

namespace {
template <int V>
TTLX_INLINE void fpuBinaryLanes(FpuOp op, Bcast bcast, const float *a,
                                const float *b, float *out, bool round) {
  switch (op) {
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  case FpuOp::Name:                                                            \
    return fpuBcast<V>(bcast, a, b, out, TTLX_OP_LAMBDA2(Name), round);
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  }
}

#if defined(__GNUC__)
/// fpuFaceRows on 16 lanes (AVX-512, whose 16-bit shuffles GCC splits
/// without AVX512BW), two rows of a face at a time (32 bf16, one vector of
/// words): their even and odd columns widened apart (widenEvenOdd),
/// combined by `f` on vectors and rounded, then interleaved back into each
/// row at its store (one two-vector permute a row).
template <typename F>
TTLX_INLINE void fpuFaceRowPairs16(const uint8_t *a, const uint8_t *b,
                                   float *out, F f, bool round) {
  using Vec = typename Lanes<16>::F;
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; r += 2) {
        const uint32_t from = faceRowOffset(fr, fc, r);
        Vec aEven, aOdd, bEven, bOdd;
        widenEvenOdd<16>(a + 2 * from, aEven, aOdd);
        widenEvenOdd<16>(b + 2 * from, bEven, bOdd);
        Vec even = f(aEven, bEven), odd = f(aOdd, bOdd);
        if (round) {
          even = roundFloats<16>(even);
          odd = roundFloats<16>(odd);
        }
        Vec upper = __builtin_shufflevector(even, odd, 0, 16, 1, 17, 2, 18, 3,
                                            19, 4, 20, 5, 21, 6, 22, 7, 23);
        Vec lower = __builtin_shufflevector(even, odd, 8, 24, 9, 25, 10, 26, 11,
                                            27, 12, 28, 13, 29, 14, 30, 15, 31);
        float *o = out + (fr * kFace + r) * kSide + fc * kFace;
        std::memcpy(o, &upper, sizeof(upper));
        std::memcpy(o + kSide, &lower, sizeof(lower));
      }
}
#endif

/// fpuBinary of two bf16 L1 tiles without broadcast, one face row at a
/// time: both rows widened, combined and (when `round`) rounded in
/// registers, then stored into DST once.
template <int V, typename F>
TTLX_INLINE void fpuFaceRows(const uint8_t *a, const uint8_t *b, float *out,
                             F f, bool round) {
#if defined(__GNUC__)
  if constexpr (V == 16)
    fpuFaceRowPairs16(a, b, out, f, round);
  else
#endif
  for (uint32_t fr = 0; fr < 2; ++fr)
    for (uint32_t fc = 0; fc < 2; ++fc)
      for (uint32_t r = 0; r < kFace; ++r) {
        const uint32_t from = faceRowOffset(fr, fc, r);
        float *o = out + (fr * kFace + r) * kSide + fc * kFace;
#if defined(__GNUC__)
        // 2V columns at a time, widened without crossing 128-bit lanes,
        // combined, rounded, and put back in column order at the store.
        for (uint32_t c = 0; c < kFace; c += 2 * V) {
          typename Lanes<V>::H ha, hb;
          std::memcpy(&ha, a + 2 * (from + c), sizeof(ha));
          std::memcpy(&hb, b + 2 * (from + c), sizeof(hb));
          float x[2 * V], y[2 * V], t[2 * V];
          widenInLanes<V>(ha, x);
          widenInLanes<V>(hb, y);
          for (size_t j = 0; j < 2 * V; ++j)
            t[j] = f(x[j], y[j]);
          typename Lanes<V>::F lo, hi;
          std::memcpy(&lo, t, sizeof(lo));
          std::memcpy(&hi, t + V, sizeof(hi));
          if (round) {
            lo = roundFloats<V>(lo);
            hi = roundFloats<V>(hi);
          }
          storeFromLanes<V>(lo, hi, o + c);
        }
#else
        float x[kFace], y[kFace];
        widenFaceRow<V, false>(a + 2 * from, x);
        widenFaceRow<V, false>(b + 2 * from, y);
        storeRow<V>(o, kFace, round, [&](size_t c) { return f(x[c], y[c]); });
#endif
      }
}

/// fpuBinary of two bf16 L1 tiles without broadcast (fpuFaceRows).
template <int V>
TTLX_INLINE void fpuBf16Tiles(FpuOp op, const uint8_t *a, const uint8_t *b,
                              float *out, bool round) {
  switch (op) {
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  case FpuOp::Name:                                                            \
    return fpuFaceRows<V>(a, b, out, TTLX_OP_LAMBDA2(Name), round);
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  }
}

#if defined(__GNUC__)
/// out = f(a, b) over a tile, V lanes at a time, each vector rounded (when
/// `round`) before its only store: for ops that are one vector operation
/// (zipWith stages the values through a row for the others).
template <int V, typename F>
TTLX_INLINE void zipVectors(const float *a, const float *b, float *out, F f,
                            bool round) {
  for (uint32_t i = 0; i < kElems; i += V) {
    typename Lanes<V>::F x, y;
    std::memcpy(&x, a + i, sizeof(x));
    std::memcpy(&y, b + i, sizeof(y));
    x = f(x, y);
    if (round)
      x = roundFloats<V>(x);
    std::memcpy(out + i, &x, sizeof(x));
  }
}

/// sfpuBinary of an arithmetic op (zipVectors); false for the others.
template <int V>
TTLX_INLINE bool sfpuArithmetic(SfpuBinary op, const float *a, const float *b,
                                float *out, bool round) {
  switch (op) {
#define TTLX_ARITHMETIC_CASE(Name)                                             \
  case SfpuBinary::Name:                                                       \
    zipVectors<V>(a, b, out, TTLX_OP_LAMBDA2(Name), round);                   \
    return true;
    TTLX_ARITHMETIC_CASE(Add)
    TTLX_ARITHMETIC_CASE(Sub)
    TTLX_ARITHMETIC_CASE(Mul)
    TTLX_ARITHMETIC_CASE(Div)
#undef TTLX_ARITHMETIC_CASE
  default:
    return false;
  }
}
#endif

template <int V>
TTLX_INLINE void sfpuBinaryLanes(SfpuBinary op, const float *a, const float *b,
                                 float *out, bool round) {
  // max and min vectorise as compares when no operand is a NaN (the NaN
  // scans only for them).
  bool minMax = op == SfpuBinary::Max || op == SfpuBinary::Min;
  if (minMax && !anyNaN(a, kElems) && !anyNaN(b, kElems)) {
    if (op == SfpuBinary::Max)
      return zipWith<V>(
          a, b, out, [](float x, float y) { return maxNoNaN(x, y); }, round);
    return zipWith<V>(
        a, b, out, [](float x, float y) { return minNoNaN(x, y); }, round);
  }
  switch (op) {
#define TTLX_BINARY_CASE(Name, ...)                                            \
  case SfpuBinary::Name:                                                       \
    return zipWith<V>(a, b, out, TTLX_OP_LAMBDA2(Name), round);
#define TTLX_FPU_BINARY_OP TTLX_BINARY_CASE
#define TTLX_SFPU_BINARY_OP TTLX_BINARY_CASE
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
#undef TTLX_BINARY_CASE
  }
}
} // namespace

TTLX_SIMD_CLONES
void fpuBinary(FpuOp op, Bcast bcast, const float *a, const float *b,
               float *out, bool round) {
  if (wide())
    return fpuBinaryLanes<8>(op, bcast, a, b, out, round);
  fpuBinaryLanes<4>(op, bcast, a, b, out, round);
}

TTLX_SIMD_CLONES
void fpuBinaryTiles(FpuOp op, Bcast bcast, const uint8_t *a, bool aF32,
                    const uint8_t *b, bool bF32, float *out, bool round) {
  if (bcast == Bcast::None && !aF32 && !bF32) {
#if defined(__GNUC__)
    if (widest())
      return fpuBf16Tiles<16>(op, a, b, out, round);
#endif
    if (wide())
      return fpuBf16Tiles<8>(op, a, b, out, round);
    return fpuBf16Tiles<4>(op, a, b, out, round);
  }
  float x[kElems], y[kElems];
  unpack(a, aF32, x);
  unpack(b, bF32, y);
  fpuBinary(op, bcast, x, y, out, round);
}

namespace {
/// x[i] = f(x[i]), then (when `round`) the tile rounded to bf16 while it
/// is in the first-level cache: the ops are mostly calls into the C
/// library, and one loop of them keeps the code small.
template <typename F> TTLX_INLINE void mapInPlace(float *x, F f, bool round) {
  for (uint32_t i = 0; i < kElems; ++i)
    x[i] = f(x[i]);
  if (round)
    roundToBf16(x, kElems);
}
} // namespace

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

TTLX_SIMD_CLONES
void sfpuBinary(SfpuBinary op, const float *a, const float *b, float *out,
                bool round) {
#if defined(__GNUC__)
  if (widest() && sfpuArithmetic<16>(op, a, b, out, round))
    return;
  if (wide() && sfpuArithmetic<8>(op, a, b, out, round))
    return;
#endif
  if (wide())
    return sfpuBinaryLanes<8>(op, a, b, out, round);
  sfpuBinaryLanes<4>(op, a, b, out, round);
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

void matmulAccumulate(const float *a, const float *b, float *out, bool fresh,
                      bool round) {
  dispatch().matmul(a, b, out, fresh, round);
}

const char *isaName() { return dispatch().isa; }

} // namespace ttlx_rt::tile

/// For benchmark reports: the instruction set the tile math runs on.
extern "C" const char *ttlx_rt_tile_isa() { return ttlx_rt::tile::isaName(); }
