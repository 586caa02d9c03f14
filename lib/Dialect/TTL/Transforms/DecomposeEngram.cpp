//===- DecomposeEngram.cpp - fused Engram ops to tile math -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::ttl {
#define GEN_PASS_DEF_TTLDECOMPOSEENGRAM
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"
} // namespace mlir::ttl

using namespace mlir;
using namespace mlir::ttl;

namespace {
/// The clamp under the gate's signed square root.
constexpr float kMinAbs = 1e-6f;

/// Scratch DFBs of one thread, bound at its entry on first use.
class Scratch {
public:
  Scratch(FunctionOpInterface func, int64_t &nextIndex)
      : func(func), nextIndex(nextIndex) {}

  /// A one-block DFB of `shape` tiles of `element`, for `role`.
  Value dfb(StringRef role, ArrayRef<int64_t> shape, Type element) {
    std::string key = (role + "/" + std::to_string(shape[0]) + "x" +
                       std::to_string(shape[1]))
                          .str();
    auto it = dfbs.find(key);
    if (it != dfbs.end())
      return it->second;
    OpBuilder b = OpBuilder::atBlockBegin(&func.getFunctionBody().front());
    auto type = DFBType::get(func.getContext(), shape, element, 1);
    Value dfb = BindDFBOp::create(b, func.getLoc(), type, nextIndex++);
    return dfbs[key] = dfb;
  }

  /// A waited 1x1 block of ones (the reductions' scaler), made once at the
  /// thread's entry and popped before it returns.
  Value ones(Type element) {
    if (onesBlock)
      return onesBlock;
    Value d = dfb("ones", {1, 1}, element);
    OpBuilder b(func.getContext());
    b.setInsertionPointAfterValue(d);
    Location loc = func.getLoc();
    auto blockType = cast<DFBType>(d.getType()).getBlockType();
    Value r = DFBReserveOp::create(b, loc, blockType, d);
    Value one = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(1.0f));
    StoreOp::create(b, loc, FillOp::create(b, loc, blockType, one), r);
    DFBPushOp::create(b, loc, d);
    onesBlock = DFBWaitOp::create(b, loc, blockType, d);
    func.walk([&](func::ReturnOp ret) {
      OpBuilder at(ret);
      DFBPopOp::create(at, ret.getLoc(), d);
    });
    return onesBlock;
  }

private:
  FunctionOpInterface func;
  int64_t &nextIndex;
  llvm::StringMap<Value> dfbs;
  Value onesBlock;
};

/// Emits tile math at the builder's insertion point.
struct TileMath {
  OpBuilder &b;
  Location loc;
  RankedTensorType type; // the current expression's block type

  Value scalar(float v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value mul(Value x, Value y) { return MulOp::create(b, loc, type, x, y); }
  Value add(Value x, Value y) { return AddOp::create(b, loc, type, x, y); }

  /// `expr` through a one-block DFB: reserve, store, push, wait. The caller
  /// pops it.
  Value materialize(Value dfb, Value expr) {
    auto blockType = cast<DFBType>(dfb.getType()).getBlockType();
    Value r = DFBReserveOp::create(b, loc, blockType, dfb);
    StoreOp::create(b, loc, expr, r);
    DFBPushOp::create(b, loc, dfb);
    return DFBWaitOp::create(b, loc, blockType, dfb);
  }
};

/// The product of the gate's two norm weights, made once per waited pair
/// instead of once per row: `wk * wq` stored into a scratch DFB right after
/// the later of the two weights' `ttl.dfb_wait`s and popped just before
/// the first `ttl.dfb_pop` of either weight's DFB that follows the gate.
/// Null (the caller multiplies in place) unless both waits are in one block
/// that encloses the gate and pops one of them after it.
Value hoistedWeights(EngramGateOp op, Scratch &scratch, int64_t &made) {
  auto wk = op.getKeyWeight().getDefiningOp<DFBWaitOp>();
  auto wq = op.getQueryWeight().getDefiningOp<DFBWaitOp>();
  if (!wk || !wq || wk->getBlock() != wq->getBlock())
    return {};
  Block *block = wk->getBlock();
  Operation *anchor = block->findAncestorOpInBlock(*op);
  if (!anchor)
    return {};
  Operation *pop = nullptr;
  for (Operation *it = anchor->getNextNode(); it && !pop;
       it = it->getNextNode())
    if (auto p = dyn_cast<DFBPopOp>(it))
      if (p.getDfb() == wk.getDfb() || p.getDfb() == wq.getDfb())
        pop = it;
  if (!pop)
    return {};
  Operation *last = wq->isBeforeInBlock(wk) ? wk : wq;
  auto type = cast<RankedTensorType>(op.getKeyWeight().getType());
  Type element = cast<TileType>(type.getElementType()).getElementType();
  Value dfb = scratch.dfb("weights" + std::to_string(made++),
                          type.getShape(), element);
  OpBuilder b(last->getContext());
  b.setInsertionPointAfter(last);
  TileMath w{b, op.getLoc(), type};
  Value product =
      w.materialize(dfb, w.mul(op.getKeyWeight(), op.getQueryWeight()));
  OpBuilder at(pop);
  DFBPopOp::create(at, op.getLoc(), dfb);
  return product;
}

/// The hoisted weight products of a module's gates, by (wk, wq): gates
/// sharing their weights share the product.
struct WeightProducts {
  DenseMap<std::pair<Value, Value>, Value> made;
  int64_t count = 0;

