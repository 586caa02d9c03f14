//===- ComputeToTTKernel.cpp - TTL tile math to TTKernel --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// `ttl.store %expr, %out` becomes one register-sync sequence per output
// tile: tile_regs_acquire, the whole expression tree evaluated in DST,
// tile_regs_commit/wait, pack_tile, tile_regs_release. Leaves (blocks from
// ttl.dfb_wait) are unpacked with copy_tile, or read straight from their CBs
// by the FPU forms of add/sub/mul; everything else runs on the SFPU in DST.
// DST slots are allocated per tree and reused; inits are emitted only when
// the configuration changes.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

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
  if (getBlockAcquire(v))
    return true;
  auto bcast = v.getDefiningOp<BroadcastOp>();
  return bcast && getBlockAcquire(bcast.getInput());
}

/// Whether the elementwise op has an FPU form (TTLElementwiseOps.def).
bool hasFpuForm(Operation *op) {
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  if (isa<Name##Op>(op))                                                       \
    return true;
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
  return false;
}

/// Whether the binary op `op` takes the FPU form, possibly after swapping
/// its operands so a broadcast comes second.
bool usesFpu(Operation *op) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (!hasFpuForm(op) || !isCBOperand(lhs) || !isCBOperand(rhs))
    return false;
  bool lhsBcast = static_cast<bool>(lhs.getDefiningOp<BroadcastOp>());
  bool rhsBcast = static_cast<bool>(rhs.getDefiningOp<BroadcastOp>());
  if (lhsBcast && rhsBcast)
    return false;
  return !lhsBcast || isa<AddOp, MulOp>(op);
}

/// DST tiles live at once while evaluating `value` the way TileProgram
/// does (left operand first, its tile held while the right one is built).
unsigned slotsNeeded(Value value) {
  if (isa<FloatType>(value.getType()))
    return 1; // a scalar is filled into a tile
  Operation *op = value.getDefiningOp();
  if (!op || getBlockAcquire(value) ||
      isa<BroadcastOp, FillOp, ReduceSumOp, ReduceMaxOp, MatmulOp>(op))
    return 1;
  if (isa<WhereOp>(op))
    return std::max({slotsNeeded(op->getOperand(0)),
                     1 + slotsNeeded(op->getOperand(1)),
                     2 + slotsNeeded(op->getOperand(2))});
  if (op->hasTrait<OpTrait::ttl::BinaryComputeOp>()) {
    if (usesFpu(op))
      return 1;
    return std::max(slotsNeeded(op->getOperand(0)),
                    1 + slotsNeeded(op->getOperand(1)));
  }
  return slotsNeeded(op->getOperand(0));
}

/// Checks, before any IR is created, that a store can become a tile
/// program: every block comes from a bound DFB and DST is large enough.
LogicalResult checkTileProgram(StoreOp store) {
  SmallVector<Value> worklist{store.getValue(), store.getBlock()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (isa<FloatType>(v.getType()))
      continue;
    if (getBlockAcquire(v)) {
      if (!getBlockDFB(v).getDefiningOp<BindDFBOp>())
        return store.emitOpError()
               << "needs blocks of DFBs bound with 'ttl.bind_dfb'";
      continue;
    }
    Operation *op = v.getDefiningOp();
    if (!op || !op->hasTrait<OpTrait::ttl::ComputeOp>())
      return store.emitOpError()
             << "can only evaluate TTL tile math on DFB blocks, but an "
                "operand is "
             << (op ? ("the result of '" + op->getName().getStringRef() + "'")
                          .str()
                    : std::string("a block argument"));
    worklist.append(op->operand_begin(), op->operand_end());
  }
  unsigned needed = slotsNeeded(store.getValue());
  unsigned capacity = dstCapacity(store);
  if (needed > capacity)
    return store.emitOpError()
           << "needs " << needed << " DST tiles at once, but DST holds "
           << capacity << " ("
           << (capacity == ttlx_hw::kDstTiles32 ? "fp32 accumulation"
                                                 : "16-bit DST")
           << "); store part of the expression into a DFB first";
  return success();
}

/// The TTKernel (init, tiles) op pairs of an FPU binary op: the plain form,
/// then the broadcast forms in BroadcastKind order.
template <typename... InitAndTiles> struct FpuOps {};

/// Builds the tile program of one ttl.store.
class TileProgram {
public:
  TileProgram(PatternRewriter &rewriter, StoreOp store)
      : b(rewriter), store(store), loc(store.getLoc()),
        capacity(dstCapacity(store)) {}

  LogicalResult emit();

private:
  // Evaluation state of the current output tile.
  Value row, col; // output tile coordinates (index)

