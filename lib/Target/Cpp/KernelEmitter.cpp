//===- KernelEmitter.cpp - tt-metal kernel C++ emission ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Target/Cpp/KernelEmitter.h"

#include "ttlx/Conversion/Pipelines.h"
#include "ttlx/Conversion/TTKernelToEmitC/TTKernelToEmitC.h"
#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/Cpp/CppEmitter.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::ttlx;

/// Headers each kind of thread includes: the tt-metal kernel API files that
/// declare what the lowering may call (for the elementwise ops, the headers
/// TTLElementwiseOps.def names).
static ArrayRef<StringRef> threadHeaders(StringRef thread) {
  static const StringRef dataMovement[] = {"api/dataflow/dataflow_api.h",
                                           "api/debug/assert.h",
                                           "api/debug/dprint.h",
                                           "api/debug/dprint_pages.h"};
  static const std::vector<std::string> computePaths = [] {
    llvm::SetVector<StringRef> headers;
    for (StringRef h :
         {"compute_kernel_api.h", "compute_kernel_hw_startup.h", "cb_api.h",
          "reg_api.h", "tile_move_copy.h", "pack.h", "eltwise_binary.h",
          "bcast.h", "reduce.h", "matmul.h", "transpose.h", "tilize.h",
          "pack_untilize.h",
          "reconfig_data_format.h",
          "eltwise_unary/eltwise_unary.h",
          "eltwise_unary/fill.h", "eltwise_unary/where.h"})
      headers.insert(h);
#define TTLX_TABLE_HEADER(Name, Ttl, Tile, Init, Header, ...)                  \
  headers.insert(Header);
#define TTLX_SFPU_UNARY_OP TTLX_TABLE_HEADER
#define TTLX_SFPU_BINARY_OP TTLX_TABLE_HEADER
#define TTLX_FPU_BINARY_OP TTLX_TABLE_HEADER
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
#undef TTLX_TABLE_HEADER
    std::vector<std::string> paths;
    for (StringRef h : headers)
      paths.push_back(("api/compute/" + h).str());
    paths.push_back("api/debug/assert.h");
    paths.push_back("api/debug/dprint.h");
    paths.push_back("api/debug/dprint_pages.h");
    return paths;
  }();
  static const std::vector<StringRef> compute(computePaths.begin(),
                                              computePaths.end());
  if (thread == "compute")
    return compute;
  return dataMovement;
}

/// Private functions reachable from `root` through emitc.call, in
/// definition order so callees come first.
static SmallVector<emitc::FuncOp> collectCallees(ModuleOp module,
                                                 emitc::FuncOp root) {
  llvm::SetVector<Operation *> reached;
  SmallVector<emitc::FuncOp> worklist{root};
  while (!worklist.empty()) {
    emitc::FuncOp func = worklist.pop_back_val();
    func.walk([&](emitc::CallOp call) {
      auto callee = module.lookupSymbol<emitc::FuncOp>(call.getCallee());
      if (callee && reached.insert(callee))
        worklist.push_back(callee);
    });
  }
  SmallVector<emitc::FuncOp> ordered;
  for (auto func : module.getOps<emitc::FuncOp>())
    if (reached.contains(func))
      ordered.push_back(func);
  return ordered;
}

/// tt-lang's definition of the DFB descriptors user C++ takes as template
/// arguments (ttl.dfb_descriptor): the DFB's index, pages per block, block
/// count and page bytes as constant expressions.
static constexpr StringLiteral kDFBDescriptorDefinition =
    "namespace ttlang {\n"
    "template <uint32_t Index, uint32_t PagesPerBlock, uint32_t BlockCount,\n"
    "          uint32_t PageSize>\n"
    "struct DFBDescriptor {\n"
    "  static constexpr uint32_t index = Index;\n"
    "  static constexpr uint32_t pages_per_block = PagesPerBlock;\n"
    "  static constexpr uint32_t block_count = BlockCount;\n"
    "  static constexpr uint32_t page_size = PageSize;\n"
    "};\n"
    "} // namespace ttlang";

