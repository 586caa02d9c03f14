//===- AssignPipeSemaphores.cpp - semaphore ids of pipes --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Every pipe gets two semaphore ids (docs/pipeline.md): `mailbox` on its
// destinations (the L1 address of the block to read, 0 when empty) and
// `done` on its source (how many destinations have read it). The ids are
// written on each pipe op as `ttl.pipe_semaphores = array<i64: mailbox,
// done>`, which convert-ttl-to-ttkernel reads. The user's semaphores
// (`ttl.Semaphore`, the `semaphore` of the ttl.semaphore_* ops) keep their
// numbers; the pipes' ids come after them.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

#include "llvm/ADT/SmallBitVector.h"

namespace mlir::ttl {
#define GEN_PASS_DEF_TTLASSIGNPIPESEMAPHORES
#include "ttlx/Dialect/TTL/Transforms/Passes.h.inc"
} // namespace mlir::ttl

using namespace mlir;
using namespace mlir::ttl;

namespace {

PipeAttr pipeOf(Operation *op) {
  if (auto send = dyn_cast<PipeSendOp>(op))
    return send.getPipe();
  if (auto recv = dyn_cast<PipeRecvOp>(op))
    return recv.getPipe();
  return {};
}

struct TTLAssignPipeSemaphoresPass
    : ttl::impl::TTLAssignPipeSemaphoresBase<TTLAssignPipeSemaphoresPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The pipes in order of first use, each with its one block type.
    SmallVector<PipeAttr> pipes;
    DenseMap<Attribute, Type> blockTypes;
    WalkResult walk = module->walk([&](Operation *op) {
      PipeAttr pipe = pipeOf(op);
      if (!pipe)
        return WalkResult::advance();
      Type blockType = op->getOperand(0).getType();
      auto [it, inserted] = blockTypes.try_emplace(pipe, blockType);
      if (inserted) {
        pipes.push_back(pipe);
        return WalkResult::advance();
      }
      if (it->second == blockType)
        return WalkResult::advance();
      op->emitOpError() << "uses " << pipe << " with blocks of type "
                        << blockType << ", but the pipe carries "
                        << it->second
                        << " elsewhere in this module; both ends of a pipe "
                           "use the same block shape and element type";
      return WalkResult::interrupt();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // Greedy colouring: the smallest id no conflicting earlier pipe uses.
    // Pipes share a mailbox unless they share a destination core, and a
    // done counter unless they have the same source.
    DenseMap<Attribute, std::pair<int64_t, int64_t>> ids;
    int64_t numMailboxes = 0, numDones = 0;
    for (auto [i, pipe] : llvm::enumerate(pipes)) {
      llvm::SmallBitVector mailboxTaken(pipes.size()), doneTaken(pipes.size());
      for (PipeAttr earlier : ArrayRef(pipes).take_front(i)) {
        auto [mailbox, done] = ids.lookup(earlier);
        if (earlier.sharesDestination(pipe))
          mailboxTaken.set(mailbox);
        if (earlier.getSrc() == pipe.getSrc())
          doneTaken.set(done);
      }
      int64_t mailbox = mailboxTaken.find_first_unset();
      int64_t done = doneTaken.find_first_unset();
      ids[pipe] = {mailbox, done};
      numMailboxes = std::max(numMailboxes, mailbox + 1);
      numDones = std::max(numDones, done + 1);
    }
    int64_t numUser = 0;
    module->walk([&](Operation *op) {
      if (auto init = op->getAttrOfType<DenseI64ArrayAttr>(
              TTLDialect::getSemaphoreInitAttrName()))
        numUser = std::max<int64_t>(numUser, init.size());
      if (isa<SemaphoreWaitOp, SemaphoreSetOp, SemaphoreRemoteSetOp,
              SemaphoreRemoteIncOp, SemaphoreMulticastSetOp>(op))
        numUser = std::max(
            numUser, op->getAttrOfType<IntegerAttr>("semaphore").getInt() + 1);
    });
    if (!pipes.empty() &&
        numUser + numMailboxes + numDones > ttlx_hw::kSemaphoresPerCore) {
      module->emitError() << "the pipes of this module need "
                          << numMailboxes + numDones
                          << " semaphores per core (" << numMailboxes
                          << " mailboxes, " << numDones
                          << " completion counter(s))"
                          << (numUser ? " besides the operation's " +
                                            std::to_string(numUser) +
                                            " ttl.Semaphore(s)"
                                      : std::string())
                          << ", but a core has "
                          << ttlx_hw::kSemaphoresPerCore
                          << "; use fewer pipes that share a core";
      return signalPassFailure();
    }
    // Mailboxes after the user's semaphores, done counters after them.
    Builder builder(module.getContext());
    module->walk([&](Operation *op) {
      if (PipeAttr pipe = pipeOf(op)) {
        auto [mailbox, done] = ids.lookup(pipe);
        op->setAttr(TTLDialect::getPipeSemaphoresAttrName(),
                    builder.getDenseI64ArrayAttr(
                        {numUser + mailbox, numUser + numMailboxes + done}));
      }
    });
  }
};
} // namespace
