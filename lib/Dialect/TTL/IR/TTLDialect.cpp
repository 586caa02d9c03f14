//===- TTLDialect.cpp - TTL dialect -----------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ttl;

#include "ttlx/Dialect/TTL/IR/TTLDialect.cpp.inc"
#include "ttlx/Dialect/TTL/IR/TTLEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ttlx/Dialect/TTL/IR/TTLAttrs.cpp.inc"

void TTLDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ttlx/Dialect/TTL/IR/TTLOps.cpp.inc"
      >();
  registerTypes();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ttlx/Dialect/TTL/IR/TTLAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Shared queries
//===----------------------------------------------------------------------===//

std::optional<ThreadKind> mlir::ttl::getEnclosingThreadKind(Operation *op) {
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func)
    func = op->getParentOfType<FunctionOpInterface>();
  while (func) {
    if (auto attr =
            func->getAttrOfType<ThreadKindAttr>(TTLDialect::getThreadAttrName()))
      return attr.getValue();
    func = func->getParentOfType<FunctionOpInterface>();
  }
  return std::nullopt;
}

Operation *mlir::ttl::getBlockAcquire(Value block) {
  Operation *def = block.getDefiningOp();
  if (isa_and_nonnull<DFBWaitOp, DFBReserveOp>(def))
    return def;
  return nullptr;
}

Value mlir::ttl::getBlockDFB(Value block) {
  Operation *acquire = getBlockAcquire(block);
  if (!acquire)
    return {};
  return acquire->getOperand(0);
}

int64_t mlir::ttl::getNumTensorArguments(FunctionOpInterface func) {
  return llvm::count_if(func.getArgumentTypes(),
                        [](Type t) { return isa<RankedTensorType>(t); });
}

int64_t mlir::ttl::getBaseCTAIndex(FunctionOpInterface func) {
  if (auto base = func->getAttrOfType<IntegerAttr>(
          TTLDialect::getBaseCTAIndexAttrName()))
    return base.getInt();
  return getNumTensorArguments(func);
}

int64_t mlir::ttl::getDFBCompileTimeArgIndex(BindDFBOp bind) {
  auto func = bind->getParentOfType<FunctionOpInterface>();
  return (func ? getBaseCTAIndex(func) : 0) + bind.getIndex();
}

