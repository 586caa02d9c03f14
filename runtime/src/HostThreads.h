// SPDX-License-Identifier: Apache-2.0
//
// The host threads the runtime works with: as many as TTLX_WORKERS says,
// else one per host core. The fiber scheduler runs that many workers
// (Device::run); memory-bound host work (tile layout conversion, poisoning
// L1) splits its items over them with forEachShare.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace ttlx_rt {

/// TTLX_WORKERS when it is a positive number, else the host's core count.
unsigned configuredWorkers();

/// Calls work(first, last) on consecutive shares [first, last) of the items
/// [0, count), one share per thread, at most `threads` of them (the caller's
/// included) and each at least `minItems` items; returns when all are done.
/// Shares must touch disjoint memory. Few items run on the caller's thread
/// alone.
template <typename Work>
void forEachShare(uint64_t count, uint64_t minItems, unsigned threads,
                  Work work) {
  uint64_t n = std::min<uint64_t>(threads, count / std::max<uint64_t>(minItems, 1));
  if (n <= 1) {
    work(uint64_t{0}, count);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(n - 1);
  for (uint64_t i = 1; i < n; ++i)
    pool.emplace_back([&work, count, n, i] { work(count * i / n, count * (i + 1) / n); });
  work(uint64_t{0}, count / n);
  for (std::thread &thread : pool)
    thread.join();
}

} // namespace ttlx_rt
