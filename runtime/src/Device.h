// SPDX-License-Identifier: Apache-2.0
//
// The emulated device: a grid of Tensix-like cores with their own L1, DFBs
// (circular buffers) and semaphores, interleaved DRAM, and the kernel
// threads of each core, run as fibers by a pool of host worker threads.
//
// Execution model. A core is owned by one worker at a time, so its DFBs,
// counters and DST need no lock. A kernel thread runs until it waits: a
// DFB wait parks it on that DFB's wait list (woken by the push or pop of
// the same core); a semaphore wait parks it on its core's semaphore wait
// list (woken, under that core's mutex, by whichever core writes the
// core's L1). A core with no runnable fiber goes idle; a wake-up queues it
// again. When no core is queued or running, the run is over: finished, or
// deadlocked if some fiber still waits (transfers complete when issued, so
// none is ever in flight). The scheduling points are the Device members
// under "Scheduling" below.
#pragma once

#include "ApiObserver.h"
#include "Fiber.h"
#include "MappingPool.h"
#include "RaceDetector.h"
#include "UninitMemory.h"
#include "Watchdog.h"
#include "Profile.h"
#include "ttlx/Target/Hardware.h"
#include "ttlx_runtime/kernel_abi.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace ttlx_rt {

struct ThreadContext;
struct Kernel;

/// Thrown inside kernel threads to unwind them after a fault.
struct KernelAbort {};

/// Per-core (and total) activity counters.
enum Counter : int {
  DramBytesRead,
  DramBytesWritten,
  NocReads,
  NocWrites,
  NocBytes,
  CbReserve,
  CbPush,
  CbWait,
  CbPop,
  SemaphoreOps,
  TileUnpack,  // copy_tile
  TilePack,    // pack_tile
  TileFpu,     // add/sub/mul_tiles and their broadcast forms
  TileSfpu,    // SFPU unary and binary ops, fill
  TileReduce,  // reduce_tile
  TileMatmul,  // matmul_tiles
  L1TensorBytesRead,    // tensor pages read from cores' L1 (L1 tensors)
  L1TensorBytesWritten, // tensor pages written to cores' L1
  L1TakenOver, // 1: started on the L1 memory of a finished core (Device::startL1)
  NumCounters
};

struct CircularBuffer {
  bool configured = false;
  uint32_t pageSize = 0;
  uint32_t numPages = 0;
  uint32_t base = 0;       // L1 address of page 0
  uint64_t pushed = 0;     // pages pushed so far (producer)
  uint64_t popped = 0;     // pages popped so far (consumer)
  uint32_t reserved = 0;   // pages reserved and not yet pushed
  uint32_t waited = 0;     // pages waited for and not yet popped
  bool consumed = false;   // some kernel of the core waited on it
  uint32_t packed = 0;     // in-order pack_tile position since the last push
  // The last push (its pages are the newest, so never popped when some
  // pages stay unpopped at the end): names the line in that report.
  Site lastPush{nullptr, 0};
  const Kernel *lastPusher = nullptr;
  std::vector<ThreadContext *> waiters; // in cb_reserve_back/cb_wait_front
  // The other DFBs of its allocation group (they share its storage, so
  // their lifetimes must not overlap: checked at cb_reserve_back).
  std::vector<uint32_t> aliases;
  uint32_t storageBytes = 0; // its own L1 region (a group leader: the envelope)
};

enum class Processor : int { DM0 = 0, DM1 = 1, Compute = 2 };

struct Kernel {
  std::string name;
  Processor processor;
  void (*entry)();
  std::vector<uint32_t> runtimeArgs;
  KernelCode code; // where entry's library lies (for the watchdog)
  bool formsL1Addresses = true; // calls get_noc_addr(x, y, addr)
};

