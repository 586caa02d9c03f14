// SPDX-License-Identifier: Apache-2.0
//
// The runtime side of the tt-metal kernel API (see kernel_abi.h): every call
// checks its arguments against the device model, counts, waits where the
// hardware would (through the Device's scheduling points), and reports what
// it does to the checkers and the profiler in one line (ApiObserver.h).

#include "Device.h"
#include "api/debug/assert.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace ttlx_rt {

namespace {
struct Call {
  ThreadContext &ctx = current();
  Device &dev = *ctx.device;
  Core &core = *ctx.core;

  // A fault elsewhere stops this kernel thread at its next API call; the
  // thread's held writes move before anything else it does.
  Call() {
    dev.checkAbort();
    ctx.pending.flush();
  }
  /// A NOC write, which may join the thread's held writes (PendingWrites);
  /// any other transfer of it moves them first (flushHeld).
  struct MayHold {};
  explicit Call(MayHold) { dev.checkAbort(); }
  void flushHeld() { ctx.pending.flush(); }

  [[noreturn]] void fail(Site site, const std::string &message) {
    dev.fault(ctx, site, message);
  }

  CircularBuffer &cb(int32_t index, Site site) {
    if (index < 0 || static_cast<size_t>(index) >= core.cbs.size() ||
        !core.cbs[index].configured) {
      std::ostringstream os;
      os << "DFB " << index << " is not configured on this core";
      fail(site, os.str());
    }
    return core.cbs[index];
  }

  void checkPages(const CircularBuffer &buffer, int32_t index, int32_t pages,
                  const char *call, Site site) {
    if (pages <= 0 || static_cast<uint32_t>(pages) > buffer.numPages) {
      std::ostringstream os;
      os << call << " asks for " << pages << " page(s) of DFB " << index
         << ", which holds " << buffer.numPages
         << " page(s): it could never complete";
      fail(site, os.str());
    }
  }

  /// A block is the pages from the DFB's pointer on, in one piece, and
  /// tt-metal moves the pointer back to the DFB's start only when a push or
  /// pop lands exactly on its end (its ASSERT, under the watcher, catches a
  /// pointer beyond it): a block crossing the end would take L1 past the DFB.
  void checkRing(const CircularBuffer &buffer, int32_t index, int32_t pages,
                 uint64_t pointer, const char *call, Site site) {
    uint32_t first = static_cast<uint32_t>(pointer % buffer.numPages);
    if (first + static_cast<uint32_t>(pages) <= buffer.numPages)
      return;
    std::ostringstream os;
    os << call << " asks for " << pages << " page(s) of DFB " << index
       << " from its page " << first << " of " << buffer.numPages
       << ": the block would run past the DFB's end, and tt-metal wraps the "
          "DFB's pointers only when a push or pop lands exactly on the end; "
          "make the block sizes of each trip round the DFB add up to its "
       << buffer.numPages << " page(s) (sizes that divide " << buffer.numPages
       << " always do)";
    fail(site, os.str());
  }
};

uint64_t nocAddr(uint32_t x, uint32_t y, uint32_t offset) {
  return (static_cast<uint64_t>(x) << 48) | (static_cast<uint64_t>(y) << 32) |
         offset;
}
} // namespace

uint32_t arg(int index, Site site) {
  Call c;
  const auto &args = c.ctx.kernel->runtimeArgs;
  if (index < 0 || static_cast<size_t>(index) >= args.size()) {
    std::ostringstream os;
    os << "runtime argument " << index << " requested, but the kernel has "
       << args.size();
    c.fail(site, os.str());
  }
  return args[index];
}

uint32_t logical_x() { return current().core->x; }
uint32_t logical_y() { return current().core->y; }

//===----------------------------------------------------------------------===//
// Circular buffers
//===----------------------------------------------------------------------===//

/// A DFB of an allocation group writes the storage its other members
/// share: none of them may hold pages then (their lifetimes overlap).
static void checkAliases(Call &c, const CircularBuffer &buffer, int32_t index,
                         Site site) {
  for (uint32_t other : buffer.aliases) {
    const CircularBuffer &o = c.core.cbs[other];
    uint64_t held = o.pushed - o.popped + o.reserved;
    if (held == 0)
      continue;
    std::ostringstream os;
    os << "cb_reserve_back of DFB " << index << ", which shares its L1 with DFB "
       << other << " (one allocation group), while DFB " << other << " holds "
       << held << " page(s): the lifetimes of a group's DFBs must not overlap; "
       << "finish with DFB " << other << " first or give the two DFBs separate "
          "storage";
    c.fail(site, os.str());
  }
}

