//===- PipeToTTKernel.cpp - TTL pipes to TTKernel -----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A pipe is a staged pull protocol on two semaphores per pipe and a staging
// DFB on its source (`ttl.pipe_staging`):
//   send (source):   wait until every destination has read the previously
//                    staged block (done == 0), set done to the number of
//                    destinations, copy the block into the staging DFB and
//                    write the staging address into each destination's
//                    mailbox; the block is then free;
//   wait on send:    nothing more;
//   wait on receive: wait for a mailbox address, NOC-read the staged block
//                    from the source, clear the mailbox, decrement the
//                    source's done (an increment by 2^32 - 1, as the NOC's
//                    atomic increment wraps).
// So a send completes whether or not its destinations have posted their
// receives (a node may send to itself, or every node of a ring send before
// it receives), and a second send on a pipe waits for the first to be read.
// The semaphore ids and the staging DFB come from
// `ttl-assign-pipe-semaphores`.
//
// A pipe family (`repeat [cx, cy] step [sx, sy]`) is lowered once, for the
// core's own member: a send's destinations are the core's coordinates plus
// the pipe's offsets, a receive's source is found from the core's
// coordinates by a division by the step. A multicast publishes in a loop
// over its destination rectangle, so a kernel's code grows neither with the
// pipes of a family nor with the cores a pipe reaches.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "TTKernelValues.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::ttl;

/// The NOC address of semaphore `id` on core (x, y) (i32 values).
static Value remoteSemaphore(OpBuilder &b, Location loc, Value x, Value y,
                             int64_t id) {
  Value local = ttkernel::GetSemaphoreOp::create(b, loc, b.getI32Type(), id);
  return ttkernel::GetNocAddrOp::create(b, loc, b.getI64Type(), x, y, local);
}

/// This core's grid coordinate along `dim`, as an i32.
static Value myCoordinate(OpBuilder &b, Location loc, unsigned dim) {
  Value index =
      dim == 0 ? ttkernel::MyLogicalXOp::create(b, loc, b.getIndexType())
                     .getResult()
               : ttkernel::MyLogicalYOp::create(b, loc, b.getIndexType())
                     .getResult();
  return arith::IndexCastOp::create(b, loc, b.getI32Type(), index);
}

/// The coordinate along `dim` of this core's member of `pipe` that `of`
/// (the member's source or first destination) gives: the constant for a
/// single pipe, else `of + (core - at)` with `at` the first member's
/// coordinate that this core is (`at` the source: a send), or
/// `of + ((core - at) / step) * step` (`at` the first destination: a
/// receive, the core anywhere in its member's range).
static Value memberCoordinate(OpBuilder &b, Location loc, PipeAttr pipe,
                              unsigned dim, int64_t of, int64_t at,
                              bool inRange) {
  if (pipe.getCountAlong(dim) == 1)
    return i32Const(b, loc, of);
  Value offset = arith::SubIOp::create(b, loc, myCoordinate(b, loc, dim),
                                       i32Const(b, loc, at));
  int64_t step = pipe.getStepAlong(dim);
  if (inRange && step > 1) {
    Value stepValue = i32Const(b, loc, step);
    offset = arith::MulIOp::create(
        b, loc, arith::DivSIOp::create(b, loc, offset, stepValue), stepValue);
  }
  return arith::AddIOp::create(b, loc, i32Const(b, loc, of), offset);
}

/// Calls `body(x, y)` for each core (i32 coordinates) of the rectangle of
/// `extent` cores from (x0, y0): directly for one core, else in loops.
static void forEachCore(OpBuilder &b, Location loc, Value x0, Value y0,
                        ArrayRef<int64_t> extent,
                        function_ref<void(Value, Value)> body) {
  if (extent[0] == 1 && extent[1] == 1)
    return body(x0, y0);
  auto span = [&](Value from, int64_t count,
                  function_ref<void(Value)> inner) {
    if (count == 1)
      return inner(from);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value end = arith::ConstantIndexOp::create(b, loc, count);
    auto loop = scf::ForOp::create(b, loc, zero, end, one);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value k = arith::IndexCastOp::create(b, loc, b.getI32Type(),
                                         loop.getInductionVar());
    inner(arith::AddIOp::create(b, loc, from, k));
  };
  span(x0, extent[0], [&](Value x) {
    span(y0, extent[1], [&](Value y) { body(x, y); });
  });
}

