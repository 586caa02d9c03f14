//===- VerifyArchLimits.cpp - per-architecture resource limits --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// ttl-verify-arch-limits: the resources a module asks of each core fit the
// chosen architecture (today: its number of DFBs).
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

namespace mlir::ttl {
#define GEN_PASS_DEF_TTLVERIFYARCHLIMITS
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"
} // namespace mlir::ttl

using namespace mlir;
using namespace mlir::ttl;

namespace {
struct TTLVerifyArchLimitsPass
    : ttl::impl::TTLVerifyArchLimitsBase<TTLVerifyArchLimitsPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<ttlx_hw::Arch> target = ttlx_hw::parseArch(arch);
    if (!target) {
      getOperation()->emitError()
          << "unknown architecture '" << arch
          << "'; use wormhole_b0 or blackhole";
      return signalPassFailure();
    }
    uint32_t dfbs = ttlx_hw::dfbsPerCore(*target);
    // DFB i is circular buffer i of every core running the module.
    WalkResult walk = getOperation()->walk([&](BindDFBOp bind) {
      if (bind.getIndex() < dfbs)
        return WalkResult::advance();
      InFlightDiagnostic diag = bind.emitOpError()
                                << "binds DFB " << bind.getIndex() << ", but a "
                                << arch << " core has " << dfbs
                                << " DFBs (0 to " << dfbs - 1 << "); use fewer DFBs";
      if (*target == ttlx_hw::Arch::WormholeB0)
        diag << ", or target blackhole ("
             << ttlx_hw::dfbsPerCore(ttlx_hw::Arch::Blackhole)
             << " DFBs: --arch blackhole or TTLX_ARCH=blackhole)";
      return WalkResult::interrupt();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
