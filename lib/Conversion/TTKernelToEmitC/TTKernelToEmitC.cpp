//===- TTKernelToEmitC.cpp - TTKernel to EmitC conversion -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTKernelToEmitC/TTKernelToEmitC.h"

#include "ttlx/Conversion/Passes.h"
#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Conversion/ArithToEmitC/ArithToEmitC.h"
#include "mlir/Conversion/FuncToEmitC/FuncToEmitC.h"
#include "mlir/Conversion/SCFToEmitC/SCFToEmitC.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cstdio>

namespace mlir::ttlx {
#define GEN_PASS_DEF_CONVERTTTKERNELTOEMITC
#include "ttlx/Conversion/Passes.h.inc"
} // namespace mlir::ttlx

using namespace mlir;
using namespace mlir::ttkernel;

void mlir::ttkernel::populateTTKernelToEmitCTypeConversions(
    TypeConverter &typeConverter) {
  typeConverter.addConversion([](CBType type) -> Type {
    return IntegerType::get(type.getContext(), 32, IntegerType::Unsigned);
  });
  typeConverter.addConversion([](TensorAccessorArgsType type) -> Type {
    return emitc::OpaqueType::get(type.getContext(), "auto");
  });
  typeConverter.addConversion([](TensorAccessorType type) -> Type {
    return emitc::OpaqueType::get(type.getContext(), "auto");
  });
}

/// `index` is ptrdiff_t, not upstream's size_t: Python's `range(n - 1)` with
/// n = 0 must run zero times, and with an unsigned index `n - 1` wraps to
/// 2^64 - 1. Casts between it and other types are materialized as casts.
static void populateSignedIndexConversions(TypeConverter &typeConverter) {
  typeConverter.addConversion([](IndexType type) -> Type {
    return emitc::PtrDiffTType::get(type.getContext());
  });
  auto cast = [](OpBuilder &builder, Type type, ValueRange inputs,
                 Location loc) -> Value {
    if (inputs.size() != 1)
      return Value();
    return UnrealizedConversionCastOp::create(builder, loc, type, inputs)
        .getResult(0);
  };
  typeConverter.addSourceMaterialization(cast);
  typeConverter.addTargetMaterialization(cast);
}

namespace {
/// An op that is one tt-metal call (KernelCallOpInterface):
/// `callee<template args>(literal args..., operands...)`.
struct KernelCallLowering
    : OpInterfaceConversionPattern<KernelCallOpInterface> {
  using Base::Base;

  LogicalResult
  matchAndRewrite(KernelCallOpInterface op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return failure();
    // C++ source text (an enumerator) becomes an opaque attribute; the
    // emitter prints integers, booleans and types itself.
    auto toEmitC = [&](Attribute attr) -> Attribute {
      if (auto text = dyn_cast<StringAttr>(attr))
        return emitc::OpaqueAttr::get(op->getContext(), text.getValue());
      return attr;
    };
    SmallVector<Attribute> templateArgs =
        llvm::map_to_vector(op.getTemplateArgs(), toEmitC);
    SmallVector<Attribute> args =
        llvm::map_to_vector(op.getLiteralArgs(), toEmitC);
    if (!args.empty())
      for (size_t i = 0, e = operands.size(); i < e; ++i)
        args.push_back(rewriter.getIndexAttr(i));
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, resultTypes, op.getCallee(), operands,
        args.empty() ? ArrayAttr() : rewriter.getArrayAttr(args),
        templateArgs.empty() ? ArrayAttr()
                             : rewriter.getArrayAttr(templateArgs));
    return success();
  }
};

/// `reinterpret_cast<T *>(addr)[index]` as an lvalue.
static Value l1Element(ConversionPatternRewriter &rewriter, Location loc,
                       Value address, Value index, Type elementType) {
  auto pointerType = emitc::PointerType::get(elementType);
  Value pointer = emitc::CallOpaqueOp::create(
                      rewriter, loc, TypeRange{pointerType},
                      "reinterpret_cast", ValueRange{address}, ArrayAttr{},
                      rewriter.getArrayAttr({TypeAttr::get(pointerType)}))
                      .getResult(0);
  return emitc::SubscriptOp::create(
      rewriter, loc, emitc::LValueType::get(elementType), pointer,
      ValueRange{index});
}

static bool isIntegerScalar(Type type) { return isa<IntegerType>(type); }

/// `// ttlx: message` then `ASSERT(condition);`: the runtime reports the
/// comment when the assertion fails.
struct AssertLowering : OpConversionPattern<AssertOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AssertOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::string message = op.getMessage().str();
    std::replace(message.begin(), message.end(), '\n', ' ');
    emitc::VerbatimOp::create(rewriter, op.getLoc(), "// ttlx: " + message);
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{}, "ASSERT", ValueRange{adaptor.getCondition()});
    return success();
  }
};