namespace {
/// The semaphore ids `ttl-assign-pipe-semaphores` gave the pipe of `op`.
struct PipeSemaphores {
  int64_t mailbox;
  int64_t done;
};
PipeSemaphores semaphoresOf(Operation *op) {
  auto ids = op->getAttrOfType<DenseI64ArrayAttr>(
      TTLDialect::getPipeSemaphoresAttrName());
  return {ids[0], ids[1]};
}

/// The bytes of one block of `blockType`.
static int64_t blockBytes(RankedTensorType blockType) {
  Type unit = blockType.getElementType();
  if (auto tile = dyn_cast<TileType>(unit))
    return blockType.getNumElements() * tile.getSizeInBytes();
  return blockType.getNumElements() *
         cast<ElementType>(unit).getElementType().getIntOrFloatBitWidth() / 8;
}

/// Stages the block once its previous contents are read, and publishes the
/// staging address in every destination's mailbox.
struct PipeSendLowering : OpConversionPattern<PipeSendOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PipeSendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    PipeAttr pipe = op.getPipe();
    PipeSemaphores ids = semaphoresOf(op);
    auto staging =
        op->getAttrOfType<IntegerAttr>(TTLDialect::getPipeStagingAttrName());
    if (!staging)
      return op.emitOpError() << "has no staging DFB; run "
                                 "ttl-assign-pipe-semaphores first";
    auto func = op->getParentOfType<FunctionOpInterface>();
    Value cb = ttkernel::GetCompileTimeArgValOp::create(
        rewriter, loc, ttkernel::CBType::get(getContext()),
        getBaseCTAIndex(func) + staging.getInt());
    Value stage =
        ttkernel::GetWritePtrOp::create(rewriter, loc, rewriter.getI32Type(), cb);
    // The destinations have read what this pipe staged before.
    Value done = ttkernel::GetSemaphoreOp::create(
        rewriter, loc, rewriter.getI32Type(), ids.done);
    ttkernel::NocSemaphoreWaitOp::create(rewriter, loc, done,
                                         i32Const(rewriter, loc, 0));
    ttkernel::NocSemaphoreSetOp::create(
        rewriter, loc, done, i32Const(rewriter, loc, pipe.getNumDestinations()));
    Value self = ttkernel::GetNocAddrOp::create(
        rewriter, loc, rewriter.getI64Type(), myCoordinate(rewriter, loc, 0),
        myCoordinate(rewriter, loc, 1), adaptor.getBlock());
    ttkernel::NocAsyncReadOp::create(
        rewriter, loc, self, stage,
        i32Const(rewriter, loc,
                 blockBytes(cast<RankedTensorType>(op.getBlock().getType()))));
    ttkernel::NocAsyncReadBarrierOp::create(rewriter, loc);
    // This core is the source of its member: destinations move with it.
    Value x0 = memberCoordinate(rewriter, loc, pipe, 0, pipe.getDstLo()[0],
                                pipe.getSrc()[0], /*inRange=*/false);
    Value y0 = memberCoordinate(rewriter, loc, pipe, 1, pipe.getDstLo()[1],
                                pipe.getSrc()[1], /*inRange=*/false);
    int64_t extent[] = {pipe.getDstHi()[0] - pipe.getDstLo()[0],
                        pipe.getDstHi()[1] - pipe.getDstLo()[1]};
    forEachCore(rewriter, loc, x0, y0, extent, [&](Value x, Value y) {
      ttkernel::NocInlineDwWriteOp::create(
          rewriter, loc, remoteSemaphore(rewriter, loc, x, y, ids.mailbox),
          stage);
    });
    rewriter.replaceOpWithMultiple(op, {ValueRange{}});
    return success();
  }
};

/// The receive happens at its wait.
struct PipeRecvLowering : OpConversionPattern<PipeRecvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PipeRecvOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithMultiple(op, {ValueRange{}});
    return success();
  }
};

