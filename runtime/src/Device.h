// SPDX-License-Identifier: Apache-2.0
//
// The emulated device: a grid of Tensix-like cores with their own L1, DFBs
// (circular buffers) and semaphores, interleaved DRAM, and the threads that
// run each core's kernels. All shared state is guarded by one mutex, so a
// deadlock (every running thread blocked) is detected exactly.
#pragma once

#include "ttlx/Target/Hardware.h"
#include "ttlx_runtime/kernel_abi.h"

#include <condition_variable>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ttlx_rt {

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
  uint32_t packed = 0;     // in-order pack_tile position since the last push
};

enum class Processor : int { DM0 = 0, DM1 = 1, Compute = 2 };

struct Kernel {
  std::string name;
  Processor processor;
  void (*entry)();
  std::vector<uint32_t> runtimeArgs;
};

struct Core {
  uint32_t x = 0, y = 0;
  uint8_t *l1 = nullptr;
  uint32_t l1Base = 0; // l1 as a 32-bit address
  uint32_t l1Next = 0; // first free L1 offset
  std::vector<CircularBuffer> cbs;
  uint64_t counters[NumCounters] = {};
};

struct DramBuffer {
  std::vector<uint8_t> bytes;
  uint32_t pageSize = 0;
  uint64_t bytesRead = 0, bytesWritten = 0; // by kernels, over the run
};

/// DST register file of a compute thread: tiles of 32x32 floats, row-major.
struct ComputeState {
  static constexpr uint32_t kTiles16 = ttlx_hw::kDstTiles16; // 16-bit DST
  static constexpr uint32_t kTiles32 = ttlx_hw::kDstTiles32; // fp32 accumulation
  enum class Step { Released, Acquired, Committed, Waited } step = Step::Released;
  bool fp32 = false;
  float dst[kTiles16][1024] = {};
  bool fresh[kTiles16] = {};
};

/// What each running kernel thread knows about itself.
struct ThreadContext {
  class Device *device;
  Core *core;
  const Kernel *kernel;
  const char *blockedOn = nullptr; // the call while waiting in it
  std::function<bool()> ready;     // its wake-up condition
  std::string blockedDetail;
  Site blockedSite{nullptr, 0};
  bool finished = false;
  ComputeState compute;
};

class Device {
public:
  static constexpr uint32_t kNumCBs = ttlx_hw::kDFBsWormhole;
  static constexpr uint32_t kNumSemaphores = ttlx_hw::kSemaphoresPerCore;
  static constexpr uint32_t kReservedL1 = 64; // semaphores live here

  Device(uint32_t gridX, uint32_t gridY, uint32_t l1Size);
  ~Device();

  uint32_t gridX() const { return gridX_; }
  uint32_t gridY() const { return gridY_; }
  uint32_t l1Size() const { return l1Size_; }

  // Host side (called before run).
  uint32_t dramAlloc(uint64_t bytes, uint32_t pageSize);
  void dramWrite(uint32_t addr, const void *src, uint64_t bytes);
  void dramRead(uint32_t addr, void *dst, uint64_t bytes) const;
  void configureCB(uint32_t cb, uint32_t pageSize, uint32_t numPages);
  void addKernel(Kernel kernel);
  /// Runs every kernel on every core; returns false with error() set on a
  /// fault or deadlock.
  bool run();
  const std::string &error() const { return error_; }
  const Core &core(uint32_t i) const { return cores_[i]; }
  /// The buffer at `base`, or null.
  const DramBuffer *buffer(uint32_t base) const {
    auto it = dram_.find(base);
    return it == dram_.end() ? nullptr : &it->second;
  }
  uint32_t numCores() const { return static_cast<uint32_t>(cores_.size()); }

  // Kernel side (called from kernel threads through the API).
  std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }
  /// Blocks the calling thread until `ready()` holds, watching for deadlock.
  template <typename Ready>
  void blockUntil(std::unique_lock<std::mutex> &lock, ThreadContext &ctx,
                  const char *call, std::string detail, Site site,
                  Ready ready) {
    if (ready())
      return;
    ctx.blockedOn = call;
    ctx.ready = ready;
    ctx.blockedDetail = std::move(detail);
    ctx.blockedSite = site;
    checkDeadlock();
    changed_.wait(lock, [&] { return aborting_ || ready(); });
    ctx.blockedOn = nullptr;
    ctx.ready = nullptr;
    if (aborting_)
      throw KernelAbort{};
  }
  /// Wakes blocked threads after a state change.
  void notify() { changed_.notify_all(); }
  /// Records a fault (first one wins) and unwinds every kernel thread.
  [[noreturn]] void fault(const ThreadContext &ctx, Site site,
                          const std::string &message);
  uint8_t *l1Pointer(const ThreadContext &ctx, Core &core, uint32_t addr,
                     uint32_t size, Site site, const char *what);
  DramBuffer &dramBuffer(const ThreadContext &ctx, uint32_t base, Site site);
  Core &coreAt(const ThreadContext &ctx, uint32_t x, uint32_t y, Site site);

private:
  void checkDeadlock();
  std::string describe(const ThreadContext &ctx) const;

  uint32_t gridX_, gridY_, l1Size_;
  std::vector<Core> cores_;
  std::vector<Kernel> kernels_;
  std::map<uint32_t, DramBuffer> dram_; // bank base address -> buffer
  uint32_t dramNext_ = 0x1000;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<ThreadContext>> threads_;
  int running_ = 0;
  bool aborting_ = false;
  std::string error_;
};

/// The text after `prefix` in the line before `line` of `file` (a note the
/// kernel emitter wrote there), or "".
std::string sourceNote(const char *file, int line, const char *prefix);

/// The calling kernel thread's context.
ThreadContext &current();
void setCurrent(ThreadContext *ctx);

} // namespace ttlx_rt
