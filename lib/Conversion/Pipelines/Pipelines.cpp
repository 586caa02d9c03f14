//===- Pipelines.cpp - ttlx pass pipelines ----------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/Passes.h"
#include "ttlx/Conversion/Pipelines.h"
#include "ttlx/Dialect/TTKernel/Transforms/Passes.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::ttlx::buildTTKernelToEmitCPipeline(OpPassManager &pm) {
  // Before canonicalizing (for TTKernel input; ttl-to-ttkernel ran them).
  pm.addPass(ttkernel::createTTKernelAssertNoWrap());
  pm.addPass(ttkernel::createTTKernelKeepWhileLoops());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Before the soft-float helpers go in: their divisors are never 0.
  pm.addPass(ttkernel::createTTKernelAssertDivisors());
  pm.addPass(ttkernel::createTTKernelEmulateScalarFloats());
  // floordivsi / ceildivsi (Python's // on integers) have no EmitC lowering.
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createConvertTTKernelToEmitC());
}

namespace {
struct TTLPipelineOptions : PassPipelineOptions<TTLPipelineOptions> {
  Option<std::string> arch{*this, "arch",
                           llvm::cl::desc("target architecture: wormhole_b0 "
                                          "or blackhole"),
                           llvm::cl::init(ttlx::kDefaultArch.str())};
};
} // namespace

void mlir::ttlx::buildTTLToTTKernelPipeline(OpPassManager &pm,
                                            StringRef arch) {
  // Before anything folds an overflowing op of constants.
  pm.addPass(ttkernel::createTTKernelAssertNoWrap());
  pm.addPass(ttl::createTTLVerifyDFBProtocol());
  pm.addPass(ttl::createTTLDecomposeEngram());
  pm.addPass(ttl::createTTLAssignPipeSemaphores());
  // After the decomposition and the pipes' staging: their DFBs count too.
  pm.addPass(ttl::createTTLVerifyArchLimits({arch.str()}));
  pm.addPass(ttl::createTTLCoalesceDFBAcquires());
  pm.addPass(ttl::createTTLAssignDST());
  // The conversion's greedy tile-math rewrite erases dead ops, and with
  // them an endless while loop without effects.
  pm.addPass(ttkernel::createTTKernelKeepWhileLoops());
  pm.addPass(createConvertTTLToTTKernel());
}

void mlir::ttlx::buildTTLToEmitCPipeline(OpPassManager &pm, StringRef arch) {
  buildTTLToTTKernelPipeline(pm, arch);
  buildTTKernelToEmitCPipeline(pm);
}

void mlir::ttlx::registerTTLXPipelines() {
  PassPipelineRegistration<TTLPipelineOptions>(
      "ttl-to-ttkernel",
      "TTL to TTKernel: assert no integer wrap, verify the DFB protocol, "
      "decompose fused Engram ops, coalesce DFB acquires, assign DST tiles "
      "and pipe semaphores, keep while loops, convert to TTKernel",
      [](OpPassManager &pm, const TTLPipelineOptions &options) {
        buildTTLToTTKernelPipeline(pm, options.arch);
      });
  PassPipelineRegistration<TTLPipelineOptions>(
      "ttl-to-emitc", "TTL to EmitC: ttl-to-ttkernel, then ttkernel-to-emitc",
      [](OpPassManager &pm, const TTLPipelineOptions &options) {
        buildTTLToEmitCPipeline(pm, options.arch);
      });
  PassPipelineRegistration<>(
      "ttkernel-to-emitc",
      "TTKernel to EmitC: assert no integer wrap, keep while loops, assert "
      "non-zero divisors, emulate scalar floats, convert to EmitC",
      buildTTKernelToEmitCPipeline);
}

void mlir::ttlx::registerAllPasses() {
  ttl::registerTTLTransformsPasses();
  ttkernel::registerTTKernelTransformsPasses();
  registerTTLXConversionPasses();
  registerTTLXPipelines();
}