void cb_reserve_back(int32_t index, int32_t pages, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  c.checkPages(buffer, index, pages, "cb_reserve_back", site);
  c.checkRing(buffer, index, pages, buffer.pushed, "cb_reserve_back", site);
  if (!buffer.aliases.empty())
    checkAliases(c, buffer, index, site);
  c.core.counters[CbReserve]++;
  c.dev.waitOnDfb(c.ctx, "cb_reserve_back",
                  {Wait::Kind::DfbSpace, static_cast<uint32_t>(index),
                   static_cast<uint32_t>(pages)},
                  site);
  // As on the device, the call only blocks until `pages` are free: a smaller
  // second reserve gives none of the reserved pages back.
  buffer.reserved = std::max(buffer.reserved, static_cast<uint32_t>(pages));
  c.dev.uninit().reserved(c.core, buffer);
  c.dev.events().dfbAcquired(c.ctx, Ev::Reserve, index, pages);
}

void cb_push_back(int32_t index, int32_t pages, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  if (pages <= 0 || static_cast<uint32_t>(pages) > buffer.reserved) {
    std::ostringstream os;
    os << "cb_push_back pushes " << pages << " page(s) of DFB " << index
       << ", but only " << buffer.reserved
       << " are reserved: call cb_reserve_back first";
    c.fail(site, os.str());
  }
  c.dev.events().dfbReleased(c.ctx, Ev::Push, index, buffer.pushed, pages, site);
  buffer.reserved -= pages;
  buffer.pushed += pages;
  buffer.packed = 0;
  buffer.lastPush = site;
  buffer.lastPusher = c.ctx.kernel;
  c.core.counters[CbPush]++;
  c.dev.dfbChanged(c.core, index);
}

void cb_wait_front(int32_t index, int32_t pages, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  c.checkPages(buffer, index, pages, "cb_wait_front", site);
  c.checkRing(buffer, index, pages, buffer.popped, "cb_wait_front", site);
  buffer.consumed = true;
  c.core.counters[CbWait]++;
  c.dev.waitOnDfb(c.ctx, "cb_wait_front",
                  {Wait::Kind::DfbData, static_cast<uint32_t>(index),
                   static_cast<uint32_t>(pages)},
                  site);
  // As on the device, the call only blocks until `pages` are there: a
  // smaller second wait gives none of the received pages back.
  buffer.waited = std::max(buffer.waited, static_cast<uint32_t>(pages));
  c.dev.events().dfbAcquired(c.ctx, Ev::Wait, index, pages);
}

void cb_pop_front(int32_t index, int32_t pages, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  if (pages <= 0 || static_cast<uint32_t>(pages) > buffer.waited) {
    std::ostringstream os;
    os << "cb_pop_front pops " << pages << " page(s) of DFB " << index
       << ", but only " << buffer.waited
       << " were received with cb_wait_front";
    c.fail(site, os.str());
  }
  c.dev.events().dfbReleased(c.ctx, Ev::Pop, index, buffer.popped, pages, site);
  buffer.waited -= pages;
  buffer.popped += pages;
  c.core.counters[CbPop]++;
  c.dev.dfbChanged(c.core, index);
}

uint32_t cb_write_ptr(int32_t index, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  return buffer.base + (buffer.pushed % buffer.numPages) * buffer.pageSize;
}

uint32_t cb_read_ptr(int32_t index, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  return buffer.base + (buffer.popped % buffer.numPages) * buffer.pageSize;
}

uint32_t cb_page_size(int32_t index, Site site) {
  Call c;
  return c.cb(index, site).pageSize;
}

