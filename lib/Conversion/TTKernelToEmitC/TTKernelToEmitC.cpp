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
#include "mlir/Dialect/EmitC/Transforms/TypeConversions.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>

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

namespace {
/// An op that is exactly the tt-metal call `callee(operands...)`.
template <typename SourceOp>
struct CallLowering : OpConversionPattern<SourceOp> {
  CallLowering(const TypeConverter &converter, MLIRContext *context,
               StringRef callee)
      : OpConversionPattern<SourceOp>(converter, context), callee(callee) {}

  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> resultTypes;
    if (failed(this->getTypeConverter()->convertTypes(op->getResultTypes(),
                                                      resultTypes)))
      return failure();
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, resultTypes, callee, adaptor.getOperands());
    return success();
  }

  std::string callee;
};

/// get_compile_time_arg_val(N): N is a literal, as the macro requires.
struct GetCompileTimeArgValLowering
    : OpConversionPattern<GetCompileTimeArgValOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GetCompileTimeArgValOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    ArrayAttr args = rewriter.getArrayAttr({op.getIndexAttr()});
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, type, "get_compile_time_arg_val", ValueRange{}, args);
    return success();
  }
};

/// get_arg_val<uint32_t>(N).
struct GetArgValLowering : OpConversionPattern<GetArgValOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GetArgValOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayAttr args = rewriter.getArrayAttr({op.getIndexAttr()});
    ArrayAttr templateArgs = rewriter.getArrayAttr({TypeAttr::get(
        IntegerType::get(getContext(), 32, IntegerType::Unsigned))});
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, op.getType(), "get_arg_val", ValueRange{}, args, templateArgs);
    return success();
  }
};

/// TensorAccessorArgs<N>().
struct TensorAccessorArgsLowering
    : OpConversionPattern<TensorAccessorArgsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TensorAccessorArgsOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    ArrayAttr templateArgs = rewriter.getArrayAttr({op.getCtaOffsetAttr()});
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, type, "TensorAccessorArgs", ValueRange{}, ArrayAttr{},
        templateArgs);
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

// The template arguments of the calls that take some.

/// pack_tile<true>(dst, cb, tile): the out-of-order form, so the tile index
/// counts.
static SmallVector<Attribute> templateArgsOf(PackTileOp op) {
  return {BoolAttr::get(op.getContext(), true)};
}

/// unary_bcast_init / unary_bcast<BroadcastType::X>(...).
template <typename BcastOp>
static SmallVector<Attribute> bcastTemplateArgs(BcastOp op) {
  StringRef kind = op.getKind() == BcastKind::Row   ? "BroadcastType::ROW"
                   : op.getKind() == BcastKind::Col ? "BroadcastType::COL"
                                                    : "BroadcastType::SCALAR";
  return {emitc::OpaqueAttr::get(op.getContext(), kind)};
}
static SmallVector<Attribute> templateArgsOf(UnaryBcastInitOp op) {
  return bcastTemplateArgs(op);
}
static SmallVector<Attribute> templateArgsOf(UnaryBcastOp op) {
  return bcastTemplateArgs(op);
}

/// reduce_init / reduce_tile<PoolType::X, ReduceDim::REDUCE_Y>(...).
template <typename ReduceOp>
static SmallVector<Attribute> reduceTemplateArgs(ReduceOp op) {
  MLIRContext *context = op.getContext();
  StringRef pool =
      op.getReduceType() == PoolType::Sum ? "PoolType::SUM" : "PoolType::MAX";
  StringRef dim = op.getReduceDim() == ReduceDim::Row   ? "ReduceDim::REDUCE_ROW"
                  : op.getReduceDim() == ReduceDim::Col ? "ReduceDim::REDUCE_COL"
                                                        : "ReduceDim::REDUCE_SCALAR";
  return {emitc::OpaqueAttr::get(context, pool),
          emitc::OpaqueAttr::get(context, dim)};
}
static SmallVector<Attribute> templateArgsOf(ReduceInitOp op) {
  return reduceTemplateArgs(op);
}
static SmallVector<Attribute> templateArgsOf(ReduceTileOp op) {
  return reduceTemplateArgs(op);
}