  Value i32(int64_t v) { return arith::ConstantIntOp::create(b, loc, v, 32); }
  Value i32(Value index) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), index);
  }

  /// The CB id of the DFB a waited/reserved block came from.
  FailureOr<Value> cbOf(Value block);

  /// Tile index inside `leafType` for the output tile (row, col), seen
  /// through a broadcast of `kind` (or none).
  Value leafTile(RankedTensorType leafType,
                 std::optional<BroadcastKind> kind = std::nullopt);

  FailureOr<unsigned> alloc(Operation *at);
  /// A DST slot for an op that accumulates into DST (reduce, matmul),
  /// holding `identity`: a reused slot is filled with it first.
  FailureOr<unsigned> allocAccumulator(Operation *at, double identity);
  void release(unsigned slot) { free.push_back(slot); }

  /// Emits `InitOp(args...)` unless it is the current configuration
  /// (`variant` tells apart configurations of one init op).
  template <typename InitOp, typename... Args>
  void init(int variant, Args... args) {
    InitConfig key{TypeID::get<InitOp>(), variant};
    if (currentInit == key)
      return;
    currentInit = key;
    InitOp::create(b, loc, args...);
  }
  template <typename InitOp, typename... Args> void init(Args... args) {
    init<InitOp>(0, args...);
  }

  FailureOr<unsigned> eval(Value value);
  FailureOr<unsigned> evalLeaf(Value block, std::optional<BroadcastKind> kind);
  FailureOr<unsigned> evalElementwise(Operation *op);
  template <typename InitOp, typename TileOp>
  FailureOr<unsigned> evalUnary(Operation *op);
  template <typename InitOp, typename TileOp>
  FailureOr<unsigned> evalSfpuBinary(Operation *op);
  FailureOr<unsigned> evalReduce(Operation *op);
  FailureOr<unsigned> evalMatmul(MatmulOp op);
  FailureOr<unsigned> evalWhere(WhereOp op);
  /// A DST slot holding `v`: a tree evaluated, or a scalar filled.
  FailureOr<unsigned> operandSlot(Operation *user, Value v);
  template <typename Fpu> FailureOr<unsigned> evalFpu(Operation *op);
  /// Emits form `form` (0 plain, 1 + BroadcastKind) of an FPU op on the
  /// output tile's tiles of blocks `lhs` and `rhs`.
  template <typename Init, typename Tiles, typename... Rest>
  void emitFpu(FpuOps<Init, Tiles, Rest...>, int form, Value cbA, Value cbB,
               Value lhs, Value rhs, std::optional<BroadcastKind> kind,
               unsigned dst) {
    if (form > 0) {
      if constexpr (sizeof...(Rest) > 0)
        return emitFpu(FpuOps<Rest...>(), form - 1, cbA, cbB, lhs, rhs, kind,
                       dst);
      llvm_unreachable("an FPU op has three broadcast forms");
    }
    init<Init>(cbA, cbB);
    Value tileA = leafTile(cast<RankedTensorType>(lhs.getType()));
    Value tileB = leafTile(cast<RankedTensorType>(rhs.getType()), kind);
    Value dstIndex = i32(dst);
    Tiles::create(b, loc, cbA, cbB, tileA, tileB, dstIndex);
  }

  void hwStartup();

  PatternRewriter &b;
  StoreOp store;
  Location loc;
  unsigned capacity;
  unsigned nextSlot = 0;
  SmallVector<unsigned> free;
  using InitConfig = std::pair<TypeID, int>;
  std::optional<InitConfig> currentInit;
  Value outCB;
  SmallVector<Value> inputBlocks; // DFB blocks the program reads
};

FailureOr<Value> TileProgram::cbOf(Value block) {
  if (block != store.getBlock() && !llvm::is_contained(inputBlocks, block))
    inputBlocks.push_back(block);
  Value dfb = getBlockDFB(block);
  auto bind = dfb ? dfb.getDefiningOp<BindDFBOp>() : BindDFBOp();
  if (!bind) {
    store.emitOpError() << "needs blocks of DFBs bound with 'ttl.bind_dfb'";
    return failure();
  }
  return ttkernel::GetCompileTimeArgValOp::create(
             b, loc, ttkernel::CBType::get(b.getContext()),
             getDFBCompileTimeArgIndex(bind))
      .getResult();
}

Value TileProgram::leafTile(RankedTensorType leafType,
                            std::optional<BroadcastKind> kind) {
  int64_t cols = leafType.getShape()[1];
  Value r = i32(row), c = i32(col);
  if (kind == BroadcastKind::Col)
    return r; // an Rx1 input: tile r
  if (kind == BroadcastKind::Row)
    return c; // a 1xC input: tile c
  if (kind == BroadcastKind::Scalar)
    return i32(0);
  return arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, r, i32(cols)), c);
}

