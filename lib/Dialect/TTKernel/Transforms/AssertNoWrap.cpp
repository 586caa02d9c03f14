//===- AssertNoWrap.cpp - ASSERT after integer ops that must not wrap -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::ttkernel {
#define GEN_PASS_DEF_TTKERNELASSERTNOWRAP
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h.inc"
} // namespace mlir::ttkernel

using namespace mlir;

namespace {

/// Builds the check of one flagged op in its operands' signed type (index
/// as i64: EmitC makes index an unsigned size_t).
class Checker {
public:
  Checker(Operation *op)
      : op_(op), b_(op->getContext()), loc_(op->getLoc()) {
    b_.setInsertionPointAfter(op);
  }

  /// Inserts the ASSERT; false for an op this pass does not check.
  bool run() {
    return TypeSwitch<Operation *, bool>(op_)
        .Case([&](arith::AddIOp op) {
          Value a = wide(op.getLhs()), b = wide(op.getRhs());
          Value r = wide(op.getResult());
          // r < a exactly when b < 0, unless the sum wrapped.
          Value ok = cmp(arith::CmpIPredicate::eq,
                         cmp(arith::CmpIPredicate::slt, r, a),
                         cmp(arith::CmpIPredicate::slt, b, constant(0)));
          return emit(ok, "addition", "the sum");
        })
        .Case([&](arith::SubIOp op) {
          Value b = wide(op.getRhs());
          if (matchPattern(op.getLhs(), m_Zero()))
            return emitNegation(
                cmp(arith::CmpIPredicate::ne, b, constant(minValue())));
          Value a = wide(op.getLhs()), r = wide(op.getResult());
          // r < a exactly when b > 0, unless the difference wrapped.
          Value ok = cmp(arith::CmpIPredicate::eq,
                         cmp(arith::CmpIPredicate::slt, r, a),
                         cmp(arith::CmpIPredicate::sgt, b, constant(0)));
          return emit(ok, "subtraction", "the difference");
        })
        .Case([&](arith::MulIOp op) {
          return emit(productFits(op), "multiplication", "the product");
        })
        .Case([&](arith::TruncIOp op) {
          // The value comes back when widened again.
          Value back = arith::ExtSIOp::create(b_, loc_, op.getIn().getType(),
                                              op.getResult());
          Value ok = arith::CmpIOp::create(b_, loc_, arith::CmpIPredicate::eq,
                                           back, op.getIn());
          return emit(ok, "conversion", "the value");
        })
        .Default([](Operation *) { return false; });
  }

  /// Inserts the ASSERTs before a float-to-integer conversion (C++ leaves
  /// converting NaN or a value outside the type undefined, so the check
  /// must come first): the operand is a number, and it truncates into the
  /// result's range. Both bounds are powers of two, exact in every float
  /// type: x >= MIN and x < -MIN.
  void runConversion(arith::FPToSIOp op) {
    b_.setInsertionPoint(op);
    Value x = op.getIn();
    auto floatType = cast<FloatType>(x.getType());
    auto bound = [&](const APInt &v) -> Value {
      APFloat f(floatType.getFloatSemantics());
      f.convertFromAPInt(v, /*IsSigned=*/true, APFloat::rmTowardZero);
      return arith::ConstantOp::create(b_, loc_, b_.getFloatAttr(floatType, f));
    };
    auto cmpf = [&](arith::CmpFPredicate p, Value a, Value c) -> Value {
      return arith::CmpFOp::create(b_, loc_, p, a, c);
    };
    std::string nan = at("conversion", "float");
    nan += ": int() of NaN: a NaN has no integer value (a Tensix core would go on with "
           "a meaningless integer)";
    ttkernel::AssertOp::create(b_, loc_, cmpf(arith::CmpFPredicate::ORD, x, x),
                               b_.getStringAttr(nan));
    APInt low = minValue();
    Value ok = arith::AndIOp::create(
        b_, loc_, cmpf(arith::CmpFPredicate::OGE, x, bound(low)),
        cmpf(arith::CmpFPredicate::OLT, x, bound(-low.sext(width() + 1))));
    std::string message;
    llvm::raw_string_ostream os(message);
    os << at("conversion", "float") << ": int() of a float outside the "
       << width() << "-bit range [" << low.getSExtValue() << ", "
       << maxValue().getSExtValue()
       << "]: its integer part does not fit (a Tensix core would go on with "
          "a meaningless integer)";
    ttkernel::AssertOp::create(b_, loc_, ok, b_.getStringAttr(message));
  }

private:
  unsigned width() const {
    Type type = op_->getResult(0).getType();
    return isa<IndexType>(type) ? 64 : type.getIntOrFloatBitWidth();
  }
  Type wideType() {
    Type type = op_->getResult(0).getType();
    return isa<IndexType>(type) ? b_.getI64Type() : type;
  }
  APInt minValue() const { return APInt::getSignedMinValue(width()); }
  APInt maxValue() const { return APInt::getSignedMaxValue(width()); }