struct Core {
  uint32_t x = 0, y = 0;
  uint8_t *l1 = nullptr;
  uint32_t l1Base = 0; // l1 as a 32-bit address
  uint32_t l1Next = 0; // first free L1 offset
  size_t l1Dirty = 0;  // L1 from here on is zero (a recycled L1: mappings)
  std::vector<CircularBuffer> cbs;
  uint64_t counters[NumCounters] = {};
  // Bytes its kernels read from and wrote to each DRAM buffer (or L1
  // tensor): entries 2 * DramBuffer::index and the one after. Per core, not
  // in the buffer: the workers would share that cache line, and the one of
  // the buffer's fields every transfer reads, for every page they move.
  std::vector<uint64_t> traffic;

  // Scheduling state. `fibers` and `ready` belong to the worker that owns
  // the core; the rest is shared with other cores' workers under `mutex`.
  std::vector<ThreadContext *> fibers;
  std::deque<ThreadContext *> ready;
  std::mutex mutex;
  std::vector<ThreadContext *> semaphoreWaiters;
  uint32_t l1Writes = 0; // semaphore writes to this L1 so far (pollers wait on it)
  std::vector<ThreadContext *> woken; // by other cores, not yet ready
  bool active = false;                       // queued or owned by a worker
  bool started = false; // a worker has taken it this run (under the queue's mutex)
  // Where its L1 memory stands in the hand-over (Device::startL1),
  // under `mutex`: not started, its kernels running, finished, or given to
  // another core. `keepsL1`: another core moved bytes of its L1 beyond the
  // semaphore words before it started or after it finished, so it keeps
  // its L1 memory.
  enum class L1State : uint8_t { Fresh, Running, Finished, Given };
  L1State l1State = L1State::Fresh;
  bool keepsL1 = false;
  bool runsKernels = true; // in the kernel grid (else only an L1 bank)
};

/// A tensor buffer kernels address by its base (TensorAccessor): in DRAM,
/// memory the device maps for it or host memory it was attached to (a
/// tensor's pages in order), or a host matrix in rows whose tile pages the
/// transfers gather and scatter (`rows`); or an L1 tensor, whose pages live
/// in cores' L1 (interleaved across the banks, or a shard per core).
struct DramBuffer {
  uint8_t *data = nullptr; // the pages in order (null in rows or in L1)
  TilesInRows rows;        // tile pages in a matrix in rows (rows.data set)
  uint64_t size = 0;
  bool owned = false; // mapped by dramAlloc, unmapped with the device
  uint32_t pageSize = 0;
  uint32_t index = 0; // its place in the cores' traffic counters (Core::traffic)
  std::string name;         // for reports: the tensor's name, if known
  uint32_t tilesPerRow = 0; // its width in tiles, if known
  bool uninitialised = false; // the host filled it with poison (ttnn.empty)
  bool readOnly = false; // no kernel of the program writes it (markReadOnly)
  // An L1 tensor (data is null): page p is slot pageSlot[p] of the region
  // at L1 offset l1Offset of core pageCore[p] (index y * gridX + x).
  std::vector<uint32_t> pageCore, pageSlot;
  uint32_t l1Offset = 0;
  uint32_t l1BytesPerCore = 0; // its region on each core
  bool inL1() const { return !pageCore.empty(); }
  bool inRows() const { return rows.data != nullptr; }
};

/// DST register file of a compute thread: tiles of 32x32 floats, row-major.
struct ComputeState {
  static constexpr uint32_t kTiles16 = ttlx_hw::kDstTiles16; // 16-bit DST
  static constexpr uint32_t kTiles32 = ttlx_hw::kDstTiles32; // fp32 accumulation
  enum class Step { Released, Acquired, Committed, Waited } step = Step::Released;
  bool fp32 = false;
  float dst[kTiles16][1024]; // a tile is read only once written or cleared
                              // (fresh, ComputeCall): not initialised
  bool fresh[kTiles16] = {};
  // The unpacker's srcA / srcB formats (compute_kernel_hw_startup,
  // reconfig_data_format*): unset (any), bf16 or f32.
  enum class Format : uint8_t { Unset, Bf16, F32 };
  Format srcA = Format::Unset, srcB = Format::Unset;
};

