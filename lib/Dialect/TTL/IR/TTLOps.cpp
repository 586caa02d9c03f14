//===- TTLOps.cpp - TTL operations ------------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTL/IR/TTL.h"
#include "ttlx/Dialect/TTL/IR/CopyShapes.h"
#include "ttlx/Support/FormatString.h"
#include "ttlx/Target/Hardware.h"
#include "ttlx/Dialect/Utils/ScopeMarkers.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::ttl;

#define GET_OP_CLASSES
#include "ttlx/Dialect/TTL/IR/TTLOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// Says where a value that should have been a DFB block came from.
static std::string describeOrigin(Value value) {
  Operation *def = value.getDefiningOp();
  if (def && !isa<scf::ForOp, scf::IfOp>(def))
    return ("the result of '" + def->getName().getStringRef() + "'").str();
  // A value carried through loops or branches.
  if (isWaitedBlock(value))
    return "a block from 'ttl.dfb_wait' (through loops or branches)";
  if (isReservedBlock(value))
    return "a block from 'ttl.dfb_reserve' (through loops or branches)";
  if (isDFBBlock(value))
    return "a block from 'ttl.dfb_wait' on some paths and "
           "'ttl.dfb_reserve' on others";
  if (def)
    return ("the result of '" + def->getName().getStringRef() + "'").str();
  return "a block argument";
}

static TileType getTileType(Value block) {
  return cast<TileType>(cast<RankedTensorType>(block.getType()).getElementType());
}

/// The scalar type of a tiled or row-major block's elements.
static Type getScalarType(Value block) {
  Type unit = cast<RankedTensorType>(block.getType()).getElementType();
  if (auto element = dyn_cast<ElementType>(unit))
    return element.getElementType();
  return cast<TileType>(unit).getElementType();
}

/// Checks that `index`, when constant, lies in [0, limit).
static LogicalResult verifyStaticIndex(Operation *op, Value index,
                                       int64_t limit, StringRef what,
                                       StringRef unit,
                                       ArrayRef<int64_t> blockShape,
                                       StringRef blockUnit = "tiles") {
  APInt value;
  if (!matchPattern(index, m_ConstantInt(&value)))
    return success();
  int64_t v = value.getSExtValue();
  if (v >= 0 && v < limit)
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << what << " " << v << " is out of range [0, "
                            << limit << ") " << unit << " ";
  llvm::interleave(blockShape, diag, "x");
  return diag << " " << blockUnit;
}

static LogicalResult verifyElementAccess(Operation *op, Value block, Value row,
                                         Value col, Type valueType) {
  std::optional<ThreadKind> thread = getEnclosingThreadKind(op);
  if (!thread)
    return op->emitOpError()
           << "must be inside a data-movement thread function (a function "
              "with 'ttl.thread = #ttl.thread<datamovement>')";
  if (*thread != ThreadKind::DataMovement)
    return op->emitOpError()
           << "is only allowed in data-movement threads, but the enclosing "
              "function is a compute thread; move the element access to a "
              "data-movement thread";
  if (!isDFBBlock(block))
    return op->emitOpError()
           << "block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but "
              "it is "
           << describeOrigin(block);
  Type elementType = getScalarType(block);
  if (valueType != elementType)
    return op->emitOpError() << "value type " << valueType
                             << " does not match the block's element type "
                             << elementType;
  ArrayRef<int64_t> shape = cast<RankedTensorType>(block.getType()).getShape();
  if (isRowMajorBlock(block.getType())) { // leading dimensions' rows, then the last
    int64_t rows = 1;
    for (int64_t d : shape.drop_back())
      rows *= d;
    if (failed(verifyStaticIndex(op, row, rows, "row index", "for a block of",
                                 shape, "elements")) ||
        failed(verifyStaticIndex(op, col, shape.back(), "column index",
                                 "for a block of", shape, "elements")))
      return failure();
    return success();
  }
  // Rows of every batch one after the other (a block's tiles lie in L1
  // row-major over its whole shape).
  int64_t tileRows = 1;
  for (int64_t d : shape.drop_back())
    tileRows *= d;
  if (failed(verifyStaticIndex(op, row, tileRows * TileType::kRows,
                               "row index", "for a block of", shape)) ||
      failed(verifyStaticIndex(op, col, shape.back() * TileType::kCols,
                               "column index", "for a block of", shape)))
    return failure();
  return success();
}

