//===- EmulateScalarFloats.cpp - scalar floats as integer code --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "SoftFloat.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::ttkernel {
#define GEN_PASS_DEF_TTKERNELEMULATESCALARFLOATS
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h.inc"
} // namespace mlir::ttkernel

using namespace mlir;
using namespace mlir::ttl;
using namespace mlir::ttkernel::softfloat;
using arith::CmpFPredicate;
using arith::CmpIPredicate;

static bool isScalarFloat(Type type) { return type.isBF16() || type.isF32(); }

namespace {
/// The two kinds of function the pass lowers, one conversion each: on
/// data-movement cores (every function that is not a compute thread: no
/// FPU) bf16 and f32 scalars; on compute cores, which have an FPU but whose
/// C++ has no bf16 scalar type, bf16 scalars only (f32 stays a float).
enum class Cores { DataMovement, Compute };

Cores coresOf(Operation *op) {
  return getEnclosingThreadKind(op) == ThreadKind::Compute ? Cores::Compute
                                                           : Cores::DataMovement;
}

/// Whether scalars of `type` are emulated on `cores`.
bool isEmulated(Type type, Cores cores) {
  return cores == Cores::Compute ? type.isBF16() : isScalarFloat(type);
}

bool hasEmulated(TypeRange types, Cores cores) {
  return llvm::any_of(types, [&](Type t) { return isEmulated(t, cores); });
}

class ScalarFloatTypeConverter : public TypeConverter {
public:
  explicit ScalarFloatTypeConverter(Cores cores) {
    addConversion([](Type type) { return type; });
    addConversion([cores](FloatType type) -> Type {
      if (!isEmulated(type, cores))
        return type;
      return IntegerType::get(type.getContext(), type.getWidth());
    });
  }
};

/// Which helpers a binary float op calls.
std::optional<Helper> binaryHelper(Operation *op) {
  if (isa<arith::AddFOp>(op))
    return Helper::AddF32;
  if (isa<arith::SubFOp>(op))
    return Helper::SubF32;
  if (isa<arith::MulFOp>(op))
    return Helper::MulF32;
  if (isa<arith::DivFOp>(op))
    return Helper::DivF32;
  if (isa<arith::MaximumFOp>(op))
    return Helper::MaximumF32;
  if (isa<arith::MinimumFOp>(op))
    return Helper::MinimumF32;
  if (isa<arith::MaxNumFOp>(op))
    return Helper::MaxNumF32;
  if (isa<arith::MinNumFOp>(op))
    return Helper::MinNumF32;
  return std::nullopt;
}

/// The helpers `op` will call once lowered.
SmallVector<Helper> requiredHelpers(Operation *op) {
  SmallVector<Helper> helpers;
  if (std::optional<Helper> helper = binaryHelper(op)) {
    helpers.push_back(*helper);
    if (op->getResult(0).getType().isBF16())
      helpers.push_back(Helper::F32ToBF16);
  } else if (isa<arith::TruncFOp>(op)) {
    helpers.push_back(Helper::F32ToBF16);
  } else if (isa<arith::SIToFPOp>(op)) {
    helpers.push_back(Helper::I32ToF32);
    if (op->getResult(0).getType().isBF16())
      helpers.push_back(Helper::F32ToBF16);
  } else if (isa<arith::FPToSIOp>(op)) {
    helpers.push_back(Helper::F32ToI32);
  }
  return helpers;
}

/// Calls a helper that the pass added to the module before converting.
Value callHelper(OpBuilder &b, Location loc, Helper helper, ValueRange args) {
  auto module =
      b.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
  auto func = module.lookupSymbol<func::FuncOp>(getHelperName(helper));
  assert(func && "helper must be inserted before conversion");
  return func::CallOp::create(b, loc, func, args).getResult(0);
}

/// f32 bits of a converted scalar of original type `type` (a native f32 of
/// a compute core is bitcast).
Value toF32Bits(OpBuilder &b, Location loc, Value bits, Type type) {
  if (type.isBF16())
    return buildBF16ToF32(b, loc, bits);
  if (bits.getType().isF32())
    return arith::BitcastOp::create(b, loc, b.getI32Type(), bits);
  return bits;
}

/// f32 bits as a value of `converted` (a native f32 of a compute core is
/// bitcast back).
Value asConverted(OpBuilder &b, Location loc, Value bits, Type converted) {
  if (converted.isF32())
    return arith::BitcastOp::create(b, loc, converted, bits);
  return bits;
}

/// Converted scalar of type `type` from f32 bits (bf16 rounds to nearest
/// even).
Value fromF32Bits(OpBuilder &b, Location loc, Value bits, Type type) {
  return type.isBF16() ? callHelper(b, loc, Helper::F32ToBF16, bits) : bits;
}

struct ConstantLowering : OpConversionPattern<arith::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<FloatAttr>(op.getValue());
    if (!value || !isScalarFloat(op.getType()))
      return failure();
    Type type = getTypeConverter()->convertType(op.getType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, IntegerAttr::get(type, value.getValue().bitcastToAPInt()));
    return success();
  }
};

