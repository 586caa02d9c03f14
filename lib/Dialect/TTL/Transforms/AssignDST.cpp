//===- AssignDST.cpp - DST tiles for the tile math of ttl.store -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Rebuilds the expression of each ttl.store right before it in evaluation
// order and annotates it: `ttl.fpu` on binary ops that read two circular
// buffers, `ttl.copy_tile` / `ttl.fill` for DFB blocks and scalars read in
// DST, and `ttl.dst_idx` (the DST tile of the result) on every op evaluated
// in DST. A `ttl.squeeze` / `ttl.unsqueeze` / `ttl.broadcast_tiles` of a
// DFB block reads its tiles into DST as `ttl.copy_tile` does. convert-ttl-to-ttkernel emits exactly what this pass decided.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::ttl {
#define GEN_PASS_DEF_TTLASSIGNDST
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"
} // namespace mlir::ttl

using namespace mlir;
using namespace mlir::ttl;

namespace {

/// DST capacity in tiles: half-sync, 16-bit or fp32 accumulation.
unsigned dstCapacity(Operation *op) {
  auto func = op->getParentOfType<FunctionOpInterface>();
  bool fp32 = func && func->hasAttr(TTLDialect::getFp32DestAccAttrName());
  return fp32 ? ttlx_hw::kDstTiles32 : ttlx_hw::kDstTiles16;
}

/// A DFB block, possibly broadcast: what the FPU can read directly.
bool isCBOperand(Value v) {
  if (isDFBBlock(v))
    return true;
  auto bcast = v.getDefiningOp<BroadcastOp>();
  return bcast && isDFBBlock(bcast.getInput());
}

/// Whether the elementwise op has an FPU form (TTLElementwiseOps.def).
bool hasFpuForm(Operation *op) {
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  if (isa<Name##Op>(op))                                                       \
    return true;
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  return false;
}

/// Whether the op works in place on the DST tile of its operand.
bool isInPlace(Operation *op) {
  if (isa<ExpFlaggedOp>(op))
    return true;
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return static_cast<bool>(matmul.getAcc()); // adds onto acc's tile
#define TTLX_SFPU_UNARY_OP(Name, ...)                                          \
  if (isa<Name##Op>(op))                                                       \
    return true;
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  return false;
}

/// The DST value an in-place op overwrites: its operand, or a matmul's
/// accumulator.
Value inPlaceOperand(Operation *op) {
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return matmul.getAcc();
  return op->getOperand(0);
}

/// Whether the binary op `op` takes the FPU form: both operands read from
/// circular buffers, a broadcast (if any) second or commuted there.
bool takesFpuForm(Operation *op) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (!hasFpuForm(op) || !isCBOperand(lhs) || !isCBOperand(rhs))
    return false;
  bool lhsBcast = static_cast<bool>(lhs.getDefiningOp<BroadcastOp>());
  bool rhsBcast = static_cast<bool>(rhs.getDefiningOp<BroadcastOp>());
  if (lhsBcast && rhsBcast)
    return false;
  return !lhsBcast || isa<AddOp, MulOp>(op);
}

/// Ops that read their block operands from circular buffers.
bool readsCBs(Operation *op) {
  return isa<ReduceSumOp, ReduceMaxOp, MatmulOp, TransposeOp>(op) ||
         op->hasAttr(TTLDialect::getFpuAttrName());
}

/// Rebuilds and annotates the program of one ttl.store.
class StoreProgram {
public:
  explicit StoreProgram(StoreOp store)
      : store(store), builder(store), capacity(dstCapacity(store)) {}

  LogicalResult run();

private:
  LogicalResult check();
  /// The value of `v` in the rebuilt program, in DST when `inDst`
  /// (otherwise as a circular-buffer operand); a scalar becomes a tile of
  /// `blockType` (its user's result type) filled with it.
  Value build(Value v, bool inDst, Type blockType = {});
  /// An in-place op overwrites its operand's DST tile: a later op reading
  /// that operand gets it evaluated again.
  void recomputeOverwritten();
  LogicalResult allocate();

  StoreOp store;
  OpBuilder builder;
  unsigned capacity;
  // Rebuilt values, per original value and use (DST or circular buffer).
  DenseMap<std::pair<Value, int>, Value> built;
  DenseMap<std::pair<Value, Type>, Value> fills; // per scalar and tile type
  SmallVector<Operation *> program; // rebuilt ops, in evaluation order
};

/// Checks that the store can become a tile program: every block comes
/// from a bound DFB, everything else is tile math.
LogicalResult StoreProgram::check() {
  SmallVector<Value> worklist{store.getValue(), store.getBlock()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (isa<FloatType>(v.getType()))
      continue;
    if (isDFBBlock(v)) {
      Value dfb = getBlockDFB(v);
      if (!dfb)
        return store.emitOpError()
               << "reads a block that comes from different DFBs on different "
                  "paths; a tile program reads each operand from one "
                  "circular buffer";
      if (!dfb.getDefiningOp<BindDFBOp>())
        return store.emitOpError()
               << "needs blocks of DFBs bound with 'ttl.bind_dfb'";
      continue;
    }
    Operation *op = v.getDefiningOp();
    if (op && isa<SqueezeOp, UnsqueezeOp, BroadcastTilesOp>(op) &&
        !isDFBBlock(op->getOperand(0)))
      return op->emitOpError()
             << "in a tile program reads the tiles of a DFB block, but its "
                "input is "
             << (op->getOperand(0).getDefiningOp()
                     ? ("the result of '" +
                        op->getOperand(0).getDefiningOp()->getName().getStringRef() +
                        "'")
                           .str()
                     : std::string("a block argument"))
             << "; store the expression into a DFB first";
    if (!op || !op->hasTrait<OpTrait::ttl::ComputeOp>())
      return store.emitOpError()
             << "can only evaluate TTL tile math on DFB blocks, but an "
                "operand is "
             << (op ? ("the result of '" + op->getName().getStringRef() + "'")
                          .str()
                    : std::string("a block argument"));
    worklist.append(op->operand_begin(), op->operand_end());
  }
  return success();
}

Value StoreProgram::build(Value v, bool inDst, Type blockType) {
  if (isa<FloatType>(v.getType())) { // a scalar operand: a tile filled with it
    Value &fill = fills[{v, blockType}];
    if (!fill) {
      Operation *op = FillOp::create(builder, v.getLoc(), blockType, v);
      program.push_back(op);
      fill = op->getResult(0);
    }
    return fill;
  }
  std::pair<Value, int> key{v, inDst};
  if (Value done = built.lookup(key))
    return done;
  auto result = [&](Operation *op) {
    program.push_back(op);
    return built[key] = op->getResult(0);
  };
  if (isDFBBlock(v))
    return inDst ? result(CopyTileOp::create(builder, v.getLoc(), v.getType(), v))
                 : v;
  Operation *op = v.getDefiningOp();
  SmallVector<Value> operands;
  if (auto matmul = dyn_cast<MatmulOp>(op); matmul && matmul.getAcc()) {
    operands.append({matmul.getLhs(), matmul.getRhs(),
                     build(matmul.getAcc(), /*inDst=*/true)});
  } else if (isa<FillOp, BroadcastOp, ReduceSumOp, ReduceMaxOp, MatmulOp,
                 TransposeOp, SqueezeOp, UnsqueezeOp, BroadcastTilesOp>(op)) {
    operands.append(op->operand_begin(), op->operand_end()); // not in DST
  } else {
    bool fpu = op->hasTrait<OpTrait::ttl::BinaryComputeOp>() &&
               takesFpuForm(op);
    for (Value operand : op->getOperands())
      operands.push_back(
          build(operand, /*inDst=*/!fpu, op->getResult(0).getType()));
  }
  Operation *copy = builder.clone(*op);
  copy->setOperands(operands);
  if (copy->hasTrait<OpTrait::ttl::BinaryComputeOp>() && takesFpuForm(op))
    copy->setAttr(TTLDialect::getFpuAttrName(), builder.getUnitAttr());
  // A broadcast read by the FPU is part of the FPU op, not a DST value.
  if (isa<BroadcastOp>(op) && !inDst) {
    built[key] = copy->getResult(0);
    return copy->getResult(0);
  }
  return result(copy);
}

void StoreProgram::recomputeOverwritten() {
  DenseSet<Value> overwritten; // operands of in-place ops already emitted
  for (size_t i = 0; i < program.size();) {
    Operation *op = program[i];
    auto stale = llvm::find_if(op->getOperands(), [&](Value v) {
      return overwritten.contains(v);
    });
    if (stale != op->operand_end()) {
      // Evaluate the value again right before `op` (then check the copy's
      // own operands: it is next in the program).
      Value v = *stale;
      builder.setInsertionPoint(op);
      Operation *copy = builder.clone(*v.getDefiningOp());
      op->replaceUsesOfWith(v, copy->getResult(0));
      program.insert(program.begin() + i, copy);
      continue;
    }
    if (isInPlace(op))
      overwritten.insert(inPlaceOperand(op));
    ++i;
  }
}

LogicalResult StoreProgram::allocate() {
  DenseMap<Value, unsigned> slot;
  DenseMap<Value, Operation *> lastUse;
  for (Operation *op : program)
    for (Value operand : op->getOperands())
      lastUse[operand] = op;
  SmallVector<unsigned> free;
  unsigned next = 0;
  auto fresh = [&]() { return free.empty() ? next++ : free.pop_back_val(); };
  for (Operation *op : program) {
    // The DST values the op reads, in operand order, without repeats.
    SmallVector<Value> reads;
    if (isInPlace(op) && isa<MatmulOp>(op))
      reads.push_back(inPlaceOperand(op));
    else if (!readsCBs(op) &&
        !isa<CopyTileOp, FillOp, BroadcastOp, SqueezeOp, UnsqueezeOp,
             BroadcastTilesOp>(op))
      for (Value operand : op->getOperands())
        if (slot.count(operand) && !llvm::is_contained(reads, operand))
          reads.push_back(operand);
    auto dies = [&](Value v) { return lastUse.lookup(v) == op; };
    unsigned out;
    if (isInPlace(op)) {
      out = slot[reads.front()];
    } else if (auto dying = llvm::find_if(reads, dies); dying != reads.end()) {
      out = slot[*dying];
    } else {
      out = fresh();
    }
    slot[op->getResult(0)] = out;
    op->setAttr(TTLDialect::getDstIndexAttrName(),
                builder.getI32IntegerAttr(out));
    for (Value v : llvm::reverse(reads))
      if (dies(v) && slot[v] != out)
        free.push_back(slot[v]);
  }
  if (next <= capacity)
    return success();
  return store.emitOpError()
         << "needs " << next << " DST tiles at once, but DST holds "
         << capacity << " ("
         << (capacity == ttlx_hw::kDstTiles32 ? "fp32 accumulation"
                                               : "16-bit DST")
         << "); store part of the expression into a DFB first";
}

LogicalResult StoreProgram::run() {
  if (failed(check()))
    return failure();
  Value root = build(store.getValue(), /*inDst=*/true);
  store.getValueMutable().assign(root);
  recomputeOverwritten();
  return allocate();
}

struct TTLAssignDSTPass : ttl::impl::TTLAssignDSTBase<TTLAssignDSTPass> {
  void runOnOperation() override {
    SmallVector<StoreOp> stores;
    getOperation()->walk([&](StoreOp store) { stores.push_back(store); });
    for (StoreOp store : stores)
      if (failed(StoreProgram(store).run()))
        return signalPassFailure();
    // The original expressions, now unused (tile math has no side effects;
    // stores, tilize and untilize do and stay).
    SmallVector<Operation *> dead;
    do {
      dead.clear();
      getOperation()->walk([&](Operation *op) {
        if (op->hasTrait<OpTrait::ttl::ComputeOp>() &&
            isMemoryEffectFree(op) && op->use_empty())
          dead.push_back(op);
      });
      for (Operation *op : dead)
        op->erase();
    } while (!dead.empty());
  }
};
} // namespace
