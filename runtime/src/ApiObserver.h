// SPDX-License-Identifier: Apache-2.0
//
// What the kernel API reports to the checkers and the profiler watching a
// run: each API call makes one call of ApiEvents (KernelApi.cpp), which
// hands the event to the observers the run enabled, in order: the
// uninitialised-memory check of DFB pushes, the race detector (unless
// TTLX_RACES=off), the uninitialised-memory check of DRAM pages, the
// profiler (when profiling). A checker that is off is not in the list, so it
// costs nothing; with none, an event is one test of an empty list.
//
// Events are named by the profiler's kinds (Ev); each is reported before
// the call changes memory or DFB state, and after its wait returned. A
// transfer's bytes are moved by its event (ApiEvents::pageTransfer,
// nocCopy): by the race detector, which moves them while it records the
// access, or else after every observer saw the event.
#pragma once

#include "Profile.h"
#include "PendingWrites.h"
#include "TilesInRows.h"
#include "ttlx_runtime/kernel_abi.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace ttlx_rt {

/// The bytes a NOC transfer moves: `size` bytes from `from` to `to`. With
/// `rows`, the DRAM end is bytes [rowsAt, rowsAt + size) of a buffer whose
/// tile pages lie in rows: the source of a read (`from` is null) or the
/// destination of a write (`to` is null). `held`: a streamed write, held
/// there (its thread's) until moved (Device::dramTransfer decides).
struct Transfer {
  uint8_t *to;
  const uint8_t *from;
  uint32_t size;
  const TilesInRows *rows = nullptr;
  uint64_t rowsAt = 0;
  PendingWrites *held = nullptr;

  void move() const {
    if (held)
      held->add(to, from, size);
    else if (!rows)
      std::memmove(to, from, size);
    else if (!from)
      rows->read(rowsAt, to, size);
    else
      rows->write(rowsAt, from, size);
  }
  /// Whether bytes [at, at + n) of the transfer already hold the same
  /// values at both ends.
  bool same(uint32_t at, uint32_t n) const {
    if (!rows)
      return std::memcmp(to + at, from + at, n) == 0;
    return rows->equals(rowsAt + at, from ? from + at : to + at, n);
  }
};

class Device;
class RaceDetector;
class UninitTracker;
struct Core;
struct DramBuffer;
struct ThreadContext;

class ApiObserver {
public:
  virtual ~ApiObserver() = default;
  /// cb_reserve_back (Ev::Reserve) or cb_wait_front (Ev::Wait) of `pages`
  /// pages of DFB `cb` returned.
  virtual void dfbAcquired(ThreadContext &, Ev, uint32_t /*cb*/,
                           uint32_t /*pages*/) {}
  /// cb_push_back (Ev::Push) or cb_pop_front (Ev::Pop) of `pages` pages
  /// from page `first` of DFB `cb`.
  virtual void dfbReleased(ThreadContext &, Ev, uint32_t /*cb*/,
                           uint64_t /*first*/, uint32_t /*pages*/, Site) {}
  /// A page of a DRAM buffer or L1 tensor, from byte `offset` of it, read
  /// into (Ev::NocRead) or written from (Ev::NocWrite) the caller's L1 at
  /// `l1Addr`: `bytes` (its size is the transfer's). True: the observer
  /// moved the bytes.
  virtual bool pageTransfer(ThreadContext &, Ev, DramBuffer &,
                            uint32_t /*page*/, uint32_t /*offset*/,
                            uint32_t /*l1Addr*/, const Transfer & /*bytes*/,
                            Site) {
    return false;
  }
  /// `bytes` from `from`'s L1 at `fromOffset` to `to`'s at `toOffset`, a
  /// read (Ev::NocRead, issued by `to`) or a write (Ev::NocWrite). True:
  /// the observer moved the bytes.
  virtual bool nocCopy(ThreadContext &, Ev, Core & /*from*/,
                       uint32_t /*fromOffset*/, Core & /*to*/,
                       uint32_t /*toOffset*/, const Transfer & /*bytes*/,
                       Site) {
    return false;
  }
  /// noc_async_read_barrier (Ev::ReadBarrier) or write barrier.
  virtual void barrier(ThreadContext &, Ev) {}
  /// A semaphore set (Ev::SemSet), increment (Ev::SemInc) or inline word
  /// write (Ev::SemWrite) of `value` into `target`'s L1 at `offset`.
  virtual void semaphoreWrite(ThreadContext &, Ev, Core & /*target*/,
                              uint32_t /*offset*/, uint32_t /*value*/, Site) {}
  /// noc_semaphore_wait(_min) on the caller's L1 at `offset` returned.
  virtual void semaphoreWaited(ThreadContext &, uint32_t /*offset*/,
                               uint32_t /*value*/, bool /*atLeast*/) {}
};

/// The observers of a run, and the one-line dispatch of each event.
class ApiEvents {
public:
  /// The observers for a run of `device`: `uninit` and `races` (null: off)
  /// and, when profiling, the device's profiler.
  void start(Device &device, UninitTracker *uninit, RaceDetector *races);
  void stop();

  void dfbAcquired(ThreadContext &ctx, Ev kind, uint32_t cb, uint32_t pages) {
    for (const auto &o : observers_)
      o->dfbAcquired(ctx, kind, cb, pages);
  }
  void dfbReleased(ThreadContext &ctx, Ev kind, uint32_t cb, uint64_t first,
                   uint32_t pages, Site site) {
    for (const auto &o : observers_)
      o->dfbReleased(ctx, kind, cb, first, pages, site);
  }
  /// Reports the transfer and moves its bytes.
  void pageTransfer(ThreadContext &ctx, Ev kind, DramBuffer &buffer,
                    uint32_t page, uint32_t offset, uint32_t l1Addr,
                    const Transfer &bytes, Site site) {
    bool moved = false;
    for (const auto &o : observers_)
      moved |= o->pageTransfer(ctx, kind, buffer, page, offset, l1Addr, bytes,
                               site);
    if (!moved)
      bytes.move();
  }
  /// Reports the transfer and moves its bytes.
  void nocCopy(ThreadContext &ctx, Ev kind, Core &from, uint32_t fromOffset,
               Core &to, uint32_t toOffset, const Transfer &bytes, Site site) {
    bool moved = false;
    for (const auto &o : observers_)
      moved |= o->nocCopy(ctx, kind, from, fromOffset, to, toOffset, bytes,
                          site);
    if (!moved)
      bytes.move();
  }
  void barrier(ThreadContext &ctx, Ev kind) {
    for (const auto &o : observers_)
      o->barrier(ctx, kind);
  }
  void semaphoreWrite(ThreadContext &ctx, Ev kind, Core &target,
                      uint32_t offset, uint32_t value, Site site) {
    for (const auto &o : observers_)
      o->semaphoreWrite(ctx, kind, target, offset, value, site);
  }
  void semaphoreWaited(ThreadContext &ctx, uint32_t offset, uint32_t value,
                       bool atLeast) {
    for (const auto &o : observers_)
      o->semaphoreWaited(ctx, offset, value, atLeast);
  }

private:
  std::vector<std::unique_ptr<ApiObserver>> observers_;
};

} // namespace ttlx_rt
