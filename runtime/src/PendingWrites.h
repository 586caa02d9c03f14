// SPDX-License-Identifier: Apache-2.0
//
// A kernel thread's streamed NOC writes (to DRAM buffers of kStreamedBytes
// or more), held until the thread's next API call that is not another such
// write, then moved together with streaming stores and one fence. A locked
// instruction (each lock the race detector takes, each atomic) waits until
// the streaming stores before it reach memory: one after every 2 KiB page
// held the copies to a third of the memory's write speed
// (docs/measurements.md). A held write carries a copy of its source taken
// when it was issued, and the thread's next call finds it in memory, so a
// kernel sees what an immediate copy would give; only another thread that
// reads the bytes unordered (a race, reported) could see them late.
#pragma once

#include "SpinLock.h"
#include "StreamingStores.h"

#include <atomic>
#include <cstdint>
#include <cstring>

namespace ttlx_rt {

class PendingWrites {
public:
  /// Holds a copy of `size` bytes (streamStores' alignment) from `from` to
  /// `to` (the owner thread): of the bytes `from` holds now (the caller may
  /// change them next); when full, moves the ones held first.
  void add(uint8_t *to, const uint8_t *from, uint32_t size) {
    if (size > kStaging) {
      flush();
      streamStores(to, from, size);
      streamFence();
      return;
    }
    uint64_t n = count_.load(std::memory_order_relaxed);
    if (n - moved_ == kSlots || staged_ + size > kStaging) {
      flush();
      n = count_.load(std::memory_order_relaxed);
    }
    uint8_t *copy = staging_ + staged_;
    std::memcpy(copy, from, size);
    staged_ += (size + 63) / 64 * 64;
    slots_[n % kSlots] = {to, copy, size};
    count_.store(n + 1, std::memory_order_release);
  }

  /// The owner thread: moves every held write (inline, as every API call
  /// of a data-movement thread asks).
  void flush() {
    if (count_.load(std::memory_order_relaxed) != moved_)
      flushHeld();
  }

  /// Another thread, whose access met one of these writes and compares
  /// bytes with it: moves the writes held so far and returns once they are
  /// in memory.
  void settle() { moveClaimed(/*stream=*/false); }

private:
  struct Slot {
    uint8_t *to;
    const uint8_t *from;
    uint32_t size;
  };
  static constexpr uint64_t kSlots = 64;

  __attribute__((noinline)) void flushHeld() {
    moveClaimed(/*stream=*/true);
    moved_ = count_.load(std::memory_order_relaxed);
    staged_ = 0;
  }

  /// Claims the writes held and not yet claimed, moves them, then waits
  /// until every thread moving some (the owner, a settling thread) is done:
  /// a write's source stays in place and its slot unused until then.
  void moveClaimed(bool stream) {
    busy_.fetch_add(1, std::memory_order_acq_rel);
    uint64_t end = count_.load(std::memory_order_acquire);
    uint64_t from = claimed_.load(std::memory_order_acquire);
    while (from < end && !claimed_.compare_exchange_weak(
                             from, end, std::memory_order_acq_rel))
      ;
    for (uint64_t i = from; i < end; ++i) {
      const Slot &slot = slots_[i % kSlots];
      if (stream)
        streamStores(slot.to, slot.from, slot.size);
      else
        std::memcpy(slot.to, slot.from, slot.size);
    }
    if (stream)
      streamFence();
    busy_.fetch_sub(1, std::memory_order_acq_rel);
    // The other mover may be a worker the system preempted: spinWait
    // yields after a while.
    for (unsigned spins = 0; busy_.load(std::memory_order_acquire) != 0;)
      spinWait(spins);
  }

  static constexpr uint32_t kStaging = 16 << 10; // bytes
  alignas(64) uint8_t staging_[kStaging]; // the held writes' bytes
  uint32_t staged_ = 0;                    // of it, in use (the owner's)
  Slot slots_[kSlots];
  std::atomic<uint64_t> count_{0};   // writes held so far (the owner's)
  std::atomic<uint64_t> claimed_{0}; // of them, claimed to be moved
  std::atomic<uint32_t> busy_{0};    // threads moving some
  uint64_t moved_ = 0; // the owner's: of them, moved (slots free again)
};

} // namespace ttlx_rt
