// SPDX-License-Identifier: Apache-2.0
//
// Uninitialised memory (see UninitMemory.h).

#include "UninitMemory.h"
#include "Device.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace ttlx_rt {

void poison(uint8_t *memory, uint64_t bytes) {
  // A block of the pattern copied over and over: memcpy's speed (a word at a
  // time was 3 instructions per 4 bytes).
  constexpr uint64_t kBlock = 4096;
  static const auto block = [] {
    std::array<uint32_t, kBlock / 4> words;
    words.fill(kPoisonWord);
    return words;
  }();
  uint64_t i = 0;
  for (; i + kBlock <= bytes; i += kBlock)
    std::memcpy(memory + i, block.data(), kBlock);
  std::memcpy(memory + i, block.data(), (bytes - i) / 4 * 4);
}

static bool poisoned(const uint8_t *memory, uint64_t bytes) {
  for (uint64_t i = 0; i + 4 <= bytes; i += 4) {
    uint32_t word;
    std::memcpy(&word, memory + i, 4);
    if (word != kPoisonWord)
      return false;
  }
  return true;
}

UninitTracker::UninitTracker(Device &device)
    : device_(device), strict_([] {
        const char *text = std::getenv("TTLX_STRICT");
        return text && *text && std::strcmp(text, "0") != 0;
      }()),
      lines_(device.numCores()) {
  for (uint32_t i = 0; i < device.numCores(); ++i) {
    const Core &core = device.core(i);
    Lines &lines = lines_[i];
    lines.end = std::max<uint64_t>(core.l1Next, kRegionStart);
    uint64_t words = ((lines.end - kRegionStart + kLine - 1) / kLine + 63) / 64;
    lines.words = std::make_unique<std::atomic<uint64_t>[]>(words);
    for (uint64_t w = 0; w < words; ++w)
      lines.words[w].store(0, std::memory_order_relaxed);
  }
  written_.resize(device.dramBuffers().size());
  for (const auto &[base, buffer] : device.dramBuffers()) {
    if (!buffer.uninitialised || !buffer.pageSize)
      continue;
    uint64_t pages = buffer.size / buffer.pageSize;
    auto flags = std::make_unique<std::atomic<uint8_t>[]>(pages);
    for (uint64_t p = 0; p < pages; ++p)
      flags[p].store(0, std::memory_order_relaxed);
    written_[buffer.index] = std::move(flags);
  }
}

void UninitTracker::poisonLines(uint32_t core, uint8_t *l1, uint64_t first,
                                uint64_t last) {
  Lines &lines = lines_[core];
  // The bits are set after the poison: a line is poisoned once, before
  // anyone who saw its bit set touches it.
  std::lock_guard<std::mutex> guard(lines.mutex);
  for (uint64_t w = first / 64; w <= last / 64; ++w) {
    uint64_t missing = wordMask(w, first, last) &
                       ~lines.words[w].load(std::memory_order_relaxed);
    while (missing) {
      // A run of missing lines at a time.
      auto lo = static_cast<uint64_t>(__builtin_ctzll(missing));
      uint64_t rest = ~(missing >> lo); // zero: the run goes to bit 63
      uint64_t run =
          rest ? static_cast<uint64_t>(__builtin_ctzll(rest)) : 64 - lo;
      uint64_t from = kRegionStart + (w * 64 + lo) * kLine;
      poison(l1 + from, std::min(from + run * kLine, lines.end) - from);
      uint64_t bits = run == 64 ? ~uint64_t{0} : ((uint64_t{1} << run) - 1) << lo;
      lines.words[w].fetch_or(bits, std::memory_order_release);
      missing &= ~bits;
    }
  }
}

void UninitTracker::reserved(const Core &core, const CircularBuffer &buffer) {
  // Pages [pushed, pushed + reserved) of the ring: up to its end, then from
  // its start.
  auto slot = static_cast<uint32_t>(buffer.pushed % buffer.numPages);
  uint32_t pages = std::min(buffer.reserved, buffer.numPages);
  uint32_t head = std::min(pages, buffer.numPages - slot);
  uint64_t base = buffer.base - core.l1Base;
  uint32_t index = device_.coreIndex(core);
  ensurePoisoned(index, core.l1, base + uint64_t{slot} * buffer.pageSize,
                 uint64_t{head} * buffer.pageSize);
  if (pages > head)
    ensurePoisoned(index, core.l1, base,
                   uint64_t{pages - head} * buffer.pageSize);
}

void UninitTracker::push(ThreadContext &ctx, uint32_t cb, uint64_t first,
                         uint32_t pages, Site site) {
  const CircularBuffer &buffer = ctx.core->cbs[cb];
  for (uint64_t p = first; p < first + pages; ++p) {
    uint32_t slot = static_cast<uint32_t>(p % buffer.numPages);
    uint32_t offset = buffer.base + slot * buffer.pageSize - ctx.core->l1Base;
    if (!poisoned(ctx.core->l1 + offset, buffer.pageSize))
      continue;
    std::ostringstream os;
    os << "uninitialised memory: cb_push_back pushes page " << slot
       << " of DFB " << cb
       << ", which holds only the NaN poison of uninitialised memory (nothing "
          "wrote it, or it was copied from uninitialised memory)";
    report(ctx, site, os.str());
  }
}

void UninitTracker::dramRead(ThreadContext &ctx, DramBuffer &buffer,
                             uint32_t page, Site site) {
  const auto *flags =
      buffer.index < written_.size() ? written_[buffer.index].get() : nullptr;
  if (!flags || flags[page].load(std::memory_order_acquire))
    return;
  std::ostringstream os;
  os << "uninitialised memory: reads " << device_.describePage(buffer, page)
     << ", which no kernel wrote (the tensor was created uninitialised, "
        "e.g. by ttnn.empty)";
  report(ctx, site, os.str());
}

void UninitTracker::dramWrite(DramBuffer &buffer, uint32_t page) {
  if (buffer.index < written_.size() && written_[buffer.index])
    written_[buffer.index][page].store(1, std::memory_order_release);
}

void UninitTracker::report(ThreadContext &ctx, Site site,
                           const std::string &message) {
  if (strict_)
    device_.fault(ctx, site, message + " (TTLX_STRICT=1)");
  {
    std::lock_guard<std::mutex> guard(reportMutex_);
    if (!reported_.insert({site.file, site.line}).second)
      return;
  }
  device_.warn(device_.describe(ctx) + ": " + message + siteText(site));
}

} // namespace ttlx_rt