  Value get(EngramGateOp op, Scratch &scratch) {
    auto key = std::make_pair(op.getKeyWeight(), op.getQueryWeight());
    auto it = made.find(key);
    if (it != made.end())
      return it->second;
    return made[key] = hoistedWeights(op, scratch, count);
  }
};

/// Rewrites one ttl.engram_gate; its result's only use is a ttl.store.
void decomposeGate(EngramGateOp op, Scratch &scratch,
                   WeightProducts &products) {
  auto store = cast<StoreOp>(*op->getUsers().begin());
  RankedTensorType type = op.getType();
  Type element = cast<TileType>(type.getElementType()).getElementType();
  int64_t rows = type.getShape()[0], cols = type.getShape()[1];
  Value ones = scratch.ones(element);
  Value product = scratch.dfb("product", {rows, cols}, element);
  SmallVector<int64_t> column = {rows, 1};
  Value sumKK = scratch.dfb("sum_kk", column, element);
  Value sumQQ = scratch.dfb("sum_qq", column, element);
  Value sumKQ = scratch.dfb("sum_kq", column, element);
  Value score = scratch.dfb("score", column, element);
  Value gateDfb = scratch.dfb("gate", column, element);
  // The product of the two norm weights: the op's one weight block, or
  // made once per pair (null when it cannot be: each row multiplies by both).
  Value weights =
      op.getQueryWeight() ? products.get(op, scratch) : op.getKeyWeight();

  OpBuilder b(op);
  Location loc = op.getLoc();
  TileMath full{b, loc, type};
  auto columnType = cast<DFBType>(sumKK.getType()).getBlockType();
  TileMath col{b, loc, columnType};

  // Row sums, each product through the scratch DFB.
  auto rowSum = [&](Value expr, Value into) {
    Value p = full.materialize(product, expr);
    Value sum = ReduceSumOp::create(b, loc, columnType, p, ones, ReduceDim::Row);
    Value s = col.materialize(into, sum);
    DFBPopOp::create(b, loc, product);
    return s;
  };
  Value kk = rowSum(full.mul(op.getKey(), op.getKey()), sumKK);
  Value qq = rowSum(full.mul(op.getQuery(), op.getQuery()), sumQQ);
  Value kqProduct = full.mul(op.getKey(), op.getQuery());
  Value kq = weights ? rowSum(full.mul(kqProduct, weights), sumKQ)
                     : rowSum(full.mul(full.mul(kqProduct, op.getKeyWeight()),
                                       op.getQueryWeight()),
                              sumKQ);

  // s = kq * rsqrt(kk / C + eps) * rsqrt(qq / C + eps) * scale
  float invCols = 1.0f / static_cast<float>(cols * TileType::kCols);
  Value eps = col.scalar(op.getEps().convertToFloat());
  auto invRms = [&](Value sum) {
    return RsqrtOp::create(b, loc, col.add(col.mul(sum, col.scalar(invCols)), eps));
  };
  // One statement per op: C++ leaves the order of arguments open.
  Value rmsK = invRms(kk);
  Value rmsQ = invRms(qq);
  Value s = col.mul(col.mul(col.mul(kq, rmsK), rmsQ),
                    col.scalar(op.getScale().convertToFloat()));
  Value sBlock = col.materialize(score, s);
  for (Value dfb : {sumKQ, sumQQ, sumKK})
    DFBPopOp::create(b, loc, dfb);

  // gate = sigmoid(sign(s) * sqrt(max(|s|, 1e-6)))
  Value magnitude = MaxOp::create(b, loc, columnType,
                                  AbsOp::create(b, loc, sBlock),
                                  col.scalar(kMinAbs));
  Value root = SqrtOp::create(b, loc, magnitude);
  Value sign = SignOp::create(b, loc, sBlock);
  Value gate = SigmoidOp::create(b, loc, col.mul(sign, root));
  Value gateBlock = col.materialize(gateDfb, gate);
  DFBPopOp::create(b, loc, score);

  Value gated = full.mul(op.getValue(),
                         BroadcastOp::create(b, loc, type, gateBlock,
                                             BroadcastKind::Col));
  op.replaceAllUsesWith(gated);
  op.erase();
  OpBuilder after(store->getContext());
  after.setInsertionPointAfter(store);
  DFBPopOp::create(after, loc, gateDfb);
}

/// 0/1 shift tiles for depthwise_conv1d, built once by a data-movement
/// thread and held by the compute thread: for a shift s, `rows[s]`
/// (S[i][i-s] = 1: S @ x moves x down s rows) and `halo[s]` (H[i][32-s+i] =
/// 1: H @ h brings h's last s rows to the top).
class ShiftTiles {
public:
  ShiftTiles(func::FuncOp dm, int64_t &nextIndex) : dm(dm), nextIndex(nextIndex) {}

