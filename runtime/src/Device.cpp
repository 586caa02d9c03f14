// SPDX-License-Identifier: Apache-2.0
//
// Device model: memory, DFB configuration, the fiber scheduler, fault and
// deadlock reporting.

#include "Device.h"
#include "HostThreads.h"
#include "MappingPool.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/mman.h>
#include <thread>

namespace ttlx_rt {

/// A host thread running cores' fibers; `home` is where a fiber switches
/// back to when it waits or finishes.
struct Worker {
  FiberContext home;
  WorkerSlot slot; // what the watchdog sees of it
  Worker() { slot.home = &home; }
};

// Set by a worker on every switch into a fiber. Read only through these
// non-inlined functions: a fiber may resume on another host thread, and a
// thread-local address computed before a switch would be the old thread's.
static thread_local ThreadContext *currentContext = nullptr;
static thread_local Worker *currentWorker = nullptr;

__attribute__((noinline)) ThreadContext &current() {
  if (!currentContext)
    throw std::logic_error("tt-metal API called outside a kernel thread");
  countApiCall(currentContext->apiCalls);
  return *currentContext;
}

__attribute__((noinline)) static Worker *runningWorker() {
  return currentWorker;
}

__attribute__((noinline)) static void enterFiber(Worker &worker,
                                                 ThreadContext &ctx) {
  currentWorker = &worker;
  currentContext = &ctx;
  ctx.state = ThreadContext::State::Running;
  worker.slot.fiber.store(&ctx, std::memory_order_release);
  switchFiber(worker.home, ctx.fiber.context());
  worker.slot.fiber.store(nullptr, std::memory_order_release);
  currentContext = nullptr;
}

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

Device::Device(uint32_t gridX, uint32_t gridY, uint32_t l1Size,
               uint32_t numCBs)
    : gridX_(gridX), gridY_(gridY), l1Size_(l1Size), numCBs_(numCBs),
      cores_(static_cast<size_t>(gridX) * gridY), l1Top_(l1Size) {
  for (uint32_t y = 0; y < gridY; ++y) {
    for (uint32_t x = 0; x < gridX; ++x) {
      Core &core = cores_[y * gridX + x];
      core.x = x;
      core.y = y;
      // Kernels hold L1 addresses in 32-bit integers, as on the device:
      // map L1 in the low 2 GiB so those integers are host pointers.
      core.l1 = mappings::takeL1(l1Size, core.l1Dirty);
      core.l1Base = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(core.l1));
      core.l1Next = kReservedL1;
      core.cbs.resize(numCBs);
    }
  }
}

Device::~Device() {
  for (Core &core : cores_)
    if (core.l1)
      mappings::giveL1(core.l1, l1Size_, core.l1Dirty);
  for (auto &[base, buffer] : dram_)
    if (buffer.owned && buffer.size)
      munmap(buffer.data, buffer.size);
}

uint32_t Device::dramAttach(void *host, uint64_t bytes, uint32_t pageSize) {
  uint32_t base = dramNext_;
  uint64_t next = (static_cast<uint64_t>(base) + bytes + 0xfff) & ~0xfffull;
  if (next >= (1ull << 32))
    throw std::runtime_error("DRAM exhausted: the 4 GiB address space is full");
  dramNext_ = static_cast<uint32_t>(next) + 0x1000; // a gap catches overruns
  DramBuffer &buffer = dram_[base];
  buffer.data = static_cast<uint8_t *>(host);
  buffer.size = bytes;
  buffer.pageSize = pageSize;
  buffer.index = static_cast<uint32_t>(dram_.size() - 1);
  return base;
}

uint32_t Device::dramAttachRows(void *host, uint64_t rows, uint64_t cols,
                                uint64_t rowStride, uint32_t elemSize) {
  if (!host || rows % 32 || cols % 32 || !cols || !elemSize ||
      rowStride < cols * elemSize)
    throw std::runtime_error(
        "a DRAM buffer in rows needs whole 32x32 tiles in rows of at least "
        "their own width");
  uint32_t base = dramAttach(nullptr, rows * cols * elemSize, 1024 * elemSize);
  dram_[base].rows = {static_cast<uint8_t *>(host), rowStride,
                      static_cast<uint32_t>(cols / 32), elemSize};
  return base;
}

