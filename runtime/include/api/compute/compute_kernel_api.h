// SPDX-License-Identifier: Apache-2.0
//
// The tt-metal compute kernel API as implemented by the ttlx host runtime:
// tt-metal's names and argument order; DST holds 32x32 fp32 tiles (rounded
// to bf16 on every write unless fp32 accumulation is on), FPU ops read the
// waited tiles of input CBs, pack_tile writes reserved tiles of an output
// CB. The other api/compute headers include this one.
#pragma once

// Like every API header, this one includes no C++ standard library header
// beyond the C ones (<cmath> alone is 20000 lines, and parsing was most of
// a kernel's compile time).
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
// compute_kernel_hw_startup(icb0, icb1, ocb) or (icb, ocb): configures the
// unpacker's srcA and srcB formats as icb0's and icb1's (api/compute/
// reconfig_data_format.h changes them); the packer's needs nothing here.
struct ttlx_hw_startup_at {
  explicit ttlx_hw_startup_at(ttlx_rt::Site s) : site(s) {}
  void call(uint32_t icb0, uint32_t icb1, uint32_t) const {
    ttlx_rt::unpack_config(ttlx_rt::UnpackSources::Both, icb0, icb1, site);
  }
  void call(uint32_t icb, uint32_t ocb) const { call(icb, icb, ocb); }
  ttlx_rt::Site site;
};
#define compute_kernel_hw_startup(...) ttlx_hw_startup_at(TTLX_SITE).call(__VA_ARGS__)
#define copy_init(...) TTLX_INIT("copy_init")
#define pack_init(...) TTLX_INIT("pack_init")
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

// api/compute/tilize.h: 32 rows of `block` * 32 elements of icb's waited
// pages (row-major; the row of tiles input_tile_index / block) into `block`
// reserved tiles of ocb from output_tile_index on.
struct ttlx_tilize_at {
  explicit ttlx_tilize_at(ttlx_rt::Site s) : site(s) {}
  template <bool is_fp32_dest_acc_en = DST_ACCUM_MODE>
  void init(uint32_t icb, uint32_t, uint32_t ocb) const {
    ttlx_rt::tilize_init(icb, ocb, site);
  }
  template <bool is_fp32_dest_acc_en = DST_ACCUM_MODE>
  void block(uint32_t icb, uint32_t block, uint32_t ocb, uint32_t input_tile_index = 0,
             uint32_t output_tile_index = 0) const {
    ttlx_rt::tilize_block(icb, block, ocb, input_tile_index, output_tile_index,
                          is_fp32_dest_acc_en, site);
  }
  ttlx_rt::Site site;
};
#define tilize_init ttlx_tilize_at(TTLX_SITE).template init
#define tilize_block ttlx_tilize_at(TTLX_SITE).template block
#define tilize_uninit(...) TTLX_INIT("tilize_uninit")

// api/compute/pack_untilize.h: block_ct_dim waited tiles of icb (from its
// read pointer) into 32 rows of full_ct_dim * 32 elements of ocb's reserved
// pages (from its write pointer), at column block_c_index * block_ct_dim *
// 32; block_rt_dim times.
struct ttlx_pack_untilize_at {
  explicit ttlx_pack_untilize_at(ttlx_rt::Site s) : site(s) {}
  template <uint32_t block_ct_dim = 8, uint32_t full_ct_dim = block_ct_dim,
            bool is_fp32_dest_acc_en = DST_ACCUM_MODE>
  void init(uint32_t icb, uint32_t ocb) const {
    ttlx_rt::pack_untilize_init(icb, ocb, site);
  }
  template <uint32_t block_ct_dim = 8, uint32_t full_ct_dim = block_ct_dim,
            bool is_fp32_dest_acc_en = DST_ACCUM_MODE>
  void block(uint32_t icb, uint32_t block_rt_dim, uint32_t ocb, uint32_t block_c_index = 0) const {
    ttlx_rt::pack_untilize_block(icb, block_rt_dim, ocb, block_c_index, block_ct_dim,
                                 full_ct_dim, is_fp32_dest_acc_en, site);
  }
  ttlx_rt::Site site;
};
#define pack_untilize_init ttlx_pack_untilize_at(TTLX_SITE).template init
#define pack_untilize_block ttlx_pack_untilize_at(TTLX_SITE).template block
#define pack_untilize_uninit(...) TTLX_INIT("pack_untilize_uninit")