  /// The waited S_s and H_s blocks in `compute`.
  std::pair<Value, Value> get(FunctionOpInterface compute, int64_t shift, Type element) {
    auto key = std::make_tuple(compute.getOperation(), shift, element);
    auto it = held.find(key);
    if (it != held.end())
      return it->second;
    std::pair<int64_t, int64_t> ids = build(shift, element);
    Value s = hold(compute, ids.first, element);
    Value h = hold(compute, ids.second, element);
    return held[key] = {s, h};
  }

private:
  /// The DFB indices of S_s and H_s, built in the data-movement thread.
  std::pair<int64_t, int64_t> build(int64_t shift, Type element) {
    auto key = std::make_pair(shift, element);
    auto it = built.find(key);
    if (it != built.end())
      return it->second;
    int64_t rowsIndex = nextIndex++, haloIndex = nextIndex++;
    OpBuilder b = OpBuilder::atBlockBegin(&dm.getBody().front());
    Location loc = dm.getLoc();
    auto fill = [&](int64_t index, int64_t lo, int64_t hi, int64_t colOffset) {
      auto type = DFBType::get(dm.getContext(), {1, 1}, element, 1);
      Value dfb = BindDFBOp::create(b, loc, type, index);
      Value blk = DFBReserveOp::create(b, loc, type.getBlockType(), dfb);
      Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0));
      Value one = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 1.0));
      Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
      Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
      Value c32 = arith::ConstantIndexOp::create(b, loc, TileType::kRows);
      // Zeros everywhere, then ones at (i, i + colOffset), lo <= i < hi.
      auto rows = scf::ForOp::create(b, loc, c0, c32, c1);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(rows.getBody());
        auto cols = scf::ForOp::create(b, loc, c0, c32, c1);
        b.setInsertionPointToStart(cols.getBody());
        ElementWriteOp::create(b, loc, blk, rows.getInductionVar(),
                               cols.getInductionVar(), zero);
      }
      Value offset = arith::ConstantIndexOp::create(b, loc, colOffset);
      auto diagonal = scf::ForOp::create(
          b, loc, arith::ConstantIndexOp::create(b, loc, lo),
          arith::ConstantIndexOp::create(b, loc, hi), c1);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(diagonal.getBody());
        Value i = diagonal.getInductionVar();
        Value j = arith::AddIOp::create(b, loc, i, offset);
        ElementWriteOp::create(b, loc, blk, i, j, one);
      }
      DFBPushOp::create(b, loc, dfb);
    };
    fill(rowsIndex, shift, TileType::kRows, -shift);          // S[i][i - s]
    fill(haloIndex, 0, shift, TileType::kRows - shift);       // H[i][32 - s + i]
    return built[key] = {rowsIndex, haloIndex};
  }

  /// Binds DFB `index` in `compute`, waits its block at entry, pops it at
  /// every return.
  Value hold(FunctionOpInterface compute, int64_t index, Type element) {
    OpBuilder b = OpBuilder::atBlockBegin(&compute.getFunctionBody().front());
    Location loc = compute.getLoc();
    auto type = DFBType::get(compute.getContext(), {1, 1}, element, 1);
    Value dfb = BindDFBOp::create(b, loc, type, index);
    Value blk = DFBWaitOp::create(b, loc, type.getBlockType(), dfb);
    compute.walk([&](func::ReturnOp ret) {
      OpBuilder at(ret);
      DFBPopOp::create(at, ret.getLoc(), dfb);
    });
    return blk;
  }

  func::FuncOp dm;
  int64_t &nextIndex;
  DenseMap<std::pair<int64_t, Type>, std::pair<int64_t, int64_t>> built;
  DenseMap<std::tuple<Operation *, int64_t, Type>, std::pair<Value, Value>> held;
};

