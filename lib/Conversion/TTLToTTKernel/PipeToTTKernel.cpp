//===- PipeToTTKernel.cpp - TTL pipes to TTKernel -----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A pipe is a pull protocol on two semaphores per pipe:
//   send (source):   write the block's L1 address into each destination's
//                    mailbox;
//   wait on send:    wait until all destinations have read it (done == n),
//                    then reset done;
//   wait on receive: wait for a mailbox address, NOC-read the block from the
//                    source, clear the mailbox, increment the source's done.
// The receiver reads from the block the source still holds, so the source
// may release it only after its wait; the source publishes the next block
// only after every destination has cleared its mailbox. The semaphore ids
// come from `ttl-assign-pipe-semaphores` (`ttl.pipe_semaphores` on each
// pipe op).
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::ttl;

static Value i32Const(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, v, 32);
}

/// The NOC address of semaphore `id` on core (x, y).
static Value remoteSemaphore(OpBuilder &b, Location loc, int64_t x, int64_t y,
                             int64_t id) {
  Value local = ttkernel::GetSemaphoreOp::create(b, loc, b.getI32Type(), id);
  return ttkernel::GetNocAddrOp::create(b, loc, b.getI64Type(),
                                        i32Const(b, loc, x),
                                        i32Const(b, loc, y), local);
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

/// Publishes the block's address in every destination's mailbox.
struct PipeSendLowering : OpConversionPattern<PipeSendOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PipeSendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    PipeAttr pipe = op.getPipe();
    int64_t mailbox = semaphoresOf(op).mailbox;
    for (int64_t x = pipe.getDstLo()[0]; x < pipe.getDstHi()[0]; ++x)
      for (int64_t y = pipe.getDstLo()[1]; y < pipe.getDstHi()[1]; ++y)
        ttkernel::NocInlineDwWriteOp::create(
            rewriter, loc, remoteSemaphore(rewriter, loc, x, y, mailbox),
            adaptor.getBlock());
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

struct PipeWaitLowering : OpConversionPattern<WaitOp> {
  PipeWaitLowering(const TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern(converter, context, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(WaitOp op, OneToNOpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Operation *transfer = op.getHandle().getDefiningOp();
    if (auto send = dyn_cast_or_null<PipeSendOp>(transfer)) {
      PipeAttr pipe = send.getPipe();
      Value done = ttkernel::GetSemaphoreOp::create(
          rewriter, loc, rewriter.getI32Type(), semaphoresOf(send).done);
      ttkernel::NocSemaphoreWaitOp::create(
          rewriter, loc, done, i32Const(rewriter, loc, pipe.getNumDestinations()));
      ttkernel::NocSemaphoreSetOp::create(rewriter, loc, done,
                                          i32Const(rewriter, loc, 0));
      rewriter.eraseOp(op);
      return success();
    }
    auto recv = dyn_cast_or_null<PipeRecvOp>(transfer);
    if (!recv)
      return rewriter.notifyMatchFailure(op, "not a pipe transfer");
    PipeAttr pipe = recv.getPipe();
    PipeSemaphores ids = semaphoresOf(recv);
    Value block = rewriter.getRemappedValue(recv.getBlock());
    if (!block)
      return rewriter.notifyMatchFailure(op, "block not converted yet");
    auto blockType = cast<RankedTensorType>(recv.getBlock().getType());
    Type unit = blockType.getElementType();
    int64_t bytes =
        blockType.getNumElements() *
        (isa<TileType>(unit)
             ? cast<TileType>(unit).getSizeInBytes()
             : cast<ElementType>(unit).getElementType().getIntOrFloatBitWidth() /
                   8);
    int64_t srcX = pipe.getSrc()[0], srcY = pipe.getSrc()[1];

    Value mailbox = ttkernel::GetSemaphoreOp::create(
        rewriter, loc, rewriter.getI32Type(), ids.mailbox);
    ttkernel::NocSemaphoreWaitMinOp::create(rewriter, loc, mailbox,
                                            i32Const(rewriter, loc, 1));
    Value source = ttkernel::L1LoadOp::create(
        rewriter, loc, rewriter.getI32Type(), mailbox, i32Const(rewriter, loc, 0));
    Value remote = ttkernel::GetNocAddrOp::create(
        rewriter, loc, rewriter.getI64Type(), i32Const(rewriter, loc, srcX),
        i32Const(rewriter, loc, srcY), source);
    ttkernel::NocAsyncReadOp::create(rewriter, loc, remote, block,
                                     i32Const(rewriter, loc, bytes));
    ttkernel::NocAsyncReadBarrierOp::create(rewriter, loc);
    ttkernel::NocSemaphoreSetOp::create(rewriter, loc, mailbox,
                                        i32Const(rewriter, loc, 0));
    ttkernel::NocSemaphoreIncOp::create(
        rewriter, loc, remoteSemaphore(rewriter, loc, srcX, srcY, ids.done),
        i32Const(rewriter, loc, 1));
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void mlir::ttl::populatePipeToTTKernelPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<PipeSendLowering, PipeRecvLowering, PipeWaitLowering>(
      typeConverter, patterns.getContext());
}
