//===- ComputeToTTKernel.cpp - TTL tile math to TTKernel --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// `ttl.store %expr, %out` becomes one register-sync sequence per output
// tile: tile_regs_acquire, the store's program evaluated in DST,
// tile_regs_commit/wait, pack_tile, tile_regs_release. The program is what
// `ttl-assign-dst` decided: its ops in order, each with its DST tile
// (`ttl.dst_idx`), FPU forms marked `ttl.fpu`. Inits are emitted only when
// the configuration changes.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "TTKernelValues.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/ADT/bit.h"

#include <limits>

using namespace mlir;
using namespace mlir::ttl;

namespace {

/// The DST tile `ttl-assign-dst` gave the result of `value`'s op.
unsigned dstIndex(Value value) {
  return value.getDefiningOp()
      ->getAttrOfType<IntegerAttr>(TTLDialect::getDstIndexAttrName())
      .getInt();
}

/// The ops of a store's program (those with a DST tile), in the order
/// `ttl-assign-dst` placed them: right before the store, evaluation order.
SmallVector<Operation *> programOps(StoreOp store) {
  SetVector<Operation *> ops;
  SmallVector<Value> worklist{store.getValue()};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val().getDefiningOp();
    if (!op || !op->hasAttr(TTLDialect::getDstIndexAttrName()) ||
        !ops.insert(op))
      continue;
    worklist.append(op->operand_begin(), op->operand_end());
  }
  SmallVector<Operation *> ordered(ops.begin(), ops.end());
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ordered;
}

/// The TTKernel (init, tiles) op pairs of an FPU binary op: the plain form,
/// then the broadcast forms in BroadcastKind order.
template <typename... InitAndTiles> struct FpuOps {};

/// Whether the thread of `store` reserves blocks of DFBs of more than one
/// data type: its packs then go to CBs of different formats, and each store
/// sets the packer's output format to its own CB's first (the startup set it
/// to the first program's).
bool packsSeveralFormats(StoreOp store) {
  llvm::SmallPtrSet<Type, 2> formats;
  store->getParentOfType<FunctionOpInterface>()->walk([&](DFBReserveOp r) {
    formats.insert(cast<DFBType>(r.getDfb().getType()).getElementType());
  });
  return formats.size() > 1;
}

/// The data type of a block's tiles (or elements): its CB's format.
Type formatOf(Value block) {
  return getBlockScalarType(cast<RankedTensorType>(block.getType()));
}

/// The blocks an op of a tile program unpacks from CBs, as the unpacker's
/// (srcA, srcB) sources (null where it uses none): the single-operand
/// unpacks read srcA, an FPU binary op its lhs into srcA and rhs into srcB,
/// reduce_tile its input and scaler, and matmul_tiles in1 into srcA and in0
/// into srcB (tt-metal's api/compute/matmul.h).
std::pair<Value, Value> unpackedBlocks(Operation *op) {
  if (isa<CopyTileOp, SqueezeOp, UnsqueezeOp, BroadcastTilesOp, BroadcastOp,
          TransposeOp>(op))
    return {op->getOperand(0), {}};
  if (isa<ReduceSumOp, ReduceMaxOp>(op))
    return {op->getOperand(0), op->getOperand(1)};
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return {matmul.getRhs(), matmul.getLhs()};
  if (op->hasAttr(TTLDialect::getFpuAttrName())) {
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    if (lhs.getDefiningOp<BroadcastOp>()) // the FPU broadcasts srcB only
      std::swap(lhs, rhs);
    if (auto bcast = rhs.getDefiningOp<BroadcastOp>())
      rhs = bcast.getInput();
    return {lhs, rhs};
  }
  return {};
}

/// Whether the tile programs of `func` unpack CBs of more than one format:
/// its unpacker is then reconfigured between them (compute_kernel_hw_startup
/// configured it for the first program's operands only).
bool unpacksSeveralFormats(FunctionOpInterface func) {
  llvm::SmallPtrSet<Type, 2> formats;
  func->walk([&](StoreOp store) {
    for (Operation *op : programOps(store)) {
      auto [a, b] = unpackedBlocks(op);
      for (Value block : {a, b})
        if (block)
          formats.insert(formatOf(block));
    }
  });
  return formats.size() > 1;
}

/// Builds the tile program of one ttl.store.
class TileProgram {
public:
  /// `reconfigures`: the thread unpacks CBs of several formats.
  TileProgram(PatternRewriter &rewriter, StoreOp store, bool reconfigures)
      : b(rewriter), store(store), loc(store.getLoc()),
        reconfigures(reconfigures) {}