/// y = silu?(sum_j w_j * shift_{d (K-1-j)}(x, halo)), a row shift by s > 0
/// being S_s @ x + H_s @ halo: the second matmul adds onto the first's DST
/// tile (each output element is one product by 1 plus zeros, so the order
/// of the sum does not change it).
void decomposeConv(DepthwiseConv1dOp op, ShiftTiles &shifts) {
  auto compute = op->getParentOfType<FunctionOpInterface>();
  RankedTensorType type = op.getType();
  Type element = cast<TileType>(type.getElementType()).getElementType();
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t k = op.getKernelSize(), dilation = op.getDilation();
  Value sum;
  for (int64_t j = 0; j < k; ++j) {
    int64_t shift = dilation * (k - 1 - j);
    Value tap = op.getInput();
    if (shift > 0) {
      auto [s, h] = shifts.get(compute, shift, element);
      // The halo's products added onto the moved rows in DST.
      Value moved = MatmulOp::create(b, loc, type, s, op.getInput(), Value());
      tap = MatmulOp::create(b, loc, type, h, op.getHalo(), moved);
    }
    Value term = MulOp::create(b, loc, type, op.getWeights()[j], tap);
    sum = sum ? AddOp::create(b, loc, type, sum, term).getResult() : term;
  }
  if (op.getSilu())
    sum = SiluOp::create(b, loc, sum);
  op.replaceAllUsesWith(sum);
  op.erase();
}

struct TTLDecomposeEngramPass
    : ttl::impl::TTLDecomposeEngramBase<TTLDecomposeEngramPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<EngramGateOp> gates;
    SmallVector<DepthwiseConv1dOp> convs;
    int64_t nextIndex = 0;
    func::FuncOp dataMovement;
    module.walk([&](Operation *op) {
      if (auto bind = dyn_cast<BindDFBOp>(op))
        nextIndex = std::max<int64_t>(nextIndex, bind.getIndex() + 1);
      if (auto gate = dyn_cast<EngramGateOp>(op))
        gates.push_back(gate);
      if (auto conv = dyn_cast<DepthwiseConv1dOp>(op))
        convs.push_back(conv);
      if (auto func = dyn_cast<func::FuncOp>(op))
        if (!dataMovement && !func.isExternal() &&
            getEnclosingThreadKind(func) == ThreadKind::DataMovement)
          dataMovement = func;
    });
    if (!convs.empty() && !dataMovement) {
      convs.front().emitOpError()
          << "needs a data-movement thread in the module to build its 0/1 "
             "row-shift tiles";
      return signalPassFailure();
    }
    for (EngramGateOp gate : gates) {
      if (!gate->hasOneUse() || !isa<StoreOp>(*gate->getUsers().begin()) ||
          gate->getUsers().begin()->getBlock() != gate->getBlock()) {
        gate.emitOpError() << "result must be stored directly with "
                              "'ttl.store' (the compiler schedules the gate "
                              "around that store)";
        return signalPassFailure();
      }
    }
    DenseMap<Operation *, std::unique_ptr<Scratch>> scratch;
    WeightProducts products;
    for (EngramGateOp gate : gates) {
      auto func = gate->getParentOfType<FunctionOpInterface>();
      auto &s = scratch[func];
      if (!s)
        s = std::make_unique<Scratch>(func, nextIndex);
      decomposeGate(gate, *s, products);
    }
    if (!convs.empty()) {
      ShiftTiles shifts(dataMovement, nextIndex);
      for (DepthwiseConv1dOp conv : convs)
        decomposeConv(conv, shifts);
    }
  }
};
} // namespace
