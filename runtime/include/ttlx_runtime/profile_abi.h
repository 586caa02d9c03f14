// SPDX-License-Identifier: Apache-2.0
//
// Runtime entry points behind tt-metal's device profiler zones
// (api/debug/kernel_profiler.hpp): the scope's name is recorded when the
// run is profiled, and nothing happens otherwise.
#pragma once

namespace ttlx_rt {

void zone_begin(const char *name);
void zone_end(const char *name);

} // namespace ttlx_rt