/// What a kernel thread waits for while blocked.
struct Wait {
  enum class Kind { DfbSpace, DfbData, Semaphore, L1Write } kind = Kind::DfbData;
  uint32_t index = 0; // DFB index, or the semaphore's L1 address
  uint32_t count = 0; // pages, the semaphore value, or the core's l1Writes
  bool atLeast = false;
};

/// What each kernel thread (a fiber) knows about itself.
struct ThreadContext {
  class Device *device;
  Core *core;
  const Kernel *kernel;
  Fiber fiber;
  enum class State { Ready, Running, Blocked, Finished } state = State::Ready;
  const char *blockedOn = nullptr; // the call while waiting in it
  Wait wait;
  Site blockedSite{nullptr, 0};
  ComputeState compute;
  std::atomic<uint64_t> apiCalls{0}; // read by the watchdog
  uintptr_t runawayPc = 0;           // set when the watchdog abandoned it
  EventStream *profile = nullptr; // its events, when profiling (Profile.h)
  int trisc = 0; // compute: 1 inside UNPACK((...)), 2 inside PACK((...))
  uint32_t raceIndex = 0;            // its vector clock in the race detector
  PendingWrites pending; // its streamed NOC writes not yet moved
  std::string printPending; // DPRINT text not yet ended by a newline
  // invalidate_l1_cache polling: the thread's API-call count and its core's
  // l1Writes at its last call.
  uint64_t pollCalls = 0;
  uint32_t pollWrites = 0;
};

/// Prints the finished lines of `ctx`'s DPRINT text (all of it when the
/// thread has `finished`).
void flushPrintLine(ThreadContext &ctx, bool finished);

class Device {
public:
  /// DFBs per core on the largest architecture; a device has numCBs.
  static constexpr uint32_t kMaxCBs = ttlx_hw::kDFBsBlackhole;
  static constexpr uint32_t kNumSemaphores = ttlx_hw::kSemaphoresPerCore;
  static constexpr uint32_t kReservedL1 = ttlx_hw::kL1ReservedBytes; // semaphores live here

  /// `numCBs` DFBs per core (ttlx_hw::dfbsPerCore of the architecture).
  Device(uint32_t gridX, uint32_t gridY, uint32_t l1Size, uint32_t numCBs);
  ~Device();
  /// Kernels run on the cores x < `x`, y < `y` only (default: every core);
  /// the others are L1 banks of L1 tensors. Before configureCB and run.
  void setKernelGrid(uint32_t x, uint32_t y);
  /// Semaphore `id` starts at `value` on every core that runs kernels
  /// (tt-metal's CreateSemaphore(program, cores, value)); others start at 0.
  void setSemaphore(uint32_t id, uint32_t value);
  /// The kernels reach other cores' L1 only as tt-lang's compiled pipes
  /// and semaphores do (a program compiled from TTL): a pipe's destination
  /// pulls a staged block from its source while the source's `done`
  /// semaphore counts the pulls still to come, and all else is semaphore
  /// words. Lets a finished core whose semaphores are back at their first
  /// values hand its L1 memory on (startL1).
  void setL1ByTTLProtocol(bool value) { l1ByTTLProtocol_ = value; }

  uint32_t gridX() const { return gridX_; }
  uint32_t gridY() const { return gridY_; }
  uint32_t l1Size() const { return l1Size_; }
  /// Where the L1 tensors begin on every core (l1Size() without any).
  uint32_t l1TensorsStart() const { return l1Top_; }

