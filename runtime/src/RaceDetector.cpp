// SPDX-License-Identifier: Apache-2.0
//
// The race detector (see RaceDetector.h).

#include "RaceDetector.h"
#include "Device.h"
#include "SpinLock.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <sstream>
#include <unordered_map>

namespace ttlx_rt {

RaceMode configuredRaceMode() {
  const char *text = std::getenv("TTLX_RACES");
  if (!text || !*text || !std::strcmp(text, "error"))
    return RaceMode::Error;
  if (!std::strcmp(text, "warn"))
    return RaceMode::Warn;
  if (!std::strcmp(text, "off"))
    return RaceMode::Off;
  throw std::runtime_error(std::string("TTLX_RACES=") + text +
                           ": use error, warn or off");
}

namespace {
constexpr uint32_t kNone = RaceDetector::kNone;
/// A NOC transfer's clock: this bit and the number of the thread's barrier
/// that ends it (RaceDetector::BarrierClocks). A thread's own clock (one
/// step per release) and its count of barriers stay below it: 2^31 of
/// either would take a run of hours.
constexpr uint32_t kInFlight = uint32_t{1} << 31;
constexpr uint32_t kSplit = UINT32_MAX - 1; // a unit's write: see its parts
/// L1 is tracked from the end of the semaphore words, where the first DFB
/// starts, in granules: the largest power of two from kMinGranule to
/// kMaxGranule that divides every DFB's page size and offset on the core,
/// so that a DFB page is whole granules (one, for a tile of most programs).
/// A transfer of part of a granule splits it, so any granule is exact; the
/// fewer granules an access covers, the faster.
constexpr uint32_t kMinGranule = 256, kMaxGranule = 4096;
/// Locks of a DRAM tensor's shadow (Shadow::locks).
constexpr size_t kDramLocks = 64;

/// A first-in first-out list that allocates nothing until something is put
/// in it. (A std::deque allocates when it is made: the detector has two for
/// every DFB and one for every semaphore word of every core, 5000 mallocs
/// and frees a run on an 8x8 grid whether the program uses them or not.)
template <typename T> class Fifo {
public:
  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }
  T &front() { return items_[head_]; }
  const T &back() const { return items_.back(); }
  const T &operator[](size_t i) const { return items_[head_ + i]; }
  typename std::vector<T>::const_iterator begin() const {
    return items_.begin() + static_cast<ptrdiff_t>(head_);
  }
  typename std::vector<T>::const_iterator end() const { return items_.end(); }
  void push_back(T item) { items_.push_back(std::move(item)); }
  void pop_front() {
    if (++head_ == items_.size()) {
      items_.clear(); // keeps the capacity for the next ones
      head_ = 0;
    } else if (head_ >= 64 && 2 * head_ >= items_.size()) {
      items_.erase(items_.begin(),
                   items_.begin() + static_cast<ptrdiff_t>(head_));
      head_ = 0;
    }
  }

private:
  std::vector<T> items_;
  size_t head_ = 0;
};
} // namespace

/// The clock of each barrier of one thread so far, by number: appended by
/// the thread, read by any. An array that grows by a copy into a new one;
/// the old ones stay (a reader may hold one) until the detector goes.
class RaceDetector::BarrierClocks {
public:
  /// The number of the thread's next barrier (the thread's own call).
  uint32_t next() const { return count_.load(std::memory_order_relaxed); }
  /// The thread's barrier came, at its clock `clock`.
  void add(uint32_t clock) {
    const uint32_t n = next();
    if (n == capacity_) {
      capacity_ = std::max<uint32_t>(64, 2 * capacity_);
      auto grown = std::make_unique<uint32_t[]>(capacity_);
      if (n)
        std::memcpy(grown.get(), arrays_.back().get(), n * sizeof(uint32_t));
      clocks_.store(grown.get(), std::memory_order_release);
      arrays_.push_back(std::move(grown));
    }
    arrays_.back()[n] = clock;
    count_.store(n + 1, std::memory_order_release);
  }
  /// Whether barrier `number` came; then `clock` is the clock it came at.
  bool came(uint32_t number, uint32_t &clock) const {
    if (number >= count_.load(std::memory_order_acquire))
      return false;
    clock = clocks_.load(std::memory_order_acquire)[number];
    return true;
  }

private:
  std::atomic<uint32_t> count_{0};
  std::atomic<uint32_t *> clocks_{nullptr};
  uint32_t capacity_ = 0;                       // the thread's alone
  std::vector<std::unique_ptr<uint32_t[]>> arrays_; // the thread's alone
};