uint32_t Device::dramAlloc(uint64_t bytes, uint32_t pageSize) {
  // Mapped, not allocated: zero pages cost nothing until written, and the
  // memory goes back to the system with the device.
  void *mem = nullptr;
  if (bytes) {
    mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
      throw std::runtime_error("cannot map " + std::to_string(bytes) +
                               " bytes of DRAM");
  }
  uint32_t base = dramAttach(mem, bytes, pageSize);
  dram_[base].owned = true;
  return base;
}

static DramBuffer *findBuffer(std::map<uint32_t, DramBuffer> &dram,
                              uint32_t addr) {
  auto it = dram.find(addr);
  return it == dram.end() ? nullptr : &it->second;
}

void Device::setKernelGrid(uint32_t x, uint32_t y) {
  if (x == 0 || y == 0 || x > gridX_ || y > gridY_)
    throw std::runtime_error("a kernel grid of " + std::to_string(x) + "x" +
                             std::to_string(y) + " does not fit the " +
                             std::to_string(gridX_) + "x" +
                             std::to_string(gridY_) + " device");
  for (Core &core : cores_)
    core.runsKernels = core.x < x && core.y < y;
}

void Device::setSemaphore(uint32_t id, uint32_t value) {
  if (id >= kNumSemaphores)
    throw std::runtime_error("semaphore " + std::to_string(id) +
                             " does not exist: a core has " +
                             std::to_string(kNumSemaphores));
  semaphoreInit_.emplace_back(id, value);
}

uint32_t Device::l1TensorAlloc(std::string name, uint32_t pageSize,
                               std::vector<uint32_t> pageCore,
                               std::vector<uint32_t> pageSlot) {
  if (pageCore.empty() || pageCore.size() != pageSlot.size() || !pageSize)
    throw std::runtime_error("L1 tensor '" + name +
                             "': one core and one slot per page");
  uint64_t slots = 0;
  for (size_t p = 0; p < pageCore.size(); ++p) {
    if (pageCore[p] >= cores_.size())
      throw std::runtime_error("L1 tensor '" + name + "': page " +
                               std::to_string(p) + " is on core " +
                               std::to_string(pageCore[p]) + ", beyond the " +
                               std::to_string(cores_.size()) + " cores");
    slots = std::max<uint64_t>(slots, pageSlot[p] + 1ull);
  }
  uint64_t bytes = (slots * pageSize + ttlx_hw::kDFBsAlignment - 1) &
                   ~uint64_t{ttlx_hw::kDFBsAlignment - 1};
  uint32_t bottom = kReservedL1;
  for (const Core &core : cores_)
    bottom = std::max(bottom, core.l1Next);
  if (bottom + bytes > l1Top_) {
    std::ostringstream os;
    os << "L1 exhausted: L1 tensor '" << name << "' needs " << bytes
       << " bytes on each of its cores, but only " << (l1Top_ - bottom)
       << " of " << l1Size_ << " bytes of L1 are free on each core"
       << l1TensorsText();
    throw std::runtime_error(os.str());
  }
  l1Top_ -= static_cast<uint32_t>(bytes);
  uint32_t base = dramAttach(nullptr, pageCore.size() * uint64_t{pageSize},
                             pageSize);
  DramBuffer &buffer = dram_[base];
  buffer.name = std::move(name);
  buffer.pageCore = std::move(pageCore);
  buffer.pageSlot = std::move(pageSlot);
  buffer.l1Offset = l1Top_;
  buffer.l1BytesPerCore = static_cast<uint32_t>(bytes);
  return base;
}

std::string Device::l1TensorsText() const {
  std::ostringstream os;
  const char *sep = " (L1 tensors at the top of L1: ";
  for (const auto &[base, buffer] : dram_) {
    if (!buffer.inL1())
      continue;
    os << sep << "'" << buffer.name << "' " << buffer.l1BytesPerCore
       << " bytes per core";
    sep = ", ";
  }
  if (*sep == ',')
    os << ")";
  return os.str();
}

uint8_t *Device::pageData(const DramBuffer &buffer, uint32_t page) const {
  if (!buffer.inL1())
    return buffer.data + static_cast<uint64_t>(page) * buffer.pageSize;
  const Core &core = cores_[buffer.pageCore[page]];
  return core.l1 + buffer.l1Offset +
         static_cast<uint64_t>(buffer.pageSlot[page]) * buffer.pageSize;
}