  void emit();

private:
  // Evaluation state of the current output tile.
  Value row, col; // output tile coordinates (index)

  Value i32(int64_t v) { return arith::ConstantIntOp::create(b, loc, v, 32); }
  Value i32(Value index) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), index);
  }

  /// The CB id of the DFB a waited/reserved block came from.
  Value cbOf(Value block);
  Value cbIndex(Value block);

  /// The unpacker's source formats, and the block whose CB set each.
  struct UnpackState {
    Value srcA, srcB;
  };
  /// Reconfigures the sources whose format `op` needs differently from
  /// `state` (reconfig_data_format, _srca or _srcb); `emit` false only
  /// updates `state`. Returns whether a source changed.
  bool reconfigureUnpacker(Operation *op, UnpackState &state, bool emit);
  void emitUnpackReconfig(Value a, Value b);

  /// Tile index inside a leaf block for the output tile (row, col), seen
  /// through a broadcast of `kind` (or none).
  Value leafTile(std::optional<BroadcastKind> kind = std::nullopt);

  /// Tile index inside `input`, of which the output is a ttl.broadcast_tiles,
  /// for the output tile (row, col).
  Value batchBroadcastTile(RankedTensorType input);

  /// Fills the DST tile of an accumulating op (reduce, matmul) with
  /// `identity` when an earlier op of this program wrote it.
  void clearAccumulator(unsigned slot, double identity);

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

  void eval(Operation *op, unsigned slot);
  void evalElementwise(Operation *op, unsigned slot);
  template <typename InitOp, typename TileOp>
  void evalUnary(Operation *op, unsigned slot, StringRef params);
  template <typename InitOp, typename TileOp>
  void evalSfpuBinary(Operation *op, unsigned slot);
  void evalReduce(Operation *op, unsigned slot);
  void evalMatmul(MatmulOp op, unsigned slot);
  void evalWhere(WhereOp op, unsigned slot);
  template <typename Fpu> void evalFpu(Operation *op, unsigned slot);
  void evalTranspose(TransposeOp op, unsigned slot);
  void evalExpFlagged(ExpFlaggedOp op, unsigned slot);
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
    Value tileA = leafTile();
    Value tileB = leafTile(kind);
    Value dstIndex = i32(dst);
    Tiles::create(b, loc, cbA, cbB, tileA, tileB, dstIndex);
  }

  void hwStartup();

  PatternRewriter &b;
  StoreOp store;
  Location loc;
  bool reconfigures;
  UnpackState unpacker;
  llvm::SmallBitVector written; // DST tiles written since tile_regs_acquire
  using InitConfig = std::pair<TypeID, int>;
  std::optional<InitConfig> currentInit;
  Value outCB;
  SmallVector<Value> inputBlocks; // DFB blocks the program reads
};

Value TileProgram::cbOf(Value block) {
  if (block != store.getBlock() && !llvm::is_contained(inputBlocks, block))
    inputBlocks.push_back(block);
  return cbIndex(block);
}

Value TileProgram::cbIndex(Value block) {
  // ttl-assign-dst checked that every block comes from a bound DFB.
  auto bind = getBlockDFB(block).getDefiningOp<BindDFBOp>();
  return boundCB(b, loc, bind);
}

Value TileProgram::leafTile(std::optional<BroadcastKind> kind) {
  // A leaf of the output's shape, or seen through a squeeze / unsqueeze:
  // the same tile, row-major over the output.
  int64_t cols = getComputeTileShape(store.getBlock().getType()).back();
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

Value TileProgram::batchBroadcastTile(RankedTensorType input) {
  // The output's row is ((i0 * S1 + i1) ...) * R + r over its leading
  // dimensions S; the input's row takes ik = 0 where it has extent 1.
  ArrayRef<int64_t> out = store.getBlock().getType().getShape();
  ArrayRef<int64_t> in = input.getShape();
  int64_t rank = in.size(), rows = in[rank - 2];
  Value r = i32(row);
  Value inRow = arith::RemUIOp::create(b, loc, r, i32(rows));
  Value rest = arith::DivUIOp::create(b, loc, r, i32(rows));
  int64_t stride = rows;
  for (int64_t d = rank - 3; d >= 0; --d) {
    Value index = arith::RemUIOp::create(b, loc, rest, i32(out[d]));
    rest = arith::DivUIOp::create(b, loc, rest, i32(out[d]));
    if (in[d] != 1)
      inRow = arith::AddIOp::create(
          b, loc, inRow, arith::MulIOp::create(b, loc, index, i32(stride)));
    stride *= in[d];
  }
  return arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, inRow, i32(in.back())), i32(col));
}

