//===- TTKernelOps.cpp - TTKernel call arguments ----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// The template and literal arguments of the TTKernel calls that take some
// (KernelCallOpInterface), as tt-metal spells them. Enumerators are C++
// source text in a string attribute.
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Support/FormatString.h"
#include "ttlx/Dialect/Utils/ScopeMarkers.h"
#include "ttlx/Target/Hardware.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::ttkernel;

//===----------------------------------------------------------------------===//
// Kernel arguments
//===----------------------------------------------------------------------===//

/// get_compile_time_arg_val(N): N is a constant expression.
SmallVector<Attribute> GetCompileTimeArgValOp::getLiteralArgs() {
  return {getIndexAttr()};
}

/// get_arg_val<uint32_t>(N).
SmallVector<Attribute> GetArgValOp::getTemplateArgs() {
  return {TypeAttr::get(
      IntegerType::get(getContext(), 32, IntegerType::Unsigned))};
}
SmallVector<Attribute> GetArgValOp::getLiteralArgs() {
  return {getIndexAttr()};
}

/// TensorAccessorArgs<cta_offset>().
SmallVector<Attribute> TensorAccessorArgsOp::getTemplateArgs() {
  return {getCtaOffsetAttr()};
}

/// get_semaphore(id).
SmallVector<Attribute> GetSemaphoreOp::getLiteralArgs() {
  return {getIdAttr()};
}

//===----------------------------------------------------------------------===//
// Compute
//===----------------------------------------------------------------------===//

/// pack_tile<true>(dst, cb, tile): the out-of-order form, so the tile index
/// counts.
SmallVector<Attribute> PackTileOp::getTemplateArgs() {
  return {BoolAttr::get(getContext(), true)};
}

/// unary_bcast_init / unary_bcast<BroadcastType::X>(...).
static Attribute broadcastType(MLIRContext *context, BcastKind kind) {
  StringRef text = kind == BcastKind::Row   ? "BroadcastType::ROW"
                   : kind == BcastKind::Col ? "BroadcastType::COL"
                                            : "BroadcastType::SCALAR";
  return StringAttr::get(context, text);
}
SmallVector<Attribute> UnaryBcastInitOp::getTemplateArgs() {
  return {broadcastType(getContext(), getKind())};
}
SmallVector<Attribute> UnaryBcastOp::getTemplateArgs() {
  return {broadcastType(getContext(), getKind())};
}

/// reduce_init / reduce_tile<PoolType::X, ReduceDim::REDUCE_Y>(...).
static SmallVector<Attribute> reduceTemplateArgs(MLIRContext *context,
                                                 PoolType pool, ReduceDim dim) {
  StringRef poolType =
      pool == PoolType::Sum ? "PoolType::SUM" : "PoolType::MAX";
  StringRef reduceDim = dim == ReduceDim::Row   ? "ReduceDim::REDUCE_ROW"
                        : dim == ReduceDim::Col ? "ReduceDim::REDUCE_COL"
                                                : "ReduceDim::REDUCE_SCALAR";
  return {StringAttr::get(context, poolType),
          StringAttr::get(context, reduceDim)};
}
SmallVector<Attribute> ReduceInitOp::getTemplateArgs() {
  return reduceTemplateArgs(getContext(), getReduceType(), getReduceDim());
}
SmallVector<Attribute> ReduceTileOp::getTemplateArgs() {
  return reduceTemplateArgs(getContext(), getReduceType(), getReduceDim());
}

/// where_tile<DataFormat::X>(cond, true, false, out).
SmallVector<Attribute> WhereTileOp::getTemplateArgs() {
  return {StringAttr::get(getContext(), getFp32() ? "DataFormat::Float32"
                                                  : "DataFormat::Float16_b")};
}

/// exp_tile_init<approx, scale_bits, InputClamping::X>() and
/// exp_tile<approx, scale_en, InputClamping::X, iterations>(idst,
/// VectorMode::RC, scale_bf16).
static Attribute inputClamping(MLIRContext *context, bool clamp) {
  return StringAttr::get(context, clamp ? "InputClamping::ClampToNegative"
                                        : "InputClamping::None");
}
SmallVector<Attribute> ExpTileInitFlaggedOp::getTemplateArgs() {
  // The scale is a uint32_t template argument: printed unsigned.
  auto u32 = IntegerType::get(getContext(), 32, IntegerType::Unsigned);
  Attribute scale = IntegerAttr::get(
      u32, APInt(32, static_cast<uint32_t>(getScale())));
  return {getApproxAttr(), scale, inputClamping(getContext(), getClamp())};
}
SmallVector<Attribute> ExpTileFlaggedOp::getTemplateArgs() {
  return {getApproxAttr(), getScaleEnAttr(),
          inputClamping(getContext(), getClamp()), getIterationsAttr()};
}
SmallVector<Attribute> ExpTileFlaggedOp::getLiteralArgs() {
  return {getIdstAttr(), StringAttr::get(getContext(), "VectorMode::RC"),
          getScaleAttr()};
}

