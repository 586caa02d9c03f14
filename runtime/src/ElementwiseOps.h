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

// Binary (FPU on DFB tiles, SFPU on DST tiles: the same function).
inline float Add(float a, float b) { return a + b; }
inline float Sub(float a, float b) { return a - b; }
inline float Mul(float a, float b) { return a * b; }
inline float Div(float a, float b) { return a / b; }
inline float Max(float a, float b) { return std::fmax(a, b); }
inline float Min(float a, float b) { return std::fmin(a, b); }

} // namespace ttlx_rt::elementwise