  // Host side (called before run).
  uint32_t dramAlloc(uint64_t bytes, uint32_t pageSize);
  /// A DRAM buffer over `bytes` of host memory at `host` (not copied; it
  /// must outlive the run).
  uint32_t dramAttach(void *host, uint64_t bytes, uint32_t pageSize);
  /// A DRAM buffer of the tile pages of the `rows` x `cols` matrix of
  /// `elemSize`-byte elements in rows at `host`, `rowStride` bytes apart
  /// (not copied, not converted; it must outlive the run). rows and cols
  /// are multiples of 32.
  uint32_t dramAttachRows(void *host, uint64_t rows, uint64_t cols,
                          uint64_t rowStride, uint32_t elemSize);
  /// An L1 tensor named `name` of pageCore.size() pages (see DramBuffer),
  /// its region on each core taken from the top of L1 at the same offset
  /// on every core, as tt-metal's L1 allocator places buffers (DFBs grow
  /// from the bottom). Returns its base address, as dramAlloc does.
  uint32_t l1TensorAlloc(std::string name, uint32_t pageSize,
                         std::vector<uint32_t> pageCore,
                         std::vector<uint32_t> pageSlot);
  /// Page `page` of `buffer`, in DRAM or in its core's L1 (not of a buffer
  /// in rows, whose pages are not in memory as such).
  uint8_t *pageData(const DramBuffer &buffer, uint32_t page) const;
  /// Bytes [at, at + size) of DRAM buffer `buffer` as the DRAM end of a
  /// transfer from (`read`) or to L1 at `l1`; a write into a DRAM buffer of
  /// kStreamedBytes or more is held in `held`, the writing thread's
  /// (Transfer::held).
  Transfer dramTransfer(DramBuffer &buffer, uint64_t at, uint8_t *l1,
                        uint32_t size, bool read,
                        PendingWrites *held = nullptr) const;
  /// "DRAM tensor 'x' page 3 (tile row 0, column 3)", or "L1 tensor ...
  /// on core (1, 0)", for reports.
  std::string describePage(const DramBuffer &buffer, uint32_t page) const;
  /// Copies the tile pages of the L1 tensor at `base` from / to `host`
  /// (pageCore.size() pages, in page order).
  void l1TensorWrite(uint32_t base, const uint8_t *host);
  void l1TensorRead(uint32_t base, uint8_t *host) const;
  /// DFB `cb` of `numPages` pages of `pageSize` bytes on every core that
  /// runs kernels, in L1 from the bottom; `storageBytes` (0: its pages)
  /// reserves more, for the other members of its allocation group.
  void configureCB(uint32_t cb, uint32_t pageSize, uint32_t numPages,
                   uint64_t storageBytes = 0);
  /// DFB `cb` over the storage of DFB `leader` (already configured, its
  /// allocation group's first member): the same L1 on every core.
  void configureCBShared(uint32_t cb, uint32_t pageSize, uint32_t numPages,
                         uint32_t leader);
  /// DFB `cb` over the L1 tensor at `tensor` (a tensor-backed DFB), at
  /// `byteOffset` of the tensor's region on every core.
  void configureCBOnTensor(uint32_t cb, uint32_t pageSize, uint32_t numPages,
                           uint32_t tensor, uint32_t byteOffset);
  void addKernel(Kernel kernel);
  /// Whether some kernel can address another core's L1: it forms NOC
  /// addresses of cores' L1 (Kernel::formsL1Addresses).
  bool l1Addressed() const {
    for (const Kernel &kernel : kernels_)
      if (kernel.formsL1Addresses)
        return true;
    return false;
  }
  /// Runs every kernel on every core with `workers` host threads (0: one
  /// per host core); returns false with error() set on a fault or deadlock.
  bool run(unsigned workers = 0);
  const std::string &error() const { return error_; }
  const Core &core(uint32_t i) const { return cores_[i]; }
  /// The index of `core` in core(): y * gridX() + x.
  uint32_t coreIndex(const Core &core) const {
    return core.y * gridX_ + core.x;
  }
  /// The buffer at `base`, or null.
  /// The buffer whose bytes hold DRAM `address` (and its base), or null.
  DramBuffer *dramBufferAt(uint32_t address, uint32_t &base) {
    auto it = dram_.upper_bound(address);
    if (it == dram_.begin())
      return nullptr;
    --it;
    base = it->first;
    return address - it->first < it->second.size ? &it->second : nullptr;
  }
  const DramBuffer *buffer(uint32_t base) const {
    auto it = dram_.find(base);
    return it == dram_.end() ? nullptr : &it->second;
  }
  uint32_t numCores() const { return static_cast<uint32_t>(cores_.size()); }
  /// Set before run() to record every kernel thread's events (Profile.h).
  std::unique_ptr<Profiler> profiler;
  const std::map<uint32_t, DramBuffer> &dramBuffers() const { return dram_; }
  /// Names the DRAM buffer at `base` in reports (false: no such buffer).
  bool nameDram(uint32_t base, std::string name, uint32_t tilesPerRow);
  /// The host left the buffer at `base` uninitialised (and poisoned it):
  /// kernels reading pages no kernel wrote are reported.
  bool markUninitialised(uint32_t base);
  /// No kernel of the program writes the DRAM buffer at `base` (the
  /// compiler knows: no copy into it): the race detector keeps no record
  /// of its reads, which nothing can race with; a write into it is a fault.
  bool markReadOnly(uint32_t base);
  /// Reports that do not stop the run (races with TTLX_RACES=warn), in order.
  const std::vector<std::string> &warnings() const { return warnings_; }
  void warn(const std::string &message);
  /// "core (x, y) dm0 kernel 'name'".
  std::string describe(const ThreadContext &ctx) const;
  /// The checkers and the profiler watching the running program's API
  /// calls.
  ApiEvents &events() { return events_; }
  UninitTracker &uninit() { return *uninit_; }