//===----------------------------------------------------------------------===//
// Tilize and untilize
//===----------------------------------------------------------------------===//

/// A `block` argument known at compile time must be a positive width.
static LogicalResult verifyBlockWidth(Operation *op, Value block) {
  IntegerAttr width;
  if (matchPattern(block, m_Constant(&width)) && width.getInt() <= 0)
    return op->emitOpError() << "block is a width in tiles, at least 1, but "
                                "it is "
                             << width.getInt();
  return success();
}

LogicalResult TilizeInitOp::verify() {
  return verifyBlockWidth(*this, getBlock());
}
LogicalResult TilizeBlockOp::verify() {
  return verifyBlockWidth(*this, getBlock());
}

/// pack_untilize_init / pack_untilize_block<block_ct_dim, full_ct_dim>: a
/// row is whole blocks, and a block fits a 16-bit DST.
template <typename UntilizeOp>
static LogicalResult verifyUntilizeWidths(UntilizeOp op) {
  uint32_t block = op.getBlockCtDim(), full = op.getFullCtDim();
  if (full % block != 0)
    return op.emitOpError()
           << "full_ct_dim " << full << " must be a multiple of block_ct_dim "
           << block << " (a row is whole blocks)";
  if (block > ttlx_hw::kDstTiles16)
    return op.emitOpError() << "block_ct_dim " << block
                            << " exceeds the " << ttlx_hw::kDstTiles16
                            << " tiles of DST a block goes through";
  return success();
}
LogicalResult PackUntilizeInitOp::verify() {
  return verifyUntilizeWidths(*this);
}
LogicalResult PackUntilizeBlockOp::verify() {
  return verifyUntilizeWidths(*this);
}

/// pack_untilize_init / pack_untilize_block<block_ct_dim, full_ct_dim>.
static SmallVector<Attribute> untilizeWidths(MLIRContext *context,
                                             uint32_t block, uint32_t full) {
  auto u32 = IntegerType::get(context, 32, IntegerType::Unsigned);
  return {IntegerAttr::get(u32, block), IntegerAttr::get(u32, full)};
}
SmallVector<Attribute> PackUntilizeInitOp::getTemplateArgs() {
  return untilizeWidths(getContext(), getBlockCtDim(), getFullCtDim());
}
SmallVector<Attribute> PackUntilizeBlockOp::getTemplateArgs() {
  return untilizeWidths(getContext(), getBlockCtDim(), getFullCtDim());
}

//===----------------------------------------------------------------------===//
// Debug
//===----------------------------------------------------------------------===//

LogicalResult DPrintOp::verify() {
  std::optional<unsigned> placeholders =
      mlir::ttlx::countPlaceholders(getFormat());
  if (!placeholders || *placeholders != getArgs().size())
    return emitOpError() << "format needs one '{}' per argument ("
                         << getArgs().size()
                         << ") and '{{' / '}}' for literal braces";
  if (std::optional<ArrayRef<bool>> bits = getF32Bits()) {
    if (bits->size() != getArgs().size())
      return emitOpError() << "f32_bits has " << bits->size()
                           << " entries but the op has " << getArgs().size()
                           << " argument(s)";
    for (auto [i, marked] : llvm::enumerate(*bits))
      if (marked && !getArgs()[i].getType().isInteger(32))
        return emitOpError() << "argument #" << i
                             << " is marked in f32_bits, so it must be the "
                                "i32 bit pattern of an f32, but it is "
                             << getArgs()[i].getType();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Device profiler zones
//===----------------------------------------------------------------------===//

LogicalResult DeviceZoneBeginOp::verify() {
  return ttlx::verifyScopeMarker<DeviceZoneBeginOp, DeviceZoneEndOp>(
      *this, getLabel(), /*isBegin=*/true);
}

LogicalResult DeviceZoneEndOp::verify() {
  return ttlx::verifyScopeMarker<DeviceZoneBeginOp, DeviceZoneEndOp>(
      *this, getLabel(), /*isBegin=*/false);
}
