// SPDX-License-Identifier: Apache-2.0
//
// The race detector (TTLX_RACES=error|warn|off, default error): two
// accesses to the same bytes of DRAM or L1 by threads of different cores,
// at least one a write, with no happens-before order between them.
//
// Happens-before comes from vector clocks, one per kernel thread: a release
// (DFB push or pop, semaphore set or increment, a pipe's mailbox write)
// records the thread's clock and advances the thread; an acquire (DFB
// reserve or wait returning, semaphore wait returning) joins what it
// synchronises with into the thread's clock. A semaphore wait acquires the
// release that first left a value ending the wait (after the newest release
// ordered before it) and, for an increment, the increments and the set
// before it in the word's history, not later releases (which may land after
// the wait returns on the device). A DFB keeps the clock of each push and pop: a wait
// acquires the pushes of the pages it waits for, a reserve the pops that
// freed its pages, and nothing pushed or popped later (which the producer
// may well have done already when the consumer's wait returns: its later
// accesses are not ordered before the consumer's). A NOC transfer is in
// flight until its thread's next barrier: before that it is ordered with
// nothing. Its record names the barrier (the thread's count of them so
// far), and each thread keeps the clock its barriers came at: a barrier
// touches no record, and a check reads that clock once the barrier came.
//
// Accesses are tracked by byte range, in units of a tensor page (DRAM or L1
// tensor) or an L1 granule (a power of two from 256 bytes to 4 KiB that DFB
// pages are whole multiples of: a tile page for most programs): NOC reads and
// writes on both sides, DRAM page reads and writes, and the DFB pages a
// thread pushes (written since its reserve) or pops (read since its wait). A
// unit keeps one record while accesses cover it whole; an access to part of
// it (part of a row-major row, a NOC transfer of a few bytes) splits it into
// byte ranges, joined again when their records agree, so two cores writing
// disjoint parts of one row do not race and overlapping parts do. Each range
// keeps its last write and last read (FastTrack's epochs, without read
// sharing: a race may go unseen, a reported one is real). Two unordered
// writes of the same bytes are benign (every core of a grid writing the same
// result): the memory ends the same whichever lands last. The detector
// moves a transfer's bytes itself, under the lock of the memory they land
// in, while it records the write (or hands a streamed write to its thread's
// PendingWrites, which moves it when a conflict compares with it): so when a
// write conflicts with an earlier transfer's, that one's bytes are in
// memory, and the new write is benign exactly when it would change none of
// the bytes both cover (compared only then), whichever of the two came
// first.
#pragma once

#include "ApiObserver.h"
#include "MappingPool.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ttlx_runtime/kernel_abi.h"

namespace ttlx_rt {

class Device;
struct Core;
struct DramBuffer;
struct ThreadContext;

enum class RaceMode { Off, Warn, Error };
/// TTLX_RACES: "error" (default), "warn" or "off".
RaceMode configuredRaceMode();

class RaceDetector {
public:
  /// `trackL1`: some kernel forms NOC addresses of cores' L1
  /// (formsL1Addresses). Without one, only a core's own threads reach its
  /// L1, and they are never reported against each other, so no record of
  /// L1 is kept, nor the DFB order between a core's threads: no thread can
  /// ever learn of another core's clock through it (that takes a
  /// semaphore of another core).
  RaceDetector(Device &device, std::vector<ThreadContext *> threads,
               RaceMode mode, bool trackL1);
  ~RaceDetector();