static uint32_t l1Granule(const Core &core) {
  uint32_t bits = kMaxGranule;
  for (const CircularBuffer &cb : core.cbs)
    if (cb.configured)
      bits |= cb.pageSize | (cb.base - core.l1Base - Device::kReservedL1);
  return std::max(bits & (~bits + 1), kMinGranule); // its lowest set bit
}

/// The accesses to a DRAM buffer, or to a core's L1, by unit (a page, a
/// granule). A unit accessed only whole keeps one entry; once accessed in
/// part (write.thread == kSplit) its byte ranges are in `parts`.
struct RaceDetector::Shadow {
  /// Half a cache line (32 bytes), aligned: a transfer's check misses at
  /// most once on a cold DRAM page's entry, and the entry of the next page
  /// comes with it.
  struct alignas(32) Entry {
    Access write, read;
  };
  static_assert(sizeof(Entry) == 32, "a shadow entry is half a cache line");
  /// Bytes [begin, end) of a unit: contiguous and sorted, covering it.
  struct Part {
    uint32_t begin, end;
    Access write, read;
  };
  uint32_t unit = 0; // bytes
  Entry *entries = nullptr; // in the detector's shadow block
  size_t count = 0;         // of entries
  std::unordered_map<size_t, std::vector<Part>> parts; // of split units
  const Core *core = nullptr;         // L1 of this core, or
  const DramBuffer *buffer = nullptr; // this DRAM buffer
  uint32_t base = 0;                  // its address
  uint32_t unitsPerRow = 0; // a DRAM tensor's tiles per row (0: unknown)
  /// The entries' locks, each on a cache line of its own (the workers take
  /// them for every access; the fields above, read at every access, would
  /// move with them): unit g's is locks[g % lockCount]. An L1 has one (its
  /// core's worker takes it; other cores only for NOC transfers into it), a
  /// DRAM tensor kDramLocks: the workers moving different pages of one
  /// tensor, every page a lock and unlock, took one lock from each other.
  struct alignas(64) Lock {
    SpinLock mutex;
  };
  std::unique_ptr<Lock[]> locks;
  size_t lockCount = 0;
  std::mutex partsMutex; // the map `parts`; each vector: under its unit's lock

  explicit Shadow(size_t lockCount)
      : locks(std::make_unique<Lock[]>(lockCount)), lockCount(lockCount) {}
  /// The parts of split unit `g` (its lock held).
  std::vector<Part> &partsOf(size_t g) {
    std::lock_guard<std::mutex> guard(partsMutex);
    return parts.at(g);
  }
};

/// Holds the locks of units [first, last] of a shadow: the unit's lock, or
/// every lock, in order, for several units of a shadow of several locks.
class RaceDetector::UnitLock {
public:
  UnitLock(Shadow &shadow, size_t first, size_t last)
      : shadow_(shadow), from_(first % shadow.lockCount), to_(from_) {
    if (first != last && shadow.lockCount > 1) {
      from_ = 0;
      to_ = shadow.lockCount - 1;
    }
    for (size_t i = from_; i <= to_; ++i)
      shadow_.locks[i].mutex.lock();
  }
  UnitLock(const UnitLock &) = delete;
  UnitLock &operator=(const UnitLock &) = delete;
  ~UnitLock() {
    for (size_t i = from_; i <= to_; ++i)
      shadow_.locks[i].mutex.unlock();
  }

private:
  Shadow &shadow_;
  size_t from_, to_;
};

/// The releases of one semaphore word in the order they were recorded, each
/// with the value it leaves in the word. That order is one the writes could
/// have landed in (increments commute; a set racing another write to the
/// word is a race of the protocol itself, and then a wait may find no
/// release that leaves its value, see acquireSemaphore). The oldest are
/// folded into one clock when the list grows long.
struct RaceDetector::SemaphoreHistory {
  struct Release {
    uint32_t thread;
    uint32_t value;  // the word after it
    bool increment;  // a read-modify-write: it continues the sequence of
                     // the set before it (what reads its value has seen)
    std::vector<uint32_t> clock;
  };
  static constexpr size_t kKept = 128;
  std::mutex mutex;
  uint32_t foldedValue = 0;     // the word after the folded releases
  std::vector<uint32_t> folded; // their clocks joined (empty: none)
  Fifo<Release> releases;
};

/// The releases of one DFB not yet acquired by the other side, oldest
/// first: each push (or pop) covers the pages up to `end` (pages counted
/// since the start, as CircularBuffer::pushed / popped).
struct RaceDetector::DfbClocks {
  struct Release {
    uint64_t end;
    std::vector<uint32_t> clock;
  };
  std::mutex mutex;
  Fifo<Release> pushes, pops;
  std::vector<std::vector<uint32_t>> spare; // clocks of dropped releases
};