  Value wide(Value v) {
    if (!isa<IndexType>(v.getType()))
      return v;
    return arith::IndexCastOp::create(b_, loc_, b_.getI64Type(), v);
  }
  Value constant(const APInt &v) {
    return arith::ConstantOp::create(b_, loc_,
                                     b_.getIntegerAttr(wideType(), v));
  }
  Value constant(int64_t v) {
    return constant(APInt(width(), v, /*isSigned=*/true));
  }
  Value cmp(arith::CmpIPredicate p, Value a, Value b) {
    return arith::CmpIOp::create(b_, loc_, p, a, b);
  }

  /// Whether a * b did not wrap: in twice the width for i32 and narrower;
  /// for 64 bits, r / a == b (a != 0, -1), and b != MIN when a is -1. The
  /// division's divisor is never 0 or -1 (ttkernel-assert-divisors leaves
  /// it alone).
  Value productFits(arith::MulIOp op) {
    if (width() <= 32) {
      Type twice = b_.getIntegerType(2 * width());
      auto ext = [&](Value v) {
        return arith::ExtSIOp::create(b_, loc_, twice, v);
      };
      Value exact = arith::MulIOp::create(b_, loc_, ext(op.getLhs()),
                                          ext(op.getRhs()));
      return cmp(arith::CmpIPredicate::eq, exact, ext(op.getResult()));
    }
    Value a = wide(op.getLhs()), b = wide(op.getRhs());
    Value r = wide(op.getResult());
    Value aZero = cmp(arith::CmpIPredicate::eq, a, constant(0));
    Value aMinusOne = cmp(arith::CmpIPredicate::eq, a, constant(-1));
    Value one = constant(1);
    Value divisor = arith::SelectOp::create(
        b_, loc_, arith::OrIOp::create(b_, loc_, aZero, aMinusOne), one, a);
    auto quotient = arith::DivSIOp::create(b_, loc_, r, divisor);
    quotient->setAttr(ttkernel::kDivisorChecked, b_.getUnitAttr());
    Value exact = arith::OrIOp::create(
        b_, loc_, aZero,
        cmp(arith::CmpIPredicate::eq, quotient.getResult(), b));
    Value notMin = cmp(arith::CmpIPredicate::ne, b, constant(minValue()));
    return arith::SelectOp::create(b_, loc_, aMinusOne, notMin, exact);
  }

  std::string at(StringRef what, StringRef kind = "integer") const {
    std::string message;
    llvm::raw_string_ostream os(message);
    os << kind << " " << what;
    if (auto file = loc_->findInstanceOf<FileLineColLoc>())
      os << " at " << file.getFilename().getValue() << ":" << file.getLine()
         << ":" << file.getColumn();
    return message;
  }

  bool emit(Value ok, StringRef what, StringRef result) {
    std::string message;
    llvm::raw_string_ostream os(message);
    os << at(what) << ": overflow: " << result << " is outside the "
       << width() << "-bit range [" << minValue().getSExtValue() << ", "
       << maxValue().getSExtValue()
       << "] (a Tensix RISC-V core would go on with it wrapped around)";
    ttkernel::AssertOp::create(b_, loc_, ok, b_.getStringAttr(message));
    return true;
  }

  bool emitNegation(Value ok) {
    std::string message;
    llvm::raw_string_ostream os(message);
    os << at("negation (-x or abs(x))") << ": overflow: the smallest "
       << width() << "-bit integer (" << minValue().getSExtValue()
       << ") negated is ";
    minValue().print(os, /*isSigned=*/false);
    os << ", which " << width()
       << " bits cannot hold (a Tensix RISC-V core would go on with "
       << minValue().getSExtValue() << ")";
    ttkernel::AssertOp::create(b_, loc_, ok, b_.getStringAttr(message));
    return true;
  }

  Operation *op_;
  OpBuilder b_;
  Location loc_;
};

bool hasNoSignedWrap(Operation *op) {
  auto flags = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op);
  return flags && flags.hasNoSignedWrap() &&
         isa<IntegerType, IndexType>(op->getResult(0).getType());
}

void dropNoSignedWrap(Operation *op) {
  auto flags = cast<arith::ArithIntegerOverflowFlagsInterface>(op);
  op->setAttr(flags.getIntegerOverflowAttrName(),
              arith::IntegerOverflowFlagsAttr::get(
                  op->getContext(), flags.getOverflowAttr().getValue() &
                                        ~arith::IntegerOverflowFlags::nsw));
}

struct AssertNoWrapPass
    : ttkernel::impl::TTKernelAssertNoWrapBase<AssertNoWrapPass> {
  void runOnOperation() override {
    SmallVector<Operation *> flagged;
    getOperation().walk([&](Operation *op) {
      if (hasNoSignedWrap(op))
        flagged.push_back(op);
    });
    for (Operation *op : flagged)
      if (Checker(op).run())
        dropNoSignedWrap(op);
    SmallVector<arith::FPToSIOp> conversions;
    getOperation().walk([&](arith::FPToSIOp op) {
      if (op->hasAttr(ttkernel::kMustFit))
        conversions.push_back(op);
    });
    for (arith::FPToSIOp op : conversions) {
      Checker(op).runConversion(op);
      op->removeAttr(ttkernel::kMustFit);
    }
  }
};

} // namespace
