//===- TTLDialect.cpp - TTL dialect -----------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

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

/// Adds the acquires `value` may come from to `acquires`; false when a
/// path starts elsewhere.
static bool collectAcquires(Value value, DenseSet<Value> &seen,
                            SmallVectorImpl<Operation *> &acquires) {
  if (!seen.insert(value).second)
    return true; // a loop-carried value reaching itself
  auto both = [&](Value a, Value b) {
    return collectAcquires(a, seen, acquires) &&
           collectAcquires(b, seen, acquires);
  };
  // The ops of a loop's or branch's regions verify before the loop or
  // branch itself: its yields may not have the values its results need yet.
  auto carried = [&](scf::ForOp loop, unsigned i) {
    return i < loop.getInitArgs().size() &&
           i < loop.getYieldedValues().size() &&
           both(loop.getInitArgs()[i], loop.getYieldedValues()[i]);
  };
  if (auto result = dyn_cast<OpResult>(value)) {
    Operation *def = result.getOwner();
    unsigned i = result.getResultNumber();
    if (isa<DFBWaitOp, DFBReserveOp>(def)) {
      acquires.push_back(def);
      return true;
    }
    if (auto loop = dyn_cast<scf::ForOp>(def))
      return carried(loop, i);
    if (auto branch = dyn_cast<scf::IfOp>(def))
      return branch.elseBlock() && i < branch.thenYield().getNumOperands() &&
             i < branch.elseYield().getNumOperands() &&
             both(branch.thenYield().getOperand(i),
                  branch.elseYield().getOperand(i));
    return false;
  }
  auto arg = cast<BlockArgument>(value);
  auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
  if (!loop || arg.getArgNumber() == 0) // not an iter_arg
    return false;
  return carried(loop, arg.getArgNumber() - 1);
}

FailureOr<SmallVector<Operation *>> mlir::ttl::getBlockAcquires(Value block) {
  DenseSet<Value> seen;
  SmallVector<Operation *> acquires;
  if (!collectAcquires(block, seen, acquires) || acquires.empty())
    return failure();
  return acquires;
}

bool mlir::ttl::isDFBBlock(Value block) {
  return succeeded(getBlockAcquires(block));
}

bool mlir::ttl::isWaitedBlock(Value block) {
  FailureOr<SmallVector<Operation *>> acquires = getBlockAcquires(block);
  return succeeded(acquires) && llvm::all_of(*acquires, [](Operation *op) {
           return isa<DFBWaitOp>(op);
         });
}

bool mlir::ttl::isReservedBlock(Value block) {
  FailureOr<SmallVector<Operation *>> acquires = getBlockAcquires(block);
  return succeeded(acquires) && llvm::all_of(*acquires, [](Operation *op) {
           return isa<DFBReserveOp>(op);
         });
}

Value mlir::ttl::getBlockDFB(Value block) {
  FailureOr<SmallVector<Operation *>> acquires = getBlockAcquires(block);
  if (failed(acquires))
    return {};
  Value dfb = acquires->front()->getOperand(0);
  if (llvm::any_of(*acquires, [&](Operation *op) {
        return op->getOperand(0) != dfb;
      }))
    return {};
  return dfb;
}

int64_t mlir::ttl::getNumTensorArguments(FunctionOpInterface func) {
  return llvm::count_if(func.getArgumentTypes(),
                        [](Type t) { return isa<RankedTensorType>(t); });
}

int64_t mlir::ttl::getBaseCTAIndex(FunctionOpInterface func) {
  if (auto base = func->getAttrOfType<IntegerAttr>(
          TTLDialect::getBaseCTAIndexAttrName()))
    return base.getInt();
  return getNumTensorArguments(func) * ttlx_hw::kCompileTimeArgsPerTensor;
}

int64_t mlir::ttl::getDFBCompileTimeArgIndex(BindDFBOp bind) {
  auto func = bind->getParentOfType<FunctionOpInterface>();
  return (func ? getBaseCTAIndex(func) : 0) + bind.getIndex();
}

// A function attribute is verified before the ops inside the function, which
// may not hold their own invariants yet: checks that look at those ops belong
// in the ops' verifiers (one DFB type per index: BindDFBOp::verify).
static LogicalResult verifyThreadFunction(FunctionOpInterface func) {
  if (auto base = func->getAttrOfType<IntegerAttr>(
          TTLDialect::getBaseCTAIndexAttrName())) {
    int64_t numTensors = getNumTensorArguments(func);
    if (base.getInt() < numTensors * ttlx_hw::kCompileTimeArgsPerTensor)
      return func->emitOpError()
             << "has 'ttl.base_cta_index' = " << base.getInt()
             << ", which overlaps the TensorAccessorArgs of its " << numTensors
             << " tensor argument(s); it must be at least " << numTensors;
  }

  return success();
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
  if (name == getSemaphoreInitAttrName()) {
    auto values = dyn_cast<DenseI64ArrayAttr>(attr.getValue());
    if (!values || !func || values.size() > ttlx_hw::kSemaphoresPerCore ||
        llvm::any_of(values.asArrayRef(), [](int64_t v) {
          return v < 0 || v > std::numeric_limits<uint32_t>::max();
        }))
      return op->emitError() << "'" << name
                             << "' must be an array<i64> on a function of at "
                                "most "
                             << ttlx_hw::kSemaphoresPerCore
                             << " 32-bit unsigned initial values";
    return success();
  }
  if (name == getDstIndexAttrName()) {
    auto index = dyn_cast<IntegerAttr>(attr.getValue());
    if (!index || !index.getType().isInteger(32) || index.getInt() < 0 ||
        index.getInt() >= ttlx_hw::kDstTiles16)
      return op->emitError() << "'" << name
                             << "' must be an i32 DST tile index in [0, "
                             << ttlx_hw::kDstTiles16 << ")";
    if (!op->hasTrait<OpTrait::ttl::ComputeOp>() || isa<StoreOp>(op))
      return op->emitError() << "'" << name
                             << "' is only valid on TTL tile-math ops";
    return success();
  }
  if (name == getFpuAttrName()) {
    if (!isa<UnitAttr>(attr.getValue()) ||
        !op->hasTrait<OpTrait::ttl::BinaryComputeOp>())
      return op->emitError() << "'" << name
                             << "' must be a unit attribute on a binary "
                                "tile-math op";
    return success();
  }
  if (name == getPipeSemaphoresAttrName()) {
    auto ids = dyn_cast<DenseI64ArrayAttr>(attr.getValue());
    if (!ids || ids.size() != 2 ||
        llvm::any_of(ids.asArrayRef(), [](int64_t id) {
          return id < 0 || id >= ttlx_hw::kSemaphoresPerCore;
        }))
      return op->emitError() << "'" << name
                             << "' must be array<i64: mailbox, done> with "
                                "semaphore ids in [0, "
                             << ttlx_hw::kSemaphoresPerCore << ")";
    if (!isa<PipeSendOp, PipeRecvOp>(op))
      return op->emitError() << "'" << name
                             << "' is only valid on pipe sends and receives";
    return success();
  }
  if (name == getPipeStagingAttrName()) {
    auto index = dyn_cast<IntegerAttr>(attr.getValue());
    if (!index || index.getInt() < 0 || !isa<PipeSendOp>(op))
      return op->emitError() << "'" << name
                             << "' must be the non-negative index of a DFB "
                                "on a pipe send";
    return success();
  }
  return op->emitError() << "unknown TTL attribute '" << name << "'";
}