RaceDetector::RaceDetector(Device &device, std::vector<ThreadContext *> threads,
                           RaceMode mode, bool trackL1)
    : device_(device), threads_(std::move(threads)), mode_(mode),
      trackL1_(trackL1),
      numThreads_(static_cast<uint32_t>(threads_.size())),
      clocks_(static_cast<size_t>(numThreads_) * numThreads_, 0),
      // Without L1 records, no DFB clocks (dfbAcquire, dfbRelease).
      dfbClocks_(trackL1 ? static_cast<size_t>(device.numCores()) *
                               Device::kMaxCBs
                         : 0),
      semaphores_(static_cast<size_t>(device.numCores()) *
                  Device::kNumSemaphores),
      barriers_(std::make_unique<BarrierClocks[]>(numThreads_)),
      lastFile_(numThreads_, {nullptr, 0}) {
  for (uint32_t t = 0; t < numThreads_; ++t) {
    threads_[t]->raceIndex = t;
    clocks_[static_cast<size_t>(t) * numThreads_ + t] = 1;
  }
  for (uint32_t i = 0; i < device.numCores(); ++i) {
    const Core &core = device.core(i);
    // The words' initial values (the program's semaphore_init).
    for (uint32_t id = 0; id < Device::kNumSemaphores; ++id)
      std::memcpy(&semaphores_[device.coreIndex(core) *
                                   Device::kNumSemaphores +
                               id]
                       .foldedValue,
                  core.l1 + 4 * id, 4);
    if (!trackL1_)
      continue;
    auto shadow = std::make_unique<Shadow>(1);
    shadow->core = &core;
    shadow->unit = l1Granule(core);
    uint32_t used = core.l1Next > Device::kReservedL1
                        ? core.l1Next - Device::kReservedL1
                        : 0;
    shadow->count = (used + shadow->unit - 1) / shadow->unit;
    l1Shadow_.push_back(std::move(shadow));
  }
  dramShadow_.resize(device.dramBuffers().size());
  for (const auto &[base, buffer] : device.dramBuffers()) {
    auto shadow = std::make_unique<Shadow>(kDramLocks);
    shadow->buffer = &buffer;
    shadow->base = base;
    shadow->unit = buffer.pageSize;
    // A buffer no kernel writes: no records (its reads race with nothing).
    shadow->count =
        buffer.pageSize && !buffer.readOnly ? buffer.size / buffer.pageSize : 0;
    shadow->unitsPerRow = buffer.tilesPerRow;
    dramShadow_[buffer.index] = std::move(shadow);
  }
  // Every shadow's entries in one block, each set to no access.
  size_t total = 0;
  for (const auto &shadow : l1Shadow_)
    total += shadow->count;
  for (const auto &shadow : dramShadow_)
    total += shadow->count;
  shadowMemory_ = mappings::RunMemory(total * sizeof(Shadow::Entry));
  auto *next = reinterpret_cast<Shadow::Entry *>(shadowMemory_.data());
  // Copies of one entry, 32 bytes a store: the elementwise tutorial's 65536
  // entries at 4096 in 0.21 ms, against 0.26 constructed field by field
  // (the serial start of its run).
  const Shadow::Entry none;
  auto place = [&next, &none](Shadow &shadow) {
    shadow.entries = next;
    std::uninitialized_fill_n(next, shadow.count, none);
    next += shadow.count;
  };
  for (const auto &shadow : l1Shadow_)
    place(*shadow);
  for (const auto &shadow : dramShadow_)
    place(*shadow);
}

RaceDetector::~RaceDetector() = default;

uint32_t *RaceDetector::clock(const ThreadContext &ctx) {
  return &clocks_[static_cast<size_t>(ctx.raceIndex) * numThreads_];
}

uint32_t RaceDetector::fileIndex(const ThreadContext &ctx, const char *file) {
  const auto &[last, index] = lastFile_[ctx.raceIndex];
  return file == last ? index : newFileIndex(ctx, file);
}

uint32_t RaceDetector::newFileIndex(const ThreadContext &ctx,
                                    const char *file) {
  auto &[last, index] = lastFile_[ctx.raceIndex];
  std::lock_guard<std::mutex> guard(filesMutex_);
  auto found = std::find(files_.begin(), files_.end(), file);
  if (found == files_.end())
    found = files_.insert(files_.end(), file);
  last = file;
  index = static_cast<uint32_t>(found - files_.begin());
  return index;
}

Site RaceDetector::siteOf(const Access &access) {
  std::lock_guard<std::mutex> guard(filesMutex_);
  return {files_[access.file], static_cast<int>(access.line)};
}

