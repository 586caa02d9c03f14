// SPDX-License-Identifier: Apache-2.0
//
// The watchdog for runaway kernel threads (see Watchdog.h).

#include "Watchdog.h"
#include "Device.h"

#include <cerrno>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <link.h>
#include <sstream>
#include <ucontext.h>

namespace ttlx_rt {

//===----------------------------------------------------------------------===//
// Kernel code ranges
//===----------------------------------------------------------------------===//

KernelCode kernelCode(void *entry) {
  KernelCode code;
  struct Search {
    uintptr_t pc;
    KernelCode *code;
  } search{reinterpret_cast<uintptr_t>(entry), &code};
  dl_iterate_phdr(
      [](dl_phdr_info *info, size_t, void *data) -> int {
        auto *s = static_cast<Search *>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr) &ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
            continue;
          uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
          if (s->pc < begin || s->pc >= begin + ph.p_memsz)
            continue;
          s->code->begin = begin;
          s->code->end = begin + ph.p_memsz;
          s->code->base = info->dlpi_addr;
          s->code->library = info->dlpi_name ? info->dlpi_name : "";
          return 1;
        }
        return 0;
      },
      &search);
  return code;
}

//===----------------------------------------------------------------------===//
// Abandoning a spinning fiber
//===----------------------------------------------------------------------===//

// SIGRTMIN + 7: a real-time signal nothing else in the process expects.
static int watchdogSignal() { return SIGRTMIN + 7; }

static thread_local WorkerSlot *workerSlot = nullptr;

__attribute__((noinline)) static WorkerSlot *slotOfThisThread() {
  return workerSlot;
}

static uintptr_t interruptedPc(void *uc) {
#if defined(__x86_64__)
  return static_cast<uintptr_t>(
      static_cast<ucontext_t *>(uc)->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  return static_cast<uintptr_t>(static_cast<ucontext_t *>(uc)->uc_mcontext.pc);
#else
  (void)uc;
  return 0;
#endif
}

// Runs on the worker's thread, on the stack of the fiber it interrupted.
static void onWatchdogSignal(int, siginfo_t *, void *uc) {
  WorkerSlot *slot = slotOfThisThread();
  if (!slot)
    return;
  ThreadContext *ctx = slot->fiber.load(std::memory_order_acquire);
  if (!ctx || ctx != slot->target.load(std::memory_order_acquire) ||
      ctx->apiCalls.load(std::memory_order_relaxed) !=
          slot->targetCalls.load(std::memory_order_relaxed))
    return; // it moved on since the monitor looked
  uintptr_t pc = interruptedPc(uc);
  const KernelCode &code = ctx->kernel->code;
  if (pc < code.begin || pc >= code.end)
    return; // inside the runtime or a library: the monitor tries again
  ctx->runawayPc = pc;
  ctx->state = ThreadContext::State::Finished;
  slot->target.store(nullptr, std::memory_order_relaxed);
  // Never returns: the fiber's stack (with this frame) is left as it is.
  // SA_NODEFER keeps the signal unblocked on this thread afterwards.
  switchFiber(ctx->fiber.context(), *slot->home);
}

static void installHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_sigaction = &onWatchdogSignal;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(watchdogSignal(), &action, nullptr);
  });
}

//===----------------------------------------------------------------------===//
// The monitor
//===----------------------------------------------------------------------===//

double Watchdog::configuredSeconds() {
  const char *text = std::getenv("TTLX_WATCHDOG_S");
  if (!text || !*text)
    return 10.0;
  return std::strtod(text, nullptr);
}

