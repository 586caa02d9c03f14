// SPDX-License-Identifier: Apache-2.0
//
// The host threads the runtime works with (see HostThreads.h).

#include "HostThreads.h"

#include <atomic>
#include <cstdlib>
#include <pthread.h>

namespace ttlx_rt {

unsigned configuredWorkers() {
  if (const char *text = std::getenv("TTLX_WORKERS")) {
    int n = std::atoi(text);
    if (n > 0)
      return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {
std::atomic<bool> forked{false};
// Registered when the library loads, before any of its parallel regions.
const int registered = pthread_atfork(nullptr, nullptr, [] {
  forked.store(true, std::memory_order_relaxed);
});
} // namespace

bool forkedAfterOpenMP() { return forked.load(std::memory_order_relaxed); }

} // namespace ttlx_rt
