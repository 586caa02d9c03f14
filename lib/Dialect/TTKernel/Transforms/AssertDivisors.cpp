//===- AssertDivisors.cpp - ASSERT before integer divisions -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"

namespace mlir::ttkernel {
#define GEN_PASS_DEF_TTKERNELASSERTDIVISORS
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h.inc"
} // namespace mlir::ttkernel

using namespace mlir;

/// The divisor of an integer division or remainder, or null.
static Value divisorOf(Operation *op) {
  if (isa<arith::DivSIOp, arith::DivUIOp, arith::FloorDivSIOp,
          arith::CeilDivSIOp, arith::CeilDivUIOp, arith::RemSIOp,
          arith::RemUIOp>(op))
    return op->getOperand(1);
  return nullptr;
}

namespace {
struct AssertDivisorsPass
    : ttkernel::impl::TTKernelAssertDivisorsBase<AssertDivisorsPass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      Value divisor = divisorOf(op);
      APInt value;
      if (!divisor || !isa<IntegerType, IndexType>(divisor.getType()) ||
          (matchPattern(divisor, m_ConstantInt(&value)) && !value.isZero()))
        return;
      Location loc = op->getLoc();
      OpBuilder b(op);
      Value zero = arith::ConstantOp::create(
          b, loc, b.getZeroAttr(divisor.getType()));
      Value ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                       divisor, zero);
      std::string message;
      llvm::raw_string_ostream os(message);
      os << "integer division";
      if (auto file = loc->findInstanceOf<FileLineColLoc>())
        os << " at " << file.getFilename().getValue() << ":" << file.getLine()
           << ":" << file.getColumn();
      os << ": division by zero (the divisor of // or % is a run-time value "
            "that is 0; a Tensix RISC-V core would not stop but go on with a "
            "meaningless quotient or remainder)";
      ttkernel::AssertOp::create(b, loc, ok, b.getStringAttr(message));
    });
  }
};
} // namespace
