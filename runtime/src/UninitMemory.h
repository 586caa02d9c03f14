// SPDX-License-Identifier: Apache-2.0
//
// Uninitialised memory, as hardware leaves it: the DFB region of every
// core's L1 starts filled with a NaN pattern (as f32 and as two bf16 halves,
// a signalling NaN no arithmetic produces), and so do DRAM buffers the host
// left uninitialised (ttnn.empty), L1 tensors included. Reported, as a warning (an error with
// TTLX_STRICT=1): a DFB push of a page that still holds the poison (nothing
// wrote it since the run began), and a DRAM read of a page of such a buffer
// that no kernel wrote.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "ttlx_runtime/kernel_abi.h"

namespace ttlx_rt {

class Device;
struct Core;
struct DramBuffer;
struct ThreadContext;

/// The poison word: 0x7fa5 twice (bf16 NaN), or one f32 NaN.
constexpr uint32_t kPoisonWord = 0x7fa57fa5u;
void poison(uint8_t *memory, uint64_t bytes);

class UninitTracker {
public:
  /// `uninitialised` DRAM buffers (already poisoned by the host) get
  /// per-page written flags; no core's L1 is poisoned yet.
  explicit UninitTracker(Device &device);

  /// Poisons the DFB region of `core`'s L1 unless this run did already:
  /// before its own threads first run (its worker takes it) and before
  /// another core's first access to its L1. Poisoned then, not all cores
  /// up front, the pages are in the worker's cache when the core's
  /// threads write them, and a core nothing touches costs nothing.
  void ensurePoisoned(Core &core);

  void push(ThreadContext &ctx, uint32_t cb, uint64_t first, uint32_t pages,
            Site site);
  void dramRead(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
                Site site);
  void dramWrite(DramBuffer &buffer, uint32_t page);

private:
  void report(ThreadContext &ctx, Site site, const std::string &message);

  Device &device_;
  bool strict_;
  // By DramBuffer::index: which pages of an uninitialised buffer kernels
  // wrote (null for the other buffers).
  std::vector<std::unique_ptr<std::atomic<uint8_t>[]>> written_;
  std::mutex reportMutex_;
  std::set<std::pair<const char *, int>> reported_; // one warning per site
};

} // namespace ttlx_rt
