// SPDX-License-Identifier: Apache-2.0
//
// tt-metal's device debug print, `DPRINT("x = {}, y = {}\n", x, y)`: an
// fmt-style format string, `{}` per argument, `{{` / `}}` for braces
// (api/debug/dprint.h of tt-metal 0.81). The host runtime prints each
// finished line at once, prefixed as tt-metal's print server does:
// `0:(x=1,y=0):BR: ` (BR = data movement 0, NC = data movement 1,
// TR = compute), in program order per kernel thread.
#pragma once

#include <sstream>
#include <string>
#include <type_traits>

namespace ttlx_rt {

/// Appends `text` to the calling kernel thread's print line; each finished
/// line goes to standard output with the core and thread prefix.
void dprint_text(const std::string &text);

namespace dprint_detail {

template <typename T> void put(std::ostringstream &os, const T &value) {
  if constexpr (std::is_same_v<T, bool>)
    os << (value ? "true" : "false");
  else if constexpr (std::is_integral_v<T>)
    os << +value; // chars as numbers, as fmt prints integer types
  else
    os << value;
}

/// Copies `format` up to the next `{}` (unescaping `{{` and `}}`); false at
/// its end.
inline bool copyUntilPlaceholder(std::ostringstream &os, const char *&format) {
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

inline void format(std::ostringstream &os, const char *fmt) {
  copyUntilPlaceholder(os, fmt);
}

template <typename T, typename... Rest>
void format(std::ostringstream &os, const char *fmt, const T &first,
            const Rest &...rest) {
  if (copyUntilPlaceholder(os, fmt))
    put(os, first);
  format(os, fmt, rest...);
}

} // namespace dprint_detail

template <typename... Args>
void dprint(const char *format, const Args &...args) {
  std::ostringstream os;
  dprint_detail::format(os, format, args...);
  dprint_text(os.str());
}

} // namespace ttlx_rt

#define DPRINT(format, ...) ::ttlx_rt::dprint(format, ##__VA_ARGS__)
