//===- AssignPipeSemaphores.cpp - semaphore ids of pipes --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Every pipe gets two semaphore ids (docs/pipeline.md): `mailbox` on its
// destinations (the L1 address of the staged block to read, 0 when empty)
// and `done` on its source (how many destinations have still to read the
// staged block). The ids are written on each pipe op as
// `ttl.pipe_semaphores = array<i64: mailbox, done>`, which
// convert-ttl-to-ttkernel reads. The user's semaphores (`ttl.Semaphore`,
// the `semaphore` of the ttl.semaphore_* ops) keep their numbers; the
// pipes' ids come after them. A pipe family (`#ttl.pipe<... repeat ...>`)
// and the pipes it holds are one channel with one pair of ids: no two of
// its members share a source or a destination.
//
// A send copies its block into a staging DFB of the source core and the
// destinations read it from there, so the sender's block is free once the
// send has returned. A core is the source of at most one pipe per done id,
// so each done id gets one staging DFB (one block of the largest block type
// its channels carry), numbered after the operation's DFBs and bound at the
// entry of each function that sends; each send carries its number as
// `ttl.pipe_staging`. A module whose pipe ops have their ids already is left
// as it is.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/Transforms/Passes.h"

#include "llvm/ADT/SmallBitVector.h"

#include <map>

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

/// Channels: the pipes named by pipe ops, each with its one block type. A
/// family and every pipe it holds (a member, or a pipe equal to one) are one
/// channel: its ops share their semaphore ids.
struct Channels {
  SmallVector<SmallVector<PipeAttr>> members; // per channel, in first use
  SmallVector<Type> blockTypes;
  DenseMap<Attribute, unsigned> ofMember;

  /// The channel of `op`'s pipe, merging channels its members join; fails
  /// (with a diagnostic) on a block type the channel does not carry.
  FailureOr<unsigned> add(Operation *op, PipeAttr pipe) {
    Type blockType = op->getOperand(0).getType();
    std::optional<unsigned> channel;
    SmallVector<PipeAttr, 4> pipes = pipe.getMembers();
    for (PipeAttr member : pipes) {
      auto it = ofMember.find(member);
      if (it == ofMember.end())
        continue;
      if (blockTypes[it->second] != blockType) {
        op->emitOpError() << "uses " << pipe << " with blocks of type "
                          << blockType << ", but the pipe carries "
                          << blockTypes[it->second]
                          << " elsewhere in this module; both ends of a pipe "
                             "use the same block shape and element type";
        return failure();
      }
      if (!channel)
        channel = it->second;
      else if (*channel != it->second)
        merge(*channel, it->second);
    }
    if (!channel) {
      channel = members.size();
      members.emplace_back();
      blockTypes.push_back(blockType);
    }
    for (PipeAttr member : pipes)
      if (ofMember.try_emplace(member, *channel).second)
        members[*channel].push_back(member);
    return *channel;
  }

  /// Moves channel `from`'s pipes into `into` (`from` stays, empty).
  void merge(unsigned into, unsigned from) {
    for (PipeAttr member : members[from]) {
      ofMember[member] = into;
      members[into].push_back(member);
    }
    members[from].clear();
  }
};

/// Whether two single pipes need different mailboxes (a destination in
/// common) or different done counters (the same source).
bool mailboxConflict(PipeAttr a, PipeAttr b) { return a.sharesDestination(b); }
bool doneConflict(PipeAttr a, PipeAttr b) { return a.getSrc() == b.getSrc(); }

