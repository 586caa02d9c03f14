// SPDX-License-Identifier: Apache-2.0
//
// The one-line hooks the compute API calls to record tile events
// (Profile.h); each costs one test of a null pointer while profiling is off.
// The data-movement API reports to the profiler through ApiEvents
// (ApiObserver.h).
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

inline void tile(ThreadContext &ctx, TileUnit unit, uint32_t function = 0) {
  record(ctx, {Ev::Tile, static_cast<uint8_t>(unit), 0, function});
}

} // namespace ttlx_rt::profile