void TileProgram::clearAccumulator(unsigned slot, double identity) {
  if (!written.test(slot))
    return; // not written since tile_regs_acquire: already zero
  init<ttkernel::FillTileInitOp>();
  Value value = arith::ConstantFloatOp::create(
      b, loc, b.getF32Type(), APFloat(static_cast<float>(identity)));
  ttkernel::FillTileOp::create(b, loc, i32(slot), value);
}

bool TileProgram::reconfigureUnpacker(Operation *op, UnpackState &state,
                                      bool emit) {
  auto [a, b] = unpackedBlocks(op);
  auto differs = [](Value block, Value current) {
    return block && (!current || formatOf(block) != formatOf(current));
  };
  Value newA = differs(a, state.srcA) ? a : Value();
  Value newB = differs(b, state.srcB) ? b : Value();
  if (newA)
    state.srcA = newA;
  if (newB)
    state.srcB = newB;
  if (emit)
    emitUnpackReconfig(newA, newB);
  return newA || newB;
}

void TileProgram::emitUnpackReconfig(Value a, Value b) {
  if (a && b)
    ttkernel::ReconfigDataFormatOp::create(this->b, loc, cbIndex(a),
                                           cbIndex(b));
  else if (a)
    ttkernel::ReconfigDataFormatSrcaOp::create(this->b, loc, cbIndex(a));
  else if (b)
    ttkernel::ReconfigDataFormatSrcbOp::create(this->b, loc, cbIndex(b));
}

void TileProgram::eval(Operation *op, unsigned slot) {
  // The op's init follows a change of its source formats (tt-metal:
  // reconfig_data_format_srca(old, new), then copy_init(new)).
  if (reconfigures && reconfigureUnpacker(op, unpacker, /*emit=*/true))
    currentInit.reset();
  if (isa<CopyTileOp, SqueezeOp, UnsqueezeOp, BroadcastTilesOp>(op)) {
    Value input = op->getOperand(0);
    Value cb = cbOf(input);
    init<ttkernel::CopyInitOp>(cb);
    Value tile =
        isa<BroadcastTilesOp>(op)
            ? batchBroadcastTile(cast<RankedTensorType>(input.getType()))
            : leafTile();
    ttkernel::CopyTileOp::create(b, loc, cb, tile, i32(slot));
  } else if (auto bcast = dyn_cast<BroadcastOp>(op)) {
    Value cb = cbOf(bcast.getInput());
    auto kind = static_cast<ttkernel::BcastKind>(bcast.getKind());
    init<ttkernel::UnaryBcastInitOp>(static_cast<int>(bcast.getKind()), cb,
                                     outCB, kind);
    ttkernel::UnaryBcastOp::create(
        b, loc, cb, leafTile(bcast.getKind()),
        i32(slot), kind);
  } else if (auto fill = dyn_cast<FillOp>(op)) {
    init<ttkernel::FillTileInitOp>();
    ttkernel::FillTileOp::create(b, loc, i32(slot), fill.getValue());
  } else if (isa<ReduceSumOp, ReduceMaxOp>(op)) {
    evalReduce(op, slot);
  } else if (auto matmul = dyn_cast<MatmulOp>(op)) {
    evalMatmul(matmul, slot);
  } else if (auto where = dyn_cast<WhereOp>(op)) {
    evalWhere(where, slot);
  } else if (auto transpose = dyn_cast<TransposeOp>(op)) {
    evalTranspose(transpose, slot);
  } else if (auto exp = dyn_cast<ExpFlaggedOp>(op)) {
    evalExpFlagged(exp, slot);
  } else {
    evalElementwise(op, slot);
  }
  written.set(slot);
}

