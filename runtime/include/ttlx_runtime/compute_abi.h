// SPDX-License-Identifier: Apache-2.0
//
// Runtime entry points behind the tt-metal compute kernel API.
#pragma once

#include "ttlx_runtime/kernel_abi.h"

namespace ttlx_rt {

enum class RegsStep : int { Acquire, Commit, Wait, Release };
enum class Bcast : int { None, Rows, Cols, Scalar };

// The elementwise ops, one enumerator per entry of the op table, named as
// the entry: FPU binary ops, SFPU unary ops, and SFPU binary ops (the FPU
// ones have an SFPU form too).
enum class FpuOp : int {
#define TTLX_FPU_BINARY_OP(Name, ...) Name,
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
};
enum class SfpuUnary : int {
#define TTLX_SFPU_UNARY_OP(Name, ...) Name,
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
};
enum class SfpuBinary : int {
#define TTLX_FPU_BINARY_OP(Name, ...) Name,
#define TTLX_SFPU_BINARY_OP(Name, ...) Name,
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
};
/// The scalar arguments of an SFPU unary call after idst, as passed:
/// float parameters as their IEEE bits (TTLElementwiseOps.def, `params`).
struct SfpuParams {
  uint32_t word[3];
};
enum class Pool : int { Sum, Max };
/// Which unpacker sources a configuration call sets.
enum class UnpackSources : int { Both, A, B };
enum class Dim : int { Row, Col, Scalar };

void regs(RegsStep step, bool fp32DestAcc, Site site);
void compute_init(const char *what, Site site);
/// compute_kernel_hw_startup and reconfig_data_format*: the unpacker's srcA
/// (from cbA) and srcB (from cbB) formats.
void unpack_config(UnpackSources which, uint32_t cbA, uint32_t cbB, Site site);
void copy_tile(uint32_t cb, uint32_t tile, uint32_t dst, Site site);
void transpose_tile(uint32_t cb, uint32_t tile, uint32_t dst, Site site);
void unary_bcast(Bcast kind, uint32_t cb, uint32_t tile, uint32_t dst, Site site);
void pack_tile(uint32_t dst, uint32_t cb, uint32_t tile, bool outOfOrder, Site site);
void fpu_binary(FpuOp op, Bcast bcast, uint32_t cb0, uint32_t cb1, uint32_t tile0,
                uint32_t tile1, uint32_t dst, Site site);
void sfpu_unary(SfpuUnary op, uint32_t dst, SfpuParams params, Site site);
void exp_tile_flagged(uint32_t dst, uint32_t scaleBf16, int iterations, Site site);
void sfpu_binary(SfpuBinary op, uint32_t dst0, uint32_t dst1, uint32_t out, Site site);
void fill_tile(uint32_t dst, float value, Site site);
void where_tile(uint32_t cond, uint32_t onTrue, uint32_t onFalse, uint32_t out, bool fp32Format, Site site);
void reduce_tile(Pool pool, Dim dim, uint32_t cb, uint32_t scalerCb, uint32_t tile,
                 uint32_t scalerTile, uint32_t dst, Site site);
void matmul_tiles(uint32_t cb0, uint32_t cb1, uint32_t tile0, uint32_t tile1, uint32_t dst,
                  Site site);
/// tilize_init / pack_untilize_init: the unpacker's srcA takes icb's format.
void tilize_init(uint32_t icb, uint32_t ocb, Site site);
void pack_untilize_init(uint32_t icb, uint32_t ocb, Site site);
/// tilize_block and pack_untilize_block: each tile through DST (16-bit
/// unless fp32DestAcc), outside tile_regs_acquire/release.
void tilize_block(uint32_t icb, uint32_t block, uint32_t ocb, uint32_t inputTile,
                  uint32_t outputTile, bool fp32DestAcc, Site site);
void pack_untilize_block(uint32_t icb, uint32_t blockRt, uint32_t ocb, uint32_t blockCIndex,
                         uint32_t blockCt, uint32_t fullCt, bool fp32DestAcc, Site site);

} // namespace ttlx_rt