  // Synchronisation. Acquires run after the wait returned.
  /// cb_reserve_back (`reserve`) or cb_wait_front returned: the pages it
  /// reserved or waited for (CircularBuffer::reserved / waited).
  void dfbAcquire(ThreadContext &ctx, uint32_t cb, bool reserve);
  /// cb_push_back / cb_pop_front of `pages` pages from page `first`: the
  /// thread wrote / read them since its reserve / wait.
  void dfbRelease(ThreadContext &ctx, uint32_t cb, uint64_t first,
                  uint32_t pages, bool push, Site site);
  /// A semaphore set of `value` or increment by `value` (`increment`), or a
  /// word written inline, into `target`'s L1 at `offset`: a release on a
  /// semaphore word, a data write elsewhere. Called before the write.
  void semaphoreRelease(ThreadContext &ctx, Core &target, uint32_t offset,
                        bool increment, uint32_t value, Site site);
  /// noc_semaphore_wait (== `value`) or _wait_min (>= `value`, `atLeast`)
  /// on the caller's word at `offset` returned: it acquires the release
  /// that first left a value ending the wait, after the newest release
  /// ordered before the wait, and, if that was an increment, the
  /// increments and the set before it (what reading its value shows).
  void semaphoreAcquire(ThreadContext &ctx, uint32_t offset, uint32_t value,
                        bool atLeast);
  /// noc_async_*_barrier: the thread's transfers in flight complete.
  void barrier(ThreadContext &ctx);

  // Accesses: NOC transfers, in flight until the thread's next barrier;
  // each moves the transfer's bytes.
  /// DRAM page `page` from byte `offset` -> `bytes` into the caller's L1
  /// at address `l1Addr`.
  void dramRead(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
                uint32_t offset, uint32_t l1Addr, const Transfer &bytes,
                Site site);
  /// `bytes` from the caller's L1 at `l1Addr` -> DRAM page `page` from byte
  /// `offset`.
  void dramWrite(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
                 uint32_t offset, uint32_t l1Addr, const Transfer &bytes,
                 Site site);
  /// `bytes` from `from`'s L1 at offset `fromOffset` to `to`'s.
  void nocCopy(ThreadContext &ctx, Core &from, uint32_t fromOffset, Core &to,
               uint32_t toOffset, const Transfer &bytes, Site site);

