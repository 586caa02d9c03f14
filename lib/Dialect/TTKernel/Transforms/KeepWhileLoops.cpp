//===- KeepWhileLoops.cpp - keep loops that may never end -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::ttkernel {
#define GEN_PASS_DEF_TTKERNELKEEPWHILELOOPS
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h.inc"
} // namespace mlir::ttkernel

using namespace mlir;

namespace {
struct KeepWhileLoopsPass
    : ttkernel::impl::TTKernelKeepWhileLoopsBase<KeepWhileLoopsPass> {
  void runOnOperation() override {
    // Innermost loops first: once marked, the loops around them have a side
    // effect too and need no mark of their own.
    getOperation().walk([](scf::WhileOp loop) {
      if (!isMemoryEffectFree(loop))
        return;
      OpBuilder b = OpBuilder::atBlockBegin(loop.getAfterBody());
      ttkernel::SideEffectOp::create(b, loop.getLoc());
    });
  }
};
} // namespace