CBState cb_state(int32_t index, Site site) {
  Call c;
  const CircularBuffer &buffer = c.cb(index, site);
  // The compute cores' pointers are 16-byte units (tt-metal's
  // CIRCULAR_BUFFER_COMPUTE_ADDR_SHIFT); the limit is the storage's end.
  uint32_t shift = c.ctx.kernel->processor == Processor::Compute ? 4 : 0;
  uint32_t size = buffer.numPages * buffer.pageSize;
  uint32_t read = buffer.base + (buffer.popped % buffer.numPages) * buffer.pageSize;
  uint32_t write = buffer.base + (buffer.pushed % buffer.numPages) * buffer.pageSize;
  CBState state;
  state.size = size >> shift;
  state.limit = (buffer.base + size) >> shift;
  state.page_size = buffer.pageSize >> shift;
  state.num_pages = buffer.numPages;
  state.rd_ptr = read >> shift;
  state.wr_ptr = write >> shift;
  state.tiles_acked = static_cast<uint16_t>(buffer.popped);
  state.tiles_received = static_cast<uint16_t>(buffer.pushed);
  state.wr_tile_ptr = (write + buffer.packed * buffer.pageSize) >> shift;
  return state;
}

//===----------------------------------------------------------------------===//
// DRAM
//===----------------------------------------------------------------------===//

/// Faults unless page `page` of `pageSize` bytes lies in `buffer`.
static void checkPage(Call &c, DramBuffer &buffer, uint32_t base,
                      uint32_t page, uint32_t pageSize, Site site) {
  uint64_t begin = static_cast<uint64_t>(page) * pageSize;
  if (pageSize == 0 || begin + pageSize > buffer.size ||
      (buffer.inL1() && pageSize != buffer.pageSize)) {
    std::ostringstream os;
    os << (buffer.inL1() ? "L1" : "DRAM") << " page " << page
       << " is out of bounds: the " << (buffer.inL1() ? "L1 tensor" : "buffer")
       << " at 0x" << std::hex << base << std::dec << " has "
       << (pageSize ? buffer.size / pageSize : 0) << " page(s) of "
       << pageSize << " bytes";
    c.fail(site, os.str());
  }
}

void dram_read_page(uint32_t base, uint32_t page, uint32_t pageSize,
                    uint32_t l1Addr, uint32_t offset, Site site) {
  Call c;
  DramBuffer &buffer = c.dev.dramBuffer(c.ctx, base, site);
  checkPage(c, buffer, base, page, pageSize, site);
  uint8_t *dst = c.dev.l1Pointer(c.ctx, c.core, l1Addr, pageSize - offset,
                                 site, "noc_async_read_tile destination");
  c.dev.events().pageTransfer(
      c.ctx, Ev::NocRead, buffer, page, offset, l1Addr,
      c.dev.dramTransfer(buffer, uint64_t{page} * pageSize + offset, dst,
                         pageSize - offset, /*read=*/true),
      site);
  c.core.counters[buffer.inL1() ? L1TensorBytesRead : DramBytesRead] +=
      pageSize - offset;
  c.core.traffic[2 * buffer.index] += pageSize - offset;
  c.core.counters[NocReads]++;
  c.core.counters[NocBytes] += pageSize - offset;
}

/// Faults on a write into a buffer the program said no kernel writes.
static void checkWritable(Call &c, const DramBuffer &buffer, uint32_t page,
                          Site site, const char *what) {
  if (!buffer.readOnly)
    return;
  c.fail(site, std::string(what) + " writes " +
                   c.dev.describePage(buffer, page) +
                   ", which the program's threads only read (no copy into "
                   "it): the compiler said so, and the race detector keeps "
                   "no record of its reads");
}

void dram_write_page(uint32_t base, uint32_t page, uint32_t pageSize,
                     uint32_t l1Addr, Site site) {
  Call c{Call::MayHold{}};
  DramBuffer &buffer = c.dev.dramBuffer(c.ctx, base, site);
  checkPage(c, buffer, base, page, pageSize, site);
  checkWritable(c, buffer, page, site, "noc_async_write_tile");
  uint8_t *src = c.dev.l1Pointer(c.ctx, c.core, l1Addr, pageSize, site,
                                 "noc_async_write_tile source");
  Transfer bytes = c.dev.dramTransfer(buffer, uint64_t{page} * pageSize, src,
                                      pageSize, /*read=*/false, &c.ctx.pending);
  if (!bytes.held)
    c.flushHeld();
  c.dev.events().pageTransfer(c.ctx, Ev::NocWrite, buffer, page, 0, l1Addr,
                              bytes, site);
  c.core.counters[buffer.inL1() ? L1TensorBytesWritten : DramBytesWritten] +=
      pageSize;
  c.core.traffic[2 * buffer.index + 1] += pageSize;
  c.core.counters[NocWrites]++;
  c.core.counters[NocBytes] += pageSize;
}