struct CmpFLowering : OpConversionPattern<arith::CmpFOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::CmpFOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type type = op.getLhs().getType();
    Value a = toF32Bits(rewriter, loc, adaptor.getLhs(), type);
    Value b = toF32Bits(rewriter, loc, adaptor.getRhs(), type);
    auto boolConst = [&](bool v) {
      return arith::ConstantIntOp::create(rewriter, loc, v, 1);
    };
    CmpFPredicate pred = op.getPredicate();
    if (pred == CmpFPredicate::AlwaysFalse ||
        pred == CmpFPredicate::AlwaysTrue) {
      rewriter.replaceOp(op, boolConst(pred == CmpFPredicate::AlwaysTrue));
      return success();
    }
    Value unordered = arith::OrIOp::create(rewriter, loc,
                                           buildIsNaN(rewriter, loc, a),
                                           buildIsNaN(rewriter, loc, b));
    if (pred == CmpFPredicate::UNO || pred == CmpFPredicate::ORD) {
      Value result = unordered;
      if (pred == CmpFPredicate::ORD)
        result = arith::XOrIOp::create(rewriter, loc, unordered,
                                       boolConst(true));
      rewriter.replaceOp(op, result);
      return success();
    }
    // Ordered predicate on keys, then fold in the NaN case.
    CmpIPredicate keyPred;
    bool isOrdered = true;
    switch (pred) {
    case CmpFPredicate::OEQ: keyPred = CmpIPredicate::eq; break;
    case CmpFPredicate::ONE: keyPred = CmpIPredicate::ne; break;
    case CmpFPredicate::OLT: keyPred = CmpIPredicate::slt; break;
    case CmpFPredicate::OLE: keyPred = CmpIPredicate::sle; break;
    case CmpFPredicate::OGT: keyPred = CmpIPredicate::sgt; break;
    case CmpFPredicate::OGE: keyPred = CmpIPredicate::sge; break;
    case CmpFPredicate::UEQ: keyPred = CmpIPredicate::eq; isOrdered = false; break;
    case CmpFPredicate::UNE: keyPred = CmpIPredicate::ne; isOrdered = false; break;
    case CmpFPredicate::ULT: keyPred = CmpIPredicate::slt; isOrdered = false; break;
    case CmpFPredicate::ULE: keyPred = CmpIPredicate::sle; isOrdered = false; break;
    case CmpFPredicate::UGT: keyPred = CmpIPredicate::sgt; isOrdered = false; break;
    case CmpFPredicate::UGE: keyPred = CmpIPredicate::sge; isOrdered = false; break;
    default:
      return failure();
    }
    Value keys = arith::CmpIOp::create(rewriter, loc, keyPred,
                                       buildOrderKey(rewriter, loc, a),
                                       buildOrderKey(rewriter, loc, b));
    Value result =
        isOrdered
            ? arith::AndIOp::create(
                  rewriter, loc, keys,
                  arith::XOrIOp::create(rewriter, loc, unordered,
                                        boolConst(true)))
            : arith::OrIOp::create(rewriter, loc, keys, unordered).getResult();
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// add/sub/mul/max/min: computed in f32 by a helper, rounded back for bf16.
template <typename SourceOp>
struct BinaryLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type type = op.getType();
    if (!isScalarFloat(type))
      return failure();
    Value a = toF32Bits(rewriter, loc, adaptor.getLhs(), type);
    Value b = toF32Bits(rewriter, loc, adaptor.getRhs(), type);
    Value result = callHelper(rewriter, loc, *binaryHelper(op), {a, b});
    rewriter.replaceOp(op, fromF32Bits(rewriter, loc, result, type));
    return success();
  }
};

/// negf flips the sign bit (xor with the sign mask); absf clears it (and
/// with everything but the sign bit).
template <typename SourceOp, typename BitOp, bool ClearSign>
struct SignBitLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = adaptor.getOperand().getType();
    unsigned width = type.getIntOrFloatBitWidth();
    APInt mask = ClearSign ? APInt::getSignedMaxValue(width)
                           : APInt::getSignMask(width);
    Value maskValue = arith::ConstantOp::create(rewriter, op.getLoc(),
                                                IntegerAttr::get(type, mask));
    rewriter.replaceOpWithNewOp<BitOp>(op, adaptor.getOperand(), maskValue);
    return success();
  }
};
using NegFLowering = SignBitLowering<arith::NegFOp, arith::XOrIOp, false>;
using AbsFLowering = SignBitLowering<math::AbsFOp, arith::AndIOp, true>;

