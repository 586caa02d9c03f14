// SPDX-License-Identifier: Apache-2.0
//
// DPRINT's output (api/debug/dprint.h): each kernel thread's text, one
// finished line at a time, prefixed with the core and thread as tt-metal's
// print server prefixes it.

#include "Device.h"
#include "api/debug/dprint.h"
#include "api/debug/dprint_pages.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

/// A float as fmt's `{}` prints it (tt-metal's print server formats with
/// fmt): the shortest digits that read back as the same f32, in fixed
/// notation for decimal exponents -4 <= e < 7 (fmt's bounds for float:
/// digits10 + 1 above), else d.ddde+XX; "inf", "nan".
std::string formatFloat(double value) {
  float f = static_cast<float>(value);
  if (std::isnan(f))
    return "nan";
  if (std::isinf(f))
    return f < 0 ? "-inf" : "inf";
  char buf[64];
  int digits = 1;
  for (; digits < 9; ++digits) {
    std::snprintf(buf, sizeof(buf), "%.*e", digits - 1, static_cast<double>(f));
    if (std::strtof(buf, nullptr) == f)
      break;
  }
  std::snprintf(buf, sizeof(buf), "%.*e", digits - 1, static_cast<double>(f));
  std::string text(buf);
  size_t ePos = text.find('e');
  int exponent = std::atoi(text.c_str() + ePos + 1);
  std::string mantissa = text.substr(0, ePos);
  bool negative = mantissa[0] == '-';
  std::string sig;
  for (char c : mantissa)
    if (std::isdigit(static_cast<unsigned char>(c)))
      sig += c;
  while (sig.size() > 1 && sig.back() == '0')
    sig.pop_back();
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 7) {
    out += sig.substr(0, 1);
    if (sig.size() > 1)
      out += "." + sig.substr(1);
    std::snprintf(buf, sizeof(buf), "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    return out + buf;
  }
  if (exponent < 0)
    return out + "0." + std::string(-exponent - 1, '0') + sig;
  if (static_cast<int>(sig.size()) <= exponent + 1)
    return out + sig + std::string(exponent + 1 - sig.size(), '0');
  return out + sig.substr(0, exponent + 1) + "." + sig.substr(exponent + 1);
}

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
    os << formatFloat(arg.d);
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

//===----------------------------------------------------------------------===//
// Circular buffers (api/debug/dprint_pages.h)
//===----------------------------------------------------------------------===//

namespace {

CircularBuffer &printedCB(ThreadContext &ctx, int32_t index, const char *call,
                          Site site) {
  ctx.device->checkAbort();
  Core &core = *ctx.core;
  if (index < 0 || static_cast<size_t>(index) >= core.cbs.size() ||
      !core.cbs[index].configured) {
    std::ostringstream os;
    os << call << ": DFB " << index << " is not configured on this core";
    ctx.device->fault(ctx, site, os.str());
  }
  return core.cbs[index];
}

void emit(ThreadContext &ctx, const std::string &text) {
  ctx.printPending += text;
  flushPrintLine(ctx, false);
}

} // namespace

void dprint_cb_details(int32_t cb, Site site) {
  ThreadContext &ctx = current();
  CircularBuffer &buffer = printedCB(ctx, cb, "print_cb_details", site);
  uint32_t size = buffer.numPages * buffer.pageSize;
  uint32_t read = buffer.base + (buffer.popped % buffer.numPages) * buffer.pageSize;
  uint32_t write = buffer.base + (buffer.pushed % buffer.numPages) * buffer.pageSize;
  std::ostringstream os;
  os << "cb_id " << cb << ": { size: " << size
     << ", limit: " << buffer.base + size << ", page_size: " << buffer.pageSize
     << ", num_pages: " << buffer.numPages << ", rd_ptr: " << read
     << ", wr_ptr: " << write
     << ", wr_tile_ptr: " << write + buffer.packed * buffer.pageSize << " }\n";
  emit(ctx, os.str());
}

int set_trisc(int trisc) {
  ThreadContext &ctx = current();
  int previous = ctx.trisc;
  ctx.trisc = trisc;
  return previous;
}

void dprint_full_tile(int32_t cb, uint32_t tile, bool untilize, Site site) {
  ThreadContext &ctx = current();
  CircularBuffer &buffer = printedCB(ctx, cb, "print_full_tile", site);
  bool pack = ctx.trisc == 2;
  if (ctx.kernel->processor != Processor::Compute || (ctx.trisc != 1 && !pack)) {
    ctx.device->fault(ctx, site,
                      "print_full_tile runs on the unpacker (UNPACK((...)): "
                      "waited tiles) or the packer (PACK((...)): reserved "
                      "tiles) of a compute kernel");
  }
  uint32_t held = pack ? buffer.reserved : buffer.waited;
  if (tile >= held) {
    std::ostringstream os;
    os << "print_full_tile prints tile " << tile << " of DFB " << cb
       << (pack ? " from the write pointer, but " : " from the read pointer, but ")
       << held << (pack ? " tile(s) are reserved (cb_reserve_back)"
                        : " tile(s) are waited for (cb_wait_front)");
    ctx.device->fault(ctx, site, os.str());
  }
  uint64_t first = pack ? buffer.pushed : buffer.popped;
  uint32_t page = static_cast<uint32_t>((first + tile) % buffer.numPages);
  const uint8_t *data =
      ctx.core->l1 + (buffer.base - ctx.core->l1Base) + page * buffer.pageSize;
  bool f32 = buffer.pageSize == 32 * 32 * 4;
  std::ostringstream os;
  os << "======\n";
  for (uint32_t r = 0; r < 32; ++r) {
    os << r << ":";
    for (uint32_t c = 0; c < 32; ++c) {
      // Untilized: four 16x16 faces, row-major inside each.
      uint32_t index = untilize ? ((r / 16) * 2 + c / 16) * 256 + (r % 16) * 16 + c % 16
                                : r * 32 + c;
      uint32_t bits = 0;
      if (f32) {
        std::memcpy(&bits, data + 4 * index, 4);
      } else {
        uint16_t half;
        std::memcpy(&half, data + 2 * index, 2);
        bits = static_cast<uint32_t>(half) << 16;
      }
      float value;
      std::memcpy(&value, &bits, 4);
      os << ' ' << formatFloat(value);
    }
    os << '\n';
  }
  os << "++++++\n";
  emit(ctx, os.str());
}

} // namespace ttlx_rt