//===----------------------------------------------------------------------===//
// Synchronisation
//===----------------------------------------------------------------------===//

/// into[t] = max(into[t], other[t]) for t < n. Apart and restrict: written
/// in place, the compiler reloaded the bound and the clock from the
/// detector at every element (a store through `mine` might change them)
/// and kept the loop scalar: 2.4% of the operation call of elementwise
/// step 4 at 4096, 192 threads a join.
static void joinClocks(uint32_t *__restrict into,
                       const uint32_t *__restrict other, size_t n) {
  for (size_t t = 0; t < n; ++t)
    into[t] = std::max(into[t], other[t]);
}

void RaceDetector::join(ThreadContext &ctx, const std::vector<uint32_t> &other) {
  joinClocks(clock(ctx), other.data(), other.size());
}

void RaceDetector::dfbAcquire(ThreadContext &ctx, uint32_t cb, bool reserve) {
  if (!trackL1_)
    return;
  const CircularBuffer &buffer = ctx.core->cbs[cb];
  DfbClocks &clocks =
      dfbClocks_[device_.coreIndex(*ctx.core) * Device::kMaxCBs + cb];
  // A wait for pages [popped, popped + waited) acquires the pushes that
  // made them; a reserve of [pushed, pushed + reserved) the pops that freed
  // their slots, pages numPages earlier. Releases wholly before the first
  // page were acquired by an earlier call and are dropped.
  Fifo<DfbClocks::Release> &releases =
      reserve ? clocks.pops : clocks.pushes;
  int64_t first = reserve ? static_cast<int64_t>(buffer.pushed) -
                                static_cast<int64_t>(buffer.numPages)
                          : static_cast<int64_t>(buffer.popped);
  int64_t end = first + (reserve ? buffer.reserved : buffer.waited);
  uint32_t *mine = clock(ctx);
  std::lock_guard<std::mutex> guard(clocks.mutex);
  while (!releases.empty() &&
         static_cast<int64_t>(releases.front().end) <= first) {
    clocks.spare.push_back(std::move(releases.front().clock));
    releases.pop_front();
  }
  int64_t start = first;
  for (const DfbClocks::Release &r : releases) {
    if (start >= end)
      break;
    joinClocks(mine, r.clock.data(), numThreads_);
    start = static_cast<int64_t>(r.end);
  }
}

void RaceDetector::dfbRelease(ThreadContext &ctx, uint32_t cb, uint64_t first,
                              uint32_t pages, bool push, Site site) {
  if (!trackL1_)
    return;
  const CircularBuffer &buffer = ctx.core->cbs[cb];
  // Each page as an access of its own (a conflict is reported per page),
  // under one lock of the core's shadow.
  Shadow &shadow = *l1Shadow_[device_.coreIndex(*ctx.core)];
  struct Found {
    Conflict conflict;
    Span where;
  };
  std::vector<Found> found; // allocates only for a race
  {
    UnitLock guard(shadow, 0, shadow.count);
    uint64_t p = first;
    while (p < first + pages) {
      const auto slot = static_cast<uint32_t>(p % buffer.numPages);
      const uint32_t offset =
          buffer.base + slot * buffer.pageSize - ctx.core->l1Base;
      // The pages up to the end of the ring, side by side in L1: recorded
      // by one check when none of them conflicts (most releases), which
      // records what a check of each would.
      const auto run = static_cast<uint32_t>(std::min<uint64_t>(
          first + pages - p, buffer.numPages - slot));
      Span bytes, where;
      if (run > 1 &&
          l1Span(shadow, offset, run * buffer.pageSize, bytes) &&
          bytes.end - bytes.begin == uint64_t{run} * buffer.pageSize &&
          conflictFree(ctx, shadow, bytes, push)) {
        if (bytes.begin % shadow.unit == 0 && bytes.end % shadow.unit == 0)
          recordWhole(ctx, shadow, bytes.begin / shadow.unit,
                      bytes.end / shadow.unit, push, /*inFlight=*/false, site,
                      /*moved=*/false);
        else
          checkLocked(ctx, shadow, bytes, push, /*inFlight=*/false, site,
                      nullptr, where);
        p += run;
        continue;
      }
      ++p;
      if (!l1Span(shadow, offset, buffer.pageSize, bytes))
        continue;
      Conflict conflict = checkLocked(ctx, shadow, bytes, push,
                                      /*inFlight=*/false, site, nullptr, where);
      if (conflict.other.thread != kNone)
        found.push_back({conflict, where});
    }
  }
  for (const Found &f : found)
    report(ctx, f.conflict, push, site,
           describeL1(*ctx.core, static_cast<uint32_t>(Device::kReservedL1 +
                                                       f.where.begin)));
  DfbClocks &clocks =
      dfbClocks_[device_.coreIndex(*ctx.core) * Device::kMaxCBs + cb];
  uint32_t *mine = clock(ctx);
  {
    std::lock_guard<std::mutex> guard(clocks.mutex);
    std::vector<uint32_t> snapshot;
    if (!clocks.spare.empty()) {
      snapshot = std::move(clocks.spare.back());
      clocks.spare.pop_back();
    }
    snapshot.assign(mine, mine + numThreads_);
    (push ? clocks.pushes : clocks.pops)
        .push_back({first + pages, std::move(snapshot)});
  }
  ++mine[ctx.raceIndex];
}

