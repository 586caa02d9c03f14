// SPDX-License-Identifier: Apache-2.0
//
// tt-metal's watcher ASSERT, always on in the host runtime: a failed
// assertion stops the kernel and the run reports it with the kernel source
// line (and a `// ttlx: ...` comment on the line before, if there is one).
#pragma once

#include "ttlx_runtime/kernel_abi.h"

namespace ttlx_rt {
[[noreturn]] void assert_failed(const char *condition, Site site);
}

#define ASSERT(condition, ...)                                                 \
  (void((condition) ? 0 : (::ttlx_rt::assert_failed(#condition, TTLX_SITE), 0)))
