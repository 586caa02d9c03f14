// SPDX-License-Identifier: Apache-2.0
//
// The tt-metal compute kernel API as implemented by the ttlx host runtime:
// tt-metal's names and argument order; DST holds 32x32 fp32 tiles (rounded
// to bf16 on every write unless fp32 accumulation is on), FPU ops read the
// waited tiles of input CBs, pack_tile writes reserved tiles of an output
// CB. The other api/compute headers include this one.
#pragma once

#include <cstdint>

#include "api/dataflow/dataflow_api.h"
#include "ttlx_runtime/compute_abi.h"

#ifndef DST_ACCUM_MODE
#define DST_ACCUM_MODE false
#endif

enum class PoolType { SUM, MAX };
enum class BroadcastType { NONE, ROW, COL, SCALAR };
enum class ReduceDim { REDUCE_ROW, REDUCE_COL, REDUCE_SCALAR };

// Register synchronisation between math and pack.
#define TTLX_REGS(step) ::ttlx_rt::regs(::ttlx_rt::RegsStep::step, DST_ACCUM_MODE, TTLX_SITE)
#define tile_regs_acquire() TTLX_REGS(Acquire)
#define tile_regs_commit() TTLX_REGS(Commit)
#define tile_regs_wait() TTLX_REGS(Wait)
#define tile_regs_release() TTLX_REGS(Release)

// Inits configure the hardware; the emulator only checks their operands.
#define TTLX_INIT(name) ::ttlx_rt::compute_init(name, TTLX_SITE)
#define compute_kernel_hw_startup(...) TTLX_INIT("compute_kernel_hw_startup")
#define copy_init(...) TTLX_INIT("copy_init")
#define pack_init(...) TTLX_INIT("pack_init")
#define add_init(...) TTLX_INIT("add_init")
#define sub_init(...) TTLX_INIT("sub_init")
#define mul_init(...) TTLX_INIT("mul_init")
#define add_bcast_rows_init(...) TTLX_INIT("add_bcast_rows_init")
#define add_bcast_cols_init(...) TTLX_INIT("add_bcast_cols_init")
#define add_bcast_scalar_init(...) TTLX_INIT("add_bcast_scalar_init")
#define sub_bcast_rows_init(...) TTLX_INIT("sub_bcast_rows_init")
#define sub_bcast_cols_init(...) TTLX_INIT("sub_bcast_cols_init")
#define sub_bcast_scalar_init(...) TTLX_INIT("sub_bcast_scalar_init")
#define mul_bcast_rows_init(...) TTLX_INIT("mul_bcast_rows_init")
#define mul_bcast_cols_init(...) TTLX_INIT("mul_bcast_cols_init")
#define mul_bcast_scalar_init(...) TTLX_INIT("mul_bcast_scalar_init")
#define reduce_uninit(...) TTLX_INIT("reduce_uninit")

// Unpack and pack.
#define copy_tile(cb, tile, dst) ::ttlx_rt::copy_tile((cb), (tile), (dst), TTLX_SITE)
template <bool out_of_order_output = false>
inline void ttlx_pack_tile(uint32_t dst, uint32_t cb, uint32_t tile, ttlx_rt::Site site) {
  ttlx_rt::pack_tile(dst, cb, tile, out_of_order_output, site);
}
struct ttlx_pack_tile_at {
  explicit ttlx_pack_tile_at(ttlx_rt::Site s) : site(s) {}
  template <bool out_of_order_output = false>
  void call(uint32_t dst, uint32_t cb, uint32_t tile = 0) const {
    ttlx_pack_tile<out_of_order_output>(dst, cb, tile, site);
  }
  ttlx_rt::Site site;
};
#define pack_tile ttlx_pack_tile_at(TTLX_SITE).template call

// Unpack with broadcast.
struct ttlx_unary_bcast_at {
  explicit ttlx_unary_bcast_at(ttlx_rt::Site s) : site(s) {}
  template <BroadcastType kind> void init(uint32_t, uint32_t) const {
    ttlx_rt::compute_init("unary_bcast_init", site);
  }
  template <BroadcastType kind> void call(uint32_t cb, uint32_t tile, uint32_t dst) const {
    ttlx_rt::unary_bcast(static_cast<ttlx_rt::Bcast>(kind), cb, tile, dst, site);
  }
  ttlx_rt::Site site;
};
#define unary_bcast_init ttlx_unary_bcast_at(TTLX_SITE).template init
#define unary_bcast ttlx_unary_bcast_at(TTLX_SITE).template call

