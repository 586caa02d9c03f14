// SPDX-License-Identifier: Apache-2.0
//
// Recycled L1, stack and run mappings (see MappingPool.h).

#include "MappingPool.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace ttlx_rt::mappings {

namespace {

/// Free mappings by size (and guard), each with its dirty extent; at most
/// kKeep of each size are kept (the largest grid's worth: 13x10 cores,
/// three threads each).
constexpr size_t kKeep = 13 * 10 * 3;

struct FreeLists {
  struct Block {
    uint8_t *mem;
    size_t dirty;
  };
  std::mutex mutex;
  std::map<std::pair<size_t, size_t>, std::vector<Block>> free; // (bytes, guard)

  bool take(size_t bytes, size_t guard, Block &block) {
    std::lock_guard<std::mutex> lock(mutex);
    auto &list = free[{bytes, guard}];
    if (list.empty())
      return false;
    block = list.back();
    list.pop_back();
    return true;
  }

  /// False when the list is full (the caller unmaps).
  bool give(size_t bytes, size_t guard, Block block) {
    std::lock_guard<std::mutex> lock(mutex);
    auto &list = free[{bytes, guard}];
    if (list.size() >= kKeep)
      return false;
    list.push_back(block);
    return true;
  }
};

// Never destroyed: devices may outlive static destruction at exit.
FreeLists &l1Lists() {
  static auto *lists = new FreeLists;
  return *lists;
}

FreeLists &stackLists() {
  static auto *lists = new FreeLists;
  return *lists;
}

/// Kept run blocks (memory, capacity), oldest first.
struct RunBlocks {
  std::mutex mutex;
  std::vector<std::pair<uint8_t *, size_t>> kept;
};

RunBlocks &runBlocks() {
  static auto *blocks = new RunBlocks;
  return *blocks;
}

constexpr size_t kBlockUnit = size_t{2} << 20;

size_t pageBytes() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

} // namespace

uint8_t *takeL1(size_t bytes, size_t &dirty) {
  FreeLists::Block block;
  if (l1Lists().take(bytes, 0, block)) {
    dirty = block.dirty;
    return block.mem;
  }
  void *mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  if (mem == MAP_FAILED)
    throw std::runtime_error("cannot map L1 memory in the low 2 GiB");
  dirty = 0;
  return static_cast<uint8_t *>(mem);
}

size_t dropPagesAbove(uint8_t *l1, size_t bytes, size_t from) {
  size_t page = pageBytes();
  size_t kept = std::min(bytes, (from + page - 1) / page * page);
  if (kept < bytes)
    madvise(l1 + kept, bytes - kept, MADV_DONTNEED);
  return kept;
}

void giveL1(uint8_t *l1, size_t bytes, size_t dirty) {
  size_t kept = dropPagesAbove(l1, bytes, dirty);
  if (!l1Lists().give(bytes, 0, {l1, kept}))
    munmap(l1, bytes);
}

uint8_t *takeStack(size_t bytes, size_t guard) {
  FreeLists::Block block;
  if (stackLists().take(bytes, guard, block))
    return block.mem;
  void *mem = mmap(nullptr, bytes + guard, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED)
    throw std::runtime_error("cannot map a kernel thread's stack");
  auto *stack = static_cast<uint8_t *>(mem);
  mprotect(stack, guard, PROT_NONE); // overflow faults instead of corrupting
  return stack;
}

void giveStack(uint8_t *stack, size_t bytes, size_t guard) {
  if (!stackLists().give(bytes, guard, {stack, 0}))
    munmap(stack, bytes + guard);
}

uint8_t *takeRunMemory(size_t bytes, size_t &capacity) {
  {
    // The smallest kept block that holds it.
    RunBlocks &blocks = runBlocks();
    std::lock_guard<std::mutex> lock(blocks.mutex);
    auto best = blocks.kept.end();
    for (auto it = blocks.kept.begin(); it != blocks.kept.end(); ++it)
      if (it->second >= bytes &&
          (best == blocks.kept.end() || it->second < best->second))
        best = it;
    if (best != blocks.kept.end()) {
      auto [mem, size] = *best;
      blocks.kept.erase(best);
      capacity = size;
      return mem;
    }
  }
  // Whole 2 MiB: a block that serves runs of similar sizes. (Not huge pages:
  // they made the contexts of data-movement threads, whose DST is never
  // touched, resident; Engram's 32768-token peak RSS rose by 52 MiB.)
  capacity = std::max<size_t>((bytes + kBlockUnit - 1) / kBlockUnit, 1) *
             kBlockUnit;
  void *mem = mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    throw std::runtime_error("cannot map memory for a run");
  return static_cast<uint8_t *>(mem);
}

void giveRunMemory(uint8_t *memory, size_t capacity) {
  std::vector<std::pair<uint8_t *, size_t>> dropped;
  {
    RunBlocks &blocks = runBlocks();
    std::lock_guard<std::mutex> lock(blocks.mutex);
    blocks.kept.emplace_back(memory, capacity);
    size_t total = 0;
    for (const auto &block : blocks.kept)
      total += block.second;
    while (!blocks.kept.empty() &&
           (blocks.kept.size() > kKeptRunBlocks || total > kKeptRunBytes)) {
      total -= blocks.kept.front().second;
      dropped.push_back(blocks.kept.front());
      blocks.kept.erase(blocks.kept.begin());
    }
  }
  for (auto [mem, size] : dropped)
    munmap(mem, size);
}

} // namespace ttlx_rt::mappings
