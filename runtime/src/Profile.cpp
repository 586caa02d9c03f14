// SPDX-License-Identifier: Apache-2.0
//
// Event streams of a profiled run, and the signpost scopes of kernels
// (DeviceZoneScopedN, api/debug/kernel_profiler.hpp).

#include "Profile.h"
#include "ProfileHooks.h"
#include "ttlx_runtime/profile_abi.h"

namespace ttlx_rt {

EventStream &Profiler::stream(ThreadContext &ctx) {
  auto created = std::make_unique<EventStream>();
  created->core = profile::coreIndex(*ctx.device, *ctx.core);
  created->processor = static_cast<uint32_t>(ctx.kernel->processor);
  std::lock_guard<std::mutex> guard(mutex_);
  streams_.push_back(std::move(created));
  return *streams_.back();
}

uint32_t Profiler::nameId(const char *name) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto [it, added] = nameIds_.try_emplace(name, static_cast<uint32_t>(names_.size()));
  if (added)
    names_.push_back(name);
  return it->second;
}

void profile::append(ThreadContext &ctx, Profiler &profiler, const Event &event) {
  if (!ctx.profile)
    ctx.profile = &profiler.stream(ctx);
  ctx.profile->events.push_back(event);
}

void zone_begin(const char *name) {
  ThreadContext &ctx = current();
  if (Profiler *profiler = ctx.device->profiler.get())
    profile::append(ctx, *profiler, {Ev::ZoneBegin, 0, 0, profiler->nameId(name)});
}

void zone_end(const char *name) {
  ThreadContext &ctx = current();
  if (Profiler *profiler = ctx.device->profiler.get())
    profile::append(ctx, *profiler, {Ev::ZoneEnd, 0, 0, profiler->nameId(name)});
}

} // namespace ttlx_rt
