// SPDX-License-Identifier: Apache-2.0
//
// Fiber stacks and the context switch.

#include "Fiber.h"
#include "MappingPool.h"

#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>

namespace ttlx_rt {

static size_t pageBytes() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

Fiber::~Fiber() {
  if (stack_)
    mappings::giveStack(stack_, kStackBytes, pageBytes());
}

#if defined(__x86_64__) && !defined(TTLX_FIBER_UCONTEXT)

// switchFiber(from, to): push the callee-saved registers and the FP control
// words on the current stack, save rsp in from.sp, load to.sp, pop, return
// into the other context. A new fiber "returns" into ttlx_fiber_start, which
// calls entry(arg) from r13/r12; its CFI ends the stack for the unwinder.
asm(R"(
  .text
  .p2align 4
  .globl ttlx_fiber_switch
  .hidden ttlx_fiber_switch
  .type ttlx_fiber_switch, @function
ttlx_fiber_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size ttlx_fiber_switch, .-ttlx_fiber_switch

  .p2align 4
  .globl ttlx_fiber_start
  .hidden ttlx_fiber_start
  .type ttlx_fiber_start, @function
ttlx_fiber_start:
  .cfi_startproc
  .cfi_undefined rip
  movq %r12, %rdi
  callq *%r13
  ud2
  .cfi_endproc
  .size ttlx_fiber_start, .-ttlx_fiber_start
)");

extern "C" void ttlx_fiber_switch(void **from, void *to);
extern "C" void ttlx_fiber_start();

void switchFiber(FiberContext &from, FiberContext &to) {
  ttlx_fiber_switch(&from.sp, to.sp);
}

#else

static void ucontextEntry(unsigned entryHi, unsigned entryLo, unsigned argHi,
                          unsigned argLo) {
  auto entry = reinterpret_cast<void (*)(void *)>(
      (uintptr_t{entryHi} << 32) | entryLo);
  entry(reinterpret_cast<void *>((uintptr_t{argHi} << 32) | argLo));
}

void switchFiber(FiberContext &from, FiberContext &to) {
  swapcontext(&from.uc, &to.uc);
}

#endif

void Fiber::start(void (*entry)(void *), void *arg) {
  size_t guard = pageBytes();
  if (!stack_)
    stack_ = mappings::takeStack(kStackBytes, guard);
  uint8_t *top = stack_ + guard + kStackBytes; // 16-byte aligned
#if defined(__x86_64__) && !defined(TTLX_FIBER_UCONTEXT)
  // The frame ttlx_fiber_switch pops: control words, r15, r14, r13 (entry),
  // r12 (arg), rbx, rbp, return address. ttlx_fiber_start then runs with
  // rsp 16-byte aligned, as a call expects.
  auto *frame = reinterpret_cast<uint64_t *>(top - 64);
  frame[0] = 0x1f80 | (uint64_t{0x037f} << 32); // default MXCSR, x87 CW
  frame[1] = 0;                                  // r15
  frame[2] = 0;                                  // r14
  frame[3] = reinterpret_cast<uint64_t>(entry);  // r13
  frame[4] = reinterpret_cast<uint64_t>(arg);    // r12
  frame[5] = 0;                                  // rbx
  frame[6] = 0;                                  // rbp
  frame[7] = reinterpret_cast<uint64_t>(&ttlx_fiber_start);
  context_.sp = frame;
#else
  getcontext(&context_.uc);
  context_.uc.uc_stack.ss_sp = stack_ + guard;
  context_.uc.uc_stack.ss_size = kStackBytes;
  context_.uc.uc_link = nullptr;
  // makecontext passes int arguments: split the pointers.
  auto bits = [](auto *p) { return reinterpret_cast<uintptr_t>(p); };
  makecontext(&context_.uc,
              reinterpret_cast<void (*)()>(&ucontextEntry), 4,
              static_cast<unsigned>(bits(entry) >> 32),
              static_cast<unsigned>(bits(entry)),
              static_cast<unsigned>(bits(arg) >> 32),
              static_cast<unsigned>(bits(arg)));
#endif
}

} // namespace ttlx_rt