/// where_tile<DataFormat::X>(cond, true, false, out).
static SmallVector<Attribute> templateArgsOf(WhereTileOp op) {
  return {emitc::OpaqueAttr::get(op.getContext(), op.getFp32()
                                                      ? "DataFormat::Float32"
                                                      : "DataFormat::Float16_b")};
}

/// `name<templateArgsOf(op)...>(operands...)`, `name` the op's own.
template <typename SourceOp>
struct TemplatedCallLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, TypeRange{}, op->getName().stripDialect(), adaptor.getOperands(),
        ArrayAttr{}, rewriter.getArrayAttr(templateArgsOf(op)));
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

/// get_semaphore(id) with the id as a literal.
struct GetSemaphoreLowering : OpConversionPattern<GetSemaphoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GetSemaphoreOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<emitc::CallOpaqueOp>(
        op, op.getType(), "get_semaphore", ValueRange{},
        rewriter.getArrayAttr({op.getIdAttr()}));
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
} // namespace

/// Compute ops are named exactly as their tt-metal call.
template <typename... Ops>
static void addComputeCalls(RewritePatternSet &patterns,
                            const TypeConverter &typeConverter) {
  MLIRContext *context = patterns.getContext();
  (patterns.add<CallLowering<Ops>>(
       typeConverter, context,
       OperationName(Ops::getOperationName(), context).stripDialect()),
   ...);
}

template <typename Op>
static void addCall(RewritePatternSet &patterns,
                    const TypeConverter &typeConverter, StringRef callee) {
  patterns.add<CallLowering<Op>>(typeConverter, patterns.getContext(), callee);
}