/// Checks a copy between `tensor` at `indices` (batch indices, then tile
/// row and column; element indices when row-major) and `block`.
static LogicalResult verifyCopy(Operation *op, Value tensor, ValueRange indices,
                                Value block, bool intoBlock) {
  if (getEnclosingThreadKind(op) == ThreadKind::Compute)
    return op->emitOpError()
           << "copies run on data-movement threads, but the enclosing "
              "function is a compute thread";
  auto tensorType = cast<RankedTensorType>(tensor.getType());
  auto blockType = cast<RankedTensorType>(block.getType());
  bool rowMajor = isRowMajorTensor(tensorType);
  bool rowMajorBlock = isa<ElementType>(blockType.getElementType());
  if (rowMajor != rowMajorBlock)
    return op->emitOpError()
           << (rowMajor ? "row-major" : "tiled")
           << " tensor copied with a block of a "
           << (rowMajorBlock ? "row-major" : "tiled")
           << " DFB; a tensor's layout and its DFBs' must be the same";
  ArrayRef<int64_t> tshape = tensorType.getShape();
  int64_t rank = tensorType.getRank();
  if (!rowMajor &&
      (tshape[rank - 2] % TileType::kRows || tshape[rank - 1] % TileType::kCols)) {
    InFlightDiagnostic diag = op->emitOpError() << "DRAM tensor shape ";
    llvm::interleave(tshape, diag, "x");
    return diag << " is not a whole number of 32x32 tiles";
  }
  if (static_cast<int64_t>(indices.size()) != rank)
    return op->emitOpError() << "takes one index per tensor dimension (" << rank
                             << "), but has " << indices.size();
  Type blockElement =
      rowMajorBlock
          ? cast<ElementType>(blockType.getElementType()).getElementType()
          : getTileType(block).getElementType();
  if (tensorType.getElementType() != blockElement)
    return op->emitOpError()
           << "tensor element type " << tensorType.getElementType()
           << " does not match the block's element type " << blockElement;
  if (intoBlock && !isReservedBlock(block))
    return op->emitOpError()
           << "destination block must come from 'ttl.dfb_reserve', but it is "
           << describeOrigin(block);
  // A reserved block is read after it was filled (spec, "Block states": a
  // block written by a copy or a receive may be read before its push).
  if (!intoBlock && !isDFBBlock(block))
    return op->emitOpError()
           << "source block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', "
              "but it is "
           << describeOrigin(block);
  ArrayRef<int64_t> bshape = blockType.getShape();
  StringRef unit = rowMajor ? "elements" : "tiles";
  SmallVector<int64_t> units = tensorUnits(tensorType);
  std::optional<SmallVector<int64_t>> slice = alignedSliceShape(bshape, rank);
  bool fits = slice && llvm::all_of(llvm::zip(*slice, units), [](auto pair) {
                return std::get<0>(pair) <= std::get<1>(pair);
              });
  if (!fits) {
    InFlightDiagnostic diag = op->emitOpError() << "block of ";
    llvm::interleave(bshape, diag, "x");
    diag << " " << unit << " does not fit in a tensor of ";
    llvm::interleave(units, diag, "x");
    return diag << " " << unit;
  }
  for (int64_t d = 0; d < rank; ++d) {
    std::string what = rowMajor        ? "dimension " + std::to_string(d) + " index"
                       : d == rank - 2 ? "tile row"
                       : d == rank - 1 ? "tile column"
                                       : "dimension " + std::to_string(d) + " index";
    if (failed(verifyStaticIndex(op, indices[d], units[d] - (*slice)[d] + 1,
                                 what, "for a slice of", bshape, unit)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// CopyToBlockOp / CopyToTensorOp
//===----------------------------------------------------------------------===//

/// A transfer op's one result is its handle, of the op's kind.
#define TTLX_TRANSFER_RESULT(Op, Kind)                                         \
  LogicalResult Op::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location>, ValueRange,               \
      DictionaryAttr, OpaqueProperties, RegionRange,                           \
      SmallVectorImpl<Type> &inferred) {                                       \
    inferred.push_back(TransferHandleType::get(context, TransferKind::Kind));  \
    return success();                                                          \
  }

TTLX_TRANSFER_RESULT(CopyToBlockOp, Read)

LogicalResult BindDFBOp::verify() {
  // One type per DFB index in a thread. The first bind of the index is the
  // reference; other binds may not have been verified yet, so they are
  // compared by attribute and type only.
  auto func = (*this)->getParentOfType<FunctionOpInterface>();
  if (!func)
    return success();
  BindDFBOp first;
  func.walk([&](BindDFBOp other) {
    if (other.getIndexAttr() != getIndexAttr())
      return WalkResult::advance();
    first = other;
    return WalkResult::interrupt();
  });
  Type firstType = first->getResult(0).getType();
  if (first == *this || firstType == getType())
    return success();
  return emitOpError() << "binds DFB " << getIndex() << " as " << getType()
                       << ", but it is bound as " << firstType
                       << " elsewhere in this thread";
}

LogicalResult CopyToBlockOp::verify() {
  return verifyCopy(*this, getTensor(), getIndices(), getBlock(),
                    /*intoBlock=*/true);
}

TTLX_TRANSFER_RESULT(CopyToTensorOp, Write)

LogicalResult CopyToTensorOp::verify() {
  return verifyCopy(*this, getTensor(), getIndices(), getBlock(),
                    /*intoBlock=*/false);
}

//===----------------------------------------------------------------------===//
// SignpostBeginOp / SignpostEndOp
//===----------------------------------------------------------------------===//

LogicalResult SignpostBeginOp::verify() {
  return ttlx::verifyScopeMarker<SignpostBeginOp, SignpostEndOp>(
      *this, getLabel(), /*isBegin=*/true);
}

LogicalResult SignpostEndOp::verify() {
  return ttlx::verifyScopeMarker<SignpostBeginOp, SignpostEndOp>(
      *this, getLabel(), /*isBegin=*/false);
}

//===----------------------------------------------------------------------===//
// OpaqueCallOp
//===----------------------------------------------------------------------===//

LogicalResult OpaqueCallOp::verify() {
  if (getCallee().empty())
    return emitOpError() << "needs the name of the C++ function to call";
  if (!llvm::sys::path::is_absolute(getHeader()))
    return emitOpError() << "header '" << getHeader()
                         << "' must be an absolute path";
  size_t dfbEntries = 0;
  for (Attribute arg : getTemplateArgs()) {
    if (auto text = dyn_cast<StringAttr>(arg)) {
      if (text.getValue() != "dfb_descriptor" && text.getValue() != "dfb_id")
        return emitOpError() << "template argument \"" << text.getValue()
                             << "\" is neither \"dfb_descriptor\" nor \"dfb_id\"";
      ++dfbEntries;
      continue;
    }
    auto integer = dyn_cast<IntegerAttr>(arg);
    if (isa<BoolAttr>(arg) ||
        (integer && isa<IntegerType>(integer.getType()) &&
         integer.getType().getIntOrFloatBitWidth() == 32 &&
         !cast<IntegerType>(integer.getType()).isSignless()))
      continue;
    return emitOpError() << "template argument " << arg
                         << " is not an si32 or ui32 integer, a boolean or a "
                            "DFB entry";
  }
  if (dfbEntries != getTemplateDfbs().size())
    return emitOpError() << "has " << dfbEntries
                         << " DFB template argument(s) but "
                         << getTemplateDfbs().size() << " template DFB(s)";
  for (Value arg : getArgs()) {
    if (!isa<RankedTensorType>(arg.getType()))
      continue;
    if (failed(verifyThreadTensorArgument(*this, arg)))
      return failure();
    if (getEnclosingThreadKind(*this) == ThreadKind::Compute)
      return emitOpError()
             << "passes a tensor (a TensorAccessor) in a compute thread, but "
                "only data-movement threads have tensor accessors; pass the "
                "tensor's address ('ttl.tensor_addr') instead";
  }
  size_t effects = getEffectActions().size();
  if (getEffectTiles().size() != effects || getEffectDfbs().size() != effects)
    return emitOpError() << "has " << effects << " effect action(s), "
                         << getEffectTiles().size() << " tile count(s) and "
                         << getEffectDfbs().size() << " effect DFB(s)";
  for (auto [action, tiles] :
       llvm::zip(getEffectActions().getAsValueRange<StringAttr>(),
                 getEffectTiles())) {
    if (action != "reserve" && action != "push" && action != "wait" &&
        action != "pop")
      return emitOpError() << "effect \"" << action
                           << "\" is none of reserve, push, wait, pop";
    if (tiles <= 0)
      return emitOpError() << "effect \"" << action << "\" of " << tiles
                           << " tiles; the count must be positive";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// TensorAddrOp
//===----------------------------------------------------------------------===//

/// `tensor` must be an argument of the enclosing thread function: its
/// runtime arguments carry the address.
LogicalResult mlir::ttl::verifyThreadTensorArgument(Operation *op,
                                                     Value tensor) {
  auto arg = dyn_cast<BlockArgument>(tensor);
  if (arg && isa<FunctionOpInterface>(arg.getOwner()->getParentOp()))
    return success();
  return op->emitOpError() << "takes a tensor that is not an argument of the "
                              "thread function; pass the tensor in as an "
                              "argument";
}

LogicalResult TensorAddrOp::verify() {
  return verifyThreadTensorArgument(*this, getTensor());
}

//===----------------------------------------------------------------------===//
// WaitOp
//===----------------------------------------------------------------------===//

LogicalResult WaitOp::verify() {
  TransferKind kind = getHandle().getType().getKind();
  Operation *def = getHandle().getDefiningOp();
  if (kind == TransferKind::PipeSend && !isa_and_nonnull<PipeSendOp>(def))
    return emitOpError() << "a pipe_send handle must come from "
                            "'ttl.pipe_send', but it is "
                         << describeOrigin(getHandle());
  if (kind == TransferKind::PipeRecv && !isa_and_nonnull<PipeRecvOp>(def))
    return emitOpError() << "a pipe_recv handle must come from "
                            "'ttl.pipe_recv', but it is "
                         << describeOrigin(getHandle());
  return success();
}

//===----------------------------------------------------------------------===//
// PipeAttr / PipeSendOp / PipeRecvOp
//===----------------------------------------------------------------------===//

LogicalResult PipeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<int64_t> src, ArrayRef<int64_t> dstLo,
                               ArrayRef<int64_t> dstHi, int64_t net,
                               ArrayRef<int64_t> count,
                               ArrayRef<int64_t> step) {
  if (src.size() != 2 || dstLo.size() != 2 || dstHi.size() != 2)
    return emitError() << "pipe coordinates are (x, y) pairs";
  if (net < 0)
    return emitError() << "pipe net numbers must not be negative";
  for (int64_t v : llvm::concat<const int64_t>(src, dstLo))
    if (v < 0)
      return emitError() << "pipe coordinates must not be negative";
  if (dstLo[0] >= dstHi[0] || dstLo[1] >= dstHi[1])
    return emitError() << "pipe destination range [" << dstLo[0] << ", "
                       << dstLo[1] << "] to [" << dstHi[0] << ", " << dstHi[1]
                       << "] is empty";
  if (count.empty() && step.empty())
    return success();
  if (count.size() != 2 || step.size() != 2)
    return emitError() << "a pipe family has a count and a step per "
                          "dimension: repeat [cx, cy] step [sx, sy]";
  for (unsigned dim = 0; dim < 2; ++dim) {
    if (count[dim] < 1 || step[dim] < 1)
      return emitError() << "pipe family counts and steps must be positive";
    // Members next to each other along `dim` must not share destinations.
    if (count[dim] > 1 && dstHi[dim] - dstLo[dim] > step[dim])
      return emitError() << "the members of this pipe family share "
                            "destinations: they are "
                         << step[dim] << " apart along dimension " << dim
                         << " but each reaches " << dstHi[dim] - dstLo[dim]
                         << " cores along it; use a step of at least the "
                            "destination range";
  }
  return success();
}

SmallVector<PipeAttr, 4> PipeAttr::getMembers() const {
  if (getCount().empty())
    return {*this};
  SmallVector<PipeAttr, 4> members;
  for (int64_t i = 0; i < getCountAlong(0); ++i)
    for (int64_t j = 0; j < getCountAlong(1); ++j) {
      int64_t dx = i * getStepAlong(0), dy = j * getStepAlong(1);
      members.push_back(PipeAttr::get(
          getContext(), {getSrc()[0] + dx, getSrc()[1] + dy},
          {getDstLo()[0] + dx, getDstLo()[1] + dy},
          {getDstHi()[0] + dx, getDstHi()[1] + dy}, getNet(), {}, {}));
    }
  return members;
}

bool PipeAttr::sharesDestination(PipeAttr other) const {
  return std::max(getDstLo()[0], other.getDstLo()[0]) <
             std::min(getDstHi()[0], other.getDstHi()[0]) &&
         std::max(getDstLo()[1], other.getDstLo()[1]) <
             std::min(getDstHi()[1], other.getDstHi()[1]);
}

/// Shared checks of a pipe op: a data-movement thread whose grid holds the
/// pipe (its source may be one of its destinations).
static LogicalResult verifyPipeOp(Operation *op, PipeAttr pipe) {
  if (getEnclosingThreadKind(op) == ThreadKind::Compute)
    return op->emitOpError()
           << "pipe transfers run on data-movement threads, but the "
              "enclosing function is a compute thread";
  auto func = op->getParentOfType<FunctionOpInterface>();
  auto grid = func ? func->getAttrOfType<DenseI64ArrayAttr>(
                         TTLDialect::getGridAttrName())
                   : DenseI64ArrayAttr();
  if (!grid)
    return op->emitOpError() << "needs the grid, but the enclosing function "
                                "has no 'ttl.grid' attribute";
  ArrayRef<int64_t> size = grid.asArrayRef();
  // The last member of a family reaches furthest.
  int64_t lastX = (pipe.getCountAlong(0) - 1) * pipe.getStepAlong(0);
  int64_t lastY = (pipe.getCountAlong(1) - 1) * pipe.getStepAlong(1);
  auto outside = [&](ArrayRef<int64_t> c, int64_t end) {
    return c[0] + lastX + end > size[0] || c[1] + lastY + end > size[1];
  };
  if (outside(pipe.getSrc(), 1))
    return op->emitOpError()
           << "pipe source (" << pipe.getSrc()[0] + lastX << ", "
           << pipe.getSrc()[1] + lastY << ") is outside the " << size[0]
           << "x" << size[1]
           << " grid of this operation; use a larger grid or a source inside "
              "it";
  if (outside(pipe.getDstHi(), 0))
    return op->emitOpError()
           << "pipe destinations reach (" << pipe.getDstHi()[0] + lastX - 1
           << ", " << pipe.getDstHi()[1] + lastY - 1 << "), outside the "
           << size[0] << "x" << size[1]
           << " grid of this operation; use a larger grid or destinations "
              "inside it";
  return success();
}

TTLX_TRANSFER_RESULT(PipeSendOp, PipeSend)

LogicalResult PipeSendOp::verify() {
  if (!isDFBBlock(getBlock()))
    return emitOpError()
           << "block must come from 'ttl.dfb_wait' or 'ttl.dfb_reserve', but "
              "it is "
           << describeOrigin(getBlock());
  return verifyPipeOp(*this, getPipe());
}

TTLX_TRANSFER_RESULT(PipeRecvOp, PipeRecv)

LogicalResult PipeRecvOp::verify() {
  if (!isReservedBlock(getBlock()))
    return emitOpError()
           << "destination block must come from 'ttl.dfb_reserve', but it is "
           << describeOrigin(getBlock());
  return verifyPipeOp(*this, getPipe());
}

//===----------------------------------------------------------------------===//
// WaitAnyOp
//===----------------------------------------------------------------------===//

LogicalResult WaitAnyOp::verify() {
  if (getEnclosingThreadKind(*this) == ThreadKind::Compute)
    return emitOpError() << "waits for pipe receives, which data-movement "
                            "threads make, but the enclosing function is a "
                            "compute thread";
  OperandRange requests = getRequests();
  if (requests.empty())
    return emitOpError() << "needs at least one receive request";
  Block *block = (*this)->getBlock();
  for (auto [i, request] : llvm::enumerate(requests)) {
    auto recv = request.getDefiningOp<PipeRecvOp>();
    if (!recv)
      return emitOpError() << "request " << i
                           << " must be a pipe receive (the handle of "
                              "'ttl.pipe_recv'), but it is "
                           << describeOrigin(request);
    for (unsigned j = 0; j < i; ++j)
      if (requests[j] == request)
        return emitOpError() << "requests " << j << " and " << i
                             << " are the same receive; pass each once";
    for (unsigned j = 0; j < i; ++j)
      if (requests[j].getDefiningOp<PipeRecvOp>().getPipe() == recv.getPipe())
        return emitOpError() << "requests " << j << " and " << i
                             << " receive from the same pipe, which delivers "
                                "in order; wait for them one after the other";
    if (recv->getBlock() != block)
      return emitOpError() << "request " << i
                           << " is posted in another block; post the "
                              "receives in the loop body or branch of "
                              "'ttl.wait_any'";
    for (Operation *user : request.getUsers()) {
      if (!isa<WaitOp>(user))
        continue;
      Operation *at = block->findAncestorOpInBlock(*user);
      if (at && at->isBeforeInBlock(*this))
        return emitOpError() << "request " << i
                             << " is waited before it; 'ttl.wait_any' selects "
                                "among receives still pending";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ElementReadOp / ElementWriteOp
//===----------------------------------------------------------------------===//

LogicalResult ElementReadOp::verify() {
  return verifyElementAccess(*this, getBlock(), getRow(), getCol(),
                             getResult().getType());
}

LogicalResult ElementWriteOp::verify() {
  return verifyElementAccess(*this, getBlock(), getRow(), getCol(),
                             getValue().getType());
}

LogicalResult ReadIndexOp::verify() {
  // The element is read in the block's own type (then converted).
  return verifyElementAccess(*this, getBlock(), getRow(), getCol(),
                             getScalarType(getBlock()));
}

//===----------------------------------------------------------------------===//
// DFBPublishOp
//===----------------------------------------------------------------------===//

LogicalResult DFBPublishOp::verify() {
  if (getEnclosingThreadKind(*this) != ThreadKind::DataMovement)
    return emitOpError() << "publishes a tensor-backed DFB, which data-movement "
                            "threads do; move it to a data-movement thread";
  return success();
}

//===----------------------------------------------------------------------===//
// DPrintOp
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Semaphores
//===----------------------------------------------------------------------===//

/// A semaphore op runs on a data-movement thread and names one of the
/// semaphores a core has.
static LogicalResult verifySemaphoreOp(Operation *op, uint64_t semaphore) {
  if (getEnclosingThreadKind(op) == ThreadKind::Compute)
    return op->emitOpError()
           << "semaphores are set, incremented and waited on by data-movement "
              "threads, but the enclosing function is a compute thread";
  if (semaphore >= ttlx_hw::kSemaphoresPerCore)
    return op->emitOpError() << "uses semaphore " << semaphore
                             << ", but a core has "
                             << ttlx_hw::kSemaphoresPerCore;
  return success();
}

LogicalResult SemaphoreWaitOp::verify() {
  return verifySemaphoreOp(*this, getSemaphore());
}
LogicalResult SemaphoreSetOp::verify() {
  return verifySemaphoreOp(*this, getSemaphore());
}
LogicalResult SemaphoreRemoteSetOp::verify() {
  return verifySemaphoreOp(*this, getSemaphore());
}
LogicalResult SemaphoreRemoteIncOp::verify() {
  return verifySemaphoreOp(*this, getSemaphore());
}
LogicalResult SemaphoreMulticastSetOp::verify() {
  return verifySemaphoreOp(*this, getSemaphore());
}

LogicalResult DPrintOp::verify() {
  std::optional<unsigned> placeholders =
      mlir::ttlx::countPlaceholders(getFormat());
  if (!placeholders)
    return emitOpError() << "format has a lone '{' or '}'; write '{}' for an "
                            "argument and '{{' or '}}' for a brace";
  if (*placeholders != getArgs().size())
    return emitOpError() << "format has " << *placeholders
                         << " '{}' placeholder(s) but the op has "
                         << getArgs().size() << " argument(s)";
  return success();
}

LogicalResult DPrintBlockOp::verify() {
  if (getEnclosingThreadKind(*this) != ThreadKind::Compute)
    return emitOpError() << "prints a block's tiles in compute threads; a "
                            "data-movement thread prints its element rows "
                            "with 'ttl.element_read' and 'ttl.dprint'";
  Value block = getBlock();
  if (!(isWaitedBlock(block) || isReservedBlock(block)) || !getBlockDFB(block))
    return emitOpError() << "block must come from 'ttl.dfb_wait' (or from "
                            "'ttl.dfb_reserve') of one DFB, but it is "
                         << describeOrigin(getBlock());
  return success();
}

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

LogicalResult mlir::ttl::verifyComputeOp(Operation *op) {
  if (getEnclosingThreadKind(op) == ThreadKind::DataMovement)
    return op->emitOpError()
           << "is tile math, which runs on compute threads, but the enclosing "
              "function is a data-movement thread";
  return success();
}

/// The unit (tile or element) of a block type with its data type replaced
/// by f32: blocks that differ only in data type compare equal.
static RankedTensorType withF32Units(RankedTensorType type) {
  MLIRContext *ctx = type.getContext();
  Type unit = type.getElementType();
  Type f32 = Float32Type::get(ctx);
  if (isa<TileType>(unit))
    unit = TileType::get(ctx, f32);
  else if (isa<ElementType>(unit))
    unit = ElementType::get(ctx, f32);
  return type.clone(unit);
}

/// Elementwise math on blocks of both float data types: each operand is
/// unpacked into DST in its own format, and the result is f32 when any
/// block operand is (bf16 when all are). `operands` are the block and
/// scalar operands that decide the result type; `others` (a where's
/// condition) need the result's shape and unit only.
static LogicalResult verifyElementwise(Operation *op, ValueRange operands,
                                       ValueRange others = {}) {
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  bool anyBlock = false, anyF32 = false;
  auto check = [&](Value operand, StringRef role) -> LogicalResult {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type)
      return success(); // a scalar
    anyBlock = true;
    if (withF32Units(type) != withF32Units(result))
      return op->emitOpError() << role << " type " << type
                               << " does not match the result type " << result
                               << "; broadcast it first";
    return success();
  };
  for (Value v : others)
    if (failed(check(v, "condition")))
      return failure();
  for (Value v : operands) {
    if (failed(check(v, "operand")))
      return failure();
    if (auto type = dyn_cast<RankedTensorType>(v.getType()))
      anyF32 |= getBlockScalarType(type).isF32();
  }
  if (!anyBlock)
    return op->emitOpError()
           << "needs at least one block operand; for scalar math use arith";
  Type expected = anyF32 ? Type(Float32Type::get(op->getContext()))
                         : Type(BFloat16Type::get(op->getContext()));
  bool onlyOthers = llvm::none_of(operands, [](Value v) {
    return isa<RankedTensorType>(v.getType());
  });
  if (!onlyOthers && getBlockScalarType(result) != expected)
    return op->emitOpError()
           << "result data type must be " << expected << " (f32 when any block "
           << "operand is f32, bf16 otherwise), but it is "
           << getBlockScalarType(result);
  return success();
}

LogicalResult mlir::ttl::verifyBinaryOp(Operation *op) {
  return verifyElementwise(op, op->getOperands());
}

/// The block must come straight from a DFB wait: the op reads a CB.
static LogicalResult verifyWaitedBlock(Operation *op, Value block,
                                       StringRef role, StringRef why) {
  if (isWaitedBlock(block))
    return success();
  return op->emitOpError() << role << " must be a block from 'ttl.dfb_wait' ("
                           << why << "), but it is " << describeOrigin(block)
                           << "; store the expression into a DFB first";
}


LogicalResult CopyTileOp::verify() {
  if (isDFBBlock(getInput()))
    return success();
  return emitOpError() << "input must be a block from 'ttl.dfb_wait' or "
                          "'ttl.dfb_reserve', but it is "
                       << describeOrigin(getInput());
}

//===----------------------------------------------------------------------===//
// SqueezeOp / UnsqueezeOp
//===----------------------------------------------------------------------===//

/// `dims` normalized against `rank` (negative ones count from the end),
/// sorted; an error names the first one out of range or listed twice.
static FailureOr<SmallVector<int64_t>>
normalizeDims(Operation *op, ArrayRef<int64_t> dims, int64_t rank,
              StringRef against) {
  SmallVector<int64_t> norm;
  for (int64_t d : dims) {
    if (d < -rank || d >= rank)
      return op->emitOpError() << "dimension " << d << " is out of range for "
                               << against << " of " << rank
                               << " dimensions";
    int64_t n = d < 0 ? d + rank : d;
    if (llvm::is_contained(norm, n))
      return op->emitOpError() << "lists dimension " << n << " twice";
    norm.push_back(n);
  }
  llvm::sort(norm);
  return norm;
}

/// Checks that `result` is `input` with the dimensions `dims` (of the
/// input for a squeeze, of the result for an unsqueeze) removed or
/// inserted, each of extent 1.
static LogicalResult verifyShapeView(Operation *op, RankedTensorType input,
                                     RankedTensorType result,
                                     ArrayRef<int64_t> dims, bool squeeze) {
  if (input.getElementType() != result.getElementType())
    return op->emitOpError() << "changes the tile type from "
                             << input.getElementType() << " to "
                             << result.getElementType();
  RankedTensorType longer = squeeze ? input : result;
  FailureOr<SmallVector<int64_t>> positions = normalizeDims(
      op, dims, longer.getRank(), squeeze ? "an input" : "a result");
  if (failed(positions))
    return failure();
  SmallVector<int64_t> expected;
  if (squeeze) {
    for (auto [i, extent] : llvm::enumerate(input.getShape())) {
      if (!llvm::is_contained(*positions, static_cast<int64_t>(i)))
        expected.push_back(extent);
      else if (extent != 1)
        return op->emitOpError() << "removes dimension " << i << " of extent "
                                 << extent
                                 << "; only dimensions of extent 1 can be "
                                    "removed";
    }
  } else {
    ArrayRef<int64_t> rest = input.getShape();
    for (int64_t i = 0; i < result.getRank(); ++i) {
      if (llvm::is_contained(*positions, i)) {
        expected.push_back(1);
      } else if (!rest.empty()) {
        expected.push_back(rest.front());
        rest = rest.drop_front();
      }
    }
    llvm::append_range(expected, rest);
  }
  if (ArrayRef<int64_t>(expected) == result.getShape())
    return success();
  InFlightDiagnostic diag = op->emitOpError() << "of " << input << " by dims [";
  llvm::interleaveComma(dims, diag);
  diag << "] gives a block of ";
  llvm::interleave(expected, diag, "x");
  diag << (isRowMajorBlock(input) ? " elements, not " : " tiles, not ");
  llvm::interleave(result.getShape(), diag, "x");
  return diag;
}

LogicalResult BroadcastTilesOp::verify() {
  auto in = getInput().getType(), out = getResult().getType();
  bool ok = in.getElementType() == out.getElementType() &&
            in.getRank() == out.getRank() &&
            in.getShape().take_back(2) == out.getShape().take_back(2);
  for (auto [i, o] : llvm::zip(in.getShape().drop_back(2),
                               out.getShape().drop_back(2)))
    ok &= i == o || i == 1;
  if (ok)
    return success();
  return emitOpError() << "replicates tiles along leading dimensions of "
                          "extent 1 only: "
                       << in << " cannot become " << out;
}

LogicalResult SqueezeOp::verify() {
  return verifyShapeView(*this, getInput().getType(), getResult().getType(),
                         getDims(), /*squeeze=*/true);
}

LogicalResult UnsqueezeOp::verify() {
  return verifyShapeView(*this, getInput().getType(), getResult().getType(),
                         getDims(), /*squeeze=*/false);
}
LogicalResult BroadcastOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> out = getResult().getType().getShape();
  if (getInput().getType().getElementType() !=
      getResult().getType().getElementType())
    return emitOpError() << "changes the tile type from "
                         << getInput().getType().getElementType() << " to "
                         << getResult().getType().getElementType();
  bool ok = false;
  StringRef expected;
  switch (getKind()) {
  case BroadcastKind::Col:
    ok = in[1] == 1 && in[0] == out[0];
    expected = "an Rx1-tile input and an RxC-tile result";
    break;
  case BroadcastKind::Row:
    ok = in[0] == 1 && in[1] == out[1];
    expected = "a 1xC-tile input and an RxC-tile result";
    break;
  case BroadcastKind::Scalar:
    ok = in[0] == 1 && in[1] == 1;
    expected = "a 1x1-tile input";
    break;
  }
  if (!ok)
    return emitOpError() << stringifyBroadcastKind(getKind())
                         << " broadcast needs " << expected << ", but maps "
                         << in[0] << "x" << in[1] << " tiles to " << out[0]
                         << "x" << out[1];
  return verifyWaitedBlock(*this, getInput(), "input",
                           "broadcasting happens while unpacking a CB");
}

LogicalResult TransposeOp::verify() {
  RankedTensorType in = getInput().getType(), out = getResult().getType();
  SmallVector<int64_t> expected(in.getShape());
  std::swap(expected[expected.size() - 2], expected.back());
  if (in.getElementType() != out.getElementType() ||
      ArrayRef<int64_t>(expected) != out.getShape())
    return emitOpError() << "of " << in << " gives "
                         << RankedTensorType::get(expected, in.getElementType())
                         << ", but the result is " << out;
  return verifyWaitedBlock(*this, getInput(), "input",
                           "transpose_tile unpacks from a CB");
}

template <typename ReduceOpT>
static LogicalResult verifyReduce(ReduceOpT op) {
  RankedTensorType inType = op.getInput().getType();
  ArrayRef<int64_t> in = inType.getShape();
  ArrayRef<int64_t> out = op.getResult().getType().getShape();
  if (inType.getElementType() != op.getResult().getType().getElementType() ||
      inType.getElementType() != op.getScaler().getType().getElementType())
    return op.emitOpError()
           << "input, scaler and result must have the same tile type";
  // Batch by batch: the leading dimensions stay, the last two reduce.
  SmallVector<int64_t> expected(in);
  int64_t rank = expected.size();
  if (op.getDim() != ReduceDim::Row)
    expected[rank - 2] = 1;
  if (op.getDim() != ReduceDim::Col)
    expected[rank - 1] = 1;
  if (ArrayRef<int64_t>(expected) != out) {
    InFlightDiagnostic diag = op.emitOpError()
                              << stringifyReduceDim(op.getDim())
                              << " reduction of ";
    llvm::interleave(in, diag, "x");
    diag << " tiles gives ";
    llvm::interleave(expected, diag, "x");
    diag << " tiles, but the result has ";
    llvm::interleave(out, diag, "x");
    return diag;
  }
  ArrayRef<int64_t> scaler = op.getScaler().getType().getShape();
  if (scaler[0] != 1 || scaler[1] != 1)
    return op.emitOpError() << "scaler must be a 1x1-tile block, but has "
                            << scaler[0] << "x" << scaler[1] << " tiles";
  if (failed(verifyWaitedBlock(op, op.getInput(), "input",
                               "reduce_tile reads a CB")) ||
      failed(verifyWaitedBlock(op, op.getScaler(), "scaler",
                               "reduce_tile reads a CB")))
    return failure();
  return success();
}

LogicalResult WhereOp::verify() {
  // The condition selects; the result's data type follows the operands it
  // selects between (the condition's when both are scalars).
  return verifyElementwise(*this, {getLhs(), getRhs()}, getCond());
}

LogicalResult EngramGateOp::verify() {
  if (!(getEps().convertToFloat() > 0.0f))
    return emitOpError() << "eps must be positive, but it is "
                         << getEps().convertToFloat();
  if (!(getScale().convertToFloat() > 0.0f))
    return emitOpError() << "scale must be positive, but it is "
                         << getScale().convertToFloat();
  const char *names[] = {"key", "query", "value", "key weight", "query weight"};
  for (auto [operand, name] : llvm::zip(getOperands(), names))
    if (failed(verifyWaitedBlock(*this, operand, name,
                                 "its reductions read CBs")))
      return failure();
  return success();
}

LogicalResult DepthwiseConv1dOp::verify() {
  int64_t k = getKernelSize(), dilation = getDilation();
  if (k < 1 || dilation < 1)
    return emitOpError() << "kernel_size and dilation must be at least 1, "
                            "but they are "
                         << k << " and " << dilation;
  if (dilation * (k - 1) >= TileType::kRows)
    return emitOpError() << "reaches " << dilation * (k - 1)
                         << " rows back, but the halo is one tile-row (at "
                            "most 31 rows)";
  if (static_cast<int64_t>(getWeights().size()) != k)
    return emitOpError() << "has " << getWeights().size()
                         << " weight blocks, but kernel_size is " << k;
  if (getType().getShape()[0] != 1)
    return emitOpError() << "input must be one tile-row (1xC tiles), but it "
                            "has "
                         << getType().getShape()[0] << " tile-rows";
  for (Value w : getWeights())
    if (w.getType() != getType())
      return emitOpError() << "weight type " << w.getType()
                           << " does not match the input type " << getType();
  if (failed(verifyWaitedBlock(*this, getInput(), "input",
                               "matmul_tiles reads a CB")) ||
      failed(verifyWaitedBlock(*this, getHalo(), "halo",
                               "matmul_tiles reads a CB")))
    return failure();
  for (Value w : getWeights())
    if (failed(verifyWaitedBlock(*this, w, "each weight", "it is read from a CB")))
      return failure();
  return success();
}

LogicalResult MatmulOp::verify() {
  ArrayRef<int64_t> a = getLhs().getType().getShape();
  ArrayRef<int64_t> b = getRhs().getType().getShape();
  ArrayRef<int64_t> c = getResult().getType().getShape();
  Type ea = getLhs().getType().getElementType();
  Type eb = getRhs().getType().getElementType();
  Type ec = getResult().getType().getElementType();
  // Each operand is unpacked in its own format; the product is f32 when
  // either operand is.
  MLIRContext *ctx = getContext();
  Type f32 = TileType::get(ctx, Float32Type::get(ctx));
  Type expected = (ea == f32 || eb == f32)
                      ? f32
                      : TileType::get(ctx, BFloat16Type::get(ctx));
  if (ec != expected)
    return emitOpError() << "result tile type must be " << expected
                         << " for operands of " << ea << " and " << eb
                         << " (f32 when either is f32), but it is " << ec;
  if (a.size() != b.size() || a.size() != c.size() ||
      a.drop_back(2) != b.drop_back(2) || a.drop_back(2) != c.drop_back(2))
    return emitOpError() << "operands and result must have the same leading "
                            "(batch) dimensions, but their types are "
                         << getLhs().getType() << ", " << getRhs().getType()
                         << " and " << getResult().getType();
  // The matrices: the last two dimensions.
  a = a.take_back(2), b = b.take_back(2), c = c.take_back(2);
  if (a[1] != b[0])
    return emitOpError() << "multiplies " << a[0] << "x" << a[1] << " by "
                         << b[0] << "x" << b[1]
                         << " tiles: the inner dimensions (K) differ";
  if (c[0] != a[0] || c[1] != b[1])
    return emitOpError() << "product of " << a[0] << "x" << a[1] << " and "
                         << b[0] << "x" << b[1] << " tiles is " << a[0] << "x"
                         << b[1] << " tiles, but the result has " << c[0]
                         << "x" << c[1];
  if (failed(verifyWaitedBlock(*this, getLhs(), "lhs",
                               "matmul_tiles reads a CB")) ||
      failed(verifyWaitedBlock(*this, getRhs(), "rhs",
                               "matmul_tiles reads a CB")))
    return failure();
  return success();
}

LogicalResult ReduceSumOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMaxOp::verify() { return verifyReduce(*this); }

LogicalResult StoreOp::verify() {
  // The packer converts DST to the output DFB's data format, so a value of
  // either data type may go into a block of either (same shape and unit).
  auto value = cast<RankedTensorType>(getValue().getType());
  auto block = cast<RankedTensorType>(getBlock().getType());
  if (withF32Units(value) != withF32Units(block))
    return emitOpError() << "stores a value of type " << value
                         << " into a block of type " << block;
  if (!isReservedBlock(getBlock()))
    return emitOpError() << "destination must be a block from "
                            "'ttl.dfb_reserve', but it is "
                         << describeOrigin(getBlock());
  return success();
}

//===----------------------------------------------------------------------===//
// TilizeOp / UntilizeOp
//===----------------------------------------------------------------------===//

/// The tiled shape of a row-major block shape: its last two dimensions in
/// tiles, or nothing when they are not multiples of 32.
static std::optional<SmallVector<int64_t>>
tiledShape(ArrayRef<int64_t> elements) {
  if (elements.size() < 2 || elements.back() % TileType::kCols != 0 ||
      elements[elements.size() - 2] % TileType::kRows != 0)
    return std::nullopt;
  SmallVector<int64_t> tiles(elements);
  tiles[tiles.size() - 2] /= TileType::kRows;
  tiles.back() /= TileType::kCols;
  return tiles;
}

/// A row-major block shape and the tiled one holding the same matrix, of
/// one data type.
static LogicalResult verifyLayoutPair(Operation *op, RankedTensorType rows,
                                      RankedTensorType tiles) {
  if (getBlockScalarType(rows) != getBlockScalarType(tiles))
    return op->emitOpError() << "converts between blocks of one data type, "
                                "but they are "
                             << rows << " and " << tiles;
  std::optional<SmallVector<int64_t>> expected = tiledShape(rows.getShape());
  if (!expected)
    return op->emitOpError()
           << "row-major block " << rows
           << " must have at least 2 dimensions, the last two multiples of "
              "32 (whole tiles)";
  if (ArrayRef<int64_t>(*expected) != tiles.getShape())
    return op->emitOpError() << "row-major block " << rows << " holds "
                             << RankedTensorType::get(*expected,
                                                      tiles.getElementType())
                             << ", but the tiled block is " << tiles;
  return success();
}

LogicalResult TilizeOp::verify() {
  if (failed(verifyLayoutPair(*this, getInput().getType(),
                              getBlock().getType())) ||
      failed(verifyWaitedBlock(*this, getInput(), "input",
                               "tilize_block unpacks from a CB")))
    return failure();
  if (!isReservedBlock(getBlock()))
    return emitOpError() << "destination must be a block from "
                            "'ttl.dfb_reserve', but it is "
                         << describeOrigin(getBlock());
  return success();
}

LogicalResult UntilizeOp::verify() {
  auto in = cast<DFBType>(getInput().getType());
  auto out = cast<DFBType>(getOutput().getType());
  if (in.isRowMajor() || !out.isRowMajor())
    return emitOpError() << "moves blocks of a tiled DFB into a row-major "
                            "one, but they are "
                         << in << " and " << out;
  return verifyLayoutPair(*this, out.getBlockType(), in.getBlockType());
}