/// Nothing: the C++ compiler keeps a loop without side effects because the
/// kernels are built with -fno-finite-loops.
struct SideEffectLowering : OpConversionPattern<SideEffectOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SideEffectOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.eraseOp(op);
    return success();
  }
};

/// `DPRINT("format", args...)`: the format becomes a C++ string literal.
struct DPrintLowering : OpConversionPattern<DPrintOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DPrintOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    std::string literal = "\"";
    for (char c : op.getFormat()) {
      if (c == '"' || c == '\\') {
        literal += '\\';
        literal += c;
      } else if (c == '\n') {
        literal += "\\n";
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char octal[8]; // three octal digits end the escape unambiguously
        std::snprintf(octal, sizeof(octal), "\\%03o", static_cast<unsigned>(c));
        literal += octal;
      } else {
        literal += c;
      }
    }
    literal += '"';
    SmallVector<Attribute> args{
        emitc::OpaqueAttr::get(op.getContext(), literal)};
    SmallVector<Value> operands;
    for (auto [i, arg] : llvm::enumerate(adaptor.getArgs())) {
      args.push_back(rewriter.getIndexAttr(i));
      if (!op.getF32Bits() || !(*op.getF32Bits())[i]) {
        operands.push_back(arg);
        continue;
      }
      // An f32 kept as its bit pattern (a core without an FPU): DPRINT
      // gets the float.
      ArrayAttr castArgs = rewriter.getArrayAttr(
          {emitc::OpaqueAttr::get(op.getContext(), "float"),
           rewriter.getIndexAttr(0)});
      operands.push_back(
          emitc::CallOpaqueOp::create(rewriter, op.getLoc(),
                                      rewriter.getF32Type(),
                                      "__builtin_bit_cast", ValueRange{arg},
                                      castArgs, ArrayAttr{})
              .getResult(0));
    }
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{}, "DPRINT", operands, rewriter.getArrayAttr(args),
        ArrayAttr{});
    return success();
  }
};

/// `UNPACK((tt::compute::common::print_full_tile(cb, tile, true)));` (or
/// PACK; `false` for a page printed in memory order): tt-metal's macros
/// choose the compute core that runs the print.
struct PrintFullTileLowering : OpConversionPattern<PrintFullTileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PrintFullTileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    StringRef trisc = op.getTrisc() == Trisc::Pack ? "PACK" : "UNPACK";
    emitc::VerbatimOp::create(
        rewriter, op.getLoc(),
        rewriter.getStringAttr(
            trisc + "((tt::compute::common::print_full_tile({}, {}, " +
            (op.getUntilize() ? "true" : "false") + ")));"),
        ValueRange{adaptor.getCb(), adaptor.getTile()});
    rewriter.eraseOp(op);
    return success();
  }
};

/// noc_semaphore_*(reinterpret_cast<volatile tt_l1_ptr uint32_t *>(addr),
/// value): tt-metal takes the semaphore as a pointer.
template <typename SourceOp>
struct LocalSemaphoreLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto pointerType = emitc::PointerType::get(emitc::OpaqueType::get(
        op.getContext(), "volatile tt_l1_ptr uint32_t"));
    Value pointer =
        emitc::CallOpaqueOp::create(
            rewriter, op.getLoc(), TypeRange{pointerType}, "reinterpret_cast",
            ValueRange{adaptor.getSemAddr()}, ArrayAttr{},
            rewriter.getArrayAttr({TypeAttr::get(pointerType)}))
            .getResult(0);
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{}, op->getName().stripDialect(),
        ValueRange{pointer, adaptor.getValue()});
    return success();
  }
};

struct L1LoadLowering : OpConversionPattern<L1LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(L1LoadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isIntegerScalar(op.getType()))
      return rewriter.notifyMatchFailure(op, "float L1 load");
    Value element = l1Element(rewriter, op.getLoc(), adaptor.getAddr(),
                              adaptor.getIndex(), op.getType());
    rewriter.replaceOpWithNewOp<emitc::LoadOp>(op, op.getType(), element);
    return success();
  }
};

struct L1StoreLowering : OpConversionPattern<L1StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(L1StoreOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = op.getValue().getType();
    if (!isIntegerScalar(type))
      return rewriter.notifyMatchFailure(op, "float L1 store");
    Value element = l1Element(rewriter, op.getLoc(), adaptor.getAddr(),
                              adaptor.getIndex(), type);
    emitc::AssignOp::create(rewriter, op.getLoc(), element,
                            adaptor.getValue());
    rewriter.eraseOp(op);
    return success();
  }
};

