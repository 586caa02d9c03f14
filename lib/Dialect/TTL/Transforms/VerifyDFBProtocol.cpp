//===- VerifyDFBProtocol.cpp - DFB acquire/release check --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// ttl-verify-dfb-protocol: simulates each thread's DFB protocol region by
// region and reports the first misuse (a release without an acquire, a
// block used after its release, a block never released, a deadlocking
// second acquire of a one-block DFB). The effects a `ttl.opaque_call`
// declares (the user C++'s reserve/push/wait/pop) take part in order.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

namespace mlir::ttl {
#define GEN_PASS_DEF_TTLVERIFYDFBPROTOCOL
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"
} // namespace mlir::ttl

using namespace mlir;
using namespace mlir::ttl;

namespace {
/// Walks a thread function region by region, simulating the DFB protocol of
/// straight-line code. A region block starts with the blocks its ancestors
/// hold; what it acquires itself must be released in it.
class DFBProtocolChecker {
public:
  /// A DFB and whether the block was waited (else reserved).
  using Key = std::pair<Value, int>; // int: DenseMapInfo has no bool

  LogicalResult check(Region &region, const DenseMap<Key, Operation *> &held) {
    for (Block &block : region)
      if (failed(checkBlock(block, held)))
        return failure();
    return success();
  }

private:
  static bool isWait(Operation *op) { return isa<DFBWaitOp>(op); }

  /// The (action, DFB) effects of a user C++ call, in order.
  static SmallVector<std::pair<StringRef, Value>> effects(OpaqueCallOp call) {
    SmallVector<std::pair<StringRef, Value>> list;
    for (auto [action, dfb] :
         llvm::zip(call.getEffectActions().getAsValueRange<StringAttr>(),
                   call.getEffectDfbs()))
      list.push_back({action, dfb});
    return list;
  }

  static bool releasesDFBLater(Operation *from, Key key) {
    for (Operation *op = from->getNextNode(); op; op = op->getNextNode()) {
      bool found = false;
      op->walk([&](Operation *inner) {
        if ((key.second ? isa<DFBPopOp>(inner) : isa<DFBPushOp>(inner)) &&
            inner->getOperand(0) == key.first)
          found = true;
        if (auto call = dyn_cast<OpaqueCallOp>(inner))
          for (auto [action, dfb] : effects(call))
            if (dfb == key.first && action == (key.second ? "pop" : "push"))
              found = true;
      });
      if (found)
        return true;
    }
    return false;
  }