  static constexpr uint32_t kNone = UINT32_MAX; // no thread

private:
  /// 16 bytes, so that a shadow entry (a write and a read) is half a cache
  /// line: the site's file is an index into files_.
  struct Access {
    uint32_t thread = kNone;
    uint32_t clock = 0;
    uint32_t file = 0;
    uint32_t line : 31;
    uint32_t moved : 1; // a transfer's write, its bytes moved by the detector
    Access() : line(0), moved(0) {}
  };
  /// What an access by a thread records now, set into a record field by
  /// field (a whole-struct copy of a stack temporary per granule stalled on
  /// store forwarding: the records are set for every granule of every
  /// transfer, push and pop).
  struct Stamp {
    uint32_t thread, clock, file, line;
    bool moved;
    void onto(Access &a) const {
      a.thread = thread;
      a.clock = clock;
      a.line = line;
      a.file = file;
      a.moved = moved;
    }
  };
  /// An earlier access the new one is not ordered with (thread kNone: none).
  struct Conflict {
    Access other;
    bool write = false;
  };
  /// Bytes of a shadow: [begin, end) from its start.
  struct Span {
    uint64_t begin = 0, end = 0;
  };
  struct Shadow;
  class UnitLock;
  struct SemaphoreHistory;
  struct DfbClocks;
  class BarrierClocks;
  uint32_t *clock(const ThreadContext &ctx);
  /// The index of `file` in files_ (the thread's last one is cached:
  /// inline, every access asks).
  inline uint32_t fileIndex(const ThreadContext &ctx, const char *file);
  /// fileIndex of a file other than the thread's last one.
  __attribute__((noinline)) uint32_t newFileIndex(const ThreadContext &ctx,
                                                  const char *file);
  Site siteOf(const Access &access);
  /// `move`: a write's transfer, whose bytes are moved with the record
  /// (null: the bytes are in place already, or it is a read).
  void dram(ThreadContext &ctx, DramBuffer &buffer, uint32_t page,
            uint32_t offset, uint32_t size, bool write, Site site,
            const Transfer *move);
  void l1(ThreadContext &ctx, Core &core, uint32_t offset, uint32_t size,
          bool write, bool inFlight, Site site, const Transfer *move);
  /// Joins `other` (empty: nothing) into the thread's clock.
  void join(ThreadContext &ctx, const std::vector<uint32_t> &other);
  /// Records the access to the shadow's bytes `bytes`, moving the bytes of
  /// `move` while it holds the bytes' locks, and returns the first earlier
  /// access it is not ordered with (the bytes both touched in `where`); a
  /// transfer conflicting with an earlier transfer's write is not when it
  /// changes none of the bytes both cover.
  Conflict check(ThreadContext &ctx, Shadow &shadow, Span bytes, bool write,
                 bool inFlight, Site site, const Transfer *move, Span &where);
  /// Whether `a` is an access of another core's thread that the thread of
  /// `ctx` is not ordered after (a transfer: after the barrier that ended
  /// it).
  bool unordered(const ThreadContext &ctx, const Access &a);
  /// The stamp of an access by `ctx` at `site` now: a transfer
  /// (`inFlight`) is stamped with the number of its thread's next barrier.
  inline Stamp stampOf(ThreadContext &ctx, bool inFlight, Site site,
                       bool moved);
  /// Records an access to the whole units [first, end), none of them split
  /// nor in conflict with it (conflictFree); their locks held.
  void recordWhole(ThreadContext &ctx, Shadow &shadow, size_t first,
                   size_t end, bool write, bool inFlight, Site site,
                   bool moved);
  /// Whether an access (without a transfer's bytes) to `bytes` would find
  /// no conflict in any unit it touches; their locks held.
  bool conflictFree(const ThreadContext &ctx, const Shadow &shadow,
                    Span bytes, bool write);
  /// check, the bytes' locks (UnitLock) held by the caller.
  /// (Out of line, as the reports: a conflict, a split unit or bytes that
  /// are part of a unit are rare; dramRead and dramWrite flatten the rest.)
  __attribute__((noinline, cold)) Conflict
  checkLocked(ThreadContext &ctx, Shadow &shadow, Span bytes, bool write,
              bool inFlight, Site site, const Transfer *move, Span &where);
  /// The tracked bytes of L1 `size` bytes at `offset` (false: none).
  static bool l1Span(const Shadow &shadow, uint32_t offset, uint32_t size,
                     Span &bytes);
  __attribute__((noinline, cold)) void
  report(ThreadContext &ctx, const Conflict &conflict, bool write, Site site,
         const std::string &what);
  /// report of a conflict on DRAM page `page` of `buffer` (bytes `where`).
  __attribute__((noinline, cold)) void
  reportDram(ThreadContext &ctx, const Conflict &conflict, bool write,
             Site site, const DramBuffer &buffer, const Shadow &shadow,
             uint32_t page, Span where);
  __attribute__((noinline, cold)) std::string
  describeL1(const Core &core, uint32_t offset) const;

  Device &device_;
  std::vector<ThreadContext *> threads_;
  RaceMode mode_;
  bool trackL1_;
  uint32_t numThreads_;
  std::vector<uint32_t> clocks_; // numThreads_ x numThreads_
  std::vector<DfbClocks> dfbClocks_;
  std::vector<SemaphoreHistory> semaphores_;
  std::vector<std::unique_ptr<Shadow>> l1Shadow_; // per core (if trackL1_)
  std::vector<std::unique_ptr<Shadow>> dramShadow_; // by DramBuffer::index
  std::unique_ptr<BarrierClocks[]> barriers_; // per thread
  // Every shadow's entries, in one block kept for the next run's detector
  // (mappings::RunMemory): fresh memory would fault on every page.
  mappings::RunMemory shadowMemory_;
  std::mutex filesMutex_;
  std::vector<const char *> files_; // the files of recorded sites
  std::vector<std::pair<const char *, uint32_t>> lastFile_; // per thread
  std::mutex reportMutex_;
  std::set<std::string> reported_;
};

} // namespace ttlx_rt
