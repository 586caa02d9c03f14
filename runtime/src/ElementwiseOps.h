// SPDX-License-Identifier: Apache-2.0
//
// What each op of the elementwise op table
// (include/ttlx/Dialect/TTL/IR/TTLElementwiseOps.def) computes on the host:
// one float function per table entry, named as the entry. TileMath applies
// them to whole tiles; DST rounding happens there. Adding an op to the table
// means adding its function here, and nothing else in the runtime.
#pragma once

#include <cmath>

namespace ttlx_rt::elementwise {

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

// Binary (FPU on DFB tiles, SFPU on DST tiles: the same function).
inline float Add(float a, float b) { return a + b; }
inline float Sub(float a, float b) { return a - b; }
inline float Mul(float a, float b) { return a * b; }
inline float Div(float a, float b) { return a / b; }
inline float Max(float a, float b) { return std::fmax(a, b); }
inline float Min(float a, float b) { return std::fmin(a, b); }

} // namespace ttlx_rt::elementwise