// FPU binary ops, plain and broadcast.
#define TTLX_FPU(op, bcast, a, b, ia, ib, d)                                   \
  ::ttlx_rt::fpu_binary(::ttlx_rt::FpuOp::op, ::ttlx_rt::Bcast::bcast, (a), (b), (ia), (ib), (d), TTLX_SITE)
#define add_tiles(a, b, ia, ib, d) TTLX_FPU(Add, None, a, b, ia, ib, d)
#define sub_tiles(a, b, ia, ib, d) TTLX_FPU(Sub, None, a, b, ia, ib, d)
#define mul_tiles(a, b, ia, ib, d) TTLX_FPU(Mul, None, a, b, ia, ib, d)
#define add_tiles_bcast_rows(a, b, ia, ib, d) TTLX_FPU(Add, Rows, a, b, ia, ib, d)
#define add_tiles_bcast_cols(a, b, ia, ib, d) TTLX_FPU(Add, Cols, a, b, ia, ib, d)
#define add_tiles_bcast_scalar(a, b, ia, ib, d) TTLX_FPU(Add, Scalar, a, b, ia, ib, d)
#define sub_tiles_bcast_rows(a, b, ia, ib, d) TTLX_FPU(Sub, Rows, a, b, ia, ib, d)
#define sub_tiles_bcast_cols(a, b, ia, ib, d) TTLX_FPU(Sub, Cols, a, b, ia, ib, d)
#define sub_tiles_bcast_scalar(a, b, ia, ib, d) TTLX_FPU(Sub, Scalar, a, b, ia, ib, d)
#define mul_tiles_bcast_rows(a, b, ia, ib, d, ...) TTLX_FPU(Mul, Rows, a, b, ia, ib, d)
#define mul_tiles_bcast_cols(a, b, ia, ib, d) TTLX_FPU(Mul, Cols, a, b, ia, ib, d)
#define mul_tiles_bcast_scalar(a, b, ia, ib, d) TTLX_FPU(Mul, Scalar, a, b, ia, ib, d)

// SFPU unary ops on DST, each with its init.
#define exp_tile_init() TTLX_INIT("exp_tile_init")
#define log_tile_init() TTLX_INIT("log_tile_init")
#define sqrt_tile_init() TTLX_INIT("sqrt_tile_init")
#define rsqrt_tile_init() TTLX_INIT("rsqrt_tile_init")
#define recip_tile_init() TTLX_INIT("recip_tile_init")
#define sigmoid_tile_init() TTLX_INIT("sigmoid_tile_init")
#define silu_tile_init() TTLX_INIT("silu_tile_init")
#define tanh_tile_init() TTLX_INIT("tanh_tile_init")
#define abs_tile_init() TTLX_INIT("abs_tile_init")
#define negative_tile_init() TTLX_INIT("negative_tile_init")
#define sign_tile_init() TTLX_INIT("sign_tile_init")
#define square_tile_init() TTLX_INIT("square_tile_init")
#define relu_tile_init() TTLX_INIT("relu_tile_init")
#define TTLX_UNARY(op, d) ::ttlx_rt::sfpu_unary(::ttlx_rt::SfpuUnary::op, (d), TTLX_SITE)
#define exp_tile(d, ...) TTLX_UNARY(Exp, d)
#define log_tile(d) TTLX_UNARY(Log, d)
#define sqrt_tile(d) TTLX_UNARY(Sqrt, d)
#define rsqrt_tile(d) TTLX_UNARY(Rsqrt, d)
#define recip_tile(d, ...) TTLX_UNARY(Recip, d)
#define sigmoid_tile(d) TTLX_UNARY(Sigmoid, d)
#define silu_tile(d) TTLX_UNARY(Silu, d)
#define tanh_tile(d) TTLX_UNARY(Tanh, d)
#define abs_tile(d) TTLX_UNARY(Abs, d)
#define negative_tile(d) TTLX_UNARY(Negative, d)
#define sign_tile(d) TTLX_UNARY(Sign, d)
#define square_tile(d) TTLX_UNARY(Square, d)
#define relu_tile(d) TTLX_UNARY(Relu, d)

