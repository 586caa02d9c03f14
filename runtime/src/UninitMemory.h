// SPDX-License-Identifier: Apache-2.0
//
// Uninitialised memory, as hardware leaves it: the DFB region of every
// core's L1 holds a NaN pattern (as f32 and as two bf16 halves, a
// signalling NaN no arithmetic produces) until written, poisoned before its
// first use in a run, and so do DRAM buffers the host left uninitialised
// (ttnn.empty), L1 tensors included. Reported, as a warning (an error with
// TTLX_STRICT=1): a DFB push of a page that still holds the poison (nothing
// wrote it since the run began), and a DRAM read of a page of such a buffer
// that no kernel wrote.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "ttlx/Target/Hardware.h"
#include "ttlx_runtime/kernel_abi.h"

namespace ttlx_rt {

class Device;
struct CircularBuffer;
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

  /// Poisons the bytes of core `core`'s DFB region (`l1`: its L1) among L1
  /// bytes [offset, offset + size) that this run did not poison yet,
  /// before their first access: the pages a cb_reserve_back hands out and
  /// the bytes of every NOC transfer to or from L1. So a page is poisoned
  /// just before it is written, while its lines are in the cache, and a
  /// page nothing touches costs nothing: the Engram gates' region is 1.3
  /// MiB a core, 81.5 MiB a call poisoned whole, most of it unused at 128
  /// tokens (docs/measurements.md). Inline, and without the lock once the
  /// bytes are poisoned: every transfer and every reserve asks (a page of
  /// up to 4 KiB is one word of the bitmap).
  void ensurePoisoned(uint32_t core, uint8_t *l1, uint64_t offset,
                      uint64_t size) {
    const Lines &lines = lines_[core];
    uint64_t from = std::max(offset, kRegionStart);
    uint64_t to = std::min(offset + size, lines.end);
    if (from >= to)
      return; // none of the region
    uint64_t first = (from - kRegionStart) / kLine;
    uint64_t last = (to - 1 - kRegionStart) / kLine;
    for (uint64_t w = first / 64; w <= last / 64; ++w) {
      uint64_t mask = wordMask(w, first, last);
      if ((lines.words[w].load(std::memory_order_acquire) & mask) != mask)
        return poisonLines(core, l1, first, last);
    }
  }

  /// cb_reserve_back returned: its pages are poisoned unless this run
  /// poisoned them already (ensurePoisoned).
  void reserved(const Core &core, const CircularBuffer &buffer);
  void push(ThreadContext &ctx, uint32_t cb, uint64_t first, uint32_t pages,
            Site site);
  void dramRead(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
                Site site);
  void dramWrite(DramBuffer &buffer, uint32_t page);

private:
  /// Per core: a bit per line of its DFB region, set once poisoned.
  struct Lines {
    uint64_t end = 0; // the region's end (Core::l1Next)
    std::unique_ptr<std::atomic<uint64_t>[]> words;
    std::mutex mutex; // poisoning
  };
  /// The DFB region: from the end of the semaphore words to Core::l1Next.
  static constexpr uint64_t kRegionStart = ttlx_hw::kL1ReservedBytes;
  static constexpr uint32_t kLine = 64; // bytes a bit
  /// The bits of lines [first, last] in word `w` of a bitmap.
  static uint64_t wordMask(uint64_t w, uint64_t first, uint64_t last) {
    uint64_t lo = std::max(first, w * 64) - w * 64;
    uint64_t hi = std::min(last, w * 64 + 63) - w * 64;
    uint64_t upTo = hi == 63 ? ~uint64_t{0} : (uint64_t{1} << (hi + 1)) - 1;
    return upTo & ~((uint64_t{1} << lo) - 1);
  }
  /// Poisons the lines of [first, last] whose bits are not set, then sets
  /// them: one poisoner a core at a time.
  void poisonLines(uint32_t core, uint8_t *l1, uint64_t first, uint64_t last);
  void report(ThreadContext &ctx, Site site, const std::string &message);

  Device &device_;
  bool strict_;
  std::vector<Lines> lines_; // by core index
  // By DramBuffer::index: which pages of an uninitialised buffer kernels
  // wrote (null for the other buffers).
  std::vector<std::unique_ptr<std::atomic<uint8_t>[]>> written_;
  std::mutex reportMutex_;
  std::set<std::pair<const char *, int>> reported_; // one warning per site
};

} // namespace ttlx_rt