Transfer Device::dramTransfer(DramBuffer &buffer, uint64_t at, uint8_t *l1,
                              uint32_t size, bool read,
                              PendingWrites *held) const {
  if (buffer.inRows())
    return read ? Transfer{l1, nullptr, size, &buffer.rows, at}
                : Transfer{nullptr, l1, size, &buffer.rows, at};
  uint64_t page = at / buffer.pageSize;
  uint8_t *bytes = pageData(buffer, static_cast<uint32_t>(page)) +
                   (at - page * buffer.pageSize);
  // Kernels mostly read a tensor's pages in runs (a block's tile-rows),
  // each page a new stream the hardware prefetchers would first have to
  // learn: the next page is fetched while this one is copied, and the page
  // below (a block's next tile-row starts a row further down, which the
  // next page's fetch never reaches).
  auto prefetch = [&buffer](uint64_t other) {
    if ((other + 1) * buffer.pageSize > buffer.size)
      return;
    const uint8_t *data = buffer.data + other * buffer.pageSize;
    for (uint32_t line = 0; line < buffer.pageSize; line += 64)
      __builtin_prefetch(data + line);
  };
  if (read && !buffer.inL1()) {
    prefetch(page + 1);
    if (buffer.tilesPerRow)
      prefetch(page + buffer.tilesPerRow);
  }
  if (read)
    return Transfer{l1, bytes, size};
  Transfer write{bytes, l1, size};
  // A write into a large DRAM buffer goes to memory without first reading
  // the lines it overwrites: a buffer larger than the caches sees its pages
  // leave them before anything reads them back (the elementwise tutorial at
  // 4096: 0.75 ms less of the 20 ms run, docs/measurements.md). It is held
  // with the thread's other such writes, which then stream together.
  if (!buffer.inL1() && buffer.size >= kStreamedBytes && size % 16 == 0 &&
      reinterpret_cast<uintptr_t>(bytes) % 16 == 0)
    write.held = held;
  return write;
}

std::string Device::describePage(const DramBuffer &buffer,
                                 uint32_t page) const {
  std::ostringstream os;
  os << (buffer.inL1() ? "L1 " : "DRAM ")
     << (buffer.name.empty() ? std::string("buffer")
                             : "tensor '" + buffer.name + "'")
     << " page " << page;
  if (buffer.tilesPerRow)
    os << " (tile row " << page / buffer.tilesPerRow << ", column "
       << page % buffer.tilesPerRow << ")";
  if (buffer.inL1() && page < buffer.pageCore.size()) {
    const Core &core = cores_[buffer.pageCore[page]];
    os << " on core (" << core.x << ", " << core.y << ")";
  }
  return os.str();
}

void Device::l1TensorWrite(uint32_t base, const uint8_t *host) {
  const DramBuffer *buffer = this->buffer(base);
  if (!buffer || !buffer->inL1())
    throw std::runtime_error("no L1 tensor starts at this address");
  prepareL1(); // clears the L1 it would leave to the tensor
  for (uint32_t p = 0; p < buffer->pageCore.size(); ++p)
    std::memcpy(pageData(*buffer, p),
                host + static_cast<uint64_t>(p) * buffer->pageSize,
                buffer->pageSize);
}

void Device::l1TensorRead(uint32_t base, uint8_t *host) const {
  const DramBuffer *buffer = this->buffer(base);
  if (!buffer || !buffer->inL1())
    throw std::runtime_error("no L1 tensor starts at this address");
  for (uint32_t p = 0; p < buffer->pageCore.size(); ++p)
    std::memcpy(host + static_cast<uint64_t>(p) * buffer->pageSize,
                pageData(*buffer, p), buffer->pageSize);
}

/// The checks every way of configuring DFB `cb` makes.
static void checkNewCB(uint32_t cb, uint32_t numCBs, bool l1Prepared) {
  if (cb >= numCBs)
    throw std::runtime_error("DFB index " + std::to_string(cb) +
                             " is out of range: a core has " +
                             std::to_string(numCBs) + " DFBs");
  if (l1Prepared)
    throw std::runtime_error("DFBs are configured before L1 tensors are written");
}

static void setCB(CircularBuffer &buffer, uint32_t cb, uint32_t pageSize,
                  uint32_t numPages, uint32_t base) {
  if (buffer.configured)
    throw std::runtime_error("DFB " + std::to_string(cb) +
                             " is configured twice");
  buffer.configured = true;
  buffer.pageSize = pageSize;
  buffer.numPages = numPages;
  buffer.base = base;
}