  // Kernel side (called from kernel fibers through the API).
  /// Unwinds the calling kernel thread if the run is being aborted.
  void checkAbort() const {
    if (aborting_.load(std::memory_order_relaxed))
      throw KernelAbort{};
  }
  /// Records a fault (first one wins) and unwinds every kernel thread.
  [[noreturn]] void fault(const ThreadContext &ctx, Site site,
                          const std::string &message);
  uint8_t *l1Pointer(const ThreadContext &ctx, Core &core, uint32_t addr,
                     uint32_t size, Site site, const char *what);
  DramBuffer &dramBuffer(const ThreadContext &ctx, uint32_t base, Site site);
  /// Another core's L1 is reached at `offset` (`size` bytes) through the
  /// NOC while L1 memory changes hands: the lock of `target`'s mutex (held
  /// while the access lands, for a semaphore word) after noting the access
  /// (it pins the memory of a core not started or finished); a fault if
  /// `target` has given its memory away. An empty lock when no memory
  /// changes hands, or `target` is the caller's core.
  std::unique_lock<std::mutex> holdRemoteL1(const ThreadContext &ctx,
                                            Core &target, uint32_t offset,
                                            uint32_t size, Site site,
                                            const char *what);
  Core &coreAt(const ThreadContext &ctx, uint32_t x, uint32_t y, Site site);

  //===--------------------------------------------------------------------===//
  // Scheduling: the only places a kernel thread stops or another resumes.
  //===--------------------------------------------------------------------===//