Watchdog::Watchdog(double seconds) : seconds_(seconds) {
  if (seconds_ <= 0)
    return;
  installHandler();
  thread_ = std::thread([this] { monitor(); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void Watchdog::attach(WorkerSlot &slot) {
  slot.thread = pthread_self();
  workerSlot = &slot;
  std::lock_guard<std::mutex> guard(mutex_);
  slots_.push_back(&slot);
}

void Watchdog::detach(WorkerSlot &slot) {
  std::lock_guard<std::mutex> guard(mutex_);
  for (size_t i = 0; i < slots_.size(); ++i)
    if (slots_[i] == &slot)
      slots_.erase(slots_.begin() + i);
  workerSlot = nullptr;
}

void Watchdog::monitor() {
  using Clock = std::chrono::steady_clock;
  auto limit = std::chrono::duration<double>(seconds_);
  auto poll = std::chrono::duration<double>(
      std::min(0.1, std::max(0.01, seconds_ / 10)));
  std::unique_lock<std::mutex> guard(mutex_);
  while (!stop_.wait_for(guard, poll, [&] { return stopping_; })) {
    Clock::time_point now = Clock::now();
    for (WorkerSlot *slot : slots_) {
      ThreadContext *ctx = slot->fiber.load(std::memory_order_acquire);
      uint64_t calls = ctx ? ctx->apiCalls.load(std::memory_order_relaxed) : 0;
      if (!ctx || ctx != slot->seen || calls != slot->seenCalls) {
        slot->seen = ctx;
        slot->seenCalls = calls;
        slot->since = now;
        continue;
      }
      if (now - slot->since < limit)
        continue;
      // Standing still: interrupt it (again, until it lands in kernel code).
      slot->targetCalls.store(calls, std::memory_order_relaxed);
      slot->target.store(ctx, std::memory_order_release);
      pthread_kill(slot->thread, watchdogSignal());
    }
  }
}

//===----------------------------------------------------------------------===//
// The report
//===----------------------------------------------------------------------===//

/// "file:line" of `pc` in the kernel's own source (addr2line; with -i the
/// last line of the inlining chain is the frame in kernel_main or its
/// helpers, not a runtime header), or "".
static std::string codeLine(const KernelCode &code, uintptr_t pc) {
  char command[4200];
  std::snprintf(command, sizeof(command),
                "addr2line -i -e '%s' 0x%" PRIxPTR " 2>/dev/null",
                code.library.c_str(), pc - code.base);
  FILE *pipe = popen(command, "r");
  if (!pipe)
    return "";
  std::string last;
  char line[4096];
  while (std::fgets(line, sizeof(line), pipe))
    last = line;
  pclose(pipe);
  last = last.substr(0, last.find_first_of(" \n"));
  return last.empty() || last[0] == '?' || last.find(":?") != std::string::npos
             ? ""
             : last;
}

/// Where line `line` of the kernel C++ `file` is in the user's source: "in
/// the loop at F:L:C" for the innermost loop around it that the emitter
/// noted (`// at F:L:C` on the line before `for (` or `do {`), else "after
/// F:L:C" for the last note above it; "" without notes.
static std::string userPlace(const std::string &file, int line) {
  std::ifstream in(file);
  std::string text, note, last;
  std::vector<std::pair<std::string, int>> loops; // note, depth outside it
  int depth = 0;
  for (int i = 1; i <= line && std::getline(in, text); ++i) {
    size_t first = text.find_first_not_of(' ');
    std::string code = first == std::string::npos ? "" : text.substr(first);
    if (code.rfind("// at ", 0) == 0) {
      note = code.substr(6);
      last = note;
      continue;
    }
    if (!note.empty() &&
        (code.rfind("for (", 0) == 0 || code.rfind("do {", 0) == 0))
      loops.emplace_back(note, depth);
    note.clear();
    for (char c : code) {
      depth += c == '{';
      depth -= c == '}';
    }
    while (!loops.empty() && depth <= loops.back().second && i < line)
      loops.pop_back();
  }
  if (!loops.empty())
    return "in the loop at " + loops.back().first;
  return last.empty() ? "" : "after " + last;
}

std::string runawayReport(const ThreadContext &ctx, double seconds) {
  std::ostringstream os;
  os << "runaway kernel thread: no API call for " << seconds
     << " s (TTLX_WATCHDOG_S) while it held a host worker; ";
  std::string where = codeLine(ctx.kernel->code, ctx.runawayPc);
  size_t colon = where.rfind(':');
  if (where.empty() || colon == std::string::npos) {
    os << "it spins in its kernel at address 0x" << std::hex
       << (ctx.runawayPc - ctx.kernel->code.base);
    return os.str();
  }
  std::string file = where.substr(0, colon);
  int line = std::atoi(where.c_str() + colon + 1);
  size_t slash = file.find_last_of('/');
  os << "it spins at "
     << (slash == std::string::npos ? file : file.substr(slash + 1)) << ":"
     << line;
  std::string place = userPlace(file, line);
  if (!place.empty())
    os << " (" << place << ")";
  return os.str();
}

} // namespace ttlx_rt
