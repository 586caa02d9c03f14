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

/// Whether `op` divides signed: its smallest dividend divided by -1
/// overflows (on x86 the host's divide traps).
static bool isSignedDivision(Operation *op) {
  return isa<arith::DivSIOp, arith::FloorDivSIOp, arith::CeilDivSIOp,
             arith::RemSIOp>(op);
}

/// "integer division at FILE:LINE:COL" (without the location when unknown).
static std::string divisionAt(Location loc) {
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "integer division";
  if (auto file = loc->findInstanceOf<FileLineColLoc>())
    os << " at " << file.getFilename().getValue() << ":" << file.getLine()
       << ":" << file.getColumn();
  return message;
}

/// Whether `value` is a constant other than `excluded`.
static bool isConstantOtherThan(Value value, const APInt &excluded) {
  APInt constant;
  return matchPattern(value, m_ConstantInt(&constant)) &&
         constant.getBitWidth() == excluded.getBitWidth() &&
         constant != excluded;
}

static void assertNonZero(OpBuilder &b, Location loc, Value divisor) {
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(divisor.getType()));
  Value ok =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, divisor, zero);
  ttkernel::AssertOp::create(
      b, loc, ok,
      b.getStringAttr(divisionAt(loc) +
                      ": division by zero (the divisor of // or % is a "
                      "run-time value that is 0; a Tensix RISC-V core would "
                      "not stop but go on with a meaningless quotient or "
                      "remainder)"));
}

/// ASSERT(!(dividend == MIN && divisor == -1)): Python's MIN // -1 is
/// -MIN, which the type cannot hold.
static void assertNoOverflow(OpBuilder &b, Operation *division) {
  Location loc = division->getLoc();
  Value dividend = division->getOperand(0), divisor = division->getOperand(1);
  Type type = divisor.getType();
  unsigned width = isa<IndexType>(type) ? 64 : type.getIntOrFloatBitWidth();
  APInt min = APInt::getSignedMinValue(width);
  APInt minusOne = APInt::getAllOnes(width);
  if (isConstantOtherThan(dividend, min) ||
      isConstantOtherThan(divisor, minusOne))
    return;
  auto constant = [&](const APInt &v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
  };
  Value notMin = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                       dividend, constant(min));
  Value notMinusOne = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne, divisor, constant(minusOne));
  Value ok = arith::OrIOp::create(b, loc, notMin, notMinusOne);
  std::string message;
  llvm::raw_string_ostream os(message);
  os << divisionAt(loc) << ": overflow: the smallest " << width
     << "-bit integer (" << min.getSExtValue() << ") divided by -1 is ";
  min.print(os, /*isSigned=*/false);
  os << ", which " << width
     << " bits cannot hold (a Tensix RISC-V core would go on with "
     << min.getSExtValue() << ")";
  ttkernel::AssertOp::create(b, loc, ok, b.getStringAttr(message));
}

namespace {
struct AssertDivisorsPass
    : ttkernel::impl::TTKernelAssertDivisorsBase<AssertDivisorsPass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      Value divisor = divisorOf(op);
      if (!divisor || op->hasAttr(ttkernel::kDivisorChecked) ||
          !isa<IntegerType, IndexType>(divisor.getType()))
        return;
      Location loc = op->getLoc();
      OpBuilder b(op);
      if (isSignedDivision(op))
        assertNoOverflow(b, op);
      APInt value;
      if (!matchPattern(divisor, m_ConstantInt(&value)) || value.isZero())
        assertNonZero(b, loc, divisor);
    });
  }
};
} // namespace
