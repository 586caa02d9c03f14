// SPDX-License-Identifier: Apache-2.0
//
// tt-metal's device profiler zones (tt_metal/hw/inc/api/debug/
// kernel_profiler.hpp): `DeviceZoneScopedN("name")` opens a named scope
// that ends with the enclosing C++ block. Under `ttlx run --profile` the
// performance model shows it as a slice of its thread's track.
#pragma once

#include "ttlx_runtime/profile_abi.h"

namespace ttlx_rt {
struct ZoneScope {
  explicit ZoneScope(const char *zoneName) : name(zoneName) { zone_begin(name); }
  ~ZoneScope() { zone_end(name); }
  ZoneScope(const ZoneScope &) = delete;
  ZoneScope &operator=(const ZoneScope &) = delete;
  const char *name;
};
} // namespace ttlx_rt

#define TTLX_ZONE_CONCAT2(a, b) a##b
#define TTLX_ZONE_CONCAT(a, b) TTLX_ZONE_CONCAT2(a, b)
#define DeviceZoneScopedN(name)                                                \
  ::ttlx_rt::ZoneScope TTLX_ZONE_CONCAT(ttlx_zone_, __LINE__)(name)
