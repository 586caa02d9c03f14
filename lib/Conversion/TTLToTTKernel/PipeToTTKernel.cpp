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
// only after every destination has cleared its mailbox.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "ttlx/Target/Hardware.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::ttl;

/// Semaphores per core on the device (tt-metal's NUM_SEMAPHORES).
static constexpr int64_t kSemaphoresPerCore = ttlx_hw::kSemaphoresPerCore;

FailureOr<PipeSemaphoreMap> mlir::ttl::assignPipeSemaphores(Operation *module) {
  SmallVector<PipeAttr> pipes;
  DenseMap<Attribute, Type> blockTypes;
  WalkResult walk = module->walk([&](Operation *op) {
    PipeAttr pipe;
    Value block;
    if (auto send = dyn_cast<PipeSendOp>(op))
      pipe = send.getPipe(), block = send.getBlock();
    else if (auto recv = dyn_cast<PipeRecvOp>(op))
      pipe = recv.getPipe(), block = recv.getBlock();
    else
      return WalkResult::advance();
    auto [it, inserted] = blockTypes.try_emplace(pipe, block.getType());
    if (inserted) {
      pipes.push_back(pipe);
      return WalkResult::advance();
    }
    if (it->second == block.getType())
      return WalkResult::advance();
    op->emitOpError() << "uses " << pipe << " with blocks of type "
                      << block.getType() << ", but the pipe carries "
                      << it->second
                      << " elsewhere in this module; both ends of a pipe use "
                         "the same block shape and element type";
    return WalkResult::interrupt();
  });
  if (walk.wasInterrupted())
    return failure();

  // Greedy colouring: the smallest id no conflicting earlier pipe uses.
  PipeSemaphoreMap ids;
  int64_t numMailboxes = 0, numDones = 0;
  for (auto [i, pipe] : llvm::enumerate(pipes)) {
    llvm::SmallBitVector mailboxTaken(pipes.size()), doneTaken(pipes.size());
    for (PipeAttr earlier : ArrayRef(pipes).take_front(i)) {
      const PipeSemaphores &used = ids.find(earlier)->second;
      if (earlier.sharesDestination(pipe))
        mailboxTaken.set(used.mailbox);
      if (earlier.getSrc() == pipe.getSrc())
        doneTaken.set(used.done);
    }
    int64_t mailbox = mailboxTaken.find_first_unset();
    int64_t done = doneTaken.find_first_unset();
    ids[pipe] = {mailbox, done};
    numMailboxes = std::max(numMailboxes, mailbox + 1);
    numDones = std::max(numDones, done + 1);
  }
  if (numMailboxes + numDones > kSemaphoresPerCore) {
    module->emitError() << "the pipes of this module need "
                        << numMailboxes + numDones << " semaphores per core ("
                        << numMailboxes << " mailboxes, " << numDones
                        << " completion counter(s)), but a core has "
                        << kSemaphoresPerCore
                        << "; use fewer pipes that share a core";
    return failure();
  }
  // Done counters live after the mailboxes.
  for (auto &entry : ids)
    entry.second.done += numMailboxes;
  return ids;
}

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
struct PipePatternBase {
  PipePatternBase(const PipeSemaphoreMap &semaphores)
      : semaphores(semaphores) {}
  PipeSemaphores idsOf(PipeAttr pipe) const {
    return semaphores.find(pipe)->second;
  }
  const PipeSemaphoreMap &semaphores;
};

/// Publishes the block's address in every destination's mailbox.
struct PipeSendLowering : OpConversionPattern<PipeSendOp>, PipePatternBase {
  PipeSendLowering(const TypeConverter &converter, MLIRContext *context,
                   const PipeSemaphoreMap &semaphores)
      : OpConversionPattern(converter, context), PipePatternBase(semaphores) {}

  LogicalResult
  matchAndRewrite(PipeSendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    PipeAttr pipe = op.getPipe();
    int64_t mailbox = idsOf(pipe).mailbox;
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

struct PipeWaitLowering : OpConversionPattern<WaitOp>, PipePatternBase {
  PipeWaitLowering(const TypeConverter &converter, MLIRContext *context,
                   const PipeSemaphoreMap &semaphores)
      : OpConversionPattern(converter, context, /*benefit=*/2),
        PipePatternBase(semaphores) {}

  LogicalResult
  matchAndRewrite(WaitOp op, OneToNOpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Operation *transfer = op.getHandle().getDefiningOp();
    if (auto send = dyn_cast_or_null<PipeSendOp>(transfer)) {
      PipeAttr pipe = send.getPipe();
      Value done = ttkernel::GetSemaphoreOp::create(
          rewriter, loc, rewriter.getI32Type(), idsOf(pipe).done);
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
    PipeSemaphores ids = idsOf(pipe);
    Value block = rewriter.getRemappedValue(recv.getBlock());
    if (!block)
      return rewriter.notifyMatchFailure(op, "block not converted yet");
    auto blockType = cast<RankedTensorType>(recv.getBlock().getType());
    int64_t bytes = blockType.getNumElements() *
                    cast<TileType>(blockType.getElementType()).getSizeInBytes();
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
    const TTLToTTKernelTypeConverter &typeConverter,
    const PipeSemaphoreMap &semaphores, RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<PipeSendLowering, PipeWaitLowering>(typeConverter, context,
                                                   semaphores);
  patterns.add<PipeRecvLowering>(typeConverter, context);
}
