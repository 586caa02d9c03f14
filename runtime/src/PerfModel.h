// SPDX-License-Identifier: Apache-2.0
//
// The performance model (docs/profiler.md): a deterministic discrete-event
// replay of the event streams of a profiled run (Profile.h) on a chip
// described by ModelParams, in cycles of the chip's clock. The constants
// come from Python (ttlx.profile.chips, one documented table); the layout
// of these structs is mirrored there with ctypes: keep them in step.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ttlx_rt {

class Device;

inline constexpr uint32_t kModelMaxOps = 64;   // per tile-op family
inline constexpr uint32_t kModelLinkPoints = 16;

struct ModelParams {
  uint32_t gridX, gridY;
  // DRAM: aggregate sustained bandwidth shared by all cores, accounted in
  // time buckets of this many cycles.
  double dramBytesPerCycle;
  double dramBucketCycles;
  // A NOC transfer of `linkSize[i]` bytes moves at `linkRate[i]` bytes per
  // cycle on its thread's NOC link (interpolated between points).
  uint32_t numLinkPoints;
  double linkSize[kModelLinkPoints];
  double linkRate[kModelLinkPoints];
  // Latencies (cycles): reads by where the source is relative to the
  // reader; writes by hops along the NOC.
  double readLatencyLocal, readLatencyColumn, readLatencyRow, readLatencyOther;
  double dramReadLatency;
  double writeLatencyBase, writeLatencyPerHop, dramWriteLatency;
  // Data-movement thread costs (cycles).
  double nocIssue, dfbCall, dfbHandoff, semaphoreCall;
  // Compute, per tile (cycles).
  double unpack, pack, datacopy;
  double fpu[kModelMaxOps];
  double sfpuUnary[kModelMaxOps];
  double sfpuBinary[kModelMaxOps];
  double fill, where, reduceSum, reduceMax, matmul;
  uint32_t collectSlices; // 1: return the timeline (ModelResult::slices)
};

/// Busy cycles by unit (summed over cores).
enum ModelUnit : int { UnitUnpack, UnitFpu, UnitSfpu, UnitMatmul, UnitReduce, UnitPack, NumModelUnits };

struct ModelSummary {
  double makespan;         // cycles from the start to the last thread's end
  uint32_t criticalCore;   // the core and thread that end last
  uint32_t criticalThread; // 0 dm0, 1 dm1, 2 compute
  double busy[NumModelUnits];
  double maxCoreCompute;   // the busiest core's busiest compute stage (cycles)
  double maxLinkBusy;      // the busiest NOC link of a thread (cycles)
  double dramBytesRead, dramBytesWritten, nocBytes; // nocBytes: every transfer
  uint64_t events;
};

/// A slice of the timeline. track: 0 dm0, 1 dm1, 2 unpack, 3 math,
/// 4 pack, 5 dm0 NOC transfers, 6 dm1 NOC transfers.
struct ModelSlice {
  uint32_t core;
  uint8_t track;
  uint8_t kind; // SliceKind
  uint16_t detail;  // tile unit, DFB index, peer core, ...
  uint32_t code;    // tile function, name id, bytes, ...
  double start, end;
};
enum SliceKind : uint8_t { SliceTile, SliceDfbWait, SliceNoc, SliceBarrier, SliceSemWait, SliceZone };

struct ModelResult {
  ModelSummary summary{};
  std::vector<ModelSlice> slices;
  std::string error; // the replay could not finish (a wait nothing satisfies)
};

ModelResult replay(const Device &device, const ModelParams &params);

} // namespace ttlx_rt