/// Pulls the block `recv` is waiting for into `block`: waits for the
/// staging address in the mailbox, reads the block, clears the mailbox and
/// takes this destination off the source's `done`.
void receive(OpBuilder &b, Location loc, PipeRecvOp recv, Value block) {
  PipeAttr pipe = recv.getPipe();
  PipeSemaphores ids = semaphoresOf(recv);
  int64_t bytes = blockBytes(cast<RankedTensorType>(recv.getBlock().getType()));
  // This core lies in its member's destinations: the source moves with
  // the member.
  Value srcX = memberCoordinate(b, loc, pipe, 0, pipe.getSrc()[0],
                                pipe.getDstLo()[0], /*inRange=*/true);
  Value srcY = memberCoordinate(b, loc, pipe, 1, pipe.getSrc()[1],
                                pipe.getDstLo()[1], /*inRange=*/true);

  Value mailbox =
      ttkernel::GetSemaphoreOp::create(b, loc, b.getI32Type(), ids.mailbox);
  ttkernel::NocSemaphoreWaitMinOp::create(b, loc, mailbox, i32Const(b, loc, 1));
  Value source = ttkernel::L1LoadOp::create(b, loc, b.getI32Type(), mailbox,
                                            i32Const(b, loc, 0));
  Value remote =
      ttkernel::GetNocAddrOp::create(b, loc, b.getI64Type(), srcX, srcY, source);
  ttkernel::NocAsyncReadOp::create(b, loc, remote, block,
                                   i32Const(b, loc, bytes));
  ttkernel::NocAsyncReadBarrierOp::create(b, loc);
  ttkernel::NocSemaphoreSetOp::create(b, loc, mailbox, i32Const(b, loc, 0));
  ttkernel::NocSemaphoreIncOp::create(
      b, loc, remoteSemaphore(b, loc, srcX, srcY, ids.done),
      i32Const(b, loc, -1));
}

/// Whether a `ttl.wait_any` before `at` (in its block) selected `request`:
/// an i1, or null when no such `ttl.wait_any` exists. The verifier keeps a
/// request's `ttl.wait_any`s in the block that posted it, so each one
/// before `at` dominates it.
Value selectedBefore(ConversionPatternRewriter &rewriter, Location loc,
                     Operation *at, Value request) {
  Block *block = request.getDefiningOp()->getBlock();
  Operation *atInBlock = block->findAncestorOpInBlock(*at);
  Value selected;
  for (OpOperand &use : request.getUses()) {
    auto waitAny = dyn_cast<WaitAnyOp>(use.getOwner());
    if (!waitAny || waitAny == at || !atInBlock ||
        !waitAny->isBeforeInBlock(atInBlock))
      continue;
    Value index = rewriter.getRemappedValue(waitAny.getIndex());
    Value position = arith::ConstantIndexOp::create(
        rewriter, loc, use.getOperandNumber());
    Value hit = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                      index, position);
    selected = selected ? arith::OrIOp::create(rewriter, loc, selected, hit)
                        : hit;
  }
  return selected;
}

/// Emits `body` under `if (!selected)` (always, when `selected` is null).
void unlessSelected(ConversionPatternRewriter &rewriter, Location loc,
                    Value selected, function_ref<void()> body) {
  if (!selected)
    return body();
  Value pending = arith::XOrIOp::create(
      rewriter, loc, selected,
      arith::ConstantIntOp::create(rewriter, loc, 1, 1));
  auto ifOp = scf::IfOp::create(rewriter, loc, pending, /*withElse=*/false);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  body();
}

