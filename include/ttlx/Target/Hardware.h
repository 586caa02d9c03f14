//===- Hardware.h - Tensix facts shared by compiler, runtime, Python ------===//
//
// SPDX-License-Identifier: Apache-2.0
//
// The one definition of the hardware constants and the kernel argument
// layout. Plain C++17 without LLVM, so the compiler, the host runtime and
// the kernels it compiles include it; installed with the runtime headers
// (ttlx/_runtime/include/ttlx/Target/Hardware.h), where `ttlx.hardware`
// parses it: keep one `inline constexpr uint32_t kName = <integer>;` per
// line.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_TARGET_HARDWARE_H
#define TTLX_TARGET_HARDWARE_H

#include <cstdint>
#include <optional>
#include <string_view>

namespace ttlx_hw {

// A tile: 32x32 elements in four 16x16 faces, faces row-major, row-major
// inside a face.
inline constexpr uint32_t kTileRows = 32;
inline constexpr uint32_t kTileCols = 32;
inline constexpr uint32_t kFaceRows = 16;
inline constexpr uint32_t kFaceCols = 16;

// The DST register file in half-sync mode, in tiles: 16-bit, or with fp32
// accumulation (`ttl.fp32_dest_acc`).
inline constexpr uint32_t kDstTiles16 = 8;
inline constexpr uint32_t kDstTiles32 = 4;

// The most cores a grid may have: Blackhole p150's 13x10, the largest
// device ttlx emulates (each emulated core maps its L1 in the low 2 GiB).
inline constexpr uint32_t kMaxCores = 130;

// Per core.
inline constexpr uint32_t kSemaphoresPerCore = 16;
inline constexpr uint32_t kL1Bytes = 1499136; // 1464 KiB
// L1 below the first DFB (the semaphores live there); each DFB starts at a
// multiple of kDFBsAlignment bytes after it, in DFB index order.
inline constexpr uint32_t kL1ReservedBytes = 64;
inline constexpr uint32_t kDFBsAlignment = 32;
inline constexpr uint32_t kDFBsWormhole = 32;
inline constexpr uint32_t kDFBsBlackhole = 64;

// The architectures a program can target (`--arch`, `TTLX_ARCH`); the
// default is wormhole_b0.
enum class Arch { WormholeB0, Blackhole };

inline std::optional<Arch> parseArch(std::string_view name) {
  if (name == "wormhole_b0")
    return Arch::WormholeB0;
  if (name == "blackhole")
    return Arch::Blackhole;
  return std::nullopt;
}

inline constexpr uint32_t dfbsPerCore(Arch arch) {
  return arch == Arch::Blackhole ? kDFBsBlackhole : kDFBsWormhole;
}

// Kernel arguments. DRAM tensor argument k (counting tensor arguments
// only) has its bank base address in runtime argument
// k * kRuntimeArgsPerTensor and its TensorAccessorArgs from compile-time
// argument k * kCompileTimeArgsPerTensor. DFB i has its circular buffer id
// in compile-time argument base + i, the base being the thread's
// `ttl.base_cta_index`, by default the compile-time arguments its tensors
// take.
inline constexpr uint32_t kRuntimeArgsPerTensor = 1;
inline constexpr uint32_t kCompileTimeArgsPerTensor = 1;

} // namespace ttlx_hw

#endif // TTLX_TARGET_HARDWARE_H
