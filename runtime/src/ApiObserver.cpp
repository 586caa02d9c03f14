// SPDX-License-Identifier: Apache-2.0
//
// The observers of kernel API events (ApiObserver.h): each turns the events
// into the calls of its checker, or into profiler events.

#include "ApiObserver.h"
#include "Device.h"
#include "ProfileHooks.h"

namespace ttlx_rt {

namespace {

/// Uninitialised memory in pushed DFB pages (checked before the race
/// detector sees the push, so a page both report on warns first).
class UninitPushObserver final : public ApiObserver {
public:
  explicit UninitPushObserver(UninitTracker &uninit) : uninit_(uninit) {}

  void dfbReleased(ThreadContext &ctx, Ev kind, uint32_t cb, uint64_t first,
                   uint32_t pages, Site site) override {
    if (kind == Ev::Push)
      uninit_.push(ctx, cb, first, pages, site);
  }

private:
  UninitTracker &uninit_;
};

/// Uninitialised DRAM pages read, and pages written (checked after the race
/// detector: a racing read of an uninitialised page reports the race).
class UninitPageObserver final : public ApiObserver {
public:
  explicit UninitPageObserver(UninitTracker &uninit) : uninit_(uninit) {}

  bool pageTransfer(ThreadContext &ctx, Ev kind, DramBuffer &buffer,
                    uint32_t page, uint32_t, uint32_t, const Transfer &,
                    Site site) override {
    if (kind == Ev::NocRead)
      uninit_.dramRead(ctx, buffer, page, site);
    else
      uninit_.dramWrite(buffer, page);
    return false;
  }

private:
  UninitTracker &uninit_;
};

/// Races: DFB and semaphore synchronisation, and every memory transfer,
/// whose bytes it moves while it records the access.
class RaceObserver final : public ApiObserver {
public:
  explicit RaceObserver(RaceDetector &races) : races_(races) {}

  void dfbAcquired(ThreadContext &ctx, Ev kind, uint32_t cb,
                   uint32_t) override {
    races_.dfbAcquire(ctx, cb, /*reserve=*/kind == Ev::Reserve);
  }
  void dfbReleased(ThreadContext &ctx, Ev kind, uint32_t cb, uint64_t first,
                   uint32_t pages, Site site) override {
    races_.dfbRelease(ctx, cb, first, pages, kind == Ev::Push, site);
  }
  bool pageTransfer(ThreadContext &ctx, Ev kind, DramBuffer &buffer,
                    uint32_t page, uint32_t offset, uint32_t l1Addr,
                    const Transfer &bytes, Site site) override {
    if (kind == Ev::NocRead)
      races_.dramRead(ctx, buffer, page, offset, l1Addr, bytes, site);
    else
      races_.dramWrite(ctx, buffer, page, offset, l1Addr, bytes, site);
    return true;
  }
  bool nocCopy(ThreadContext &ctx, Ev, Core &from, uint32_t fromOffset,
               Core &to, uint32_t toOffset, const Transfer &bytes,
               Site site) override {
    races_.nocCopy(ctx, from, fromOffset, to, toOffset, bytes, site);
    return true;
  }
  void barrier(ThreadContext &ctx, Ev) override { races_.barrier(ctx); }
  void semaphoreWrite(ThreadContext &ctx, Ev kind, Core &target,
                      uint32_t offset, uint32_t value, Site site) override {
    races_.semaphoreRelease(ctx, target, offset, kind == Ev::SemInc, value,
                            site);
  }
  void semaphoreWaited(ThreadContext &ctx, uint32_t offset, uint32_t value,
                       bool atLeast) override {
    races_.semaphoreAcquire(ctx, offset, value, atLeast);
  }

private:
  RaceDetector &races_;
};

/// The profiler: every event, into the calling thread's stream.
class ProfileObserver final : public ApiObserver {
public:
  explicit ProfileObserver(Profiler &profiler) : profiler_(profiler) {}

  void dfbAcquired(ThreadContext &ctx, Ev kind, uint32_t cb,
                   uint32_t pages) override {
    profile::append(ctx, profiler_, {kind, 0, static_cast<uint16_t>(cb), pages});
  }
  void dfbReleased(ThreadContext &ctx, Ev kind, uint32_t cb, uint64_t,
                   uint32_t pages, Site) override {
    profile::append(ctx, profiler_, {kind, 0, static_cast<uint16_t>(cb), pages});
  }
  /// The other end is DRAM, or the core holding the L1 tensor's page.
  bool pageTransfer(ThreadContext &ctx, Ev kind, DramBuffer &buffer,
                    uint32_t page, uint32_t, uint32_t, const Transfer &bytes,
                    Site) override {
    uint16_t home = buffer.inL1() ? static_cast<uint16_t>(buffer.pageCore[page])
                                  : kDram;
    profile::append(ctx, profiler_, {kind, 0, home, bytes.size});
    return false;
  }
  /// The other end: the source of a read, the destination of a write.
  bool nocCopy(ThreadContext &ctx, Ev kind, Core &from, uint32_t, Core &to,
               uint32_t, const Transfer &bytes, Site) override {
    const Core &peer = kind == Ev::NocRead ? from : to;
    profile::append(ctx, profiler_,
                    {kind, 0, profile::coreIndex(*ctx.device, peer), bytes.size});
    return false;
  }
  void barrier(ThreadContext &ctx, Ev kind) override {
    profile::append(ctx, profiler_, {kind});
  }
  void semaphoreWrite(ThreadContext &ctx, Ev kind, Core &target,
                      uint32_t offset, uint32_t value, Site) override {
    profile::append(ctx, profiler_,
                    {kind, 0, profile::coreIndex(*ctx.device, target), offset,
                     value});
  }
  void semaphoreWaited(ThreadContext &ctx, uint32_t offset, uint32_t value,
                       bool atLeast) override {
    profile::append(ctx, profiler_,
                    {Ev::SemWait, static_cast<uint8_t>(atLeast),
                     profile::coreIndex(*ctx.device, *ctx.core), offset, value});
  }

private:
  Profiler &profiler_;
};

} // namespace

void ApiEvents::start(Device &device, UninitTracker *uninit,
                      RaceDetector *races) {
  observers_.clear();
  if (uninit)
    observers_.push_back(std::make_unique<UninitPushObserver>(*uninit));
  if (races)
    observers_.push_back(std::make_unique<RaceObserver>(*races));
  if (uninit)
    observers_.push_back(std::make_unique<UninitPageObserver>(*uninit));
  if (device.profiler)
    observers_.push_back(std::make_unique<ProfileObserver>(*device.profiler));
}

void ApiEvents::stop() { observers_.clear(); }

} // namespace ttlx_rt