/// Dispatches an elementwise op to its TTKernel form, as listed in
/// TTLElementwiseOps.def.
void TileProgram::evalElementwise(Operation *op, unsigned slot) {
  using namespace ttkernel;
  bool fpu = op->hasAttr(TTLDialect::getFpuAttrName());
  llvm::TypeSwitch<Operation *>(op)
#define TTLX_SFPU_UNARY_OP(Name, Ttl, Tile, Init, Header, Params, ...)         \
  .Case([&](Name##Op) {                                                        \
    evalUnary<Name##TileInitOp, Name##TileOp>(op, slot, Params);               \
  })
#define TTLX_SFPU_BINARY_OP(Name, ...)                                         \
  .Case([&](Name##Op) {                                                        \
    evalSfpuBinary<Name##BinaryTileInitOp, Name##BinaryTileOp>(op, slot);      \
  })
#define TTLX_FPU_BINARY_OP(Name, ...)                                          \
  .Case([&](Name##Op) {                                                        \
    if (fpu)                                                                   \
      return evalFpu<FpuOps<Name##InitOp, Name##TilesOp,                       \
                            Name##BcastRowsInitOp, Name##TilesBcastRowsOp,     \
                            Name##BcastColsInitOp, Name##TilesBcastColsOp,     \
                            Name##BcastScalarInitOp,                           \
                            Name##TilesBcastScalarOp>>(op, slot);              \
    evalSfpuBinary<Name##BinaryTileInitOp, Name##BinaryTileOp>(op, slot);      \
  })
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
      .Default([&](Operation *) {
        llvm_unreachable("ttl-assign-dst only annotates tile math");
      });
}

/// `params` lists the op's scalar parameters as TTLElementwiseOps.def does
/// (`name[:i32](=default|~sample)`, tt-metal's argument order): each
/// attribute of that name becomes an i32 argument of the tile call, an f32
/// one as its IEEE bits.
template <typename InitOp, typename TileOp>
void TileProgram::evalUnary(Operation *op, unsigned slot, StringRef params) {
  SmallVector<Value> operands{i32(slot)}; // in place on the operand's tile
  SmallVector<StringRef> specs;
  params.split(specs, ' ', -1, /*KeepEmpty=*/false);
  for (StringRef spec : specs) {
    StringRef name = spec.take_until(
        [](char c) { return c == ':' || c == '=' || c == '~'; });
    Attribute attr = op->getAttr(name);
    if (auto f = dyn_cast<FloatAttr>(attr))
      operands.push_back(i32(static_cast<int32_t>(
          f.getValue().bitcastToAPInt().getZExtValue())));
    else
      operands.push_back(i32(cast<IntegerAttr>(attr).getInt()));
  }
  init<InitOp>();
  TileOp::create(b, loc, TypeRange(), operands);
}

template <typename Fpu>
void TileProgram::evalFpu(Operation *op, unsigned slot) {
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
  Value cbA = cbOf(lhs), cbB = cbOf(rhsBlock);
  emitFpu(Fpu(), kind ? 1 + static_cast<int>(*kind) : 0, cbA, cbB, lhs,
          rhsBlock, kind, slot);
}

template <typename InitOp, typename TileOp>
void TileProgram::evalSfpuBinary(Operation *op, unsigned slot) {
  init<InitOp>();
  Value lhsIndex = i32(dstIndex(op->getOperand(0)));
  Value rhsIndex = i32(dstIndex(op->getOperand(1)));
  TileOp::create(b, loc, lhsIndex, rhsIndex, i32(slot));
}

void TileProgram::evalReduce(Operation *op, unsigned slot) {
  Value input = op->getOperand(0), scaler = op->getOperand(1);
  bool isMax = isa<ReduceMaxOp>(op);
  ReduceDim dim = isMax ? cast<ReduceMaxOp>(op).getDim()
                        : cast<ReduceSumOp>(op).getDim();
  Value cbIn = cbOf(input), cbScaler = cbOf(scaler);
  clearAccumulator(slot, isMax ? -std::numeric_limits<float>::infinity() : 0.0);
  auto pool = isMax ? ttkernel::PoolType::Max : ttkernel::PoolType::Sum;
  auto tdim = static_cast<ttkernel::ReduceDim>(dim);
  ttkernel::ReduceInitOp::create(b, loc, cbIn, cbScaler, outCB, pool, tdim);
  // Accumulate every input tile of this output tile's row / column / all,
  // in its batch. `row` runs over the output's rows of every batch: the
  // input's rows for `row`, one per batch for `col` and `scalar`.
  ArrayRef<int64_t> shape = cast<RankedTensorType>(input.getType()).getShape();
  int64_t m = shape[shape.size() - 2], cols = shape.back();
  int64_t count = dim == ReduceDim::Row   ? cols
                  : dim == ReduceDim::Col ? m
                                          : m * cols;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value n = arith::ConstantIndexOp::create(b, loc, count);
  auto loop = scf::ForOp::create(b, loc, zero, n, one);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value k = i32(loop.getInductionVar());
    Value tile;
    if (dim == ReduceDim::Row) {
      tile = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, i32(row), i32(cols)), k);
    } else if (dim == ReduceDim::Col) {
      // Row k of this output row's batch (the first is row * m).
      Value inRow = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, i32(row), i32(m)), k);
      tile = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, inRow, i32(cols)), i32(col));
    } else {
      tile = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, i32(row), i32(m * cols)), k);
    }
    ttkernel::ReduceTileOp::create(b, loc, cbIn, cbScaler, tile, i32(0),
                                   i32(slot), pool, tdim);
  }
  ttkernel::ReduceUninitOp::create(b, loc);
  currentInit.reset();
}