struct ExtFLowering : OpConversionPattern<arith::ExtFOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::ExtFOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getIn().getType().isBF16() || !op.getType().isF32())
      return failure();
    Location loc = op.getLoc();
    rewriter.replaceOp(
        op, asConverted(rewriter, loc,
                        buildBF16ToF32(rewriter, loc, adaptor.getIn()),
                        getTypeConverter()->convertType(op.getType())));
    return success();
  }
};

struct TruncFLowering : OpConversionPattern<arith::TruncFOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::TruncFOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getIn().getType().isF32() || !op.getType().isBF16())
      return failure();
    Location loc = op.getLoc();
    rewriter.replaceOp(
        op, callHelper(rewriter, loc, Helper::F32ToBF16,
                       toF32Bits(rewriter, loc, adaptor.getIn(),
                                 op.getIn().getType())));
    return success();
  }
};

/// Integer operand of a conversion, as i32.
Value toI32(OpBuilder &b, Location loc, Value v) {
  Type i32 = b.getI32Type();
  if (v.getType().isIndex())
    return arith::IndexCastOp::create(b, loc, i32, v);
  unsigned width = v.getType().getIntOrFloatBitWidth();
  if (width < 32)
    return arith::ExtSIOp::create(b, loc, i32, v);
  if (width > 32)
    return arith::TruncIOp::create(b, loc, i32, v);
  return v;
}

Value fromI32(OpBuilder &b, Location loc, Value v, Type type) {
  if (type.isIndex())
    return arith::IndexCastOp::create(b, loc, type, v);
  unsigned width = type.getIntOrFloatBitWidth();
  if (width < 32)
    return arith::TruncIOp::create(b, loc, type, v);
  if (width > 32)
    return arith::ExtSIOp::create(b, loc, type, v);
  return v;
}

struct SIToFPLowering : OpConversionPattern<arith::SIToFPOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::SIToFPOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value bits = callHelper(rewriter, loc, Helper::I32ToF32,
                            toI32(rewriter, loc, adaptor.getIn()));
    rewriter.replaceOp(op, fromF32Bits(rewriter, loc, bits, op.getType()));
    return success();
  }
};

struct FPToSILowering : OpConversionPattern<arith::FPToSIOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::FPToSIOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value bits =
        toF32Bits(rewriter, loc, adaptor.getIn(), op.getIn().getType());
    Value result = callHelper(rewriter, loc, Helper::F32ToI32, bits);
    rewriter.replaceOp(op, fromI32(rewriter, loc, result, op.getType()));
    return success();
  }
};

struct BitcastLowering : OpConversionPattern<arith::BitcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::BitcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    if (type != adaptor.getIn().getType())
      return failure();
    rewriter.replaceOp(op, adaptor.getIn());
    return success();
  }
};

/// Ops that only carry a float through (select, L1 load/store): same op,
/// integer types.
struct RetypeLowering : ConversionPattern {
  RetypeLowering(const TypeConverter &converter, MLIRContext *context)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1,
                          context) {}
  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isa<arith::SelectOp, ttkernel::L1LoadOp, ttkernel::L1StoreOp>(op))
      return failure();
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return failure();
    OperationState state(op->getLoc(), op->getName(), operands, resultTypes,
                         op->getAttrs());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

/// DPRINT of an f32: its i32 bit pattern, marked in `f32_bits` so the C++
/// passes it to DPRINT as a float again.
struct DPrintLowering : OpConversionPattern<ttkernel::DPrintOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ttkernel::DPrintOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<bool> bits;
    bool dataMovement = coresOf(op) == Cores::DataMovement;
    for (auto [i, arg] : llvm::enumerate(op.getArgs()))
      bits.push_back((dataMovement && arg.getType().isF32()) ||
                     (op.getF32Bits() && (*op.getF32Bits())[i]));
    rewriter.replaceOpWithNewOp<ttkernel::DPrintOp>(
        op, op.getFormatAttr(), adaptor.getArgs(),
        rewriter.getDenseBoolArrayAttr(bits));
    return success();
  }
};

