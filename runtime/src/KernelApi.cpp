// SPDX-License-Identifier: Apache-2.0
//
// The runtime side of the tt-metal kernel API (see kernel_abi.h): every call
// checks its arguments against the device model, counts, and blocks where
// the hardware would.

#include "Device.h"
#include "api/debug/assert.h"

#include <cstring>
#include <sstream>

namespace ttlx_rt {

namespace {
struct Call {
  ThreadContext &ctx = current();
  Device &dev = *ctx.device;
  std::unique_lock<std::mutex> lk = dev.lock();
  Core &core = *ctx.core;

  [[noreturn]] void fail(Site site, const std::string &message) {
    dev.fault(ctx, site, message);
  }

  CircularBuffer &cb(int32_t index, Site site) {
    if (index < 0 || index >= static_cast<int32_t>(Device::kNumCBs) ||
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

void cb_reserve_back(int32_t index, int32_t pages, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  c.checkPages(buffer, index, pages, "cb_reserve_back", site);
  c.core.counters[CbReserve]++;
  std::ostringstream detail;
  detail << "DFB " << index << ", " << pages << " page(s); "
         << (buffer.numPages - (buffer.pushed - buffer.popped)) << " of "
         << buffer.numPages << " free";
  c.dev.blockUntil(c.lk, c.ctx, "cb_reserve_back", detail.str(), site, [&] {
    return buffer.numPages - (buffer.pushed - buffer.popped) >=
           static_cast<uint64_t>(pages);
  });
  buffer.reserved = static_cast<uint32_t>(pages);
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
  buffer.reserved -= pages;
  buffer.pushed += pages;
  buffer.packed = 0;
  c.core.counters[CbPush]++;
  c.dev.notify();
}

void cb_wait_front(int32_t index, int32_t pages, Site site) {
  Call c;
  CircularBuffer &buffer = c.cb(index, site);
  c.checkPages(buffer, index, pages, "cb_wait_front", site);
  c.core.counters[CbWait]++;
  std::ostringstream detail;
  detail << "DFB " << index << ", " << pages << " page(s); "
         << (buffer.pushed - buffer.popped) << " available";
  c.dev.blockUntil(c.lk, c.ctx, "cb_wait_front", detail.str(), site, [&] {
    return buffer.pushed - buffer.popped >= static_cast<uint64_t>(pages);
  });
  buffer.waited = static_cast<uint32_t>(pages);
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
  buffer.waited -= pages;
  buffer.popped += pages;
  c.core.counters[CbPop]++;
  c.dev.notify();
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

//===----------------------------------------------------------------------===//
// DRAM
//===----------------------------------------------------------------------===//

static uint8_t *dramPage(Call &c, uint32_t base, uint32_t page,
                         uint32_t pageSize, Site site) {
  DramBuffer &buffer = c.dev.dramBuffer(c.ctx, base, site);
  uint64_t begin = static_cast<uint64_t>(page) * pageSize;
  if (pageSize == 0 || begin + pageSize > buffer.bytes.size()) {
    std::ostringstream os;
    os << "DRAM page " << page << " is out of bounds: the buffer at 0x"
       << std::hex << base << std::dec << " has "
       << (pageSize ? buffer.bytes.size() / pageSize : 0) << " page(s) of "
       << pageSize << " bytes";
    c.fail(site, os.str());
  }
  return buffer.bytes.data() + begin;
}

void dram_read_page(uint32_t base, uint32_t page, uint32_t pageSize,
                    uint32_t l1Addr, uint32_t offset, Site site) {
  Call c;
  uint8_t *src = dramPage(c, base, page, pageSize, site);
  uint8_t *dst = c.dev.l1Pointer(c.ctx, c.core, l1Addr, pageSize - offset,
                                 site, "noc_async_read_tile destination");
  std::memcpy(dst, src + offset, pageSize - offset);
  c.core.counters[DramBytesRead] += pageSize - offset;
  c.dev.dramBuffer(c.ctx, base, site).bytesRead += pageSize - offset;
  c.core.counters[NocReads]++;
  c.core.counters[NocBytes] += pageSize - offset;
}

void dram_write_page(uint32_t base, uint32_t page, uint32_t pageSize,
                     uint32_t l1Addr, Site site) {
  Call c;
  uint8_t *dst = dramPage(c, base, page, pageSize, site);
  uint8_t *src = c.dev.l1Pointer(c.ctx, c.core, l1Addr, pageSize, site,
                                 "noc_async_write_tile source");
  std::memcpy(dst, src, pageSize);
  c.core.counters[DramBytesWritten] += pageSize;
  c.dev.dramBuffer(c.ctx, base, site).bytesWritten += pageSize;
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

static uint8_t *remoteL1(Call &c, uint64_t noc, uint32_t size, Site site,
                         const char *what) {
  Core &target = c.dev.coreAt(c.ctx, static_cast<uint32_t>(noc >> 48),
                              static_cast<uint32_t>((noc >> 32) & 0xffff), site);
  return c.dev.l1Pointer(c.ctx, target,
                         target.l1Base + static_cast<uint32_t>(noc), size,
                         site, what);
}

void noc_read(uint64_t src, uint32_t dstL1, uint32_t size, Site site) {
  Call c;
  uint8_t *from = remoteL1(c, src, size, site, "noc_async_read source");
  uint8_t *to = c.dev.l1Pointer(c.ctx, c.core, dstL1, size, site,
                                "noc_async_read destination");
  std::memmove(to, from, size);
  c.core.counters[NocReads]++;
  c.core.counters[NocBytes] += size;
}

void noc_write(uint32_t srcL1, uint64_t dst, uint32_t size, Site site) {
  Call c;
  uint8_t *from = c.dev.l1Pointer(c.ctx, c.core, srcL1, size, site,
                                  "noc_async_write source");
  uint8_t *to = remoteL1(c, dst, size, site, "noc_async_write destination");
  std::memmove(to, from, size);
  c.core.counters[NocWrites]++;
  c.core.counters[NocBytes] += size;
  c.dev.notify();
}

// Transfers complete when issued, so barriers only order nothing further.
void read_barrier() {}
void write_barrier() {}

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
  *word = value;
  c.core.counters[SemaphoreOps]++;
  c.dev.notify();
}

void semaphore_inc(uint64_t noc, uint32_t incr, Site site) {
  Call c;
  auto *word = reinterpret_cast<uint32_t *>(
      remoteL1(c, noc, 4, site, "noc_semaphore_inc"));
  *word += incr;
  c.core.counters[SemaphoreOps]++;
  c.dev.notify();
}

void inline_dw_write(uint64_t noc, uint32_t value, Site site) {
  Call c;
  auto *word = reinterpret_cast<uint32_t *>(
      remoteL1(c, noc, 4, site, "noc_inline_dw_write"));
  *word = value;
  c.core.counters[NocWrites]++;
  c.core.counters[NocBytes] += 4;
  c.dev.notify();
}

void semaphore_wait(uint32_t addr, uint32_t value, bool atLeast, Site site) {
  Call c;
  auto *word = reinterpret_cast<volatile uint32_t *>(
      c.dev.l1Pointer(c.ctx, c.core, addr, 4, site, "noc_semaphore_wait"));
  c.core.counters[SemaphoreOps]++;
  std::ostringstream detail;
  detail << "semaphore at L1 offset " << (addr - c.core.l1Base) << " == "
         << *word << ", waiting for " << (atLeast ? ">= " : "") << value;
  c.dev.blockUntil(c.lk, c.ctx, atLeast ? "noc_semaphore_wait_min"
                                        : "noc_semaphore_wait",
                   detail.str(), site,
                   [&] { return atLeast ? *word >= value : *word == value; });
}

} // namespace ttlx_rt