/// where_tile<format>(cond, true, false, out). The format is how the SFPU
/// loads and stores DST rows, so it follows DST's mode, not the result's
/// dtype: 32-bit values with fp32_dest_acc_en (DataFormat::Float32), else
/// 16-bit ones (DataFormat::Float16_b).
void TileProgram::evalWhere(WhereOp op, unsigned slot) {
  init<ttkernel::WhereTileInitOp>();
  bool fp32 = store->getParentOfType<FunctionOpInterface>()->hasAttr(
      TTLDialect::getFp32DestAccAttrName());
  auto where = ttkernel::WhereTileOp::create(
      b, loc, i32(dstIndex(op.getCond())), i32(dstIndex(op.getLhs())),
      i32(dstIndex(op.getRhs())), i32(slot));
  if (fp32)
    where.setFp32(true);
}

/// transpose_tile of input tile (col, row): output tile (row, col) of an
/// NxM result from an MxN input; with batch dimensions, of the same batch
/// (the output's row / N), the rows of all batches following each other.
void TileProgram::evalTranspose(TransposeOp op, unsigned slot) {
  Value cb = cbOf(op.getInput());
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  int64_t inRows = in[in.size() - 2], inCols = in.back();
  Value r = i32(row), inRow = i32(col);
  if (in.size() > 2) {
    Value batch = arith::DivUIOp::create(b, loc, r, i32(inCols));
    r = arith::RemUIOp::create(b, loc, r, i32(inCols));
    inRow = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, batch, i32(inRows)), inRow);
  }
  Value tile = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, inRow, i32(inCols)), r);
  init<ttkernel::TransposeInitOp>(cb);
  ttkernel::TransposeTileOp::create(b, loc, cb, tile, i32(slot));
}

/// exp_tile_init<approx, scale, clamping>() and exp_tile<approx, scale_en,
/// clamping, iterations>(idst, VectorMode::RC, scale): the init takes the
/// scale's f32 bits, the call its bf16 bits (rounded to nearest even).
/// In place on the operand's tile.
void TileProgram::evalExpFlagged(ExpFlaggedOp op, unsigned slot) {
  float scale = op.getScale().convertToFloat();
  uint32_t bits = llvm::bit_cast<uint32_t>(scale);
  uint32_t bf16 = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
  bool clamp = !op.getSkipClampCheck();
  int variant =
      static_cast<int>(llvm::hash_combine(op.getApprox(), bits, clamp));
  init<ttkernel::ExpTileInitFlaggedOp>(variant, op.getApprox(), bits, clamp);
  ttkernel::ExpTileFlaggedOp::create(b, loc, slot, op.getApprox(),
                                     /*scale_en=*/scale != 1.0f, clamp,
                                     op.getIterations(), bf16);
}

/// matmul_tiles over K into one DST slot: output tile (row, col) is the sum
/// of lhs(row, k) @ rhs(k, col); with batch dimensions, of the same batch
/// (the output's row / M), the rows of all batches following each other.
void TileProgram::evalMatmul(MatmulOp op, unsigned slot) {
  Value cbA = cbOf(op.getLhs()), cbB = cbOf(op.getRhs());
  if (!op.getAcc()) // else the products add onto acc, in this slot
    clearAccumulator(slot, 0.0);
  init<ttkernel::MatmulInitOp>(cbA, cbB);
  ArrayRef<int64_t> lhsShape = op.getLhs().getType().getShape();
  int64_t m = lhsShape[lhsShape.size() - 2];
  int64_t k = lhsShape.back();
  int64_t n = op.getRhs().getType().getShape().back();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  // The first tile of this batch's rhs matrix.
  Value rhsBase;
  if (lhsShape.size() > 2)
    rhsBase = arith::MulIOp::create(
        b, loc, arith::DivUIOp::create(b, loc, i32(row), i32(m)), i32(k * n));
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
    if (rhsBase)
      c = arith::AddIOp::create(b, loc, rhsBase, c);
    ttkernel::MatmulTilesOp::create(b, loc, cbA, cbB, a, c, i32(slot));
  }
}