void RaceDetector::semaphoreRelease(ThreadContext &ctx, Core &target,
                                    uint32_t offset, bool increment,
                                    uint32_t value, Site site) {
  if (offset >= Device::kReservedL1)
    return l1(ctx, target, offset, 4, /*write=*/true, /*inFlight=*/true, site,
              nullptr);
  SemaphoreHistory &history =
      semaphores_[device_.coreIndex(target) * Device::kNumSemaphores +
                  offset / 4];
  uint32_t *mine = clock(ctx);
  {
    std::lock_guard<std::mutex> guard(history.mutex);
    auto &releases = history.releases;
    uint32_t before =
        releases.empty() ? history.foldedValue : releases.back().value;
    releases.push_back({ctx.raceIndex, increment ? before + value : value,
                        increment,
                        std::vector<uint32_t>(mine, mine + numThreads_)});
    if (releases.size() > 2 * SemaphoreHistory::kKept) {
      // Folded releases are acquired together: more order, never less.
      if (history.folded.empty())
        history.folded.assign(numThreads_, 0);
      while (releases.size() > SemaphoreHistory::kKept) {
        const SemaphoreHistory::Release &r = releases.front();
        for (uint32_t t = 0; t < numThreads_; ++t)
          history.folded[t] = std::max(history.folded[t], r.clock[t]);
        history.foldedValue = r.value;
        releases.pop_front();
      }
    }
  }
  ++mine[ctx.raceIndex];
}

void RaceDetector::semaphoreAcquire(ThreadContext &ctx, uint32_t offset,
                                    uint32_t value, bool atLeast) {
  if (offset >= Device::kReservedL1)
    return;
  SemaphoreHistory &history =
      semaphores_[device_.coreIndex(*ctx.core) * Device::kNumSemaphores +
                  offset / 4];
  auto holds = [&](uint32_t v) { return atLeast ? v >= value : v == value; };
  const uint32_t *mine = clock(ctx);
  std::lock_guard<std::mutex> guard(history.mutex);
  const auto &releases = history.releases;
  auto n = static_cast<ptrdiff_t>(releases.size());
  // The wait reads the newest release ordered before it or a later one.
  ptrdiff_t seen = -1; // -1: the folded releases (or the initial value)
  for (ptrdiff_t i = n - 1; i >= 0 && seen < 0; --i)
    if (mine[releases[i].thread] >= releases[i].clock[releases[i].thread])
      seen = i;
  // From there, the first value that ends the wait is the one it may have
  // read (on the device it may return before anything later lands).
  ptrdiff_t read = -2;
  if (seen < 0 && holds(history.foldedValue))
    read = -1;
  for (ptrdiff_t i = std::max<ptrdiff_t>(seen, 0); i < n && read == -2; ++i)
    if (holds(releases[i].value))
      read = i;
  if (read == -2) {
    // No recorded order leaves the value the wait saw: every release.
    join(ctx, history.folded);
    for (const SemaphoreHistory::Release &r : releases)
      join(ctx, r.clock);
    return;
  }
  // Reading a value acquires the write that left it and, for an increment,
  // the increments and the set before it.
  for (ptrdiff_t i = read; i >= 0; --i) {
    join(ctx, releases[i].clock);
    if (!releases[i].increment)
      return;
  }
  join(ctx, history.folded);
}

void RaceDetector::barrier(ThreadContext &ctx) {
  barriers_[ctx.raceIndex].add(clock(ctx)[ctx.raceIndex]);
}

//===----------------------------------------------------------------------===//
// Accesses
//===----------------------------------------------------------------------===//