//===----------------------------------------------------------------------===//
// DFB protocol check of one thread function
//===----------------------------------------------------------------------===//

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

  static bool releasesDFBLater(Operation *from, Key key) {
    for (Operation *op = from->getNextNode(); op; op = op->getNextNode()) {
      bool found = false;
      op->walk([&](Operation *inner) {
        if ((key.second ? isa<DFBPopOp>(inner) : isa<DFBPushOp>(inner)) &&
            inner->getOperand(0) == key.first)
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

    for (Operation &op : block) {
      // A block handed to any op (here or nested) must still be held.
      WalkResult walk = op.walk([&](Operation *user) {
        for (Value operand : user->getOperands()) {
          Operation *acquire = getBlockAcquire(operand);
          if (!acquire)
            continue;
          auto it = releasedBy.find(acquire);
          if (it == releasedBy.end())
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

      if (isa<DFBWaitOp, DFBReserveOp>(op)) {
        // A thread may hold a waited and a reserved block of one DFB at once
        // (accumulating into the DFB it reads), given a block for each.
        Value dfb = op.getOperand(0);
        Key key{dfb, isWait(&op)};
        Key other{dfb, !isWait(&op)};
        auto held2 = held.find(other);
        if (held2 != held.end() &&
            cast<DFBType>(dfb.getType()).getBlockCount() < 2)
          return op.emitOpError()
                 << "acquires the one block of a DFB this thread already "
                    "holds through '"
                 << held2->second->getName()
                 << "', which can never complete; give the DFB two blocks "
                    "(block_count=2)";
        if (!held.count(key)) {
          held[key] = &op;
          ownAcquires[key] = &op;
        }
        continue;
      }
      if (isa<DFBPushOp, DFBPopOp>(op)) {
        bool isPop = isa<DFBPopOp>(op);
        Value dfb = op.getOperand(0);
        auto it = held.find(Key{dfb, isPop});
        if (it == held.end()) {
          auto wrong = held.find(Key{dfb, !isPop});
          if (wrong != held.end())
            return op.emitOpError()
                   << "releases a block obtained with '"
                   << wrong->second->getName() << "'; use "
                   << (isPop ? "'ttl.dfb_push'" : "'ttl.dfb_pop'")
                   << " instead";
          return op.emitOpError()
                 << (isPop ? "pops" : "pushes")
                 << " a DFB that holds no "
                 << (isPop ? "waited" : "reserved") << " block; call "
                 << (isPop ? "'ttl.dfb_wait'" : "'ttl.dfb_reserve'")
                 << " first";
        }
        releasedBy[it->second] = &op;
        ownAcquires.erase(it->first);
        held.erase(it);
        continue;
      }
      for (Region &nested : op.getRegions())
        if (failed(check(nested, held)))
          return failure();
    }

    for (auto &[key, acquire] : ownAcquires) {
      if (releasesDFBLater(acquire, key))
        continue;
      bool isWaitOp = isWait(acquire);
      return acquire->emitOpError()
             << "acquires a block that is never "
             << (isWaitOp ? "popped" : "pushed") << " in this region; add '"
             << (isWaitOp ? "ttl.dfb_pop" : "ttl.dfb_push") << "'";
    }
    return success();
  }
};
} // namespace

static LogicalResult verifyThreadFunction(FunctionOpInterface func) {
  // One type per DFB index.
  DenseMap<int64_t, BindDFBOp> binds;
  WalkResult walk = func.walk([&](BindDFBOp bind) {
    auto [it, inserted] = binds.try_emplace(bind.getIndex(), bind);
    if (!inserted && it->second.getType() != bind.getType()) {
      bind.emitOpError() << "binds DFB " << bind.getIndex() << " as "
                         << bind.getType() << ", but it is bound as "
                         << it->second.getType()
                         << " elsewhere in this thread";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();

  if (auto base = func->getAttrOfType<IntegerAttr>(
          TTLDialect::getBaseCTAIndexAttrName())) {
    int64_t numTensors = getNumTensorArguments(func);
    if (base.getInt() < numTensors)
      return func->emitOpError()
             << "has 'ttl.base_cta_index' = " << base.getInt()
             << ", which overlaps the TensorAccessorArgs of its " << numTensors
             << " tensor argument(s); it must be at least " << numTensors;
  }

  if (func.isExternal())
    return success();
  DFBProtocolChecker checker;
  return checker.check(func.getFunctionBody(), {});
}

LogicalResult TTLDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (name == getThreadAttrName()) {
    if (!isa<ThreadKindAttr>(attr.getValue()))
      return op->emitError() << "'" << name
                             << "' must be #ttl.thread<datamovement> or "
                                "#ttl.thread<compute>";
    if (!func)
      return op->emitError() << "'" << name << "' is only valid on functions";
    return verifyThreadFunction(func);
  }
  if (name == getGridAttrName()) {
    auto grid = dyn_cast<DenseI64ArrayAttr>(attr.getValue());
    if (!grid || grid.size() != 2 ||
        llvm::any_of(grid.asArrayRef(), [](int64_t v) { return v < 1; }))
      return op->emitError() << "'" << name
                             << "' must be array<i64: x, y> with positive "
                                "sizes";
    return success();
  }
  if (name == getBaseCTAIndexAttrName()) {
    auto base = dyn_cast<IntegerAttr>(attr.getValue());
    if (!base || base.getInt() < 0)
      return op->emitError() << "'" << name
                             << "' must be a non-negative integer";
    if (!func)
      return op->emitError() << "'" << name << "' is only valid on functions";
    return success();
  }
  if (name == getFp32DestAccAttrName()) {
    if (!isa<UnitAttr>(attr.getValue()) || !func)
      return op->emitError() << "'" << name
                             << "' must be a unit attribute on a function";
    return success();
  }
  return op->emitError() << "unknown TTL attribute '" << name << "'";
}
