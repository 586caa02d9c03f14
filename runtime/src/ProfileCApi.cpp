// SPDX-License-Identifier: Apache-2.0
//
// C entry points of the profiler for ttlx.profile (ctypes): turn event
// recording on before a run, replay the events on a chip model after it.

#include "Device.h"
#include "PerfModel.h"
#include "ttlx_runtime/compute_abi.h"

#include <cstring>
#include <string>

using ttlx_rt::Device;
using ttlx_rt::ModelResult;

namespace {
std::string lastError;

constexpr uint32_t count(std::initializer_list<int> values) {
  return static_cast<uint32_t>(values.size());
}
} // namespace

extern "C" {

const char *ttlx_rt_profile_last_error() { return lastError.c_str(); }

/// Records every kernel thread's events during the next run.
void ttlx_rt_profile_enable(void *device) {
  static_cast<Device *>(device)->profiler = std::make_unique<ttlx_rt::Profiler>();
}

/// sizeof(ModelParams), sizeof(ModelSummary), sizeof(ModelSlice) and the
/// number of FPU, SFPU unary and SFPU binary ops, for ttlx.profile to check
/// its mirror of the structs and its cost tables.
void ttlx_rt_profile_layout(uint32_t *out) {
  out[0] = sizeof(ttlx_rt::ModelParams);
  out[1] = sizeof(ttlx_rt::ModelSummary);
  out[2] = sizeof(ttlx_rt::ModelSlice);
  out[3] = count({
#define TTLX_FPU_BINARY_OP(...) 0,
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  });
  out[4] = count({
#define TTLX_SFPU_UNARY_OP(...) 0,
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  });
  out[5] = count({
#define TTLX_FPU_BINARY_OP(...) 0,
#define TTLX_SFPU_BINARY_OP(...) 0,
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  });
}

/// Replays the profiled run; returns a result handle (free it with
/// ttlx_rt_profile_free), or null with ttlx_rt_profile_last_error() set.
void *ttlx_rt_profile_model(void *device, const ttlx_rt::ModelParams *params,
                            ttlx_rt::ModelSummary *summary) {
  try {
    auto *result = new ModelResult(ttlx_rt::replay(*static_cast<Device *>(device), *params));
    if (!result->error.empty()) {
      lastError = result->error;
      delete result;
      return nullptr;
    }
    *summary = result->summary;
    return result;
  } catch (const std::exception &e) {
    lastError = e.what();
    return nullptr;
  }
}

uint64_t ttlx_rt_profile_num_slices(void *result) {
  return static_cast<ModelResult *>(result)->slices.size();
}

void ttlx_rt_profile_slices(void *result, ttlx_rt::ModelSlice *out) {
  const auto &slices = static_cast<ModelResult *>(result)->slices;
  std::memcpy(out, slices.data(), slices.size() * sizeof(ttlx_rt::ModelSlice));
}

void ttlx_rt_profile_free(void *result) { delete static_cast<ModelResult *>(result); }

/// The signpost names of the profiled run, by id; null past the last.
const char *ttlx_rt_profile_name(void *device, uint32_t id) {
  const auto &names = static_cast<Device *>(device)->profiler->names();
  return id < names.size() ? names[id].c_str() : nullptr;
}

} // extern "C"
