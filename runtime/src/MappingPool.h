// SPDX-License-Identifier: Apache-2.0
//
// Memory mappings a device makes for every run, kept for the next device
// of the process instead of being unmapped: each core's L1, each kernel
// thread's fiber stack, the kernel threads' contexts and the race
// detector's shadow. A fresh mapping costs a page fault per page touched
// (the DFB regions of an 8x8 grid are often 20000 pages; the shadow of four
// 32 MiB tensors 512, the DST of 64 compute threads as many), and an unmap
// a TLB shootdown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace ttlx_rt::mappings {

/// `bytes` of memory in the low 2 GiB of the address space (kernels hold
/// L1 addresses in 32-bit integers). Bytes from `dirty` on are zero; the
/// caller clears what it needs below it (Device::prepareL1).
uint8_t *takeL1(size_t bytes, size_t &dirty);
/// Returns an L1 taken with takeL1(bytes) whose bytes from `dirty` on were
/// not written on purpose. Stray writes above are undone: those pages go
/// back to the system (zero when touched again).
void giveL1(uint8_t *l1, size_t bytes, size_t dirty);
/// Gives back to the system the whole pages of the `bytes` of `l1` from
/// byte `from` rounded up to a page (zero when touched again); returns
/// that rounded offset (at most `bytes`).
size_t dropPagesAbove(uint8_t *l1, size_t bytes, size_t from);

/// A fiber stack: `guard` bytes of inaccessible memory, then `bytes` of
/// stack. Its contents are whatever the last fiber left.
uint8_t *takeStack(size_t bytes, size_t guard);
void giveStack(uint8_t *stack, size_t bytes, size_t guard);

/// At least `bytes` of memory a run needs while it lasts (the race
/// detector's shadow, the kernel threads' contexts), page aligned;
/// `capacity` is how much. Its contents are whatever the last user left.
uint8_t *takeRunMemory(size_t bytes, size_t &capacity);
/// Returns memory taken with takeRunMemory. The newest blocks, at most
/// kKeptRunBlocks of them and kKeptRunBytes in all, are kept; the rest is
/// unmapped.
void giveRunMemory(uint8_t *memory, size_t capacity);
constexpr size_t kKeptRunBlocks = 4;
constexpr size_t kKeptRunBytes = size_t{32} << 20;

/// A block of takeRunMemory, given back when destroyed.
class RunMemory {
public:
  RunMemory() = default;
  explicit RunMemory(size_t bytes) {
    memory_ = takeRunMemory(bytes, capacity_); // after capacity_'s initialiser
  }
  RunMemory(const RunMemory &) = delete;
  RunMemory &operator=(const RunMemory &) = delete;
  RunMemory &operator=(RunMemory &&other) noexcept {
    std::swap(memory_, other.memory_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  ~RunMemory() {
    if (memory_)
      giveRunMemory(memory_, capacity_);
  }
  uint8_t *data() const { return memory_; }

private:
  uint8_t *memory_ = nullptr;
  size_t capacity_ = 0;
};

} // namespace ttlx_rt::mappings