// The two checks of every DRAM page transfer, flattened into one body each
// (what is rare stays out of line: checkLocked, the reports): elementwise
// step 4 at 4096, 65536 transfers a call, 1 ms faster (measurements.md).
__attribute__((flatten)) void
RaceDetector::dramRead(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
                       uint32_t offset, uint32_t l1Addr, const Transfer &bytes,
                       Site site) {
  dram(ctx, buffer, page, offset, bytes.size, /*write=*/false, site, nullptr);
  l1(ctx, *ctx.core, l1Addr - ctx.core->l1Base, bytes.size, /*write=*/true,
     /*inFlight=*/true, site, &bytes);
}

__attribute__((flatten)) void
RaceDetector::dramWrite(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
                        uint32_t offset, uint32_t l1Addr, const Transfer &bytes,
                        Site site) {
  l1(ctx, *ctx.core, l1Addr - ctx.core->l1Base, bytes.size, /*write=*/false,
     /*inFlight=*/true, site, nullptr);
  dram(ctx, buffer, page, offset, bytes.size, /*write=*/true, site, &bytes);
}

void RaceDetector::nocCopy(ThreadContext &ctx, Core &from, uint32_t fromOffset,
                           Core &to, uint32_t toOffset, const Transfer &bytes,
                           Site site) {
  l1(ctx, from, fromOffset, bytes.size, /*write=*/false, /*inFlight=*/true,
     site, nullptr);
  l1(ctx, to, toOffset, bytes.size, /*write=*/true, /*inFlight=*/true, site,
     &bytes);
}

void RaceDetector::dram(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
                        uint32_t offset, uint32_t size, bool write, Site site,
                        const Transfer *move) {
  if (buffer.index >= dramShadow_.size() ||
      page >= dramShadow_[buffer.index]->count || size == 0) {
    if (move)
      move->move();
    return;
  }
  Shadow &shadow = *dramShadow_[buffer.index];
  // The next page's entry, as Device::dramTransfer fetches its bytes: the
  // entry's cache miss was most of a transfer's check. And the entry of the
  // page below: a block's tile-rows are runs of pages a row apart, whose
  // first pages' entries missed even so.
  if (page + 1 < shadow.count)
    __builtin_prefetch(&shadow.entries[page + 1]);
  if (shadow.unitsPerRow && page + shadow.unitsPerRow < shadow.count)
    __builtin_prefetch(&shadow.entries[page + shadow.unitsPerRow]);
  // Transfers are in flight until the barrier.
  uint64_t begin = uint64_t{page} * shadow.unit + offset;
  Span where;
  Conflict conflict = check(ctx, shadow, {begin, begin + size}, write,
                            /*inFlight=*/true, site, move, where);
  if (conflict.other.thread != kNone)
    reportDram(ctx, conflict, write, site, buffer, shadow, page, where);
}

void RaceDetector::reportDram(ThreadContext &ctx, const Conflict &conflict,
                              bool write, Site site, const DramBuffer &buffer,
                              const Shadow &shadow, uint32_t page,
                              Span where) {
  std::ostringstream os;
  os << device_.describePage(buffer, page);
  std::string text = os.str();
  if (buffer.name.empty()) {
    std::ostringstream at;
    at << " at 0x" << std::hex << shadow.base;
    text.insert(text.find(" page "), at.str());
  }
  // Part of the page (of a row-major row, say): the bytes both accessed.
  uint64_t pageStart = uint64_t{page} * shadow.unit;
  if (where.end - where.begin < shadow.unit)
    text += " bytes " + std::to_string(where.begin - pageStart) + " to " +
            std::to_string(where.end - 1 - pageStart);
  report(ctx, conflict, write, site, text);
}

bool RaceDetector::l1Span(const Shadow &shadow, uint32_t offset,
                          uint32_t size, Span &bytes) {
  // Semaphore words synchronise, they are not data; beyond the DFBs
  // nothing tracks L1.
  uint64_t tracked = uint64_t{shadow.unit} * shadow.count;
  if (offset < Device::kReservedL1 || size == 0 ||
      offset - Device::kReservedL1 >= tracked)
    return false;
  uint64_t begin = offset - Device::kReservedL1;
  bytes = {begin, std::min(begin + size, tracked)};
  return true;
}

void RaceDetector::l1(ThreadContext &ctx, Core &core, uint32_t offset,
                      uint32_t size, bool write, bool inFlight, Site site,
                      const Transfer *move) {
  if (!trackL1_) {
    if (move)
      move->move();
    return;
  }
  Shadow &shadow = *l1Shadow_[device_.coreIndex(core)];
  Span bytes;
  if (!l1Span(shadow, offset, size, bytes)) {
    if (move)
      move->move();
    return;
  }
  Span where;
  Conflict conflict =
      check(ctx, shadow, bytes, write, inFlight, site, move, where);
  if (conflict.other.thread != kNone)
    report(ctx, conflict, write, site,
           describeL1(core, static_cast<uint32_t>(Device::kReservedL1 +
                                                  where.begin)));
}