struct PipeWaitLowering : OpConversionPattern<WaitOp> {
  PipeWaitLowering(const TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern(converter, context, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(WaitOp op, OneToNOpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Operation *transfer = op.getHandle().getDefiningOp();
    if (isa_and_nonnull<PipeSendOp>(transfer)) {
      // The send staged the block: nothing is left to wait for.
      rewriter.eraseOp(op);
      return success();
    }
    auto recv = dyn_cast_or_null<PipeRecvOp>(transfer);
    if (!recv)
      return rewriter.notifyMatchFailure(op, "not a pipe transfer");
    Value block = rewriter.getRemappedValue(recv.getBlock());
    if (!block)
      return rewriter.notifyMatchFailure(op, "block not converted yet");
    // A receive a ttl.wait_any already completed is not pulled again.
    Value selected = selectedBefore(rewriter, loc, op, op.getHandle());
    unlessSelected(rewriter, loc, selected,
                   [&] { receive(rewriter, loc, recv, block); });
    rewriter.eraseOp(op);
    return success();
  }
};

/// Polls the candidates' mailboxes (after `invalidate_l1_cache`, as
/// tt-metal's semaphore waits poll) until one holds an address or was
/// selected by an earlier `ttl.wait_any`; the first in cyclic order from
/// `start` wins and is pulled unless it already was:
///   rank_k = (k + n - s) % n with s = start mod n in [0, n),
///   winner = argmin rank over ready k.
struct WaitAnyLowering : OpConversionPattern<WaitAnyOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(WaitAnyOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t n = op.getRequests().size();
    SmallVector<PipeRecvOp> recvs;
    SmallVector<Value> blocks, mailboxes, earlier;
    for (Value request : op.getRequests()) {
      auto recv = request.getDefiningOp<PipeRecvOp>();
      Value block = rewriter.getRemappedValue(recv.getBlock());
      if (!block)
        return rewriter.notifyMatchFailure(op, "block not converted yet");
      recvs.push_back(recv);
      blocks.push_back(block);
      mailboxes.push_back(ttkernel::GetSemaphoreOp::create(
          rewriter, loc, rewriter.getI32Type(), semaphoresOf(recv).mailbox));
      earlier.push_back(selectedBefore(rewriter, loc, op, request));
    }
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v).getResult();
    };
    // Signed remainders of non-negative values (EmitC has no unsigned
    // index remainder): start % n as Python computes it, in [0, n).
    Value count = index(n);
    auto mod = [&](Value v) {
      return arith::RemSIOp::create(rewriter, loc, v, count).getResult();
    };
    Value start = mod(arith::AddIOp::create(
        rewriter, loc, mod(llvm::getSingleElement(adaptor.getStart())), count));
    Value offset = arith::SubIOp::create(rewriter, loc, count, start);

    auto loop = scf::WhileOp::create(rewriter, loc, TypeRange{rewriter.getIndexType()},
                                     ValueRange{});
    {
      OpBuilder::InsertionGuard guard(rewriter);
      Block *before = rewriter.createBlock(&loop.getBefore());
      rewriter.setInsertionPointToStart(before);
      ttkernel::InvalidateL1CacheOp::create(rewriter, loc);
      Value best = count; // no candidate ready
      for (int64_t k = 0; k < n; ++k) {
        Value word = ttkernel::L1LoadOp::create(
            rewriter, loc, rewriter.getI32Type(), mailboxes[k],
            i32Const(rewriter, loc, 0));
        Value ready = arith::CmpIOp::create(rewriter, loc,
                                            arith::CmpIPredicate::ne, word,
                                            i32Const(rewriter, loc, 0));
        if (earlier[k])
          ready = arith::OrIOp::create(rewriter, loc, ready, earlier[k]);
        Value rank =
            mod(arith::AddIOp::create(rewriter, loc, index(k), offset));
        Value candidate =
            arith::SelectOp::create(rewriter, loc, ready, rank, count);
        best = arith::MinUIOp::create(rewriter, loc, best, candidate);
      }
      Value none = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                         best, count);
      scf::ConditionOp::create(rewriter, loc, none, ValueRange{best});
      Block *after = rewriter.createBlock(&loop.getAfter(), {},
                                          {rewriter.getIndexType()}, {loc});
      rewriter.setInsertionPointToStart(after);
      scf::YieldOp::create(rewriter, loc, ValueRange{});
    }
    Value selected =
        mod(arith::AddIOp::create(rewriter, loc, start, loop.getResult(0)));
    for (int64_t k = 0; k < n; ++k) {
      Value hit = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                        selected, index(k));
      if (earlier[k])
        hit = arith::AndIOp::create(
            rewriter, loc, hit,
            arith::XOrIOp::create(rewriter, loc, earlier[k],
                                  arith::ConstantIntOp::create(rewriter, loc, 1, 1)));
      auto ifOp = scf::IfOp::create(rewriter, loc, hit, /*withElse=*/false);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      receive(rewriter, loc, recvs[k], blocks[k]);
    }
    rewriter.replaceOp(op, selected);
    return success();
  }
};
} // namespace

void mlir::ttl::populatePipeToTTKernelPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<PipeSendLowering, PipeRecvLowering, PipeWaitLowering,
               WaitAnyLowering>(
      typeConverter, patterns.getContext());
}
