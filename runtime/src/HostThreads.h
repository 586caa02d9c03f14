// SPDX-License-Identifier: Apache-2.0
//
// The host threads the runtime works with: as many as TTLX_WORKERS says,
// else one per host core. The fiber scheduler runs that many workers
// (Device::run); memory-bound host work (tile layout conversion) splits
// its items over them with forEachShare.
//
// Built with OpenMP, they are the threads of the process's OpenMP pool:
// torch's, when torch is loaded (a process has one libgomp). torch's idle
// OpenMP workers spin for a while after each of its parallel regions (the
// tutorials' torch.zeros right before a call): threads of our own would
// compete with them for the cores, these take over. A process forked
// after that pool started cannot use it (libgomp is not fork-safe): there
// the runtime starts threads of its own.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace ttlx_rt {

/// TTLX_WORKERS when it is a positive number, else the host's core count.
unsigned configuredWorkers();

/// Whether this process is a fork of one that may have started OpenMP's
/// threads.
bool forkedAfterOpenMP();

/// Calls work(index, count) on `count` host threads at once, the caller's
/// as index 0, and returns when all are done; count is at most `threads`
/// and may be fewer (OpenMP gives one thread inside a parallel region).
template <typename Work>
void onHostThreads(unsigned threads, Work work) {
#if defined(_OPENMP)
  if (!forkedAfterOpenMP()) {
#pragma omp parallel num_threads(threads)
    work(static_cast<unsigned>(omp_get_thread_num()),
         static_cast<unsigned>(omp_get_num_threads()));
    return;
  }
#endif
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i)
    pool.emplace_back([&work, i, threads] { work(i, threads); });
  work(0u, threads);
  for (std::thread &thread : pool)
    thread.join();
}

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
  onHostThreads(static_cast<unsigned>(n), [&](uint64_t i, uint64_t shares) {
    work(count * i / shares, count * (i + 1) / shares);
  });
}

} // namespace ttlx_rt