FailureOr<unsigned> TileProgram::alloc(Operation *) {
  if (!free.empty())
    return free.pop_back_val();
  assert(nextSlot < capacity && "checkTileProgram bounds the DST tiles");
  return nextSlot++;
}

FailureOr<unsigned> TileProgram::allocAccumulator(Operation *at,
                                                  double identity) {
  bool reused = !free.empty();
  FailureOr<unsigned> slot = alloc(at);
  if (failed(slot) || !reused)
    return slot; // a slot not yet written since tile_regs_acquire
  init<ttkernel::FillTileInitOp>();
  Value value = arith::ConstantFloatOp::create(b, loc, b.getF32Type(),
                                               APFloat(static_cast<float>(identity)));
  ttkernel::FillTileOp::create(b, loc, i32(*slot), value);
  return slot;
}

FailureOr<unsigned> TileProgram::evalLeaf(Value block,
                                          std::optional<BroadcastKind> kind) {
  FailureOr<Value> cb = cbOf(block);
  if (failed(cb))
    return failure();
  FailureOr<unsigned> slot = alloc(store);
  if (failed(slot))
    return failure();
  Value tile = leafTile(cast<RankedTensorType>(block.getType()), kind);
  if (!kind) {
    init<ttkernel::CopyInitOp>(*cb);
    ttkernel::CopyTileOp::create(b, loc, *cb, tile, i32(*slot));
    return slot;
  }
  auto bcast = static_cast<ttkernel::BcastKind>(*kind);
  init<ttkernel::UnaryBcastInitOp>(static_cast<int>(*kind), *cb, outCB,
                                   bcast);
  ttkernel::UnaryBcastOp::create(b, loc, *cb, tile, i32(*slot), bcast);
  return slot;
}

FailureOr<unsigned> TileProgram::eval(Value value) {
  if (getBlockAcquire(value))
    return evalLeaf(value, std::nullopt);
  Operation *op = value.getDefiningOp();
  if (!op) {
    store.emitOpError() << "cannot evaluate a block argument";
    return failure();
  }
  if (auto bcast = dyn_cast<BroadcastOp>(op))
    return evalLeaf(bcast.getInput(), bcast.getKind());
  if (auto fill = dyn_cast<FillOp>(op)) {
    FailureOr<unsigned> slot = alloc(op);
    if (failed(slot))
      return failure();
    init<ttkernel::FillTileInitOp>();
    ttkernel::FillTileOp::create(b, loc, i32(*slot), fill.getValue());
    return slot;
  }
  if (isa<ReduceSumOp, ReduceMaxOp>(op))
    return evalReduce(op);
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return evalMatmul(matmul);
  if (auto where = dyn_cast<WhereOp>(op))
    return evalWhere(where);
  return evalElementwise(op);
}

/// Dispatches an elementwise op to its TTKernel form, as listed in
/// TTLElementwiseOps.def.
FailureOr<unsigned> TileProgram::evalElementwise(Operation *op) {
  using namespace ttkernel;
  return llvm::TypeSwitch<Operation *, FailureOr<unsigned>>(op)
#define TTLX_SFPU_UNARY_OP(Name, ...)                                          \
  .Case([&](Name##Op) {                                                        \
    return evalUnary<Name##TileInitOp, Name##TileOp>(op);                      \
  })
#define TTLX_SFPU_BINARY_OP(Name, ...)                                         \
  .Case([&](Name##Op) {                                                        \
    return evalSfpuBinary<Name##BinaryTileInitOp, Name##BinaryTileOp>(op);     \
  })
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  .Case([&](Name##Op) {                                                        \
    if (usesFpu(op))                                                           \
      return evalFpu<FpuOps<Name##InitOp, Name##TilesOp,                       \
                            Name##BcastRowsInitOp, Name##TilesBcastRowsOp,     \
                            Name##BcastColsInitOp, Name##TilesBcastColsOp,     \
                            Name##BcastScalarInitOp,                           \
                            Name##TilesBcastScalarOp>>(op);                    \
    return evalSfpuBinary<Name##BinaryTileInitOp, Name##BinaryTileOp>(op);     \
  })
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
      .Default([&](Operation *) -> FailureOr<unsigned> {
        op->emitOpError() << "cannot be evaluated in a compute tile program";
        return failure();
      });
}

