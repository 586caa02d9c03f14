// SPDX-License-Identifier: Apache-2.0
//
// tt-metal's device debug print, `DPRINT("x = {}, y = {}\n", x, y)`: an
// fmt-style format string, `{}` per argument, `{{` / `}}` for braces
// (api/debug/dprint.h of tt-metal 0.81). The host runtime prints each
// finished line at once, prefixed as tt-metal's print server does:
// `0:(x=1,y=0):BR: ` (BR = data movement 0, NC = data movement 1,
// TR = compute), in program order per kernel thread.
//
// Every kernel includes this header, so it includes no standard library
// header (<sstream> alone is 30000 lines for the compiler to read): the
// arguments go to the runtime as tagged values, and the runtime formats.
#pragma once

namespace ttlx_rt {

/// One DPRINT argument: integers and floats as the widest of their kind,
/// booleans, and C strings.
struct DprintArg {
  enum Kind : int { None, Bool, Signed, Unsigned, Float, Text } kind;
  union {
    long long i;
    unsigned long long u;
    double d;
    const char *s;
  };
};

/// Formats `format` with `args` (as `std::ostream <<` prints each; chars as
/// numbers) and appends the text to the calling kernel thread's print line;
/// each finished line goes to standard output with the core and thread
/// prefix.
void dprint_format(const char *format, const DprintArg *args, unsigned count);

namespace dprint_detail {
inline DprintArg arg(bool v) { return {DprintArg::Bool, {v ? 1 : 0}}; }
inline DprintArg arg(char v) { return {DprintArg::Signed, {v}}; }
inline DprintArg arg(signed char v) { return {DprintArg::Signed, {v}}; }
inline DprintArg arg(short v) { return {DprintArg::Signed, {v}}; }
inline DprintArg arg(int v) { return {DprintArg::Signed, {v}}; }
inline DprintArg arg(long v) { return {DprintArg::Signed, {v}}; }
inline DprintArg arg(long long v) { return {DprintArg::Signed, {v}}; }
inline DprintArg arg(unsigned long long v) {
  DprintArg a{DprintArg::Unsigned, {}};
  a.u = v;
  return a;
}
inline DprintArg arg(unsigned char v) { return arg(static_cast<unsigned long long>(v)); }
inline DprintArg arg(unsigned short v) { return arg(static_cast<unsigned long long>(v)); }
inline DprintArg arg(unsigned v) { return arg(static_cast<unsigned long long>(v)); }
inline DprintArg arg(unsigned long v) { return arg(static_cast<unsigned long long>(v)); }
inline DprintArg arg(double v) {
  DprintArg a{DprintArg::Float, {}};
  a.d = v;
  return a;
}
inline DprintArg arg(float v) { return arg(static_cast<double>(v)); }
inline DprintArg arg(const char *v) {
  DprintArg a{DprintArg::Text, {}};
  a.s = v;
  return a;
}
} // namespace dprint_detail

template <typename... Args>
void dprint(const char *format, const Args &...args) {
  const DprintArg list[sizeof...(Args) + 1] = {dprint_detail::arg(args)...};
  dprint_format(format, list, sizeof...(Args));
}

} // namespace ttlx_rt

#define DPRINT(format, ...) ::ttlx_rt::dprint(format, ##__VA_ARGS__)
