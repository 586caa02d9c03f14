// SPDX-License-Identifier: Apache-2.0
//
// Device model: memory, DFB configuration, kernel threads, fault and
// deadlock reporting.

#include "Device.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/mman.h>

namespace ttlx_rt {

static thread_local ThreadContext *currentContext = nullptr;

ThreadContext &current() {
  if (!currentContext)
    throw std::logic_error("tt-metal API called outside a kernel thread");
  return *currentContext;
}

void setCurrent(ThreadContext *ctx) { currentContext = ctx; }

static const char *processorName(Processor p) {
  switch (p) {
  case Processor::DM0:
    return "dm0";
  case Processor::DM1:
    return "dm1";
  case Processor::Compute:
    return "compute";
  }
  return "?";
}

Device::Device(uint32_t gridX, uint32_t gridY, uint32_t l1Size)
    : gridX_(gridX), gridY_(gridY), l1Size_(l1Size) {
  cores_.resize(static_cast<size_t>(gridX) * gridY);
  for (uint32_t y = 0; y < gridY; ++y) {
    for (uint32_t x = 0; x < gridX; ++x) {
      Core &core = cores_[y * gridX + x];
      core.x = x;
      core.y = y;
      // Kernels hold L1 addresses in 32-bit integers, as on the device:
      // map L1 in the low 2 GiB so those integers are host pointers.
      void *mem = mmap(nullptr, l1Size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
      if (mem == MAP_FAILED)
        throw std::runtime_error("cannot map L1 memory in the low 2 GiB");
      core.l1 = static_cast<uint8_t *>(mem);
      core.l1Base = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(mem));
      core.l1Next = kReservedL1;
      core.cbs.resize(kNumCBs);
    }
  }
}

Device::~Device() {
  for (Core &core : cores_)
    if (core.l1)
      munmap(core.l1, l1Size_);
}

uint32_t Device::dramAlloc(uint64_t bytes, uint32_t pageSize) {
  uint32_t base = dramNext_;
  uint64_t next = (static_cast<uint64_t>(base) + bytes + 0xfff) & ~0xfffull;
  if (next >= (1ull << 32))
    throw std::runtime_error("DRAM exhausted: the 4 GiB address space is full");
  dramNext_ = static_cast<uint32_t>(next) + 0x1000; // a gap catches overruns
  DramBuffer &buffer = dram_[base];
  buffer.bytes.assign(bytes, 0);
  buffer.pageSize = pageSize;
  return base;
}

static DramBuffer *findBuffer(std::map<uint32_t, DramBuffer> &dram,
                              uint32_t addr) {
  auto it = dram.find(addr);
  return it == dram.end() ? nullptr : &it->second;
}

void Device::dramWrite(uint32_t addr, const void *src, uint64_t bytes) {
  DramBuffer *buffer = findBuffer(dram_, addr);
  if (!buffer || bytes > buffer->bytes.size())
    throw std::runtime_error("host write outside any DRAM buffer");
  std::memcpy(buffer->bytes.data(), src, bytes);
}

void Device::dramRead(uint32_t addr, void *dst, uint64_t bytes) const {
  auto it = dram_.find(addr);
  if (it == dram_.end() || bytes > it->second.bytes.size())
    throw std::runtime_error("host read outside any DRAM buffer");
  std::memcpy(dst, it->second.bytes.data(), bytes);
}

void Device::configureCB(uint32_t cb, uint32_t pageSize, uint32_t numPages) {
  if (cb >= kNumCBs)
    throw std::runtime_error("DFB index " + std::to_string(cb) +
                             " is out of range: a core has " +
                             std::to_string(kNumCBs) + " DFBs");
  uint64_t bytes = static_cast<uint64_t>(pageSize) * numPages;
  for (Core &core : cores_) {
    CircularBuffer &buffer = core.cbs[cb];
    if (buffer.configured)
      throw std::runtime_error("DFB " + std::to_string(cb) +
                               " is configured twice");
    if (core.l1Next + bytes > l1Size_) {
      std::ostringstream os;
      os << "L1 exhausted: DFB " << cb << " needs " << bytes
         << " bytes, but only " << (l1Size_ - core.l1Next) << " of "
         << l1Size_ << " bytes of L1 are free on each core";
      throw std::runtime_error(os.str());
    }
    buffer.configured = true;
    buffer.pageSize = pageSize;
    buffer.numPages = numPages;
    buffer.base = core.l1Base + core.l1Next;
    core.l1Next += static_cast<uint32_t>((bytes + 31) & ~31ull);
  }
}

void Device::addKernel(Kernel kernel) { kernels_.push_back(std::move(kernel)); }

std::string Device::describe(const ThreadContext &ctx) const {
  std::ostringstream os;
  os << "core (" << ctx.core->x << ", " << ctx.core->y << ") "
     << processorName(ctx.kernel->processor) << " kernel '"
     << ctx.kernel->name << "'";
  return os.str();
}

std::string sourceNote(const char *file, int line, const char *prefix) {
  std::ifstream in(file);
  std::string text, previous;
  for (int i = 1; i < line && std::getline(in, text); ++i)
    previous = text;
  size_t at = previous.find(prefix);
  return at == std::string::npos ? std::string()
                                 : previous.substr(at + std::strlen(prefix));
}

/// " at kernel.cpp:LINE", plus the user's file:line:col when the emitter
/// noted it on the line before.
static std::string siteText(Site site) {
  if (!site.file)
    return "";
  std::string file = site.file;
  size_t slash = file.find_last_of('/');
  if (slash != std::string::npos)
    file = file.substr(slash + 1);
  std::string text = " at " + file + ":" + std::to_string(site.line);
  std::string user = sourceNote(site.file, site.line, "// at ");
  return user.empty() ? text : text + " (" + user + ")";
}

void Device::fault(const ThreadContext &ctx, Site site,
                   const std::string &message) {
  if (!aborting_) {
    error_ = describe(ctx) + ": " + message + siteText(site);
    aborting_ = true;
  }
  changed_.notify_all();
  throw KernelAbort{};
}

// Deadlock: every unfinished thread waits on a condition that is false. A
// thread already notified but not yet awake has a true condition, so it
// does not count.
void Device::checkDeadlock() {
  if (aborting_ || running_ == 0)
    return;
  for (const auto &ctx : threads_)
    if (!ctx->finished && (!ctx->blockedOn || ctx->ready()))
      return;
  std::ostringstream os;
  os << "deadlock: every running kernel thread is blocked";
  for (const auto &ctx : threads_) {
    if (ctx->finished || !ctx->blockedOn)
      continue;
    os << "\n  " << describe(*ctx) << " waits in " << ctx->blockedOn << "("
       << ctx->blockedDetail << ")" << siteText(ctx->blockedSite);
  }
  error_ = os.str();
  aborting_ = true;
  changed_.notify_all();
}

uint8_t *Device::l1Pointer(const ThreadContext &ctx, Core &core, uint32_t addr,
                           uint32_t size, Site site, const char *what) {
  uint64_t end = static_cast<uint64_t>(addr) + size;
  if (addr < core.l1Base || end > static_cast<uint64_t>(core.l1Base) + l1Size_) {
    std::ostringstream os;
    os << what << " out of bounds: L1 bytes [0x" << std::hex << addr << ", 0x"
       << end << ") are outside core (" << std::dec << core.x << ", "
       << core.y << ")'s L1 [0x" << std::hex << core.l1Base << ", 0x"
       << (static_cast<uint64_t>(core.l1Base) + l1Size_) << ")";
    fault(ctx, site, os.str());
  }
  return core.l1 + (addr - core.l1Base);
}

DramBuffer &Device::dramBuffer(const ThreadContext &ctx, uint32_t base,
                               Site site) {
  DramBuffer *buffer = findBuffer(dram_, base);
  if (!buffer) {
    std::ostringstream os;
    os << "no DRAM buffer starts at address 0x" << std::hex << base;
    fault(ctx, site, os.str());
  }
  return *buffer;
}

Core &Device::coreAt(const ThreadContext &ctx, uint32_t x, uint32_t y,
                     Site site) {
  if (x >= gridX_ || y >= gridY_) {
    std::ostringstream os;
    os << "core (" << x << ", " << y << ") is outside the " << gridX_ << "x"
       << gridY_ << " grid";
    fault(ctx, site, os.str());
  }
  return cores_[y * gridX_ + x];
}

bool Device::run() {
  std::vector<std::thread> workers;
  {
    auto lk = lock();
    for (Core &core : cores_) {
      for (const Kernel &kernel : kernels_) {
        auto ctx = std::make_unique<ThreadContext>();
        ctx->device = this;
        ctx->core = &core;
        ctx->kernel = &kernel;
        threads_.push_back(std::move(ctx));
      }
    }
    running_ = static_cast<int>(threads_.size());
  }
  for (auto &owned : threads_) {
    ThreadContext *ctx = owned.get();
    workers.emplace_back([this, ctx] {
      setCurrent(ctx);
      try {
        ctx->kernel->entry();
      } catch (const KernelAbort &) {
      } catch (const std::exception &e) {
        auto lk = lock();
        if (!aborting_) {
          error_ = describe(*ctx) + ": " + e.what();
          aborting_ = true;
        }
      }
      setCurrent(nullptr);
      auto lk = lock();
      ctx->finished = true;
      --running_;
      checkDeadlock();
      changed_.notify_all();
    });
  }
  for (std::thread &worker : workers)
    worker.join();
  threads_.clear();
  if (!error_.empty())
    return false;

  // Like tt-lang: every block handed to a DFB must be consumed.
  for (const Core &core : cores_) {
    for (uint32_t i = 0; i < kNumCBs; ++i) {
      const CircularBuffer &cb = core.cbs[i];
      if (cb.pushed != cb.popped) {
        std::ostringstream os;
        os << "core (" << core.x << ", " << core.y << "): DFB " << i
           << " still holds " << (cb.pushed - cb.popped)
           << " pushed page(s) that no kernel popped";
        error_ = os.str();
        return false;
      }
    }
  }
  return true;
}

} // namespace ttlx_rt