template <typename InitOp, typename TileOp>
FailureOr<unsigned> TileProgram::evalUnary(Operation *op) {
  FailureOr<unsigned> slot = eval(op->getOperand(0));
  if (failed(slot))
    return failure();
  init<InitOp>();
  TileOp::create(b, loc, i32(*slot));
  return slot;
}

template <typename Fpu>
FailureOr<unsigned> TileProgram::evalFpu(Operation *op) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  // The FPU broadcasts its second operand only.
  if (lhs.getDefiningOp<BroadcastOp>())
    std::swap(lhs, rhs);
  std::optional<BroadcastKind> kind;
  Value rhsBlock = rhs;
  if (auto bcast = rhs.getDefiningOp<BroadcastOp>()) {
    kind = bcast.getKind();
    rhsBlock = bcast.getInput();
  }
  FailureOr<Value> cbA = cbOf(lhs), cbB = cbOf(rhsBlock);
  if (failed(cbA) || failed(cbB))
    return failure();
  FailureOr<unsigned> slot = alloc(op);
  if (failed(slot))
    return failure();
  emitFpu(Fpu(), kind ? 1 + static_cast<int>(*kind) : 0, *cbA, *cbB, lhs,
          rhsBlock, kind, *slot);
  return slot;
}

template <typename InitOp, typename TileOp>
FailureOr<unsigned> TileProgram::evalSfpuBinary(Operation *op) {
  // Both operands in DST; a scalar is filled into a tile.
  FailureOr<unsigned> a = operandSlot(op, op->getOperand(0));
  if (failed(a))
    return failure();
  FailureOr<unsigned> c = operandSlot(op, op->getOperand(1));
  if (failed(c))
    return failure();
  init<InitOp>();
  Value lhsIndex = i32(*a), rhsIndex = i32(*c), outIndex = i32(*a);
  TileOp::create(b, loc, lhsIndex, rhsIndex, outIndex);
  release(*c);
  return a;
}

FailureOr<unsigned> TileProgram::evalReduce(Operation *op) {
  Value input = op->getOperand(0), scaler = op->getOperand(1);
  bool isMax = isa<ReduceMaxOp>(op);
  ReduceDim dim = isMax ? cast<ReduceMaxOp>(op).getDim()
                        : cast<ReduceSumOp>(op).getDim();
  FailureOr<Value> cbIn = cbOf(input), cbScaler = cbOf(scaler);
  if (failed(cbIn) || failed(cbScaler))
    return failure();
  FailureOr<unsigned> slot = allocAccumulator(
      op, isMax ? -std::numeric_limits<float>::infinity() : 0.0);
  if (failed(slot))
    return failure();
  auto pool = isMax ? ttkernel::PoolType::Max : ttkernel::PoolType::Sum;
  auto tdim = static_cast<ttkernel::ReduceDim>(dim);
  ttkernel::ReduceInitOp::create(b, loc, *cbIn, *cbScaler, outCB, pool, tdim);
  // Accumulate every input tile of this output tile's row / column / all.
  ArrayRef<int64_t> shape = cast<RankedTensorType>(input.getType()).getShape();
  int64_t count = dim == ReduceDim::Row   ? shape[1]
                  : dim == ReduceDim::Col ? shape[0]
                                          : shape[0] * shape[1];
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value n = arith::ConstantIndexOp::create(b, loc, count);
  auto loop = scf::ForOp::create(b, loc, zero, n, one);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value k = i32(loop.getInductionVar());
    Value cols = i32(shape[1]);
    Value tile = dim == ReduceDim::Row
                     ? arith::AddIOp::create(
                           b, loc, arith::MulIOp::create(b, loc, i32(row), cols), k)
                 : dim == ReduceDim::Col
                     ? arith::AddIOp::create(
                           b, loc, arith::MulIOp::create(b, loc, k, cols), i32(col))
                     : k;
    ttkernel::ReduceTileOp::create(b, loc, *cbIn, *cbScaler, tile, i32(0),
                                   i32(*slot), pool, tdim);
  }
  ttkernel::ReduceUninitOp::create(b, loc);
  currentInit.reset();
  return slot;
}

FailureOr<unsigned> TileProgram::operandSlot(Operation *user, Value v) {
  if (!isa<FloatType>(v.getType()))
    return eval(v);
  FailureOr<unsigned> slot = alloc(user);
  if (failed(slot))
    return failure();
  init<ttkernel::FillTileInitOp>();
  ttkernel::FillTileOp::create(b, loc, i32(*slot), v);
  return slot;
}