  /// cb_reserve_back / cb_wait_front: parks the calling fiber on the DFB's
  /// wait list until `wait` holds (a push or pop of this core wakes it).
  void waitOnDfb(ThreadContext &ctx, const char *call, Wait wait, Site site);
  /// After a push or pop of DFB `index` of the calling fiber's core: makes
  /// the fibers whose wait now holds ready.
  void dfbChanged(Core &core, uint32_t index);
  /// noc_semaphore_wait(_min): parks the calling fiber on its core's
  /// semaphore wait list until the word at `wait.index` satisfies `wait`.
  void waitOnSemaphore(ThreadContext &ctx, const char *call, Wait wait,
                       Site site);
  /// After any write into `target`'s L1 from a kernel (NOC write, semaphore
  /// set or increment): wakes its semaphore waiters whose wait now holds,
  /// queueing the core if it was idle.
  void l1Written(Core &target);

private:
  friend struct Worker;
  bool holds(const ThreadContext &ctx) const;
  /// Removes the waiters whose wait now holds from `waiters`, in order,
  /// handing each to `take`; true if there was any.
  template <typename Take>
  bool takeHolding(std::vector<ThreadContext *> &waiters, Take take) const;
  /// Gives the calling fiber's host thread back to its worker; returns when
  /// the fiber is resumed, then unwinds it if the run is being aborted.
  void suspend(ThreadContext &ctx);
  void activate(Core &core); // with core.mutex held
  Core *nextCore();
  /// Whether the run hands a finished core's L1 memory to the next core
  /// to start (Device::run): no kernel can reach another core's L1, or
  /// only by tt-lang's protocol (setL1ByTTLProtocol).
  bool handsOverL1() const;
  /// `core`'s kernels have finished: whether its L1 memory may serve
  /// another core (no other core can reach its L1 any more: none moved
  /// bytes of it since, and its semaphores are at their first values, so
  /// no pull of a block it staged is to come).
  bool finishL1(Core &core);
  /// Core `next` starts: it takes the L1 memory of core `done` (null:
  /// none), whose kernels have finished, in exchange for its own untouched
  /// one, cleared to what a fresh L1 holds with the semaphore words other
  /// cores have written into `next` so far; unless `next` keeps its own
  /// (another core moved bytes of its L1 beyond them: `done` then waits
  /// for the next core to start).
  void startL1(Core &next, Core *done);
  void runCore(Core &core, struct Worker &worker);
  void workerLoop(Watchdog &watchdog);
  static void fiberMain(void *ctx);
  /// Gives every core's L1 the contents a fresh one has (zero) where the
  /// run does not poison it, once per device.
  void prepareL1();
  void setError(const std::string &message);
  std::string deadlockReport() const;
  std::string describeWait(const ThreadContext &ctx) const;

  uint32_t gridX_, gridY_, l1Size_, numCBs_;
  bool l1Prepared_ = false;
  std::vector<Core> cores_;
  std::vector<Kernel> kernels_;
  std::vector<std::pair<uint32_t, uint32_t>> semaphoreInit_; // (id, value)
  std::map<uint32_t, DramBuffer> dram_; // bank base address -> buffer
  uint32_t dramNext_ = 0x1000;
  uint32_t l1Top_; // L1 tensors take [l1Top_, l1Size_) of every core
  std::string l1TensorsText() const; // the L1 tensors, for L1 reports

  /// Ends a ThreadContext made in threadMemory_ (nothing to free).
  struct EndContext {
    void operator()(ThreadContext *ctx) const { ctx->~ThreadContext(); }
  };
  // The run's kernel threads, their contexts in one block kept for the next
  // run (a fresh one faults on the DST pages of every compute thread).
  mappings::RunMemory threadMemory_;
  std::vector<std::unique_ptr<ThreadContext, EndContext>> threads_;
  std::mutex queueMutex_; // guards queue_ and activeCores_
  std::condition_variable queueChanged_;
  std::deque<Core *> queue_;
  uint32_t activeCores_ = 0;
  bool handOverL1_ = false;
  bool l1ByTTLProtocol_ = false;
  std::vector<Core *> finishedL1_; // finished cores whose L1 is to be taken
  std::atomic<bool> aborting_{false};
  double watchdogSeconds_ = 0;
  std::mutex errorMutex_;
  std::string error_;
  std::mutex warningMutex_;
  std::vector<std::string> warnings_;
  std::unique_ptr<RaceDetector> races_;
  std::unique_ptr<UninitTracker> uninit_;
  ApiEvents events_;
};

/// " at kernel.cpp:LINE", plus the user's file:line:col when the emitter
/// noted it on the line before; "" without a file.
std::string siteText(Site site);

/// The text after `prefix` in the line before `line` of `file` (a note the
/// kernel emitter wrote there), or "".
std::string sourceNote(const char *file, int line, const char *prefix);

/// The calling kernel thread's context: the worker running a fiber sets it
/// on every switch into the fiber, so it follows fibers across workers.
ThreadContext &current();

} // namespace ttlx_rt