//===----------------------------------------------------------------------===//
// NOC between cores
//===----------------------------------------------------------------------===//

uint64_t noc_l1_addr(uint32_t x, uint32_t y, uint32_t addr, Site site) {
  Call c;
  Core &target = c.dev.coreAt(c.ctx, x, y, site);
  // On hardware every core sees its L1 at the same addresses; here each L1
  // has its own host range. An address of this core's L1 (a semaphore, a
  // DFB) keeps its offset; one the target core handed over is its own.
  if (addr >= target.l1Base && addr - target.l1Base < c.dev.l1Size())
    return nocAddr(x, y, addr - target.l1Base);
  c.dev.l1Pointer(c.ctx, c.core, addr, 0, site, "get_noc_addr address");
  return nocAddr(x, y, addr - c.core.l1Base);
}

/// NOC addresses of DRAM: this x, then the 32-bit DRAM address.
constexpr uint64_t kDramNocX = 0xffff;

uint64_t dram_noc_addr(uint32_t base, uint32_t page, uint32_t pageSize,
                       uint32_t offset, Site site) {
  Call c;
  DramBuffer &buffer = c.dev.dramBuffer(c.ctx, base, site);
  checkPage(c, buffer, base, page, pageSize, site);
  if (offset >= pageSize) {
    std::ostringstream os;
    os << "get_noc_addr: offset " << offset << " is past page " << page
       << " of " << pageSize << " bytes";
    c.fail(site, os.str());
  }
  if (buffer.inL1()) {
    const Core &core = c.dev.core(buffer.pageCore[page]);
    return nocAddr(core.x, core.y,
                   buffer.l1Offset + buffer.pageSlot[page] * pageSize + offset);
  }
  return (kDramNocX << 48) | (base + uint64_t{page} * pageSize + offset);
}

/// The DRAM buffer, page and offset in the page a DRAM NOC address names,
/// for a transfer of `size` bytes, which must stay in that page (pages are
/// interleaved over the DRAM banks); `at`: its byte in the buffer.
struct DramSpan {
  DramBuffer *buffer;
  uint32_t page, offset;
  uint64_t at;
};
static DramSpan dramSpan(Call &c, uint64_t noc, uint32_t size, Site site,
                         const char *what) {
  auto address = static_cast<uint32_t>(noc);
  uint32_t base = 0;
  DramBuffer *buffer = c.dev.dramBufferAt(address, base);
  if (!buffer || buffer->inL1() || buffer->pageSize == 0 ||
      address - base + uint64_t{size} > buffer->size ||
      (address - base) % buffer->pageSize + uint64_t{size} > buffer->pageSize) {
    std::ostringstream os;
    os << what << " of " << size << " bytes at DRAM address 0x" << std::hex
       << address << std::dec
       << (buffer ? " does not lie in one page of its tensor"
                  : " is in no DRAM buffer");
    c.fail(site, os.str());
  }
  return {buffer, (address - base) / buffer->pageSize,
          (address - base) % buffer->pageSize, address - base};
}

static Core &nocCore(Call &c, uint64_t noc, Site site) {
  return c.dev.coreAt(c.ctx, static_cast<uint32_t>(noc >> 48),
                      static_cast<uint32_t>((noc >> 32) & 0xffff), site);
}

/// Another core's L1 at NOC address `noc`; `held`: the lock of the access
/// while L1 memory changes hands (Device::holdRemoteL1).
static uint8_t *remoteL1(Call &c, Core &target, uint64_t noc, uint32_t size,
                         Site site, const char *what,
                         std::unique_lock<std::mutex> &held) {
  // Another core's L1 below its L1 tensors is out of a kernel's reach
  // unless some kernel of the program forms L1 addresses. Then the race
  // detector keeps no record of L1 (RaceDetector's trackL1) and a finished
  // core's L1 memory serves the next core to start (Device::startL1): an
  // address from elsewhere (made up in the kernel, say) would escape the
  // checks, or reach a core that has not started or has finished.
  auto offset = static_cast<uint32_t>(noc);
  if (&target != &c.core && !c.dev.l1Addressed() &&
      offset < c.dev.l1TensorsStart()) {
    std::ostringstream os;
    os << what << ": a NOC address of core (" << target.x << ", " << target.y
       << ")'s L1 (offset " << offset
       << ") that no get_noc_addr(x, y, addr) of this program made";
    c.fail(site, os.str());
  }
  held = c.dev.holdRemoteL1(c.ctx, target, offset, size, site, what);
  return c.dev.l1Pointer(c.ctx, target, target.l1Base + offset, size, site,
                         what);
}

