// SPDX-License-Identifier: Apache-2.0
//
// What each op of the elementwise op table
// (include/ttlx/Dialect/TTL/IR/TTLElementwiseOps.def) computes on the host:
// one float function per table entry, named as the entry. TileMath applies
// them to whole tiles; DST rounding happens there. Adding an op to the table
// means adding its function here, and nothing else in the runtime.
#pragma once

#include "ttlx_runtime/compute_abi.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace ttlx_rt::elementwise {

/// The scalar parameters of a unary op, in the table's order: f32 ones
/// arrive as IEEE bits, i32 ones as the integer.
class Params {
public:
  explicit Params(SfpuParams p) : p(p) {}
  float f32(int i) const {
    float v;
    std::memcpy(&v, &p.word[i], sizeof v);
    return v;
  }
  int32_t i32(int i) const { return static_cast<int32_t>(p.word[i]); }

private:
  SfpuParams p;
};

// Unary (SFPU, in place on DST).
inline float Exp(float x) { return std::exp(x); }
inline float Log(float x) { return std::log(x); }
inline float Sqrt(float x) { return std::sqrt(x); }
inline float Rsqrt(float x) { return 1.0f / std::sqrt(x); }
inline float Recip(float x) { return 1.0f / x; }
inline float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
inline float Silu(float x) { return x / (1.0f + std::exp(-x)); }
inline float Tanh(float x) { return std::tanh(x); }
inline float Abs(float x) { return std::fabs(x); }
inline float Neg(float x) { return -x; }
inline float Sign(float x) { return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f); }
inline float Square(float x) { return x * x; }
inline float Relu(float x) { return x > 0 ? x : 0.0f; }
inline float Sin(float x) { return std::sin(x); }
inline float Cos(float x) { return std::cos(x); }
inline float Tan(float x) { return std::tan(x); }
inline float Asin(float x) { return std::asin(x); }
inline float Acos(float x) { return std::acos(x); }
inline float Atan(float x) { return std::atan(x); }
inline float Asinh(float x) { return std::asinh(x); }
inline float Acosh(float x) { return std::acosh(x); }
inline float Atanh(float x) { return std::atanh(x); }
inline float Expm1(float x) { return std::expm1(x); }
inline float Exp2(float x) { return std::exp2(x); }
inline float Log1p(float x) { return std::log1p(x); }
inline float Floor(float x) { return std::floor(x); }
inline float Ceil(float x) { return std::ceil(x); }
inline float Trunc(float x) { return std::trunc(x); }
inline float Frac(float x) { return x - std::trunc(x); }
// 1 where the sign bit is set (negative numbers and -0.0), else 0.
inline float Signbit(float x) { return std::signbit(x) ? 1.0f : 0.0f; }
// The accurate form x/2 * (1 + erf(x / sqrt 2)), that of gelu_tile<false>;
// the default gelu_tile<true> kernels call is a lookup-table approximation
// on the hardware (docs/compute.md).
inline float Gelu(float x) { return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f)); }
inline float Hardsigmoid(float x) { return std::fmin(std::fmax(x + 3.0f, 0.0f), 6.0f) / 6.0f; }
inline float Softsign(float x) { return x / (1.0f + std::fabs(x)); }

// Unary with parameters (as the tt-metal SFPU kernels compute them).
inline float Rsub(float x, Params p) { return p.f32(0) - x; }
inline float Pow(float x, Params p) { return std::pow(x, p.f32(0)); }
// min(x, limit), then max(0, .).
inline float ReluMax(float x, Params p) {
  float v = x > p.f32(0) ? p.f32(0) : x;
  return v < 0.0f ? 0.0f : v;
}
// max(x, limit).
inline float ReluMin(float x, Params p) { return x < p.f32(0) ? p.f32(0) : x; }
inline float LeakyRelu(float x, Params p) { return x < 0.0f ? x * p.f32(0) : x; }
inline float Prelu(float x, Params p) { return x < 0.0f ? x * p.f32(0) : x; }
inline float Elu(float x, Params p) { return x >= 0.0f ? x : p.f32(0) * std::expm1(x); }
// alpha * expm1(x * alpha_recip) below zero: the hardware takes 1/alpha as
// given, it does not compute it.
inline float Celu(float x, Params p) {
  return x >= 0.0f ? x : p.f32(0) * std::expm1(x * p.f32(1));
}
inline float Selu(float x, Params p) {
  return x >= 0.0f ? p.f32(0) * x : p.f32(0) * p.f32(1) * std::expm1(x);
}
// log(1 + exp(beta x)) / beta, or x where beta x > threshold.
inline float Softplus(float x, Params p) {
  float t = p.f32(0) * x;
  return t > p.f32(2) ? x : std::log1p(std::exp(t)) * p.f32(1);
}
inline float Hardtanh(float x, Params p) { return std::fmin(std::fmax(x, p.f32(0)), p.f32(1)); }
inline float Clamp(float x, Params p) { return std::fmin(std::fmax(x, p.f32(0)), p.f32(1)); }
// threshold_tile replaces x <= threshold (torch.threshold's rule).
inline float Threshold(float x, Params p) { return x <= p.f32(0) ? p.f32(1) : x; }
// Round half to even at `decimals` places: round(x * 10^d) * 10^-d.
inline float Round(float x, Params p) {
  int d = p.i32(0);
  if (d == 0)
    return std::nearbyint(x);
  float coeff = std::pow(10.0f, static_cast<float>(d));
  float inverse = std::pow(10.0f, static_cast<float>(-d));
  return std::nearbyint(x * coeff) * inverse;
}

// Binary (FPU on DFB tiles, SFPU on DST tiles: the same function). The
// four arithmetic ones take a float or a vector of them (GCC vector
// types): lane by lane the same IEEE operation, so the same bits, and
// TileMath applies them to whole vectors.
template <typename T> inline T Add(T a, T b) { return a + b; }
template <typename T> inline T Sub(T a, T b) { return a - b; }
template <typename T> inline T Mul(T a, T b) { return a * b; }
template <typename T> inline T Div(T a, T b) { return a / b; }
inline float Max(float a, float b) { return std::fmax(a, b); }
inline float Min(float a, float b) { return std::fmin(a, b); }
// Python's a % b: the sign of b (fmod, then b added when the signs differ),
// as torch.remainder.
inline float Remainder(float a, float b) {
  float r = std::fmod(a, b);
  return r != 0.0f && ((r < 0.0f) != (b < 0.0f)) ? r + b : r;
}

} // namespace ttlx_rt::elementwise
