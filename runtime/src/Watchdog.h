// SPDX-License-Identifier: Apache-2.0
//
// The watchdog: a kernel thread that holds a host worker and makes no API
// call for TTLX_WATCHDOG_S seconds (default 10; 0 turns it off) spins where
// hardware would hang. A monitor thread samples each worker's fiber and its
// API call count; a fiber that stands still that long is interrupted with a
// signal to its worker. If the signal lands in the kernel's own code (no
// runtime lock can be held there), the handler abandons the fiber (its stack
// is never resumed) and gives the worker back; otherwise the monitor tries
// again a moment later. The run then ends with a report naming the core,
// the thread and the kernel line it spun on.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

namespace ttlx_rt {

struct FiberContext;
struct ThreadContext;

/// Where a kernel library's code lies, to tell its own instructions from the
/// runtime's, and to map an address back to a line.
struct KernelCode {
  uintptr_t begin = 0, end = 0; // its executable segment
  uintptr_t base = 0;           // load address (addresses in its debug info + base)
  std::string library;
};
KernelCode kernelCode(void *entry);

/// A host worker as the watchdog sees it.
struct WorkerSlot {
  pthread_t thread{};
  FiberContext *home = nullptr;               // the worker's own context
  std::atomic<ThreadContext *> fiber{nullptr}; // the fiber it runs, if any
  // Set by the monitor before it signals: the fiber to abandon and its API
  // call count when it was found standing still.
  std::atomic<ThreadContext *> target{nullptr};
  std::atomic<uint64_t> targetCalls{0};
  // The monitor's own sampling state.
  ThreadContext *seen = nullptr;
  uint64_t seenCalls = 0;
  std::chrono::steady_clock::time_point since;
};

/// Counts an API call of `ctx` (only its own worker writes the count).
inline void countApiCall(std::atomic<uint64_t> &calls) {
  calls.store(calls.load(std::memory_order_relaxed) + 1,
              std::memory_order_relaxed);
}

class Watchdog {
public:
  /// TTLX_WATCHDOG_S (default 10); 0 or less: no watchdog.
  static double configuredSeconds();

  explicit Watchdog(double seconds);
  ~Watchdog(); // stops the monitor

  /// Called by each worker thread before it runs fibers / after it is done.
  void attach(WorkerSlot &slot);
  void detach(WorkerSlot &slot);

  double seconds() const { return seconds_; }

private:
  void monitor();

  double seconds_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::vector<WorkerSlot *> slots_;
  std::thread thread_;
};

/// The report of an abandoned fiber: where it spun (kernel C++ line, and the
/// nearest user source line noted above it).
std::string runawayReport(const ThreadContext &ctx, double seconds);

} // namespace ttlx_rt