void noc_read(uint64_t src, uint32_t dstL1, uint32_t size, Site site) {
  Call c;
  if (src >> 48 == kDramNocX) {
    DramSpan span = dramSpan(c, src, size, site, "noc_async_read");
    DramBuffer &buffer = *span.buffer;
    uint8_t *to = c.dev.l1Pointer(c.ctx, c.core, dstL1, size, site,
                                  "noc_async_read destination");
    c.dev.events().pageTransfer(
        c.ctx, Ev::NocRead, buffer, span.page, span.offset, dstL1,
        c.dev.dramTransfer(buffer, span.at, to, size, /*read=*/true), site);
    c.core.counters[DramBytesRead] += size;
    c.core.traffic[2 * buffer.index] += size;
    c.core.counters[NocReads]++;
    c.core.counters[NocBytes] += size;
    return;
  }
  Core &source = nocCore(c, src, site);
  std::unique_lock<std::mutex> held; // noted: the memory stays (Device.h)
  uint8_t *from =
      remoteL1(c, source, src, size, site, "noc_async_read source", held);
  if (held)
    held.unlock();
  uint8_t *to = c.dev.l1Pointer(c.ctx, c.core, dstL1, size, site,
                                "noc_async_read destination");
  c.dev.events().nocCopy(c.ctx, Ev::NocRead, source,
                         static_cast<uint32_t>(src), c.core,
                         dstL1 - c.core.l1Base, {to, from, size}, site);
  c.core.counters[NocReads]++;
  c.core.counters[NocBytes] += size;
}

void noc_write(uint32_t srcL1, uint64_t dst, uint32_t size, Site site) {
  Call c{Call::MayHold{}};
  uint8_t *from = c.dev.l1Pointer(c.ctx, c.core, srcL1, size, site,
                                  "noc_async_write source");
  if (dst >> 48 == kDramNocX) {
    DramSpan span = dramSpan(c, dst, size, site, "noc_async_write");
    DramBuffer &buffer = *span.buffer;
    checkWritable(c, buffer, span.page, site, "noc_async_write");
    Transfer bytes = c.dev.dramTransfer(buffer, span.at, from, size,
                                        /*read=*/false, &c.ctx.pending);
    if (!bytes.held)
      c.flushHeld();
    c.dev.events().pageTransfer(c.ctx, Ev::NocWrite, buffer, span.page,
                                span.offset, srcL1, bytes, site);
    c.core.counters[DramBytesWritten] += size;
    c.core.traffic[2 * buffer.index + 1] += size;
    c.core.counters[NocWrites]++;
    c.core.counters[NocBytes] += size;
    return;
  }
  c.flushHeld();
  Core &target = nocCore(c, dst, site);
  std::unique_lock<std::mutex> held; // noted: the memory stays (Device.h)
  uint8_t *to = remoteL1(c, target, dst, size, site,
                         "noc_async_write destination", held);
  if (held)
    held.unlock();
  c.dev.events().nocCopy(c.ctx, Ev::NocWrite, c.core, srcL1 - c.core.l1Base,
                         target, static_cast<uint32_t>(dst), {to, from, size},
                         site);
  c.core.counters[NocWrites]++;
  c.core.counters[NocBytes] += size;
  c.dev.l1Written(target);
}

// Transfers complete when issued (held writes land here, as at any other
// call), so barriers only order nothing further.
void read_barrier() {
  ThreadContext &ctx = current();
  ctx.pending.flush();
  ctx.device->events().barrier(ctx, Ev::ReadBarrier);
}
void write_barrier() {
  ThreadContext &ctx = current();
  ctx.pending.flush();
  ctx.device->events().barrier(ctx, Ev::WriteBarrier);
}

