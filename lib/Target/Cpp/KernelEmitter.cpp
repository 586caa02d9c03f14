//===- KernelEmitter.cpp - tt-metal kernel C++ emission ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Target/Cpp/KernelEmitter.h"

#include "ttlx/Conversion/Pipelines.h"
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

/// Header each kind of thread includes (the tt-metal kernel API).
static StringRef threadHeader(StringRef thread) {
  return thread == "compute" ? "api/compute/compute_kernel_api.h"
                             : "api/dataflow/dataflow_api.h";
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

/// Emits `funcs` (helpers first, `kernel` last) into one translation unit.
static FailureOr<std::string> emitUnit(MLIRContext *context, StringRef header,
                                       ArrayRef<emitc::FuncOp> helpers,
                                       emitc::FuncOp kernel) {
  OpBuilder builder(context);
  OwningOpRef<ModuleOp> unit = ModuleOp::create(builder.getUnknownLoc());
  builder.setInsertionPointToEnd(unit->getBody());
  emitc::IncludeOp::create(builder, unit->getLoc(), builder.getStringAttr("cstdint"),
                           builder.getUnitAttr());
  if (!header.empty())
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

FailureOr<SmallVector<KernelSource>> mlir::ttlx::emitKernels(ModuleOp module) {
  MLIRContext *context = module.getContext();
  // Thread kinds, read before conversion (the attribute is on func.func).
  llvm::StringMap<std::string> threads;
  module.walk([&](FunctionOpInterface func) {
    if (auto kind = func->getAttrOfType<ttl::ThreadKindAttr>(
            ttl::TTLDialect::getThreadAttrName()))
      threads[func.getName()] = ttl::stringifyThreadKind(kind.getValue()).str();
  });

  // TTL input goes through the whole compiler, TTKernel input through its
  // tail; EmitC input passes through unchanged.
  bool hasTTL = module
                    .walk([](Operation *op) {
                      return isa<ttl::TTLDialect>(op->getDialect())
                                 ? WalkResult::interrupt()
                                 : WalkResult::advance();
                    })
                    .wasInterrupted();
  OwningOpRef<ModuleOp> lowered = cast<ModuleOp>(module->clone());
  PassManager pm(context);
  if (hasTTL)
    buildTTLToEmitCPipeline(pm);
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
        emitUnit(context, threadHeader(it->second), helpers, func);
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