// SFPU binary ops on DST.
#define add_binary_tile_init() TTLX_INIT("add_binary_tile_init")
#define sub_binary_tile_init() TTLX_INIT("sub_binary_tile_init")
#define mul_binary_tile_init() TTLX_INIT("mul_binary_tile_init")
#define div_binary_tile_init() TTLX_INIT("div_binary_tile_init")
#define binary_max_tile_init() TTLX_INIT("binary_max_tile_init")
#define binary_min_tile_init() TTLX_INIT("binary_min_tile_init")
#define TTLX_SFPU2(op, a, b, o) ::ttlx_rt::sfpu_binary(::ttlx_rt::SfpuBinary::op, (a), (b), (o), TTLX_SITE)
#define add_binary_tile(a, b, o) TTLX_SFPU2(Add, a, b, o)
#define sub_binary_tile(a, b, o) TTLX_SFPU2(Sub, a, b, o)
#define mul_binary_tile(a, b, o) TTLX_SFPU2(Mul, a, b, o)
#define div_binary_tile(a, b, o) TTLX_SFPU2(Div, a, b, o)
#define binary_max_tile(a, b, o, ...) TTLX_SFPU2(Max, a, b, o)
#define binary_min_tile(a, b, o, ...) TTLX_SFPU2(Min, a, b, o)

#define fill_tile_init() TTLX_INIT("fill_tile_init")
#define fill_tile(d, v) ::ttlx_rt::fill_tile((d), (v), TTLX_SITE)

// api/compute/eltwise_unary/where.h: where_tile<DataFormat>(cond, true,
// false, out); every float format selects alike here.
enum class DataFormat { Float32, Float16_b, Int32, UInt32, UInt16 };
#define where_tile_init() TTLX_INIT("where_tile_init")
struct ttlx_where_at {
  explicit ttlx_where_at(ttlx_rt::Site s) : site(s) {}
  template <DataFormat format>
  void call(uint32_t cond, uint32_t t, uint32_t f, uint32_t out) const {
    ttlx_rt::where_tile(cond, t, f, out, site);
  }
  ttlx_rt::Site site;
};
#define where_tile ttlx_where_at(TTLX_SITE).template call

// api/compute/matmul.h: matmul_init(in0, in1[, transpose]) configures; only
// transpose = 0 is modelled.
#define matmul_init(...) TTLX_INIT("matmul_init")
#define matmul_tiles(a, b, ia, ib, d) ::ttlx_rt::matmul_tiles((a), (b), (ia), (ib), (d), TTLX_SITE)

// Reductions: template arguments select the pool type and dimension.
template <PoolType pool, ReduceDim dim>
inline void ttlx_reduce_tile(uint32_t cb, uint32_t scb, uint32_t tile, uint32_t stile,
                             uint32_t dst, ttlx_rt::Site site) {
  ttlx_rt::reduce_tile(static_cast<ttlx_rt::Pool>(pool), static_cast<ttlx_rt::Dim>(dim),
                       cb, scb, tile, stile, dst, site);
}
struct ttlx_reduce_at {
  explicit ttlx_reduce_at(ttlx_rt::Site s) : site(s) {}
  template <PoolType pool, ReduceDim dim>
  void init(uint32_t, uint32_t, uint32_t) const {
    ttlx_rt::compute_init("reduce_init", site);
  }
  template <PoolType pool, ReduceDim dim>
  void tile(uint32_t cb, uint32_t scb, uint32_t t, uint32_t st, uint32_t d) const {
    ttlx_reduce_tile<pool, dim>(cb, scb, t, st, d, site);
  }
  ttlx_rt::Site site;
};
#define reduce_init ttlx_reduce_at(TTLX_SITE).template init
#define reduce_tile ttlx_reduce_at(TTLX_SITE).template tile