// api/compute/transpose.h: a waited tile into DST, rows and columns swapped.
#define transpose_init(...) TTLX_INIT("transpose_init")
#define transpose_tile(cb, tile, dst) ::ttlx_rt::transpose_tile((cb), (tile), (dst), TTLX_SITE)

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

// A DST index given to a tile call, with the kernel file and line of the
// call (default arguments are evaluated at the caller) for fault reports.
namespace ttlx_rt {
struct DstIndex {
  DstIndex(uint32_t i, const char *file = __builtin_FILE(), int line = __builtin_LINE())
      : index(i), site{file, line} {}
  uint32_t index;
  Site site;
};
} // namespace ttlx_rt

// The elementwise ops of the op table (TTLElementwiseOps.def) under their
// tt-metal names: SFPU unary `init()` / `tile(idst, params...)`, SFPU binary
// `init()` / `tile(idst0, idst1, odst)`, and for FPU ops `<fpu>_init`,
// `<fpu>_tiles` and the `_bcast_{rows,cols,scalar}` forms. Template and
// trailing arguments tt-metal has beyond these are accepted and ignored.
//
// Several entries may name one init function (rounding_op_tile_init): each
// entry declares it, and only the declaration of the first entry naming it
// is viable (the others differ in their enable_if and drop out of overload
// resolution), so the table needs no list of distinct inits.
namespace ttlx_rt::optable {
template <bool, typename T = void> struct EnableIf {};
template <typename T> struct EnableIf<true, T> {
  using type = T;
};
template <typename T> constexpr bool isVoid = false;
template <> constexpr bool isVoid<void> = true;

struct Entry {
  const char *name, *init;
};
constexpr Entry kEntries[] = {
#define TTLX_TABLE_ENTRY(Name, Ttl, TileFn, InitFn, ...) {#Name, #InitFn},
#define TTLX_SFPU_UNARY_OP TTLX_TABLE_ENTRY
#define TTLX_SFPU_BINARY_OP TTLX_TABLE_ENTRY
#define TTLX_FPU_BINARY_OP TTLX_TABLE_ENTRY
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
#undef TTLX_TABLE_ENTRY
};
constexpr bool same(const char *a, const char *b) {
  while (*a && *a == *b)
    ++a, ++b;
  return *a == *b;
}
/// Whether entry `name` is the first to name init function `init`.
constexpr bool definesInit(const char *name, const char *init) {
  for (const Entry &e : kEntries)
    if (same(e.init, init))
      return same(e.name, name);
  return false;
}
} // namespace ttlx_rt::optable