void mlir::ttkernel::populateTTKernelToEmitCPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  addCall<CBReserveBackOp>(patterns, typeConverter, "cb_reserve_back");
  addCall<CBPushBackOp>(patterns, typeConverter, "cb_push_back");
  addCall<CBWaitFrontOp>(patterns, typeConverter, "cb_wait_front");
  addCall<CBPopFrontOp>(patterns, typeConverter, "cb_pop_front");
  addCall<GetReadPtrOp>(patterns, typeConverter, "get_read_ptr");
  addCall<GetWritePtrOp>(patterns, typeConverter, "get_write_ptr");
  addCall<GetTileSizeOp>(patterns, typeConverter, "get_tile_size");
  addCall<TensorAccessorOp>(patterns, typeConverter, "TensorAccessor");
  addCall<NocAsyncReadTileOp>(patterns, typeConverter, "noc_async_read_tile");
  addCall<NocAsyncWriteTileOp>(patterns, typeConverter,
                               "noc_async_write_tile");
  addCall<NocAsyncReadBarrierOp>(patterns, typeConverter,
                                 "noc_async_read_barrier");
  addCall<NocAsyncWriteBarrierOp>(patterns, typeConverter,
                                  "noc_async_write_barrier");
  addCall<GetNocAddrOp>(patterns, typeConverter, "get_noc_addr");
  addCall<NocAsyncReadOp>(patterns, typeConverter, "noc_async_read");
  addCall<NocInlineDwWriteOp>(patterns, typeConverter, "noc_inline_dw_write");
  addCall<NocSemaphoreIncOp>(patterns, typeConverter, "noc_semaphore_inc");
  addCall<MyLogicalXOp>(patterns, typeConverter, "get_absolute_logical_x");
  addCall<MyLogicalYOp>(patterns, typeConverter, "get_absolute_logical_y");
  patterns.add<GetCompileTimeArgValLowering, GetArgValLowering,
               TensorAccessorArgsLowering, L1LoadLowering, L1StoreLowering,
               AssertLowering, GetSemaphoreLowering,
               LocalSemaphoreLowering<NocSemaphoreWaitOp>,
               LocalSemaphoreLowering<NocSemaphoreWaitMinOp>,
               LocalSemaphoreLowering<NocSemaphoreSetOp>,
               TemplatedCallLowering<PackTileOp>,
               TemplatedCallLowering<UnaryBcastInitOp>,
               TemplatedCallLowering<UnaryBcastOp>,
               TemplatedCallLowering<ReduceInitOp>,
               TemplatedCallLowering<ReduceTileOp>,
               TemplatedCallLowering<WhereTileOp>>(typeConverter,
                                                   patterns.getContext());
  addComputeCalls<
      TileRegsAcquireOp, TileRegsCommitOp, TileRegsWaitOp, TileRegsReleaseOp,
      ComputeKernelHwStartupOp, CopyInitOp, PackInitOp, AddInitOp, SubInitOp,
      MulInitOp, AddBcastRowsInitOp, AddBcastColsInitOp, AddBcastScalarInitOp,
      SubBcastRowsInitOp, SubBcastColsInitOp, SubBcastScalarInitOp,
      MulBcastRowsInitOp, MulBcastColsInitOp, MulBcastScalarInitOp, CopyTileOp,
      AddTilesOp, SubTilesOp, MulTilesOp, AddTilesBcastRowsOp,
      AddTilesBcastColsOp, AddTilesBcastScalarOp, SubTilesBcastRowsOp,
      SubTilesBcastColsOp, SubTilesBcastScalarOp, MulTilesBcastRowsOp,
      MulTilesBcastColsOp, MulTilesBcastScalarOp, ExpTileInitOp, ExpTileOp,
      LogTileInitOp, LogTileOp, SqrtTileInitOp, SqrtTileOp, RsqrtTileInitOp,
      RsqrtTileOp, RecipTileInitOp, RecipTileOp, SigmoidTileInitOp,
      SigmoidTileOp, SiluTileInitOp, SiluTileOp, TanhTileInitOp, TanhTileOp,
      AbsTileInitOp, AbsTileOp, NegTileInitOp, NegTileOp,
      SignTileInitOp, SignTileOp, SquareTileInitOp, SquareTileOp,
      ReluTileInitOp, ReluTileOp, AddBinaryTileInitOp, AddBinaryTileOp,
      SubBinaryTileInitOp, SubBinaryTileOp, MulBinaryTileInitOp,
      MulBinaryTileOp, DivBinaryTileInitOp, DivBinaryTileOp,
      MaxBinaryTileInitOp, MaxBinaryTileOp, MinBinaryTileInitOp,
      MinBinaryTileOp, FillTileInitOp, FillTileOp, ReduceUninitOp, MatmulInitOp,
      WhereTileInitOp,
      MatmulTilesOp>(
      patterns, typeConverter);
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
                             "'ttl-lower-scalar-float' first";
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
    populateEmitCSizeTTypeConversions(typeConverter);
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
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    annotateSourceLocations(module);
  }

  /// `// at file:line:col` before each call that can block or fault, so
  /// the runtime's reports name the user's source line, not only the C++.
  static void annotateSourceLocations(ModuleOp module) {
    static const llvm::StringSet<> blocking = {
        "cb_reserve_back",   "cb_wait_front",       "cb_push_back",
        "cb_pop_front",      "noc_async_read_tile", "noc_async_write_tile",
        "noc_async_read",    "noc_inline_dw_write", "noc_semaphore_inc",
        "noc_semaphore_wait", "noc_semaphore_wait_min", "get_noc_addr"};
    module.walk([](emitc::CallOpaqueOp call) {
      if (!blocking.contains(call.getCallee()))
        return;
      auto loc = call.getLoc()->findInstanceOf<FileLineColLoc>();
      if (!loc)
        return;
      OpBuilder b(call);
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "// at " << loc.getFilename().getValue() << ":" << loc.getLine()
         << ":" << loc.getColumn();
      emitc::VerbatimOp::create(b, call.getLoc(), text);
    });
  }
};
} // namespace