std::string RaceDetector::describeL1(const Core &core, uint32_t offset) const {
  std::ostringstream os;
  os << "L1 of core (" << core.x << ", " << core.y << ") at offset " << offset;
  uint32_t addr = core.l1Base + offset;
  for (uint32_t i = 0; i < core.cbs.size(); ++i) {
    const CircularBuffer &cb = core.cbs[i];
    if (!cb.configured || addr < cb.base ||
        addr >= cb.base + cb.pageSize * cb.numPages)
      continue;
    os << " (DFB " << i << " page " << (addr - cb.base) / cb.pageSize << ")";
    break;
  }
  return os.str();
}

inline bool RaceDetector::unordered(const ThreadContext &ctx, const Access &a) {
  if (a.thread == kNone || a.thread == ctx.raceIndex ||
      threads_[a.thread]->core == ctx.core)
    return false;
  uint32_t at = a.clock;
  if ((at & kInFlight) && !barriers_[a.thread].came(at & ~kInFlight, at))
    return true; // still in flight
  return at > clock(ctx)[a.thread];
}

RaceDetector::Conflict RaceDetector::check(ThreadContext &ctx, Shadow &shadow,
                                           Span bytes, bool write,
                                           bool inFlight, Site site,
                                           const Transfer *move, Span &where) {
  const size_t first = bytes.begin / shadow.unit;
  if (bytes.begin != first * shadow.unit ||
      bytes.end != bytes.begin + shadow.unit) {
    UnitLock guard(shadow, first, (bytes.end - 1) / shadow.unit);
    return checkLocked(ctx, shadow, bytes, write, inFlight, site, move, where);
  }
  // One whole unit, the access of almost every transfer and of a DFB
  // page's push or pop: when it is not split and conflicts with nothing,
  // its record and bytes here, as checkLocked would, without its general
  // loop over units and parts.
  UnitLock guard(shadow, first, first);
  if (!conflictFree(ctx, shadow, bytes, write))
    return checkLocked(ctx, shadow, bytes, write, inFlight, site, move, where);
  recordWhole(ctx, shadow, first, first + 1, write, inFlight, site,
              move != nullptr);
  if (move)
    move->move();
  return {};
}

inline RaceDetector::Stamp RaceDetector::stampOf(ThreadContext &ctx,
                                                 bool inFlight, Site site,
                                                 bool moved) {
  const uint32_t me = ctx.raceIndex;
  return {me, inFlight ? kInFlight | barriers_[me].next() : clock(ctx)[me],
          fileIndex(ctx, site.file), static_cast<uint32_t>(site.line), moved};
}

void RaceDetector::recordWhole(ThreadContext &ctx, Shadow &shadow,
                               size_t first, size_t end, bool write,
                               bool inFlight, Site site, bool moved) {
  const Stamp stamp = stampOf(ctx, inFlight, site, moved);
  for (size_t g = first; g < end; ++g) {
    Shadow::Entry &entry = shadow.entries[g];
    stamp.onto(write ? entry.write : entry.read);
    if (write)
      entry.read.thread = kNone;
  }
}

bool RaceDetector::conflictFree(const ThreadContext &ctx, const Shadow &shadow,
                                Span bytes, bool write) {
  // Every unit the bytes touch, the partly covered ones at either end too
  // (a run of 1088-byte pages ends inside a 256-byte granule).
  const size_t last = (bytes.end + shadow.unit - 1) / shadow.unit;
  for (size_t g = bytes.begin / shadow.unit; g < last; ++g) {
    const Shadow::Entry &entry = shadow.entries[g];
    if (entry.write.thread == kSplit || unordered(ctx, entry.write) ||
        (write && unordered(ctx, entry.read)))
      return false;
  }
  return true;
}

