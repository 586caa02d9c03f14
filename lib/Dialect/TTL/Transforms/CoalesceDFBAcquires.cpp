//===- CoalesceDFBAcquires.cpp - merge repeated DFB acquires ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

namespace mlir::ttl {
#define GEN_PASS_DEF_TTLCOALESCEDFBACQUIRES
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"
} // namespace mlir::ttl

using namespace mlir;
using namespace mlir::ttl;

namespace {
struct TTLCoalesceDFBAcquiresPass
    : ttl::impl::TTLCoalesceDFBAcquiresBase<TTLCoalesceDFBAcquiresPass> {
  void runOnOperation() override {
    getOperation()->walk([](Block *block) { coalesce(*block); });
  }

  /// Within one block, an acquire with an earlier same-kind acquire of the
  /// same DFB and no release of it in between gets the same block back.
  /// A nested region that releases the DFB ends the run too.
  static void coalesce(Block &block) {
    // (DFB, is a wait) -> first acquire of that kind still held.
    DenseMap<std::pair<Value, int>, Operation *> open; // int: DenseMapInfo has no bool
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (isa<DFBWaitOp, DFBReserveOp>(op)) {
        std::pair<Value, int> key{op.getOperand(0), isa<DFBWaitOp>(op)};
        if (Operation *first = open.lookup(key)) {
          op.getResult(0).replaceAllUsesWith(first->getResult(0));
          op.erase();
        } else {
          open[key] = &op;
        }
        continue;
      }
      // A release (directly or in a nested region) closes the run of its
      // kind: pop ends the waited block, push the reserved one.
      op.walk([&](Operation *inner) {
        if (isa<DFBPushOp, DFBPopOp>(inner))
          open.erase({inner->getOperand(0), isa<DFBPopOp>(inner)});
      });
    }
  }
};
} // namespace