/// arith.bitcast between a float and an integer of its width (a compute
/// core's f32 and its bits: ttkernel-emulate-scalar-floats, abs() of a
/// float), which upstream's arith-to-emitc does not convert:
/// `__builtin_bit_cast(T, x)`.
struct BitcastLowering : OpConversionPattern<arith::BitcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(arith::BitcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = op.getType();
    std::string name;
    if (type.isF32())
      name = "float";
    else if (type.isSignlessInteger(16) || type.isSignlessInteger(32))
      name = "int" + std::to_string(type.getIntOrFloatBitWidth()) + "_t";
    else
      return rewriter.notifyMatchFailure(op, "not f32, i16 or i32");
    ArrayAttr castArgs = rewriter.getArrayAttr(
        {emitc::OpaqueAttr::get(op.getContext(), name),
         rewriter.getIndexAttr(0)});
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{type}, "__builtin_bit_cast", ValueRange{adaptor.getIn()},
        castArgs, ArrayAttr{});
    return success();
  }
};

/// A device profiler zone is a C++ block opened by DeviceZoneScopedN. The
/// braces are marked (kDeviceZoneAttr): values made inside a zone and used
/// after it are hoisted out of the block once the conversion is done.
struct DeviceZoneBeginLowering : OpConversionPattern<DeviceZoneBeginOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DeviceZoneBeginOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto brace = emitc::VerbatimOp::create(
        rewriter, op.getLoc(),
        ("{ DeviceZoneScopedN(\"" + op.getLabel() + "\");").str());
    brace->setAttr(kDeviceZoneAttr, rewriter.getUnitAttr());
    rewriter.eraseOp(op);
    return success();
  }
};

struct DeviceZoneEndLowering : OpConversionPattern<DeviceZoneEndOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DeviceZoneEndOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto brace = emitc::VerbatimOp::create(rewriter, op.getLoc(), "}");
    brace->setAttr(kDeviceZoneAttr, rewriter.getUnitAttr());
    rewriter.eraseOp(op);
    return success();
  }
};
/// A user C++ call keeps its header in an attribute: kernel emission
/// includes it (after defining ttlang::DFBDescriptor when a template
/// argument names it).
struct OpaqueCallLowering : OpConversionPattern<OpaqueCallOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpaqueCallOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Attribute> templateArgs;
    bool descriptor = false;
    for (StringRef text : op.getTemplateArgs().getAsValueRange<StringAttr>()) {
      descriptor |= text.starts_with("ttlang::DFBDescriptor<");
      templateArgs.push_back(emitc::OpaqueAttr::get(getContext(), text));
    }
    auto call = rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{}, op.getCallee(), adaptor.getArgs(), ArrayAttr(),
        templateArgs.empty() ? ArrayAttr() : rewriter.getArrayAttr(templateArgs));
    call->setAttr(kOpaqueHeaderAttr, op.getHeaderAttr());
    if (descriptor)
      call->setAttr(kDFBDescriptorAttr, rewriter.getUnitAttr());
    return success();
  }
};
} // namespace

