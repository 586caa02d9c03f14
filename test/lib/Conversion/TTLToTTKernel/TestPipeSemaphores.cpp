//===- TestPipeSemaphores.cpp - test-pipe-semaphores ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Reports the semaphore ids assignPipeSemaphores gives each pipe as a remark
// on every op that uses the pipe, so lit tests check the sharing rules
// without reading them back out of the lowered handshake.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/TTLToTTKernel/TTLToTTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace mlir::ttl;

namespace {
struct TestPipeSemaphoresPass
    : PassWrapper<TestPipeSemaphoresPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestPipeSemaphoresPass)

  StringRef getArgument() const final { return "test-pipe-semaphores"; }
  StringRef getDescription() const final {
    return "Report the semaphore ids of each pipe (assignPipeSemaphores)";
  }

  void runOnOperation() override {
    FailureOr<PipeSemaphoreMap> semaphores =
        assignPipeSemaphores(getOperation());
    if (failed(semaphores))
      return signalPassFailure();
    getOperation().walk([&](Operation *op) {
      PipeAttr pipe;
      if (auto send = dyn_cast<PipeSendOp>(op))
        pipe = send.getPipe();
      else if (auto recv = dyn_cast<PipeRecvOp>(op))
        pipe = recv.getPipe();
      else
        return;
      const PipeSemaphores &ids = semaphores->at(pipe);
      op->emitRemark() << "mailbox semaphore " << ids.mailbox
                       << ", done semaphore " << ids.done;
    });
  }
};
} // namespace

namespace mlir::ttlx::test {
void registerTestPipeSemaphoresPass() {
  PassRegistration<TestPipeSemaphoresPass>();
}
} // namespace mlir::ttlx::test