  LogicalResult checkBlock(Block &block,
                           const DenseMap<Key, Operation *> &inherited) {
    DenseMap<Key, Operation *> held = inherited;
    DenseMap<Key, Operation *> ownAcquires;
    DenseMap<Operation *, Operation *> releasedBy; // acquire -> release
    // Blocks a C++ call acquired while the thread held one of the DFB already
    // (it may reserve or wait for several): released first.
    DenseMap<Key, int> nested;

    for (Operation &op : block) {
      // A block handed to any op (here or nested) must still be held.
      WalkResult walk = op.walk([&](Operation *user) {
        for (Value operand : user->getOperands()) {
          // Any acquire the block may come from (through loops and
          // branches) released means the block may be gone.
          FailureOr<SmallVector<Operation *>> acquires =
              getBlockAcquires(operand);
          if (failed(acquires))
            continue;
          Operation *acquire = nullptr;
          auto it = releasedBy.end();
          for (Operation *candidate : *acquires) {
            it = releasedBy.find(candidate);
            if (it != releasedBy.end()) {
              acquire = candidate;
              break;
            }
          }
          if (!acquire)
            continue;
          InFlightDiagnostic diag = user->emitOpError()
                                    << "uses a block after its DFB was "
                                    << (isWait(acquire) ? "popped" : "pushed")
                                    << "; use the block before releasing it";
          diag.attachNote(it->second->getLoc()) << "released here";
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
      if (walk.wasInterrupted())
        return failure();

      // `effect`: from the declared effects of a C++ call (which says so).
      auto acquire = [&](Value dfb, bool wait, bool effect) -> LogicalResult {
        // A thread may hold a waited and a reserved block of one DFB at once
        // (accumulating into the DFB it reads), given a block for each.
        Key key{dfb, wait};
        Key other{dfb, !wait};
        auto held2 = held.find(other);
        if (held2 != held.end() &&
            cast<DFBType>(dfb.getType()).getBlockCount() < 2)
          return op.emitOpError()
                 << (effect ? "(its dfb_effects) " : "")
                 << "acquires the one block of a DFB this thread already "
                    "holds through '"
                 << held2->second->getName()
                 << "', which can never complete; give the DFB two blocks "
                    "(block_count=2)";
        if (!held.count(key)) {
          held[key] = &op;
          ownAcquires[key] = &op;
        } else if (effect) {
          ++nested[key];
        }
        return success();
      };
      auto release = [&](Value dfb, bool isPop, bool effect) -> LogicalResult {
        StringRef prefix = effect ? "(its dfb_effects) " : "";
        auto it = held.find(Key{dfb, isPop});
        if (it == held.end()) {
          auto wrong = held.find(Key{dfb, !isPop});
          if (wrong != held.end())
            return op.emitOpError()
                   << prefix << "releases a block obtained with '"
                   << wrong->second->getName() << "'; use "
                   << (isPop ? "'ttl.dfb_push'" : "'ttl.dfb_pop'")
                   << " instead";
          return op.emitOpError()
                 << prefix << (isPop ? "pops" : "pushes")
                 << " a DFB that holds no "
                 << (isPop ? "waited" : "reserved") << " block; call "
                 << (isPop ? "'ttl.dfb_wait'" : "'ttl.dfb_reserve'")
                 << " first";
        }
        if (int &depth = nested[it->first]; depth > 0) {
          --depth;
          return success();
        }
        releasedBy[it->second] = &op;
        ownAcquires.erase(it->first);
        held.erase(it);
        return success();
      };
      if (isa<DFBWaitOp, DFBReserveOp>(op)) {
        if (failed(acquire(op.getOperand(0), isWait(&op), false)))
          return failure();
        continue;
      }
      if (isa<DFBPushOp, DFBPopOp>(op)) {
        if (failed(release(op.getOperand(0), isa<DFBPopOp>(op), false)))
          return failure();
        continue;
      }
      if (auto call = dyn_cast<OpaqueCallOp>(op)) {
        for (auto [action, dfb] : effects(call)) {
          bool wait = action == "wait" || action == "pop";
          if (failed(action == "reserve" || action == "wait"
                         ? acquire(dfb, wait, true)
                         : release(dfb, wait, true)))
            return failure();
        }
        continue;
      }
      for (Region &nested : op.getRegions())
        if (failed(check(nested, held)))
          return failure();
    }

    for (auto &[key, acquire] : ownAcquires) {
      if (releasesDFBLater(acquire, key))
        continue;
      bool isWaitOp = key.second;
      return acquire->emitOpError()
             << "acquires a block that is never "
             << (isWaitOp ? "popped" : "pushed") << " in this region; add '"
             << (isWaitOp ? "ttl.dfb_pop" : "ttl.dfb_push") << "'";
    }
    return success();
  }
};
} // namespace


namespace {
struct VerifyDFBProtocolPass
    : ttl::impl::TTLVerifyDFBProtocolBase<VerifyDFBProtocolPass> {
  void runOnOperation() override {
    WalkResult walk = getOperation()->walk([](FunctionOpInterface func) {
      if (func.isExternal() ||
          !func->hasAttr(TTLDialect::getThreadAttrName()))
        return WalkResult::advance();
      DFBProtocolChecker checker;
      if (failed(checker.check(func.getFunctionBody(), {})))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