void Device::configureCBShared(uint32_t cb, uint32_t pageSize,
                               uint32_t numPages, uint32_t leader) {
  checkNewCB(cb, numCBs_, l1Prepared_);
  uint64_t bytes = static_cast<uint64_t>(pageSize) * numPages;
  for (Core &core : cores_) {
    if (!core.runsKernels)
      continue;
    CircularBuffer &first = core.cbs.at(leader);
    if (!first.configured || bytes > first.storageBytes)
      throw std::runtime_error(
          "DFB " + std::to_string(cb) + " needs " + std::to_string(bytes) +
          " bytes of the storage of DFB " + std::to_string(leader) +
          " (its allocation group), which has " +
          std::to_string(first.configured ? first.storageBytes : 0));
    setCB(core.cbs[cb], cb, pageSize, numPages, first.base);
    core.cbs[cb].aliases = first.aliases;
    core.cbs[cb].aliases.push_back(leader);
    for (uint32_t other : core.cbs[cb].aliases)
      core.cbs[other].aliases.push_back(cb);
  }
}

void Device::configureCBOnTensor(uint32_t cb, uint32_t pageSize,
                                 uint32_t numPages, uint32_t tensor,
                                 uint32_t byteOffset) {
  checkNewCB(cb, numCBs_, l1Prepared_);
  const DramBuffer *buffer = this->buffer(tensor);
  if (!buffer || !buffer->inL1())
    throw std::runtime_error("DFB " + std::to_string(cb) +
                             " is backed by a tensor that is not in L1");
  uint64_t bytes = static_cast<uint64_t>(pageSize) * numPages;
  if (byteOffset % pageSize || byteOffset + bytes > buffer->l1BytesPerCore)
    throw std::runtime_error(
        "DFB " + std::to_string(cb) + " (" + std::to_string(bytes) +
        " bytes at byte offset " + std::to_string(byteOffset) +
        ") does not lie in whole pages of L1 tensor '" + buffer->name +
        "', which has " + std::to_string(buffer->l1BytesPerCore) +
        " bytes on each core");
  for (Core &core : cores_)
    if (core.runsKernels)
      setCB(core.cbs[cb], cb, pageSize, numPages,
            core.l1Base + buffer->l1Offset + byteOffset);
}