//===----------------------------------------------------------------------===//
// Watcher asserts
//===----------------------------------------------------------------------===//

void assert_failed(const char *condition, Site site) {
  Call c;
  std::string note = site.file ? sourceNote(site.file, site.line, "// ttlx: ") : "";
  c.fail(site, note.empty() ? std::string("ASSERT(") + condition + ") failed"
                            : note);
}

//===----------------------------------------------------------------------===//
// Semaphores
//===----------------------------------------------------------------------===//

uint32_t semaphore_addr(uint32_t id, Site site) {
  Call c;
  if (id >= Device::kNumSemaphores) {
    std::ostringstream os;
    os << "semaphore " << id << " does not exist: a core has "
       << Device::kNumSemaphores;
    c.fail(site, os.str());
  }
  return c.core.l1Base + 4 * id;
}

void semaphore_set(uint32_t addr, uint32_t value, Site site) {
  Call c;
  auto *word = reinterpret_cast<uint32_t *>(
      c.dev.l1Pointer(c.ctx, c.core, addr, 4, site, "noc_semaphore_set"));
  c.dev.events().semaphoreWrite(c.ctx, Ev::SemSet, c.core, addr - c.core.l1Base, value, site);
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
  c.core.counters[SemaphoreOps]++;
  c.dev.l1Written(c.core);
}

void semaphore_inc(uint64_t noc, uint32_t incr, Site site) {
  Call c;
  Core &target = nocCore(c, noc, site);
  std::unique_lock<std::mutex> held; // until the word is written
  auto *word = reinterpret_cast<uint32_t *>(
      remoteL1(c, target, noc, 4, site, "noc_semaphore_inc", held));
  c.dev.events().semaphoreWrite(c.ctx, Ev::SemInc, target, static_cast<uint32_t>(noc), incr, site);
  __atomic_fetch_add(word, incr, __ATOMIC_ACQ_REL); // several cores may add
  if (held)
    held.unlock();
  c.core.counters[SemaphoreOps]++;
  c.dev.l1Written(target);
}

void inline_dw_write(uint64_t noc, uint32_t value, Site site) {
  Call c;
  Core &target = nocCore(c, noc, site);
  std::unique_lock<std::mutex> held; // until the word is written
  auto *word = reinterpret_cast<uint32_t *>(
      remoteL1(c, target, noc, 4, site, "noc_inline_dw_write", held));
  c.dev.events().semaphoreWrite(c.ctx, Ev::SemWrite, target, static_cast<uint32_t>(noc), value, site);
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
  if (held)
    held.unlock();
  c.core.counters[NocWrites]++;
  c.core.counters[NocBytes] += 4;
  c.dev.l1Written(target);
}

void semaphore_wait(uint32_t addr, uint32_t value, bool atLeast, Site site) {
  Call c;
  c.dev.l1Pointer(c.ctx, c.core, addr, 4, site, "noc_semaphore_wait");
  c.core.counters[SemaphoreOps]++;
  c.dev.waitOnSemaphore(
      c.ctx, atLeast ? "noc_semaphore_wait_min" : "noc_semaphore_wait",
      {Wait::Kind::Semaphore, addr, value, atLeast}, site);
  c.dev.events().semaphoreWaited(c.ctx, addr - c.core.l1Base, value, atLeast);
}

// A poll loop calls this before each round of plain L1 loads. A round that
// follows the previous one with no other API call and no semaphore write to
// this core since would read what it read before: the thread sleeps until
// the next write instead (and a poll no write can end is a deadlock).
void invalidate_l1_cache(Site site) {
  Call c;
  uint64_t calls = c.ctx.apiCalls.load(std::memory_order_relaxed);
  uint32_t writes;
  {
    std::lock_guard<std::mutex> guard(c.core.mutex);
    writes = c.core.l1Writes;
  }
  if (calls == c.ctx.pollCalls + 1 && writes == c.ctx.pollWrites)
    c.dev.waitOnSemaphore(c.ctx, "invalidate_l1_cache",
                          {Wait::Kind::L1Write, 0, writes, false}, site);
  c.ctx.pollCalls = c.ctx.apiCalls.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> guard(c.core.mutex);
  c.ctx.pollWrites = c.core.l1Writes;
}

} // namespace ttlx_rt