struct TTLAssignPipeSemaphoresPass
    : ttl::impl::TTLAssignPipeSemaphoresBase<TTLAssignPipeSemaphoresPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool assigned = false;
    module->walk([&](Operation *op) {
      assigned |= pipeOf(op) && op->hasAttr(TTLDialect::getPipeSemaphoresAttrName());
    });
    if (assigned)
      return;
    Channels channels;
    WalkResult walk = module->walk([&](Operation *op) {
      PipeAttr pipe = pipeOf(op);
      if (pipe && failed(channels.add(op, pipe)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // A channel's pipes share its semaphores, so no two may conflict (a
    // family's members never do; a family and pipes it does not hold that
    // ops name with it could).
    for (auto [c, pipes] : llvm::enumerate(channels.members))
      for (auto [i, a] : llvm::enumerate(pipes))
        for (PipeAttr b : ArrayRef(pipes).take_front(i))
          if (mailboxConflict(a, b) || doneConflict(a, b)) {
            module->emitError()
                << "pipes " << b << " and " << a
                << " are one channel of this module (a pipe family joins "
                   "the pipes it holds) but share "
                << (doneConflict(a, b) ? "their source" : "a destination")
                << ", so they cannot share its semaphores; name them in "
                   "separate PipeNets";
            return signalPassFailure();
          }

    // Greedy colouring: the smallest id no conflicting earlier channel uses.
    // Channels share a mailbox unless they share a destination core, and a
    // done counter unless they have a source in common.
    size_t numChannels = channels.members.size();
    SmallVector<std::pair<int64_t, int64_t>> ids(numChannels, {0, 0});
    int64_t numMailboxes = 0, numDones = 0;
    for (size_t c = 0; c < numChannels; ++c) {
      if (channels.members[c].empty())
        continue; // merged into another
      llvm::SmallBitVector mailboxTaken(numChannels), doneTaken(numChannels);
      for (size_t e = 0; e < c; ++e)
        for (PipeAttr earlier : channels.members[e])
          for (PipeAttr pipe : channels.members[c]) {
            if (mailboxConflict(earlier, pipe))
              mailboxTaken.set(ids[e].first);
            if (doneConflict(earlier, pipe))
              doneTaken.set(ids[e].second);
          }
      ids[c] = {mailboxTaken.find_first_unset(), doneTaken.find_first_unset()};
      numMailboxes = std::max(numMailboxes, ids[c].first + 1);
      numDones = std::max(numDones, ids[c].second + 1);
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
    if (numChannels &&
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
        auto [mailbox, done] =
            ids[channels.ofMember.lookup(pipe.getMembers().front())];
        op->setAttr(TTLDialect::getPipeSemaphoresAttrName(),
                    builder.getDenseI64ArrayAttr(
                        {numUser + mailbox, numUser + numMailboxes + done}));
      }
    });
    assignStaging(module, channels, ids);
  }

  /// One staging DFB per done id that a send uses, after the module's DFBs.
  static void assignStaging(ModuleOp module, const Channels &channels,
                            ArrayRef<std::pair<int64_t, int64_t>> ids) {
    int64_t nextIndex = 0;
    module->walk([&](BindDFBOp bind) {
      nextIndex = std::max<int64_t>(nextIndex, bind.getIndex() + 1);
    });
    // Per done id (in first use): its staging index and largest block type.
    std::map<int64_t, std::pair<int64_t, RankedTensorType>> staging;
    SmallVector<PipeSendOp> sends;
    module->walk([&](PipeSendOp send) {
      sends.push_back(send);
      int64_t done =
          ids[channels.ofMember.lookup(send.getPipe().getMembers().front())]
              .second;
      auto type = cast<RankedTensorType>(send.getBlock().getType());
      auto [it, added] = staging.try_emplace(done, nextIndex, type);
      if (added)
        ++nextIndex;
      else if (blockBytes(type) > blockBytes(it->second.second))
        it->second.second = type;
    });
    DenseMap<std::pair<Operation *, int64_t>, bool> bound;
    for (PipeSendOp send : sends) {
      int64_t done =
          ids[channels.ofMember.lookup(send.getPipe().getMembers().front())]
              .second;
      auto [index, type] = staging.at(done);
      send->setAttr(TTLDialect::getPipeStagingAttrName(),
                    IntegerAttr::get(IntegerType::get(module.getContext(), 64),
                                     index));
      auto func = send->getParentOfType<FunctionOpInterface>();
      if (!bound.try_emplace({func, index}, true).second)
        continue;
      OpBuilder b = OpBuilder::atBlockBegin(&func.getFunctionBody().front());
      Type unit = type.getElementType();
      bool rowMajor = isa<ElementType>(unit);
      Type element = rowMajor ? cast<ElementType>(unit).getElementType()
                              : cast<TileType>(unit).getElementType();
      auto dfbType = DFBType::get(module.getContext(), type.getShape(),
                                  element, 1,
                                  rowMajor ? Layout::RowMajor : Layout::Tile);
      BindDFBOp::create(b, send.getLoc(), dfbType, index);
    }
  }

  static int64_t blockBytes(RankedTensorType type) {
    Type unit = type.getElementType();
    if (auto tile = dyn_cast<TileType>(unit))
      return type.getNumElements() * tile.getSizeInBytes();
    return type.getNumElements() *
           cast<ElementType>(unit).getElementType().getIntOrFloatBitWidth() / 8;
  }
};
} // namespace
