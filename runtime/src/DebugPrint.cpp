// SPDX-License-Identifier: Apache-2.0
//
// DPRINT's output (api/debug/dprint.h): each kernel thread's text, one
// finished line at a time, prefixed with the core and thread as tt-metal's
// print server prefixes it.

#include "Device.h"
#include "api/debug/dprint.h"

#include <cstdio>
#include <mutex>

namespace ttlx_rt {

static const char *threadTag(Processor p) {
  switch (p) {
  case Processor::DM0:
    return "BR";
  case Processor::DM1:
    return "NC";
  case Processor::Compute:
    return "TR";
  }
  return "?";
}

static std::mutex &outputLock() {
  static std::mutex lock;
  return lock;
}

void flushPrintLine(ThreadContext &ctx, bool finished) {
  std::string &pending = ctx.printPending;
  if (finished && !pending.empty() && pending.back() != '\n')
    pending += '\n'; // a last print without a newline at its end
  std::string out;
  size_t start = 0;
  for (size_t end; (end = pending.find('\n', start)) != std::string::npos;
       start = end + 1) {
    out += "0:(x=" + std::to_string(ctx.core->x) +
           ",y=" + std::to_string(ctx.core->y) + "):" +
           threadTag(ctx.kernel->processor) + ": ";
    out.append(pending, start, end + 1 - start);
  }
  pending.erase(0, start);
  if (out.empty())
    return;
  std::lock_guard<std::mutex> hold(outputLock());
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

void dprint_text(const std::string &text) {
  ThreadContext &ctx = current();
  ctx.printPending += text;
  flushPrintLine(ctx, false);
}

} // namespace ttlx_rt