RaceDetector::Conflict
RaceDetector::checkLocked(ThreadContext &ctx, Shadow &shadow, Span bytes,
                          bool write, bool inFlight, Site site,
                          const Transfer *move, Span &where) {
  Conflict conflict;
  auto unordered = [&](const Access &a) { return this->unordered(ctx, a); };
  // The same record (kNone: none, whatever the rest).
  auto sameAccess = [](const Access &a, const Access &b) {
    return a.thread == b.thread &&
           (a.thread == kNone ||
            (a.clock == b.clock && a.file == b.file && a.line == b.line &&
             a.moved == b.moved));
  };
  // Two writes of the same bytes are benign: whichever lands last, the
  // memory holds them (e.g. every core of a grid writing the same result).
  // An earlier transfer moved its bytes under this lock (or its thread holds
  // them: settled here), so they are in memory: the new transfer is benign
  // if it changes none of the bytes both cover ([from, to)). Either order
  // of the two gives that verdict.
  auto sameBytes = [&](const Access &a, uint64_t from, uint64_t to) {
    if (!move || !a.moved)
      return false;
    threads_[a.thread]->pending.settle();
    return move->same(static_cast<uint32_t>(from - bytes.begin),
                      static_cast<uint32_t>(to - from));
  };
  const Stamp stamp = stampOf(ctx, inFlight, site, move != nullptr);
  // Checks and records bytes [from, to), which share the records `w`, `r`.
  // A conflict goes on over the next bytes while they conflict with the
  // same access.
  auto visit = [&](Access &w, Access &r, uint64_t from, uint64_t to) {
    bool none = conflict.other.thread == kNone;
    if (none || from == where.end) {
      Conflict found;
      if (unordered(w) && !sameBytes(w, from, to))
        found = {w, true};
      else if (write && unordered(r))
        found = {r, false};
      if (found.other.thread == kNone) {
      } else if (none) {
        conflict = found;
        where = {from, to};
      } else if (found.write == conflict.write &&
                 sameAccess(found.other, conflict.other)) {
        where.end = to;
      }
    }
    if (write) {
      stamp.onto(w);
      r.thread = kNone;
    } else {
      stamp.onto(r);
    }
  };
  // Splits the part holding byte `at` of a unit there.
  auto split = [](std::vector<Shadow::Part> &parts, uint32_t at) {
    for (size_t i = 0; i < parts.size(); ++i)
      if (parts[i].begin < at && at < parts[i].end) {
        Shadow::Part tail = parts[i];
        tail.begin = at;
        parts[i].end = at;
        parts.insert(parts.begin() + static_cast<ptrdiff_t>(i) + 1, tail);
        return;
      }
  };
  const uint32_t unit = shadow.unit;
  const size_t first = bytes.begin / unit, last = (bytes.end - 1) / unit;
  for (size_t g = first; g <= last; ++g) {
    Shadow::Entry &entry = shadow.entries[g];
    const uint64_t base = uint64_t{g} * unit;
    const auto lo = static_cast<uint32_t>(
        bytes.begin > base ? bytes.begin - base : 0);
    const auto hi = static_cast<uint32_t>(
        bytes.end < base + unit ? bytes.end - base : unit);
    if (entry.write.thread != kSplit) {
      if (lo == 0 && hi == unit) {
        visit(entry.write, entry.read, base, base + unit);
        continue;
      }
      {
        std::lock_guard<std::mutex> guard(shadow.partsMutex);
        shadow.parts[g].assign(1, {0, unit, entry.write, entry.read});
      }
      entry.write.thread = kSplit;
    }
    std::vector<Shadow::Part> &parts = shadow.partsOf(g);
    split(parts, lo);
    split(parts, hi);
    for (Shadow::Part &part : parts)
      if (lo <= part.begin && part.end <= hi)
        visit(part.write, part.read, base + part.begin, base + part.end);
    // Neighbours with the same records join; one left is the whole unit.
    size_t kept = 0;
    for (size_t i = 1; i < parts.size(); ++i) {
      if (sameAccess(parts[kept].write, parts[i].write) &&
          sameAccess(parts[kept].read, parts[i].read))
        parts[kept].end = parts[i].end;
      else
        parts[++kept] = parts[i];
    }
    parts.resize(kept + 1);
    if (kept == 0) {
      entry.write = parts[0].write;
      entry.read = parts[0].read;
      std::lock_guard<std::mutex> guard(shadow.partsMutex);
      shadow.parts.erase(g);
    }
  }
  if (move)
    move->move();
  return conflict;
}

void RaceDetector::report(ThreadContext &ctx, const Conflict &conflict,
                          bool write, Site site, const std::string &what) {
  const Access &other = conflict.other;
  bool otherWrite = conflict.write;
  std::ostringstream os;
  os << "race: " << (write ? "writes " : "reads ") << what << ", which "
     << device_.describe(*threads_[other.thread])
     << (otherWrite ? " wrote" : " read") << siteText(siteOf(other))
     << ", and nothing orders the two accesses (no DFB, semaphore or "
        "barrier chain between the threads)";
  if (mode_ == RaceMode::Error)
    device_.fault(ctx, site, os.str());
  std::string message = device_.describe(ctx) + ": " + os.str() + siteText(site);
  std::lock_guard<std::mutex> guard(reportMutex_);
  if (reported_.insert(message).second)
    device_.warn(message);
}

} // namespace ttlx_rt
