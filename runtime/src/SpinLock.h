// SPDX-License-Identifier: Apache-2.0
//
// A lock for the race detector's shadow entries: held for one check (a few
// records and at most a page's copy), taken for every page a kernel moves
// and every DFB release, hundreds of thousands of times a run. Inline, an
// exchange to take it and a store to give it back, where a std::mutex was
// two calls into the C library: 5% of the operation call of elementwise
// step 4 at 4096 (perf, one worker), and the race detector's share fell by
// 3 points with this lock. Waiting spins briefly, then yields the host
// core: the holder may be a worker the system preempted.
#pragma once

#include <atomic>
#include <thread>

namespace ttlx_rt {

/// One round of waiting for another host thread: a pause for the first
/// rounds (`spins` counts them), then the host core yielded.
inline void spinWait(unsigned &spins) {
  constexpr unsigned kSpins = 64;
  if (spins++ < kSpins) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

class SpinLock {
public:
  void lock() {
    while (locked_.exchange(true, std::memory_order_acquire))
      for (unsigned spins = 0; locked_.load(std::memory_order_relaxed);)
        spinWait(spins);
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

} // namespace ttlx_rt
