// SPDX-License-Identifier: Apache-2.0
//
// Event recording for the performance model (docs/profiler.md). With
// profiling on, every kernel thread appends what it does to its own stream,
// in program order: DFB reserve/push/wait/pop, NOC transfers and barriers,
// semaphore writes and waits, every tile op with its unit, DST register
// hand-offs and signpost scopes. The streams do not depend on how the
// emulator scheduled the fibers, so neither does the model replaying them
// (PerfModel.h). With profiling off, each hook is one test of a null
// pointer.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ttlx_rt {

struct ThreadContext;

enum class Ev : uint8_t {
  Reserve,      // target = DFB, a = pages
  Push,         // target = DFB, a = pages
  Wait,         // target = DFB, a = pages
  Pop,          // target = DFB, a = pages
  NocRead,      // target = source core, or kDram; a = bytes
  NocWrite,     // target = destination core, or kDram; a = bytes
  ReadBarrier,  //
  WriteBarrier, //
  SemSet,       // target = core, a = L1 offset, b = value (a local store)
  SemInc,       // target = core, a = L1 offset, b = increment (over the NOC)
  SemWrite,     // target = core, a = L1 offset, b = value (over the NOC)
  SemWait,      // a = L1 offset, b = value, unit = 1 for "at least"
  Regs,         // unit = RegsStep
  Tile,         // unit = TileUnit, a = function (FpuOp, SfpuUnary, ...)
  ZoneBegin,    // a = name id
  ZoneEnd,      // a = name id
};

/// What a tile op occupies (its unpack and pack parts are separate events
/// only for copy_tile / pack_tile; see PerfModel.cpp).
enum class TileUnit : uint8_t {
  Copy,       // copy_tile: unpack + datacopy
  Bcast,      // unary_bcast: unpack + datacopy
  Fpu,        // a = FpuOp
  SfpuUnary,  // a = SfpuUnary
  SfpuBinary, // a = SfpuBinary
  Fill,       //
  Where,      //
  Reduce,     // a = Pool
  Matmul,     //
  Pack,       // pack_tile
};

struct Event {
  Ev kind;
  uint8_t unit = 0;
  uint16_t target = 0;
  uint32_t a = 0;
  uint32_t b = 0;
};

inline constexpr uint16_t kDram = 0xffff;

/// The events of one kernel thread.
struct EventStream {
  uint32_t core = 0;      // row-major index in the grid
  uint32_t processor = 0; // 0 dm0, 1 dm1, 2 compute
  std::vector<Event> events;
};

/// All streams of a run, and the names of its signpost scopes.
class Profiler {
public:
  /// The calling thread's stream, created on its first event.
  EventStream &stream(ThreadContext &ctx);
  /// The id of a signpost name (names are interned by text).
  uint32_t nameId(const char *name);

  const std::vector<std::unique_ptr<EventStream>> &streams() const {
    return streams_;
  }
  const std::vector<std::string> &names() const { return names_; }

private:
  std::mutex mutex_; // streams are created, and names interned, by any worker
  std::vector<std::unique_ptr<EventStream>> streams_;
  std::unordered_map<std::string, uint32_t> nameIds_;
  std::vector<std::string> names_;
};

} // namespace ttlx_rt