/// Emits `funcs` (helpers first, `kernel` last) into one translation unit:
/// the tt-metal API `headers`, then the user headers its calls name (after
/// the DFB descriptor template when a call takes a descriptor).
static FailureOr<std::string> emitUnit(MLIRContext *context,
                                       ArrayRef<StringRef> headers,
                                       ArrayRef<emitc::FuncOp> helpers,
                                       emitc::FuncOp kernel) {
  OpBuilder builder(context);
  OwningOpRef<ModuleOp> unit = ModuleOp::create(builder.getUnknownLoc());
  builder.setInsertionPointToEnd(unit->getBody());
  emitc::IncludeOp::create(builder, unit->getLoc(), builder.getStringAttr("cstdint"),
                           builder.getUnitAttr());
  for (StringRef header : headers)
    emitc::IncludeOp::create(builder, unit->getLoc(), header);
  llvm::SetVector<StringRef> userHeaders;
  bool descriptors = false;
  SmallVector<emitc::FuncOp> funcs(helpers);
  if (kernel)
    funcs.push_back(kernel);
  for (emitc::FuncOp func : funcs)
    func.walk([&](emitc::CallOpaqueOp call) {
      if (auto header = call->getAttrOfType<StringAttr>(
              ttkernel::kOpaqueHeaderAttr))
        userHeaders.insert(header.getValue());
      descriptors |= call->hasAttr(ttkernel::kDFBDescriptorAttr);
    });
  if (descriptors)
    emitc::VerbatimOp::create(builder, unit->getLoc(), kDFBDescriptorDefinition);
  for (StringRef header : userHeaders)
    emitc::IncludeOp::create(builder, unit->getLoc(), header);
  for (emitc::FuncOp helper : helpers) {
    auto copy = cast<emitc::FuncOp>(builder.clone(*helper));
    copy.setSpecifiersAttr(builder.getStrArrayAttr({"static", "inline"}));
  }
  if (kernel) {
    auto copy = cast<emitc::FuncOp>(builder.clone(*kernel));
    copy.setSymName("kernel_main");
  }
  std::string source;
  llvm::raw_string_ostream os(source);
  if (failed(emitc::translateToCpp(*unit, os)))
    return failure();
  return source;
}

