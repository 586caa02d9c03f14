// SPDX-License-Identifier: Apache-2.0
//
// The host threads the runtime works with (see HostThreads.h).

#include "HostThreads.h"

#include <cstdlib>

namespace ttlx_rt {

unsigned configuredWorkers() {
  if (const char *text = std::getenv("TTLX_WORKERS")) {
    int n = std::atoi(text);
    if (n > 0)
      return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace ttlx_rt