/// The float ops this pass knows how to lower.
bool isSupportedFloatOp(Operation *op) {
  return isa<arith::ConstantOp, arith::CmpFOp, arith::AddFOp, arith::SubFOp,
             arith::MulFOp, arith::DivFOp, arith::MaximumFOp, arith::MinimumFOp,
             arith::MaxNumFOp, arith::MinNumFOp, arith::NegFOp, math::AbsFOp,
             arith::ExtFOp, arith::TruncFOp, arith::SIToFPOp, arith::FPToSIOp,
             arith::BitcastOp, arith::SelectOp, ttkernel::L1LoadOp,
             ttkernel::L1StoreOp, func::FuncOp, func::ReturnOp, func::CallOp,
             scf::ForOp, scf::IfOp, scf::WhileOp, scf::YieldOp,
             scf::ConditionOp, ElementReadOp, ElementWriteOp,
             ttkernel::DPrintOp>(op);
}

/// Whether `op` has a value of a type emulated on its cores.
bool isEmulatedOp(Operation *op) {
  Cores cores = coresOf(op);
  if (hasEmulated(op->getOperandTypes(), cores) ||
      hasEmulated(op->getResultTypes(), cores))
    return true;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      if (hasEmulated(block.getArgumentTypes(), cores))
        return true;
  if (auto func = dyn_cast<FunctionOpInterface>(op))
    return hasEmulated(func.getArgumentTypes(), cores) ||
           hasEmulated(func.getResultTypes(), cores);
  return false;
}

/// Other float types and unknown float ops get a clear error, not a
/// legalization failure.
LogicalResult checkSupported(ModuleOp module) {
  WalkResult walk = module.walk([](Operation *op) {
    bool compute = coresOf(op) == Cores::Compute;
    if (!compute) {
      for (Type type : llvm::concat<Type>(op->getOperandTypes(),
                                          op->getResultTypes())) {
        if (isa<FloatType>(type) && !isScalarFloat(type)) {
          op->emitOpError() << "uses scalar " << type
                            << ", but data-movement cores only support bf16 "
                               "and f32 scalars";
          return WalkResult::interrupt();
        }
      }
    }
    if (isEmulatedOp(op) && !isSupportedFloatOp(op)) {
      op->emitOpError()
          << (compute ? "on scalar bf16 values cannot run on a compute core "
                        "(its C++ has no bf16 scalar type); "
                      : "on scalar floats cannot run on a data-movement core "
                        "(no FPU); ")
          << "supported: constants, compares, add, sub, mul, div, maximum, "
             "minimum, negf, absf, extf, truncf, sitofp, fptosi, select";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

struct EmulateScalarFloatsPass
    : ttkernel::impl::TTKernelEmulateScalarFloatsBase<
          EmulateScalarFloatsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(checkSupported(module)))
      return signalPassFailure();

    // Helpers go in once, before any pattern calls them, into the module
    // nearest to the ops that call them (where callHelper looks them up;
    // modules may nest).
    llvm::MapVector<ModuleOp, SetVector<Helper>> helpers;
    module.walk([&](Operation *op) {
      if (isEmulatedOp(op))
        helpers[op->getParentOfType<ModuleOp>()].insert_range(
            requiredHelpers(op));
    });
    for (auto &[scope, needed] : helpers)
      for (Helper helper : needed)
        getOrInsertHelper(scope, helper);

    for (Cores cores : {Cores::DataMovement, Cores::Compute})
      if (failed(convert(module, cores)))
        return signalPassFailure();
  }

  /// Lowers the emulated scalars of the functions on `cores`.
  LogicalResult convert(ModuleOp module, Cores cores) {
    MLIRContext *context = &getContext();
    ScalarFloatTypeConverter typeConverter(cores);
    ConversionTarget target(*context);
    target.markUnknownOpDynamicallyLegal([cores](Operation *op) {
      return coresOf(op) != cores || !isEmulatedOp(op);
    });
    target.addLegalOp<ModuleOp>();

    RewritePatternSet patterns(context);
    patterns.add<ConstantLowering, CmpFLowering,
                 BinaryLowering<arith::AddFOp>, BinaryLowering<arith::SubFOp>,
                 BinaryLowering<arith::MulFOp>, BinaryLowering<arith::DivFOp>,
                 BinaryLowering<arith::MaximumFOp>,
                 BinaryLowering<arith::MinimumFOp>,
                 BinaryLowering<arith::MaxNumFOp>,
                 BinaryLowering<arith::MinNumFOp>, NegFLowering, AbsFLowering,
                 ExtFLowering, TruncFLowering, SIToFPLowering, FPToSILowering,
                 BitcastLowering, RetypeLowering, DPrintLowering>(
        typeConverter, context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(
        patterns, typeConverter);
    populateReturnOpTypeConversionPattern(patterns, typeConverter);
    populateCallOpTypeConversionPattern(patterns, typeConverter);
    scf::populateSCFStructuralTypeConversions(typeConverter, patterns);
    return applyPartialConversion(module, target, std::move(patterns));
  }
};
} // namespace
