//===- LayoutToTTKernel.cpp - TTL tilize/untilize to TTKernel ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// `ttl.tilize` becomes tt-metal's tilize_init / tilize_block (one row of
// tiles per call) / tilize_uninit on the blocks the thread holds;
// `ttl.untilize` becomes the protocol of tt-metal's untilize kernels:
// pack_untilize_block reads tiles at the input CB's read pointer and writes
// rows at the output CB's write pointer, so each row of tiles is popped and
// pushed before the next.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "TTKernelValues.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Target/Hardware.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::ttl;

namespace {

/// The CB of a bound DFB (its compile-time argument).
FailureOr<Value> cbOf(PatternRewriter &b, Operation *op, Value dfb) {
  auto bind = dfb ? dfb.getDefiningOp<BindDFBOp>() : BindDFBOp();
  if (!bind)
    return b.notifyMatchFailure(op, "a DFB that is not bound in the thread");
  return boundCB(b, op->getLoc(), bind);
}

/// A loop over `count` rows of tiles, `body` given the row as i32.
void forEachRow(PatternRewriter &b, Location loc, int64_t count,
                function_ref<void(Value)> body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, zero, arith::ConstantIndexOp::create(b, loc, count), one);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  body(arith::IndexCastOp::create(b, loc, b.getI32Type(),
                                  loop.getInductionVar()));
}

/// Rows of tiles of a tiled block (every batch's, one after the other).
int64_t tileRows(ArrayRef<int64_t> tiles) {
  int64_t rows = 1;
  for (int64_t d : tiles.drop_back())
    rows *= d;
  return rows;
}

/// tilize_init(icb, C, ocb); for each row r of tiles: tilize_block(icb, C,
/// ocb, r * C, r * C) (input_tile_index / C picks the row of the row-major
/// input); tilize_uninit(icb, ocb).
struct TilizeLowering : OpRewritePattern<TilizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TilizeOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    FailureOr<Value> icb = cbOf(b, op, getBlockDFB(op.getInput()));
    FailureOr<Value> ocb = cbOf(b, op, getBlockDFB(op.getBlock()));
    if (failed(icb) || failed(ocb))
      return failure();
    ArrayRef<int64_t> tiles = op.getBlock().getType().getShape();
    Value width = i32Const(b, loc, tiles.back());
    ttkernel::TilizeInitOp::create(b, loc, *icb, width, *ocb);
    forEachRow(b, loc, tileRows(tiles), [&](Value row) {
      Value first = arith::MulIOp::create(b, loc, row, width);
      ttkernel::TilizeBlockOp::create(b, loc, *icb, width, *ocb, first, first);
    });
    ttkernel::TilizeUninitOp::create(b, loc, *icb, *ocb);
    b.eraseOp(op);
    return success();
  }
};

/// The widest block of a row C tiles wide that divides it and fits DST in
/// either mode (pack_untilize_block takes a block through DST at once).
int64_t untilizeBlockWidth(int64_t cols) {
  int64_t width = std::min<int64_t>(cols, ttlx_hw::kDstTiles32);
  while (cols % width != 0)
    --width;
  return width;
}

/// cb_wait_front(icb, P); cb_reserve_back(ocb, P); pack_untilize_init<B,
/// C>(icb, ocb); for each row of tiles: pack_untilize_block<B, C>(icb, 1,
/// ocb, k) for each block k of the row, then cb_pop_front(icb, C) and
/// cb_push_back(ocb, C); pack_untilize_uninit(ocb). P is a block's pages
/// (its tiles, as many as its rows of elements fill).
struct UntilizeLowering : OpRewritePattern<UntilizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(UntilizeOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    FailureOr<Value> icb = cbOf(b, op, op.getInput());
    FailureOr<Value> ocb = cbOf(b, op, op.getOutput());
    if (failed(icb) || failed(ocb))
      return failure();
    auto in = cast<DFBType>(op.getInput().getType());
    ArrayRef<int64_t> tiles = in.getShape();
    int64_t cols = tiles.back(), width = untilizeBlockWidth(cols);
    Value pages = i32Const(b, loc, in.getPagesPerBlock());
    ttkernel::CBWaitFrontOp::create(b, loc, *icb, pages);
    ttkernel::CBReserveBackOp::create(b, loc, *ocb, pages);
    auto block = static_cast<int32_t>(width), full = static_cast<int32_t>(cols);
    ttkernel::PackUntilizeInitOp::create(b, loc, *icb, *ocb, block, full);
    Value rowPages = i32Const(b, loc, cols);
    Value one = i32Const(b, loc, 1);
    forEachRow(b, loc, tileRows(tiles), [&](Value) {
      for (int64_t k = 0; k < cols / width; ++k)
        ttkernel::PackUntilizeBlockOp::create(b, loc, *icb, one, *ocb,
                                              i32Const(b, loc, k), block, full);
      ttkernel::CBPopFrontOp::create(b, loc, *icb, rowPages);
      ttkernel::CBPushBackOp::create(b, loc, *ocb, rowPages);
    });
    ttkernel::PackUntilizeUninitOp::create(b, loc, *ocb);
    b.eraseOp(op);
    return success();
  }
};
} // namespace

void mlir::ttl::populateTTLLayoutToTTKernelPatterns(
    RewritePatternSet &patterns) {
  patterns.add<TilizeLowering, UntilizeLowering>(patterns.getContext());
}