#define TTLX_INIT_FN(Name, InitFn)                                             \
  template <typename... Ignored, typename Self = void,                         \
            typename ::ttlx_rt::optable::EnableIf<                             \
                ::ttlx_rt::optable::definesInit(#Name, #InitFn) &&             \
                    ::ttlx_rt::optable::isVoid<Self>,                          \
                int>::type = 0>                                                \
  inline void InitFn(Ignored...) {                                             \
    TTLX_INIT(#InitFn);                                                        \
  }
#define TTLX_SFPU_UNARY_OP(Name, Ttl, TileFn, InitFn, ...)                    \
  TTLX_INIT_FN(Name, InitFn)                                                   \
  template <typename... Args> inline void TileFn(::ttlx_rt::DstIndex d, Args... args) { \
    ::ttlx_rt::sfpu_unary(::ttlx_rt::SfpuUnary::Name, d.index,                 \
                          ::ttlx_rt::SfpuParams{{static_cast<uint32_t>(args)...}}, d.site); \
  }
#define TTLX_SFPU_BINARY_OP(Name, Ttl, TileFn, InitFn, ...)                   \
  TTLX_INIT_FN(Name, InitFn)                                                   \
  template <typename... Ignored>                                               \
  inline void TileFn(uint32_t a, uint32_t b, ::ttlx_rt::DstIndex o, Ignored...) { \
    ::ttlx_rt::sfpu_binary(::ttlx_rt::SfpuBinary::Name, a, b, o.index, o.site); \
  }
#define TTLX_FPU_FORM(Name, Bc, InitFn, TilesFn)                               \
  template <typename... Ignored> inline void InitFn(Ignored...) { TTLX_INIT(#InitFn); } \
  template <typename... Ignored>                                               \
  inline void TilesFn(uint32_t a, uint32_t b, uint32_t ia, uint32_t ib,        \
                      ::ttlx_rt::DstIndex d, Ignored...) {                     \
    ::ttlx_rt::fpu_binary(::ttlx_rt::FpuOp::Name, ::ttlx_rt::Bcast::Bc, a, b, ia, ib, \
                          d.index, d.site);                                    \
  }
#define TTLX_FPU_BINARY_OP(Name, Ttl, TileFn, InitFn, Header, Fpu, ...)       \
  TTLX_SFPU_BINARY_OP(Name, Ttl, TileFn, InitFn)                               \
  TTLX_FPU_FORM(Name, None, Fpu##_init, Fpu##_tiles)                           \
  TTLX_FPU_FORM(Name, Rows, Fpu##_bcast_rows_init, Fpu##_tiles_bcast_rows)     \
  TTLX_FPU_FORM(Name, Cols, Fpu##_bcast_cols_init, Fpu##_tiles_bcast_cols)     \
  TTLX_FPU_FORM(Name, Scalar, Fpu##_bcast_scalar_init, Fpu##_tiles_bcast_scalar)
#include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
#undef TTLX_FPU_FORM
#undef TTLX_INIT_FN

// api/compute/eltwise_unary/exp.h with its template flags:
// exp_tile_init<approx, scale, clamping>() and exp_tile<approx, scale_en,
// clamping, iterations>(idst, vector_mode, scale). The plain calls above
// take no template arguments, so only these match explicit flags. exp is
// computed exactly (approx and clamping select hardware approximations);
// scale (bf16 bits) multiplies the input, and `iterations` of the eight
// 32-element SFPU passes per face run.
enum class VectorMode { None = 0, R = 1, C = 2, RC = 4, RC_custom = 6 };
enum class InputClamping : uint8_t { ClampToNegative = 1, None = 0 };
template <bool approx, uint32_t scale = 0x3F800000,
          InputClamping clamping = InputClamping::ClampToNegative, typename... Ignored>
inline void exp_tile_init(Ignored...) {
  TTLX_INIT("exp_tile_init");
}
template <bool approx, bool scale_en = false,
          InputClamping clamping = InputClamping::ClampToNegative, int iterations = 8>
inline void exp_tile(::ttlx_rt::DstIndex d, VectorMode = VectorMode::RC,
                     uint16_t scale = 0x3F80) {
  ::ttlx_rt::exp_tile_flagged(d.index, scale_en ? scale : 0x3F80, iterations, d.site);
}

#define fill_tile_init() TTLX_INIT("fill_tile_init")
#define fill_tile(d, v) ::ttlx_rt::fill_tile((d), (v), TTLX_SITE)

// api/compute/eltwise_unary/where.h: where_tile<DataFormat>(cond, true,
// false, out). The format is the width the SFPU loads and stores DST values
// in: Float16_b 16 bits, the 32-bit formats 32; it must be DST's (the
// runtime checks; DataFormat is the dataflow API's).
#define where_tile_init() TTLX_INIT("where_tile_init")
struct ttlx_where_at {
  explicit ttlx_where_at(ttlx_rt::Site s) : site(s) {}
  template <DataFormat format>
  void call(uint32_t cond, uint32_t t, uint32_t f, uint32_t out) const {
    ttlx_rt::where_tile(cond, t, f, out, format != DataFormat::Float16_b &&
                                             format != DataFormat::UInt16, site);
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
