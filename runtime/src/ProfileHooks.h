// SPDX-License-Identifier: Apache-2.0
//
// The one-line hooks the kernel API calls to record events (Profile.h).
// Each costs one test of a null pointer while profiling is off.
#pragma once

#include "Device.h"

namespace ttlx_rt::profile {

void append(ThreadContext &ctx, Profiler &profiler, const Event &event);

inline void record(ThreadContext &ctx, Event event) {
  if (Profiler *profiler = ctx.device->profiler.get(); __builtin_expect(profiler != nullptr, 0))
    append(ctx, *profiler, event);
}

/// Row-major index of `core` in the grid.
inline uint16_t coreIndex(const Device &dev, const Core &core) {
  return static_cast<uint16_t>(core.y * dev.gridX() + core.x);
}

inline void dfb(ThreadContext &ctx, Ev kind, int32_t index, int32_t pages) {
  record(ctx, {kind, 0, static_cast<uint16_t>(index), static_cast<uint32_t>(pages)});
}

inline void noc(ThreadContext &ctx, Ev kind, uint16_t peer, uint32_t bytes) {
  record(ctx, {kind, 0, peer, bytes});
}

inline void semaphore(ThreadContext &ctx, Ev kind, const Core &target, uint32_t l1Offset,
                      uint32_t value, bool atLeast = false) {
  record(ctx, {kind, static_cast<uint8_t>(atLeast), coreIndex(*ctx.device, target), l1Offset,
               value});
}

inline void tile(ThreadContext &ctx, TileUnit unit, uint32_t function = 0) {
  record(ctx, {Ev::Tile, static_cast<uint8_t>(unit), 0, function});
}

} // namespace ttlx_rt::profile