/// where_tile(cond, true, false, cond): the result reuses the condition's
/// DST tile.
FailureOr<unsigned> TileProgram::evalWhere(WhereOp op) {
  FailureOr<unsigned> c = eval(op.getCond());
  if (failed(c))
    return failure();
  FailureOr<unsigned> t = operandSlot(op, op.getLhs());
  if (failed(t))
    return failure();
  FailureOr<unsigned> f = operandSlot(op, op.getRhs());
  if (failed(f))
    return failure();
  init<ttkernel::WhereTileInitOp>();
  bool fp32 = cast<TileType>(op.getResult().getType().getElementType())
                  .getElementType()
                  .isF32();
  auto where = ttkernel::WhereTileOp::create(b, loc, i32(*c), i32(*t), i32(*f),
                                             i32(*c));
  if (fp32)
    where.setFp32(true);
  release(*f);
  release(*t);
  return c;
}

/// matmul_tiles over K into one DST slot: output tile (row, col) is the sum
/// of lhs(row, k) @ rhs(k, col).
FailureOr<unsigned> TileProgram::evalMatmul(MatmulOp op) {
  FailureOr<Value> cbA = cbOf(op.getLhs()), cbB = cbOf(op.getRhs());
  if (failed(cbA) || failed(cbB))
    return failure();
  FailureOr<unsigned> slot = allocAccumulator(op, 0.0);
  if (failed(slot))
    return failure();
  init<ttkernel::MatmulInitOp>(*cbA, *cbB);
  int64_t k = op.getLhs().getType().getShape()[1];
  int64_t n = op.getRhs().getType().getShape()[1];
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, zero,
                                 arith::ConstantIndexOp::create(b, loc, k), one);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kk = i32(loop.getInductionVar());
    Value a = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, i32(row), i32(k)), kk);
    Value c = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, kk, i32(n)), i32(col));
    ttkernel::MatmulTilesOp::create(b, loc, *cbA, *cbB, a, c, i32(*slot));
  }
  return slot;
}

LogicalResult TileProgram::emit() {
  FailureOr<Value> out = cbOf(store.getBlock());
  if (failed(out))
    return failure();
  outCB = *out;
  ArrayRef<int64_t> shape = store.getBlock().getType().getShape();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto rows = scf::ForOp::create(
      b, loc, zero, arith::ConstantIndexOp::create(b, loc, shape[0]), one);
  b.setInsertionPointToStart(rows.getBody());
  auto cols = scf::ForOp::create(
      b, loc, zero, arith::ConstantIndexOp::create(b, loc, shape[1]), one);
  b.setInsertionPointToStart(cols.getBody());
  row = rows.getInductionVar();
  col = cols.getInductionVar();

  ttkernel::TileRegsAcquireOp::create(b, loc);
  FailureOr<unsigned> slot = eval(store.getValue());
  if (failed(slot))
    return failure();
  ttkernel::TileRegsCommitOp::create(b, loc);
  ttkernel::TileRegsWaitOp::create(b, loc);
  ttkernel::PackTileOp::create(b, loc, i32(*slot), outCB,
                               leafTile(store.getBlock().getType()));
  ttkernel::TileRegsReleaseOp::create(b, loc);
  hwStartup();
  return success();
}

/// compute_kernel_hw_startup once, first in the function, configured for
/// the first program's operands (every block of a program has one format).
void TileProgram::hwStartup() {
  auto func = store->getParentOfType<FunctionOpInterface>();
  if (!func.getFunctionBody().front().getOps<ttkernel::ComputeKernelHwStartupOp>().empty())
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&func.getFunctionBody().front());
  Value in0 = inputBlocks.empty() ? store.getBlock() : inputBlocks.front();
  Value in1 = inputBlocks.size() > 1 ? inputBlocks[1] : in0;
  FailureOr<Value> a = cbOf(in0), c = cbOf(in1), o = cbOf(store.getBlock());
  ttkernel::ComputeKernelHwStartupOp::create(b, loc, *a, *c, *o);
}

struct StoreLowering : OpRewritePattern<StoreOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(StoreOp store,
                                PatternRewriter &rewriter) const override {
    // Checked up front (checkTileProgram): emission does not fail halfway.
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(store);
    TileProgram program(rewriter, store);
    if (failed(program.emit()))
      return failure();
    rewriter.eraseOp(store);
    return success();
  }
};
} // namespace

LogicalResult mlir::ttl::checkTTLComputeStores(Operation *root) {
  WalkResult walk = root->walk([](StoreOp store) {
    return failed(checkTileProgram(store)) ? WalkResult::interrupt()
                                           : WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

void mlir::ttl::populateTTLComputeToTTKernelPatterns(
    RewritePatternSet &patterns) {
  patterns.add<StoreLowering>(patterns.getContext());
}