void mlir::ttkernel::populateTTKernelToEmitCPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<KernelCallLowering, L1LoadLowering, L1StoreLowering,
               AssertLowering, DPrintLowering, PrintFullTileLowering,
               SideEffectLowering, BitcastLowering,
               LocalSemaphoreLowering<NocSemaphoreWaitOp>,
               LocalSemaphoreLowering<NocSemaphoreWaitMinOp>,
               LocalSemaphoreLowering<NocSemaphoreSetOp>, DeviceZoneBeginLowering,
               DeviceZoneEndLowering, OpaqueCallLowering>(
      typeConverter, patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertTTKernelToEmitCPass
    : ttlx::impl::ConvertTTKernelToEmitCBase<ConvertTTKernelToEmitCPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();

    // Scalar floats have no C++ type on a data-movement core.
    WalkResult check = module.walk([](Operation *op) {
      if (ttl::getEnclosingThreadKind(op) == ttl::ThreadKind::Compute)
        return WalkResult::advance();
      for (Type type : op->getResultTypes()) {
        if (!isa<FloatType>(type))
          continue;
        op->emitOpError() << "produces a scalar " << type
                          << " value, which has no C++ type on a "
                             "data-movement core; run "
                             "'ttkernel-emulate-scalar-floats' first";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (check.wasInterrupted())
      return signalPassFailure();

    TypeConverter typeConverter;
    typeConverter.addConversion([](Type type) -> std::optional<Type> {
      if (emitc::isSupportedEmitCType(type))
        return type;
      return std::nullopt;
    });
    populateTTKernelToEmitCTypeConversions(typeConverter);

    ConversionTarget target(*context);
    target.addLegalDialect<emitc::EmitCDialect>();
    target.addIllegalDialect<TTKernelDialect, arith::ArithDialect,
                             func::FuncDialect, scf::SCFDialect>();
    target.addLegalOp<ModuleOp>();

    RewritePatternSet patterns(context);
    populateTTKernelToEmitCPatterns(typeConverter, patterns);
    populateArithToEmitCPatterns(typeConverter, patterns);
    populateSCFToEmitCConversionPatterns(patterns, typeConverter);
    populateFuncToEmitCPatterns(typeConverter, patterns);
    // Last: the arith and SCF populate functions register index -> size_t,
    // and the conversion registered last wins.
    populateSignedIndexConversions(typeConverter);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    if (failed(hoistZoneResults(module)))
      return signalPassFailure();
    annotateSourceLocations(module);
  }

  /// The braces of the device zone opened by `open` close at the next zone
  /// brace of its block at the same depth.
  static Operation *zoneClose(emitc::VerbatimOp open) {
    int depth = 0;
    for (Operation *op = open->getNextNode(); op; op = op->getNextNode()) {
      auto brace = dyn_cast<emitc::VerbatimOp>(op);
      if (!brace || !brace->hasAttr(kDeviceZoneAttr))
        continue;
      if (brace.getValue() != "}")
        ++depth;
      else if (depth-- == 0)
        return op;
    }
    return nullptr;
  }

  /// A device zone is a C++ block: a value made inside it and used after
  /// it is declared before the block, assigned inside it and read after it
  /// (variables themselves are declared before the block).
  static LogicalResult hoistZoneResults(ModuleOp module) {
    SmallVector<emitc::VerbatimOp> opens;
    module.walk([&](emitc::VerbatimOp op) {
      if (op->hasAttr(kDeviceZoneAttr) && op.getValue() != "}")
        opens.push_back(op);
    });
    for (emitc::VerbatimOp open : opens) {
      Operation *close = zoneClose(open);
      if (!close)
        continue; // the zone ops' verifiers report it
      Block *block = close->getBlock();
      for (Operation *op = open->getNextNode(), *next; op != close; op = next) {
        next = op->getNextNode();
        for (Value result : op->getResults()) {
          SmallVector<OpOperand *> after;
          for (OpOperand &use : result.getUses()) {
            Operation *user = block->findAncestorOpInBlock(*use.getOwner());
            if (user && close->isBeforeInBlock(user))
              after.push_back(&use);
          }
          if (after.empty())
            continue;
          if (isa<emitc::LValueType>(result.getType())) {
            op->moveBefore(open);
            break;
          }
          if (auto opaque = dyn_cast<emitc::OpaqueType>(result.getType());
              opaque && opaque.getValue() == "auto")
            return op->emitOpError()
                   << "makes a C++ 'auto' value inside a device profiler "
                      "zone that is used after it; make it before the zone";
          OpBuilder b(open);
          MLIRContext *context = op->getContext();
          auto var = emitc::VariableOp::create(
              b, op->getLoc(), emitc::LValueType::get(result.getType()),
              emitc::OpaqueAttr::get(context, ""));
          b.setInsertionPointAfter(op);
          emitc::AssignOp::create(b, op->getLoc(), var, result);
          b.setInsertionPoint(close->getNextNode());
          Value loaded =
              emitc::LoadOp::create(b, op->getLoc(), result.getType(), var);
          for (OpOperand *use : after)
            use->set(loaded);
        }
      }
    }
    return success();
  }

  /// `// at file:line:col` before each call that can block or fault, and
  /// before each loop (the watchdog names the loop a runaway thread spins
  /// in), so the runtime's reports name the user's source line, not only
  /// the C++; and before each call of user C++, marked `(user C++)` (a
  /// compile error in it is reported at the user's ttl.call_extern_func).
  static void annotateSourceLocations(ModuleOp module) {
    static const llvm::StringSet<> blocking = {
        "cb_reserve_back",   "cb_wait_front",       "cb_push_back",
        "cb_pop_front",      "noc_async_read_tile", "noc_async_write_tile",
        "noc_async_read",    "noc_async_write",     "noc_inline_dw_write",
        "noc_semaphore_inc", "noc_semaphore_wait",  "noc_semaphore_wait_min",
        "get_noc_addr",      "invalidate_l1_cache"};
    module.walk([](Operation *op) {
      auto call = dyn_cast<emitc::CallOpaqueOp>(op);
      if (call ? !blocking.contains(call.getCallee()) &&
                     !call->hasAttr(kOpaqueHeaderAttr)
               : !isa<emitc::ForOp, emitc::DoOp>(op))
        return;
      auto loc = op->getLoc()->findInstanceOf<FileLineColLoc>();
      if (!loc)
        return;
      OpBuilder b(op);
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "// at " << loc.getFilename().getValue() << ":" << loc.getLine()
         << ":" << loc.getColumn();
      if (call && call->hasAttr(kOpaqueHeaderAttr))
        os << " (user C++)";
      emitc::VerbatimOp::create(b, op->getLoc(), text);
    });
  }
};
} // namespace