void Device::configureCB(uint32_t cb, uint32_t pageSize, uint32_t numPages,
                         uint64_t storageBytes) {
  checkNewCB(cb, numCBs_, l1Prepared_);
  uint64_t bytes = std::max<uint64_t>(
      static_cast<uint64_t>(pageSize) * numPages, storageBytes);
  for (Core &core : cores_) {
    if (!core.runsKernels)
      continue;
    CircularBuffer &buffer = core.cbs[cb];
    if (core.l1Next + bytes > l1Top_) {
      std::ostringstream os;
      os << "L1 exhausted: DFB " << cb << " needs " << bytes
         << " bytes, but only " << (l1Top_ - core.l1Next) << " of "
         << l1Size_ << " bytes of L1 are free on each core"
         << l1TensorsText();
      throw std::runtime_error(os.str());
    }
    setCB(buffer, cb, pageSize, numPages, core.l1Base + core.l1Next);
    buffer.storageBytes = static_cast<uint32_t>(bytes);
    core.l1Next += static_cast<uint32_t>((bytes + ttlx_hw::kDFBsAlignment - 1) &
                                         ~uint64_t{ttlx_hw::kDFBsAlignment - 1});
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

std::string siteText(Site site) {
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

void Device::setError(const std::string &message) {
  std::lock_guard<std::mutex> guard(errorMutex_);
  if (error_.empty())
    error_ = message;
  aborting_.store(true);
}

void Device::warn(const std::string &message) {
  std::lock_guard<std::mutex> guard(warningMutex_);
  warnings_.push_back(message);
}

bool Device::nameDram(uint32_t base, std::string name, uint32_t tilesPerRow) {
  DramBuffer *buffer = findBuffer(dram_, base);
  if (!buffer)
    return false;
  buffer->name = std::move(name);
  buffer->tilesPerRow = tilesPerRow;
  return true;
}

bool Device::markUninitialised(uint32_t base) {
  DramBuffer *buffer = findBuffer(dram_, base);
  if (!buffer)
    return false;
  buffer->uninitialised = true;
  return true;
}

bool Device::markReadOnly(uint32_t base) {
  DramBuffer *buffer = findBuffer(dram_, base);
  if (!buffer || buffer->inL1())
    return false;
  buffer->readOnly = true;
  return true;
}

void Device::fault(const ThreadContext &ctx, Site site,
                   const std::string &message) {
  if (!aborting_.load())
    setError(describe(ctx) + ": " + message + siteText(site));
  throw KernelAbort{};
}

std::string Device::describeWait(const ThreadContext &ctx) const {
  const Wait &wait = ctx.wait;
  std::ostringstream os;
  if (wait.kind == Wait::Kind::L1Write)
    return "polling semaphores that no thread writes any more";
  if (wait.kind == Wait::Kind::Semaphore) {
    auto *word = reinterpret_cast<const uint32_t *>(
        ctx.core->l1 + (wait.index - ctx.core->l1Base));
    os << "semaphore at L1 offset " << (wait.index - ctx.core->l1Base)
       << " == " << __atomic_load_n(word, __ATOMIC_ACQUIRE)
       << ", waiting for " << (wait.atLeast ? ">= " : "") << wait.count;
    return os.str();
  }
  const CircularBuffer &cb = ctx.core->cbs[wait.index];
  os << "DFB " << wait.index << ", " << wait.count << " page(s); ";
  if (wait.kind == Wait::Kind::DfbSpace) {
    os << (cb.numPages - (cb.pushed - cb.popped)) << " of " << cb.numPages
       << " free";
    if (!cb.consumed && cb.pushed != cb.popped)
      os << "; no kernel of this core waits on it, so its pushed pages are "
            "never freed: a DFB nobody waits on takes at most its block "
            "count of pushes";
  }
  else
    os << (cb.pushed - cb.popped) << " available";
  return os.str();
}

// Called when no core is queued or running and some fiber has not
// finished: every one of those waits on a condition nothing can change.
std::string Device::deadlockReport() const {
  std::ostringstream os;
  os << "deadlock: every running kernel thread is blocked";
  for (const auto &ctx : threads_) {
    if (ctx->state != ThreadContext::State::Blocked)
      continue;
    os << "\n  " << describe(*ctx) << " waits in " << ctx->blockedOn << "("
       << describeWait(*ctx) << ")" << siteText(ctx->blockedSite);
  }
  return os.str();
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
  uninit_->ensurePoisoned(coreIndex(core), core.l1, addr - core.l1Base, size);
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

//===----------------------------------------------------------------------===//
// Scheduling
//===----------------------------------------------------------------------===//

bool Device::holds(const ThreadContext &ctx) const {
  const Wait &wait = ctx.wait;
  switch (wait.kind) {
  case Wait::Kind::DfbSpace: {
    const CircularBuffer &cb = ctx.core->cbs[wait.index];
    return cb.numPages - (cb.pushed - cb.popped) >= wait.count;
  }
  case Wait::Kind::DfbData: {
    const CircularBuffer &cb = ctx.core->cbs[wait.index];
    return cb.pushed - cb.popped >= wait.count;
  }
  case Wait::Kind::Semaphore: {
    auto *word = reinterpret_cast<const uint32_t *>(
        ctx.core->l1 + (wait.index - ctx.core->l1Base));
    uint32_t value = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    return wait.atLeast ? value >= wait.count : value == wait.count;
  }
  case Wait::Kind::L1Write:
    return ctx.core->l1Writes != wait.count;
  }
  return false;
}

void Device::suspend(ThreadContext &ctx) {
  Worker *worker = runningWorker();
  switchFiber(ctx.fiber.context(), worker->home);
  // Resumed (maybe by another worker, which set current() already).
  checkAbort();
}

void Device::waitOnDfb(ThreadContext &ctx, const char *call, Wait wait,
                       Site site) {
  ctx.wait = wait;
  if (holds(ctx))
    return;
  ctx.blockedOn = call;
  ctx.blockedSite = site;
  ctx.state = ThreadContext::State::Blocked;
  ctx.core->cbs[wait.index].waiters.push_back(&ctx);
  suspend(ctx);
}

template <typename Take>
bool Device::takeHolding(std::vector<ThreadContext *> &waiters,
                         Take take) const {
  bool took = false;
  for (size_t i = 0; i < waiters.size();) {
    ThreadContext *waiter = waiters[i];
    if (!holds(*waiter)) {
      ++i;
      continue;
    }
    waiters.erase(waiters.begin() + i);
    take(waiter);
    took = true;
  }
  return took;
}

void Device::dfbChanged(Core &core, uint32_t index) {
  takeHolding(core.cbs[index].waiters, [&](ThreadContext *waiter) {
    waiter->state = ThreadContext::State::Ready;
    core.ready.push_back(waiter);
  });
}

void Device::waitOnSemaphore(ThreadContext &ctx, const char *call, Wait wait,
                             Site site) {
  ctx.wait = wait;
  Core &core = *ctx.core;
  {
    // Under the core's mutex, so a writer on another core either sees this
    // waiter or wrote before the check below.
    std::lock_guard<std::mutex> guard(core.mutex);
    if (holds(ctx))
      return;
    ctx.blockedOn = call;
    ctx.blockedSite = site;
    ctx.state = ThreadContext::State::Blocked;
    core.semaphoreWaiters.push_back(&ctx);
  }
  suspend(ctx);
}

void Device::l1Written(Core &target) {
  std::lock_guard<std::mutex> guard(target.mutex);
  ++target.l1Writes;
  bool woke = takeHolding(target.semaphoreWaiters, [&](ThreadContext *waiter) {
    target.woken.push_back(waiter);
  });
  if (woke && !target.active)
    activate(target);
}

void Device::activate(Core &core) {
  core.active = true;
  std::lock_guard<std::mutex> guard(queueMutex_);
  ++activeCores_;
  queue_.push_back(&core);
  queueChanged_.notify_one();
}

Core *Device::nextCore() {
  std::unique_lock<std::mutex> guard(queueMutex_);
  queueChanged_.wait(guard, [&] { return !queue_.empty() || activeCores_ == 0; });
  if (queue_.empty())
    return nullptr; // nothing queued or running: the run is over
  Core *core = queue_.front();
  queue_.pop_front();
  if (!handOverL1_ || core->started)
    return core;
  core->started = true;
  Core *done = nullptr;
  if (!finishedL1_.empty()) {
    done = finishedL1_.back();
    finishedL1_.pop_back();
  }
  guard.unlock();
  startL1(*core, done);
  return core;
}

bool Device::handsOverL1() const {
  if ((l1Addressed() && !l1ByTTLProtocol_) || l1Top_ < l1Size_)
    return false;
  for (const Core &core : cores_)
    if (!core.runsKernels)
      return false;
  return true;
}

bool Device::finishL1(Core &core) {
  std::lock_guard<std::mutex> guard(core.mutex);
  core.l1State = Core::L1State::Finished;
  if (core.keepsL1)
    return false;
  if (!l1Addressed())
    return true; // no other core reaches its L1
  // A pipe's source counts the pulls of its staged block still to come in
  // a semaphore; a semaphore another core may still write is one that
  // waits for it (not at its first value).
  uint32_t first[kNumSemaphores] = {};
  for (auto [id, value] : semaphoreInit_)
    first[id] = value;
  return std::memcmp(core.l1, first, sizeof(first)) == 0;
}

void Device::startL1(Core &next, Core *done) {
  if (!done) {
    std::lock_guard<std::mutex> guard(next.mutex);
    next.l1State = Core::L1State::Running;
    return;
  }
  std::scoped_lock guard(next.mutex, done->mutex);
  if (next.keepsL1 || done->keepsL1) {
    next.l1State = Core::L1State::Running;
    if (!done->keepsL1) { // (else it was reached after it finished)
      std::lock_guard<std::mutex> queue(queueMutex_);
      finishedL1_.push_back(done); // for the next core to start
    }
    return;
  }
  // The semaphore words other cores have written into `next` (announcing
  // a pipe's block, say) go with it.
  uint8_t words[kReservedL1];
  std::memcpy(words, next.l1, kReservedL1);
  std::swap(next.l1, done->l1);
  std::swap(next.l1Dirty, done->l1Dirty);
  for (Core *core : {&next, done}) {
    auto base = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(core->l1));
    for (CircularBuffer &cb : core->cbs)
      if (cb.configured)
        cb.base = cb.base - core->l1Base + base;
    core->l1Base = base;
  }
  // What a fresh L1 holds (prepareL1, run): zero above the DFBs. The DFB
  // region is poisoned as `next` uses it (its UninitTracker lines are
  // unset). Stray writes of `done` above the DFBs are undone as giveL1
  // undoes them: those pages go back to the system.
  std::memcpy(next.l1, words, kReservedL1);
  size_t above = mappings::dropPagesAbove(next.l1, l1Size_, next.l1Next);
  std::memset(next.l1 + next.l1Next, 0, above - next.l1Next);
  next.l1Dirty = above;
  next.l1State = Core::L1State::Running;
  next.counters[L1TakenOver] = 1;
  done->l1State = Core::L1State::Given;
}

std::unique_lock<std::mutex> Device::holdRemoteL1(const ThreadContext &ctx,
                                                  Core &target,
                                                  uint32_t offset,
                                                  uint32_t size, Site site,
                                                  const char *what) {
  if (!handOverL1_ || &target == ctx.core)
    return {};
  std::unique_lock<std::mutex> guard(target.mutex);
  if (target.l1State == Core::L1State::Given) {
    guard.unlock();
    std::ostringstream os;
    os << what << ": core (" << target.x << ", " << target.y
       << ")'s L1 (offset " << offset
       << ") after its kernels finished with their semaphores at their "
          "first values, and its L1 memory went to a core that started "
          "after it (the pipes and semaphores of a compiled program leave "
          "nothing to reach there)";
    fault(ctx, site, os.str());
  }
  if (offset + uint64_t{size} > kReservedL1 &&
      target.l1State != Core::L1State::Running)
    target.keepsL1 = true;
  return guard;
}

// Runs the core's ready fibers until none is left, then lets it go idle.
void Device::runCore(Core &core, Worker &worker) {
  for (;;) {
    while (!core.ready.empty()) {
      ThreadContext *ctx = core.ready.front();
      core.ready.pop_front();
      enterFiber(worker, *ctx);
      if (ctx->runawayPc) // abandoned by the watchdog
        setError(describe(*ctx) + ": " + runawayReport(*ctx, watchdogSeconds_));
    }
    {
      std::lock_guard<std::mutex> guard(core.mutex);
      if (!core.woken.empty()) {
        for (ThreadContext *ctx : core.woken) {
          ctx->state = ThreadContext::State::Ready;
          core.ready.push_back(ctx);
        }
        core.woken.clear();
        continue;
      }
      core.active = false;
    }
    bool finished = handOverL1_;
    for (const ThreadContext *ctx : core.fibers)
      finished &= ctx->state == ThreadContext::State::Finished;
    bool gives = finished && finishL1(core);
    std::lock_guard<std::mutex> guard(queueMutex_);
    if (gives)
      finishedL1_.push_back(&core);
    if (--activeCores_ == 0)
      queueChanged_.notify_all();
    return;
  }
}

void Device::workerLoop(Watchdog &watchdog) {
  Worker worker;
  watchdog.attach(worker.slot);
  while (Core *core = nextCore())
    runCore(*core, worker);
  watchdog.detach(worker.slot);
}

void Device::fiberMain(void *arg) {
  auto *ctx = static_cast<ThreadContext *>(arg);
  Device &dev = *ctx->device;
  try {
    ctx->kernel->entry();
    ctx->pending.flush(); // its writes land before the run ends
  } catch (const KernelAbort &) {
  } catch (const std::exception &e) {
    if (!dev.aborting_.load())
      dev.setError(dev.describe(*ctx) + ": " + e.what());
  } catch (...) { // nothing may unwind past a fiber's first frame
    if (!dev.aborting_.load())
      dev.setError(dev.describe(*ctx) + ": threw an exception");
  }
  flushPrintLine(*ctx, true);
  ctx->state = ThreadContext::State::Finished;
  switchFiber(ctx->fiber.context(), runningWorker()->home);
  __builtin_unreachable(); // a finished fiber is never resumed
}

void Device::prepareL1() {
  if (l1Prepared_)
    return;
  l1Prepared_ = true;
  // The semaphores below kReservedL1 start at zero; the DFB region up to
  // l1Next is poisoned as it is used (UninitTracker); above it a fresh L1
  // is zero.
  // L1 tensors at the top are written by the host after this.
  for (Core &core : cores_) {
    std::memset(core.l1, 0, std::min<size_t>(core.l1Dirty, kReservedL1));
    size_t top = std::min<size_t>(core.l1Dirty, l1Top_);
    if (top > core.l1Next)
      std::memset(core.l1 + core.l1Next, 0, top - core.l1Next);
    // Kernels write DFB pages and, through the NOC or stray pointers, maybe
    // anywhere: giveL1 drops the pages above what is counted here.
    core.l1Dirty = l1Top_ < l1Size_ ? l1Size_
                                    : std::max<size_t>(core.l1Next, kReservedL1);
  }
}

bool Device::run(unsigned workers) {
  if (workers == 0)
    workers = configuredWorkers();
  prepareL1();
  uint32_t running = 0;
  for (const Core &core : cores_)
    running += core.runsKernels;
  for (Core &core : cores_)
    core.traffic.resize(2 * dram_.size());
  threadMemory_ = mappings::RunMemory(); // the last run's, for this one
  threadMemory_ = mappings::RunMemory(sizeof(ThreadContext) * running *
                                      kernels_.size());
  auto *memory = reinterpret_cast<ThreadContext *>(threadMemory_.data());
  for (Core &core : cores_) {
    if (!core.runsKernels)
      continue;
    for (auto [id, value] : semaphoreInit_)
      std::memcpy(core.l1 + 4 * id, &value, 4);
    for (const Kernel &kernel : kernels_) {
      // Default-initialised, not value-initialised (that would zero all of
      // it): DST, 32 KiB, is only read after tile_regs_acquire marks its
      // tiles fresh, and a data-movement thread never touches its DST.
      std::unique_ptr<ThreadContext, EndContext> ctx(
          new (memory + threads_.size()) ThreadContext);
      ctx->device = this;
      ctx->core = &core;
      ctx->kernel = &kernel;
      ctx->fiber.start(&Device::fiberMain, ctx.get());
      core.fibers.push_back(ctx.get());
      core.ready.push_back(ctx.get());
      threads_.push_back(std::move(ctx));
    }
    core.active = true;
    queue_.push_back(&core);
  }
  activeCores_ = running;
  handOverL1_ = handsOverL1();
  finishedL1_.clear();
  for (Core &core : cores_) {
    core.started = false;
    core.l1State = Core::L1State::Fresh;
    core.keepsL1 = false;
  }
  if (RaceMode mode = configuredRaceMode(); mode != RaceMode::Off) {
    std::vector<ThreadContext *> all;
    for (const auto &ctx : threads_)
      all.push_back(ctx.get());
    races_ = std::make_unique<RaceDetector>(*this, std::move(all), mode,
                                            l1Addressed());
  }
  uninit_ = std::make_unique<UninitTracker>(*this);
  events_.start(*this, uninit_.get(), races_.get());
  workers = std::min<unsigned>(workers, std::max<uint32_t>(running, 1));

  {
    watchdogSeconds_ = Watchdog::configuredSeconds();
    Watchdog watchdog(watchdogSeconds_);
    onHostThreads(workers, [&](unsigned, unsigned) { workerLoop(watchdog); });
  }

  // Whatever still waits is deadlocked (or left behind by a fault): report,
  // then resume each so it unwinds its stack with KernelAbort.
  bool stuck = false;
  for (const auto &ctx : threads_)
    stuck |= ctx->state != ThreadContext::State::Finished;
  if (stuck) {
    if (!aborting_.load())
      setError(deadlockReport());
    Worker worker;
    for (const auto &ctx : threads_)
      if (ctx->state != ThreadContext::State::Finished)
        enterFiber(worker, *ctx);
  }
  for (Core &core : cores_) {
    core.fibers.clear();
    core.ready.clear();
    core.semaphoreWaiters.clear();
    core.woken.clear();
    for (CircularBuffer &cb : core.cbs)
      cb.waiters.clear();
  }
  threads_.clear();
  events_.stop();
  races_.reset();
  uninit_.reset();
  if (!error_.empty())
    return false;

  // Every block handed to a DFB that a kernel of the core consumes from
  // must be consumed. A DFB no kernel of the core waited on holds blocks
  // reserved only to go through pipes (the spec's pipe examples): its
  // pushed pages stay, as on the device and as tt-lang's compiler allows.
  for (const Core &core : cores_) {
    for (uint32_t i = 0; i < numCBs_; ++i) {
      const CircularBuffer &cb = core.cbs[i];
      if (cb.consumed && cb.pushed != cb.popped) {
        std::ostringstream os;
        os << "core (" << core.x << ", " << core.y << "): DFB " << i
           << " still holds " << (cb.pushed - cb.popped)
           << " pushed page(s) that no kernel popped";
        if (cb.lastPusher)
          os << "; the last push was " << processorName(cb.lastPusher->processor)
             << " kernel '" << cb.lastPusher->name << "'"
             << siteText(cb.lastPush);
        error_ = os.str();
        return false;
      }
    }
  }
  return true;
}

} // namespace ttlx_rt
