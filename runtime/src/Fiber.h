// SPDX-License-Identifier: Apache-2.0
//
// Stackful user-space fibers: a kernel thread of an emulated core runs on
// its own stack and gives the host thread back whenever it waits. On x86-64
// the switch is a few instructions (callee-saved registers, MXCSR and the
// x87 control word); elsewhere it falls back to ucontext, which also saves
// the signal mask with a system call per switch.
#pragma once

#include <cstddef>
#include <cstdint>

#if !defined(__x86_64__) || defined(TTLX_FIBER_UCONTEXT)
#include <ucontext.h>
#endif

namespace ttlx_rt {

/// A saved execution context: a fiber's, or the host thread that runs it.
struct FiberContext {
#if defined(__x86_64__) && !defined(TTLX_FIBER_UCONTEXT)
  void *sp = nullptr;
#else
  ucontext_t uc;
#endif
};

/// A fiber's stack (mapped with a guard page below it) and its context.
class Fiber {
public:
  static constexpr size_t kStackBytes = 512 * 1024;

  Fiber() = default;
  Fiber(const Fiber &) = delete;
  Fiber &operator=(const Fiber &) = delete;
  ~Fiber();

  /// Prepares the fiber to run `entry(arg)` when first switched to. `entry`
  /// must never return: it switches away for good when done.
  void start(void (*entry)(void *), void *arg);
  FiberContext &context() { return context_; }

private:
  uint8_t *stack_ = nullptr; // guard page included
  FiberContext context_;
};

/// Saves the running context in `from` and continues `to`. Returns when
/// something switches back to `from`, possibly on another host thread.
void switchFiber(FiberContext &from, FiberContext &to);

} // namespace ttlx_rt