void TileProgram::emit() {
  outCB = cbOf(store.getBlock());
  // An N-d block's tiles are row-major over its whole shape: the rows of
  // every batch one after the other (matmul, reductions and transpose find
  // their batch from the output's row). A row-major block (elementwise math
  // only) is the 1 x n tiles its DFB pages hold.
  SmallVector<int64_t> tiles = getComputeTileShape(store.getBlock().getType());
  ArrayRef<int64_t> shape = tiles;
  int64_t tileRows = 1;
  for (int64_t d : shape.drop_back())
    tileRows *= d;
  if (packsSeveralFormats(store))
    ttkernel::PackReconfigDataFormatOp::create(b, loc, outCB);
  SmallVector<Operation *> program = programOps(store);
  if (reconfigures) {
    // The formats each output tile's program leaves the unpacker in are
    // set before the tile loops; then a tile's program starts from them
    // (the previous tile left them so) and reconfigures only the sources
    // whose format changes between its ops.
    UnpackState end;
    for (Operation *op : program)
      reconfigureUnpacker(op, end, /*emit=*/false);
    emitUnpackReconfig(end.srcA, end.srcB);
    unpacker = end;
  }
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto rows = scf::ForOp::create(
      b, loc, zero, arith::ConstantIndexOp::create(b, loc, tileRows), one);
  b.setInsertionPointToStart(rows.getBody());
  auto cols = scf::ForOp::create(
      b, loc, zero, arith::ConstantIndexOp::create(b, loc, shape.back()), one);
  b.setInsertionPointToStart(cols.getBody());
  row = rows.getInductionVar();
  col = cols.getInductionVar();

  ttkernel::TileRegsAcquireOp::create(b, loc);
  written.resize(ttlx_hw::kDstTiles16);
  for (Operation *op : program)
    eval(op, dstIndex(op->getResult(0)));
  ttkernel::TileRegsCommitOp::create(b, loc);
  ttkernel::TileRegsWaitOp::create(b, loc);
  ttkernel::PackTileOp::create(b, loc, i32(dstIndex(store.getValue())), outCB,
                               leafTile());
  ttkernel::TileRegsReleaseOp::create(b, loc);
  hwStartup();
}

/// compute_kernel_hw_startup once, first in the function, configured for
/// the first program's operands and output CB (the blocks a program reads have
/// one format; pack_tile converts DST to the output CB's format).
void TileProgram::hwStartup() {
  auto func = store->getParentOfType<FunctionOpInterface>();
  if (!func.getFunctionBody().front().getOps<ttkernel::ComputeKernelHwStartupOp>().empty())
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&func.getFunctionBody().front());
  Value in0 = inputBlocks.empty() ? store.getBlock() : inputBlocks.front();
  Value in1 = inputBlocks.size() > 1 ? inputBlocks[1] : in0;
  Value a = cbOf(in0), c = cbOf(in1), o = cbOf(store.getBlock());
  ttkernel::ComputeKernelHwStartupOp::create(b, loc, a, c, o);
}

struct StoreLowering : OpRewritePattern<StoreOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(StoreOp store,
                                PatternRewriter &rewriter) const override {
    Operation *def = store.getValue().getDefiningOp();
    if (!def || !def->hasAttr(TTLDialect::getDstIndexAttrName()))
      return rewriter.notifyMatchFailure(store, "no DST assignment");
    // Decided once per function, while all its stores are still there.
    auto func = store->getParentOfType<FunctionOpInterface>();
    auto [it, first] = severalFormats.try_emplace(func.getOperation(), false);
    if (first)
      it->second = unpacksSeveralFormats(func);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(store);
    TileProgram(rewriter, store, it->second).emit();
    rewriter.eraseOp(store);
    return success();
  }
  // Per function: whether its programs unpack CBs of several formats.
  mutable llvm::DenseMap<Operation *, bool> severalFormats;
};
} // namespace

void mlir::ttl::populateTTLComputeToTTKernelPatterns(
    RewritePatternSet &patterns) {
  patterns.add<StoreLowering>(patterns.getContext());
}
