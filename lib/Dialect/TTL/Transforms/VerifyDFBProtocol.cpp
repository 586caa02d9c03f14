//===- VerifyDFBProtocol.cpp - DFB acquire/release check --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// ttl-verify-dfb-protocol: simulates each thread's DFB protocol region by
// region and reports the first misuse (a release without an acquire or of
// more pages than were acquired, a block used after its release, a block
// never released, a deadlocking second acquire of a one-block DFB). The
// effects a `ttl.opaque_call` declares (the user C++'s reserve/push/wait/pop
// of so many pages) take part in order.
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
/// straight-line code. A region block starts with the pages its ancestors
/// hold; what it acquires itself must be released in it.
///
/// Pages are counted as tt-metal counts them (and ttlx's runtime checks):
/// `cb_wait_front(n)` / `cb_reserve_back(n)` make the first n pages at the
/// DFB's front / back the thread's, counted from there again by every call
/// (a second wait of n pages is the same n pages, not n more), and
/// `cb_pop_front(k)` / `cb_push_back(k)` hand over the first k of them. A
/// kernel `ttl.dfb_wait` / `ttl.dfb_reserve` is such a call for one block's
/// pages, and its block value is those pages: any pop / push of the DFB
/// after it, the kernel's or a C++ call's, ends the block.
class DFBProtocolChecker {
public:
  /// A DFB and whether its pages were waited (else reserved).
  using Key = std::pair<Value, int>; // int: DenseMapInfo has no bool
  /// The pages of one side of a DFB this thread holds.
  struct Hold {
    Operation *first;                // the acquire the holding started with
    int64_t pages;                   // how many
    SmallVector<Operation *> blocks; // kernel acquires whose blocks they are
  };
  using Holds = DenseMap<Key, Hold>;

  LogicalResult check(Region &region, const Holds &held) {
    for (Block &block : region)
      if (failed(checkBlock(block, held)))
        return failure();
    return success();
  }

private:
  static bool isWait(Operation *op) { return isa<DFBWaitOp>(op); }

  /// A DFB protocol call: kernel code's, or one of a C++ call's effects.
  struct Action {
    StringRef name; // reserve, push, wait or pop
    Value dfb;
    int64_t pages;
  };

  /// The effects of a user C++ call, in order.
  static SmallVector<Action> effects(OpaqueCallOp call) {
    SmallVector<Action> list;
    for (auto [name, dfb, pages] :
         llvm::zip(call.getEffectActions().getAsValueRange<StringAttr>(),
                   call.getEffectDfbs(), call.getEffectTiles()))
      list.push_back({name, dfb, pages});
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
          for (const Action &effect : effects(call))
            if (effect.dfb == key.first &&
                effect.name == (key.second ? "pop" : "push"))
              found = true;
      });
      if (found)
        return true;
    }
    return false;
  }

  LogicalResult checkBlock(Block &block, const Holds &inherited) {
    Holds held = inherited;
    DenseMap<Key, Operation *> ownAcquires;
    DenseMap<Operation *, Operation *> releasedBy; // acquire -> release
    // Sides whose last pages a C++ call's effects released.
    DenseSet<Key> emptiedByCall;

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
      auto acquire = [&](const Action &a, bool effect) -> LogicalResult {
        bool wait = a.name == "wait";
        // A thread may hold a waited and a reserved block of one DFB at once
        // (accumulating into the DFB it reads), given a block for each.
        Key key{a.dfb, wait};
        auto other = held.find(Key{a.dfb, !wait});
        if (other != held.end() &&
            cast<DFBType>(a.dfb.getType()).getBlockCount() < 2)
          return op.emitOpError()
                 << (effect ? "(its dfb_effects) " : "")
                 << "acquires the one block of a DFB this thread already "
                    "holds through '"
                 << other->second.first->getName()
                 << "', which can never complete; give the DFB two blocks "
                    "(block_count=2)";
        auto [it, fresh] = held.try_emplace(key, Hold{&op, a.pages, {}});
        if (fresh)
          ownAcquires[key] = &op;
        emptiedByCall.erase(key);
        it->second.pages = a.pages;
        if (!effect)
          it->second.blocks.push_back(&op);
        return success();
      };
      auto release = [&](const Action &a, bool effect) -> LogicalResult {
        bool isPop = a.name == "pop";
        StringRef prefix = effect ? "(its dfb_effects) " : "";
        auto it = held.find(Key{a.dfb, isPop});
        if (it == held.end()) {
          auto wrong = held.find(Key{a.dfb, !isPop});
          if (wrong != held.end())
            return op.emitOpError()
                   << prefix << "releases a block obtained with '"
                   << wrong->second.first->getName() << "'; use "
                   << (isPop ? "'ttl.dfb_push'" : "'ttl.dfb_pop'")
                   << " instead";
          if (emptiedByCall.contains(Key{a.dfb, isPop}))
            return op.emitOpError()
                   << prefix << (isPop ? "pops" : "pushes") << " a "
                   << (isPop ? "waited" : "reserved")
                   << " block that the dfb_effects of an earlier user C++ "
                      "call already "
                   << (isPop ? "popped" : "pushed") << "; release it once";
          return op.emitOpError()
                 << prefix << (isPop ? "pops" : "pushes")
                 << " a DFB that holds no "
                 << (isPop ? "waited" : "reserved") << " block; call "
                 << (isPop ? "'ttl.dfb_wait'" : "'ttl.dfb_reserve'")
                 << " first";
        }
        Hold &hold = it->second;
        if (a.pages > hold.pages)
          return op.emitOpError()
                 << prefix << (isPop ? "pops " : "pushes ") << a.pages
                 << " page(s) of a DFB of which this thread holds "
                 << hold.pages << (isPop ? " waited" : " reserved")
                 << " page(s); " << (isPop ? "wait" : "reserve")
                 << " for all of them first (a "
                 << (isPop ? "wait" : "reserve")
                 << " counts its pages from the DFB's "
                 << (isPop ? "front" : "back") << ", not after those held)";
        // The kernel's blocks are the first pages: handed over now.
        for (Operation *kernelAcquire : hold.blocks)
          releasedBy[kernelAcquire] = &op;
        hold.blocks.clear();
        hold.pages -= a.pages;
        if (hold.pages == 0) {
          if (effect)
            emptiedByCall.insert(it->first);
          ownAcquires.erase(it->first);
          held.erase(it);
        }
        return success();
      };
      if (isa<DFBWaitOp, DFBReserveOp, DFBPushOp, DFBPopOp>(op)) {
        Value dfb = op.getOperand(0);
        Action a{isa<DFBWaitOp>(op)      ? "wait"
                 : isa<DFBReserveOp>(op) ? "reserve"
                 : isa<DFBPopOp>(op)     ? "pop"
                                         : "push",
                 dfb, cast<DFBType>(dfb.getType()).getPagesPerBlock()};
        if (failed(isa<DFBWaitOp, DFBReserveOp>(op) ? acquire(a, false)
                                                    : release(a, false)))
          return failure();
        continue;
      }
      if (auto call = dyn_cast<OpaqueCallOp>(op)) {
        for (const Action &effect : effects(call))
          if (failed(effect.name == "reserve" || effect.name == "wait"
                         ? acquire(effect, true)
                         : release(effect, true)))
            return failure();
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
      if (failed(checker.check(func.getFunctionBody(),
                               DFBProtocolChecker::Holds())))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
