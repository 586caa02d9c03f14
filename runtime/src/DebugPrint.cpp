// SPDX-License-Identifier: Apache-2.0
//
// DPRINT's output (api/debug/dprint.h): each kernel thread's text, one
// finished line at a time, prefixed with the core and thread as tt-metal's
// print server prefixes it.

#include "Device.h"
#include "api/debug/dprint.h"

#include <cstdio>
#include <mutex>
#include <sstream>

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

namespace {

void put(std::ostringstream &os, const DprintArg &arg) {
  switch (arg.kind) {
  case DprintArg::Bool:
    os << (arg.i ? "true" : "false");
    return;
  case DprintArg::Signed:
    os << arg.i;
    return;
  case DprintArg::Unsigned:
    os << arg.u;
    return;
  case DprintArg::Float:
    os << arg.d;
    return;
  case DprintArg::Text:
    os << arg.s;
    return;
  case DprintArg::None:
    return;
  }
}

/// Copies `format` up to the next `{}` (unescaping `{{` and `}}`); false at
/// its end.
bool copyUntilPlaceholder(std::ostringstream &os, const char *&format) {
  for (; *format; ++format) {
    if ((format[0] == '{' && format[1] == '{') ||
        (format[0] == '}' && format[1] == '}')) {
      os << *format++;
      continue;
    }
    if (format[0] == '{' && format[1] == '}') {
      format += 2;
      return true;
    }
    os << *format;
  }
  return false;
}

} // namespace

void dprint_format(const char *format, const DprintArg *args, unsigned count) {
  std::ostringstream os;
  for (unsigned i = 0; i < count; ++i)
    if (copyUntilPlaceholder(os, format))
      put(os, args[i]);
  copyUntilPlaceholder(os, format);
  ThreadContext &ctx = current();
  ctx.printPending += os.str();
  flushPrintLine(ctx, false);
}

} // namespace ttlx_rt