/// A thread becomes `void kernel_main()`: its only arguments can be the DRAM
/// tensors the lowering turns into runtime arguments, and it returns nothing.
static LogicalResult verifyKernelSignatures(ModuleOp module) {
  WalkResult walk = module.walk([](FunctionOpInterface func) {
    if (!func->hasAttr(ttl::TTLDialect::getThreadAttrName()))
      return WalkResult::advance();
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
      if (isa<RankedTensorType>(type))
        continue;
      func->emitOpError()
          << "cannot become a tt-metal kernel: argument #" << i << " has type "
          << type
          << "; a kernel's only arguments are DRAM tensors (compute "
             "scalars inside the thread, e.g. with arith.constant)";
      return WalkResult::interrupt();
    }
    if (func.getNumResults() != 0) {
      func->emitOpError() << "cannot become a tt-metal kernel: it returns "
                          << func.getNumResults()
                          << " value(s); a kernel returns nothing";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

/// tt-metal declares the compute API for compute kernels only and NOC,
/// semaphore and TensorAccessor calls for data-movement kernels only: a call
/// in the other kind of thread would not compile for the device.
static LogicalResult verifyCallsMatchThreads(ModuleOp module) {
  WalkResult walk = module.walk([](FunctionOpInterface func) {
    auto kind = func->getAttrOfType<ttl::ThreadKindAttr>(
        ttl::TTLDialect::getThreadAttrName());
    if (!kind)
      return WalkResult::advance();
    bool compute = kind.getValue() == ttl::ThreadKind::Compute;
    WalkResult calls = func.walk([&](Operation *op) {
      bool misplaced = compute
                           ? op->hasTrait<ttkernel::DataMovementKernelOnly>()
                           : op->hasTrait<ttkernel::ComputeKernelOnly>();
      if (!misplaced)
        return WalkResult::advance();
      op->emitOpError() << "is a "
                        << (compute ? "data-movement" : "compute")
                        << " kernel call; " << (compute ? "compute" : "data-movement")
                        << " thread @" << func.getName()
                        << " cannot make it (tt-metal declares it for "
                        << (compute ? "data-movement" : "compute")
                        << " kernels only)";
      return WalkResult::interrupt();
    });
    return calls.wasInterrupted() ? WalkResult::interrupt()
                                  : WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

FailureOr<SmallVector<KernelSource>>
mlir::ttlx::emitKernels(ModuleOp module, StringRef arch) {
  MLIRContext *context = module.getContext();
  // Thread kinds, read before conversion (the attribute is on func.func).
  llvm::StringMap<std::string> threads;
  module.walk([&](FunctionOpInterface func) {
    if (auto kind = func->getAttrOfType<ttl::ThreadKindAttr>(
            ttl::TTLDialect::getThreadAttrName()))
      threads[func.getName()] = ttl::stringifyThreadKind(kind.getValue()).str();
  });

  if (failed(verifyKernelSignatures(module)) ||
      failed(verifyCallsMatchThreads(module)))
    return failure();

  // TTL input goes through the whole compiler, TTKernel input through its
  // tail; EmitC input passes through unchanged. A TTL thread may hold no TTL
  // op yet still take DRAM tensors, which only the TTL lowering turns into
  // runtime arguments.
  bool hasTTL = module
                    .walk([](Operation *op) {
                      auto func = dyn_cast<FunctionOpInterface>(op);
                      bool takesTensors =
                          func && ttl::getNumTensorArguments(func) > 0;
                      return takesTensors ||
                                     isa<ttl::TTLDialect>(op->getDialect())
                                 ? WalkResult::interrupt()
                                 : WalkResult::advance();
                    })
                    .wasInterrupted();
  OwningOpRef<ModuleOp> lowered = cast<ModuleOp>(module->clone());
  PassManager pm(context);
  if (hasTTL)
    buildTTLToEmitCPipeline(pm, arch);
  else
    buildTTKernelToEmitCPipeline(pm);
  if (failed(pm.run(*lowered)))
    return failure();

  SmallVector<KernelSource> kernels;
  if (threads.empty()) {
    std::string source;
    llvm::raw_string_ostream os(source);
    if (failed(emitc::translateToCpp(*lowered, os)))
      return failure();
    kernels.push_back({"module", "", source});
    return kernels;
  }
  for (auto func : lowered->getOps<emitc::FuncOp>()) {
    auto it = threads.find(func.getName());
    if (it == threads.end())
      continue;
    SmallVector<emitc::FuncOp> helpers = collectCallees(*lowered, func);
    FailureOr<std::string> source =
        emitUnit(context, threadHeaders(it->second), helpers, func);
    if (failed(source))
      return failure();
    kernels.push_back({func.getName().str(), it->second, *source});
  }
  return kernels;
}

LogicalResult mlir::ttlx::translateKernelsToCpp(ModuleOp module,
                                                raw_ostream &os) {
  FailureOr<SmallVector<KernelSource>> kernels = emitKernels(module);
  if (failed(kernels))
    return failure();
  for (const KernelSource &kernel : *kernels) {
    if (kernels->size() > 1 || !kernel.thread.empty())
      os << "// ===== kernel " << kernel.name << " (" << kernel.thread
         << ") =====\n";
    os << kernel.source;
  }
  return success();
}

void mlir::ttlx::registerTTKernelToCppTranslation() {
  TranslateFromMLIRRegistration reg(
      "ttkernel-to-cpp",
      "TTKernel (or EmitC) to tt-metal kernel C++, one file per thread",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        return translateKernelsToCpp(module, os);
      },
      [](DialectRegistry &registry) {
        registry.insert<ttl::TTLDialect, ttkernel::TTKernelDialect,
                        emitc::EmitCDialect, func::FuncDialect,
                        arith::ArithDialect, scf::SCFDialect,
                        math::MathDialect>();
      });
}
