//===- SemaphoreToTTKernel.cpp - ttl.Semaphore to TTKernel --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A ttl.Semaphore is tt-metal semaphore `id` (its L1 word `get_semaphore(id)`
// on every core): a local wait or set is noc_semaphore_wait(_min) /
// noc_semaphore_set on it; a remote set writes the word on the node over the
// NOC (noc_inline_dw_write), a remote increment is noc_semaphore_inc; a
// multicast set writes it on each node of the rectangle in turn (the loop a
// kernel without noc_semaphore_set_multicast writes; the calling node
// included when it is in the rectangle).
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::ttl;

namespace {

Value semaphoreAddr(OpBuilder &b, Location loc, int64_t id) {
  return ttkernel::GetSemaphoreOp::create(b, loc, b.getI32Type(), id);
}

/// The NOC address of the semaphore word at `local` on node (x, y).
Value remoteAddr(OpBuilder &b, Location loc, Value x, Value y, Value local) {
  auto i32 = [&](Value v) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), v).getResult();
  };
  return ttkernel::GetNocAddrOp::create(b, loc, b.getI64Type(), i32(x), i32(y),
                                        local);
}

struct WaitLowering : OpConversionPattern<SemaphoreWaitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SemaphoreWaitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value addr = semaphoreAddr(rewriter, op.getLoc(), op.getSemaphore());
    if (op.getAtLeast())
      rewriter.replaceOpWithNewOp<ttkernel::NocSemaphoreWaitMinOp>(
          op, addr, adaptor.getValue());
    else
      rewriter.replaceOpWithNewOp<ttkernel::NocSemaphoreWaitOp>(
          op, addr, adaptor.getValue());
    return success();
  }
};

struct SetLowering : OpConversionPattern<SemaphoreSetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SemaphoreSetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value addr = semaphoreAddr(rewriter, op.getLoc(), op.getSemaphore());
    rewriter.replaceOpWithNewOp<ttkernel::NocSemaphoreSetOp>(
        op, addr, adaptor.getValue());
    return success();
  }
};

/// A set or increment of node (x, y)'s word: `Target` (noc_inline_dw_write
/// or noc_semaphore_inc) on its NOC address.
template <typename Source, typename Target>
struct RemoteLowering : OpConversionPattern<Source> {
  using OpConversionPattern<Source>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Source op, typename Source::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value local = semaphoreAddr(rewriter, loc, op.getSemaphore());
    rewriter.replaceOpWithNewOp<Target>(
        op, remoteAddr(rewriter, loc, adaptor.getX(), adaptor.getY(), local),
        adaptor.getValue());
    return success();
  }
};

struct MulticastSetLowering : OpConversionPattern<SemaphoreMulticastSetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SemaphoreMulticastSetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value local = semaphoreAddr(rewriter, loc, op.getSemaphore());
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto xs = scf::ForOp::create(rewriter, loc, adaptor.getX0(),
                                 adaptor.getX1(), one);
    rewriter.setInsertionPointToStart(xs.getBody());
    auto ys = scf::ForOp::create(rewriter, loc, adaptor.getY0(),
                                 adaptor.getY1(), one);
    rewriter.setInsertionPointToStart(ys.getBody());
    ttkernel::NocInlineDwWriteOp::create(
        rewriter, loc,
        remoteAddr(rewriter, loc, xs.getInductionVar(), ys.getInductionVar(),
                   local),
        adaptor.getValue());
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void mlir::ttl::populateSemaphoreToTTKernelPatterns(
    RewritePatternSet &patterns) {
  patterns.add<
      WaitLowering, SetLowering,
      RemoteLowering<SemaphoreRemoteSetOp, ttkernel::NocInlineDwWriteOp>,
      RemoteLowering<SemaphoreRemoteIncOp, ttkernel::NocSemaphoreIncOp>,
      MulticastSetLowering>(patterns.getContext());
}
