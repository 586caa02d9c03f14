// SPDX-License-Identifier: Apache-2.0
//
// The runtime side of the compute API: DST registers with the
// acquire/commit/wait/release protocol, unpack from and pack to CB tiles in
// their face layout, FPU and SFPU math in fp32 with bf16 rounding of DST
// unless fp32 accumulation is on.

#include "Device.h"
#include "ttlx_runtime/compute_abi.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

namespace ttlx_rt {

namespace {
using Step = ComputeState::Step;

float bf16ToFloat(uint16_t bits) {
  uint32_t word = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &word, 4);
  return f;
}

uint16_t floatToBf16(float f) {
  uint32_t word;
  std::memcpy(&word, &f, 4);
  if ((word & 0x7fffffff) > 0x7f800000)
    return static_cast<uint16_t>((word >> 16) | 0x40); // quiet NaN
  word += 0x7fff + ((word >> 16) & 1);                 // round to nearest even
  return static_cast<uint16_t>(word >> 16);
}

float roundBf16(float f) { return bf16ToFloat(floatToBf16(f)); }

/// Offset of (r, c) in a tile's L1 layout: four 16x16 faces, row-major.
uint32_t faceOffset(uint32_t r, uint32_t c) {
  return ((r / 16) * 2 + c / 16) * 256 + (r % 16) * 16 + c % 16;
}

const char *stepName(Step step) {
  switch (step) {
  case Step::Released:
    return "released";
  case Step::Acquired:
    return "acquired";
  case Step::Committed:
    return "committed";
  case Step::Waited:
    return "waited";
  }
  return "?";
}

struct ComputeCall {
  ThreadContext &ctx = current();
  Device &dev = *ctx.device;
  std::unique_lock<std::mutex> lk = dev.lock();
  Core &core = *ctx.core;
  ComputeState &state = ctx.compute;

  [[noreturn]] void fail(Site site, const std::string &message) {
    dev.fault(ctx, site, message);
  }

  uint32_t capacity() const {
    return state.fp32 ? ComputeState::kTiles32 : ComputeState::kTiles16;
  }

  /// A DST tile for math: only between tile_regs_acquire and commit. The
  /// tile is no longer fresh (as acquired) afterwards.
  float *mathDst(uint32_t index, const char *call, Site site) {
    if (state.step != Step::Acquired) {
      std::ostringstream os;
      os << call << " writes DST while the registers are "
         << stepName(state.step)
         << "; math goes between tile_regs_acquire and tile_regs_commit";
      fail(site, os.str());
    }
    float *tile = dstTile(index, call, site);
    state.fresh[index] = false;
    return tile;
  }

  /// Whether DST tile `index` was not written since tile_regs_acquire:
  /// accumulating calls then start from their identity.
  bool isFresh(uint32_t index, const char *call, Site site) {
    dstTile(index, call, site); // range check
    return state.fresh[index];
  }

  float *dstTile(uint32_t index, const char *call, Site site) {
    if (index >= capacity()) {
      std::ostringstream os;
      os << call << " uses DST tile " << index << ", but DST holds "
         << capacity() << " tiles ("
         << (state.fp32 ? "fp32 accumulation" : "16-bit") << ")";
      fail(site, os.str());
    }
    return state.dst[index];
  }

  float store(float value) const { return state.fp32 ? value : roundBf16(value); }

  CircularBuffer &cb(uint32_t index, Site site) {
    if (index >= Device::kNumCBs || !core.cbs[index].configured) {
      std::ostringstream os;
      os << "DFB " << index << " is not configured on this core";
      fail(site, os.str());
    }
    return core.cbs[index];
  }

  /// Tile `tile` of the waited pages of `index`, as 1024 row-major floats.
  void readTile(uint32_t index, uint32_t tile, float *out, const char *call,
                Site site) {
    CircularBuffer &buffer = cb(index, site);
    if (tile >= buffer.waited) {
      std::ostringstream os;
      os << call << " reads tile " << tile << " of DFB " << index
         << ", but only " << buffer.waited
         << " page(s) were received with cb_wait_front";
      fail(site, os.str());
    }
    uint32_t addr = buffer.base +
                    ((buffer.popped + tile) % buffer.numPages) * buffer.pageSize;
    uint8_t *bytes =
        dev.l1Pointer(ctx, core, addr, buffer.pageSize, site, call);
    bool isF32 = buffer.pageSize == 4096;
    for (uint32_t r = 0; r < 32; ++r) {
      for (uint32_t c = 0; c < 32; ++c) {
        uint32_t at = faceOffset(r, c);
        if (isF32) {
          std::memcpy(&out[r * 32 + c], bytes + 4 * at, 4);
        } else {
          uint16_t bits;
          std::memcpy(&bits, bytes + 2 * at, 2);
          out[r * 32 + c] = bf16ToFloat(bits);
        }
      }
    }
  }
};

float applyUnary(SfpuUnary op, float x) {
  switch (op) {
  case SfpuUnary::Exp:
    return std::exp(x);
  case SfpuUnary::Log:
    return std::log(x);
  case SfpuUnary::Sqrt:
    return std::sqrt(x);
  case SfpuUnary::Rsqrt:
    return 1.0f / std::sqrt(x);
  case SfpuUnary::Recip:
    return 1.0f / x;
  case SfpuUnary::Sigmoid:
    return 1.0f / (1.0f + std::exp(-x));
  case SfpuUnary::Silu:
    return x / (1.0f + std::exp(-x));
  case SfpuUnary::Tanh:
    return std::tanh(x);
  case SfpuUnary::Abs:
    return std::fabs(x);
  case SfpuUnary::Negative:
    return -x;
  case SfpuUnary::Sign:
    return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f);
  case SfpuUnary::Square:
    return x * x;
  case SfpuUnary::Relu:
    return x > 0 ? x : 0.0f;
  }
  return x;
}

float applyBinary(SfpuBinary op, float a, float b) {
  switch (op) {
  case SfpuBinary::Add:
    return a + b;
  case SfpuBinary::Sub:
    return a - b;
  case SfpuBinary::Mul:
    return a * b;
  case SfpuBinary::Div:
    return a / b;
  case SfpuBinary::Max:
    return std::fmax(a, b);
  case SfpuBinary::Min:
    return std::fmin(a, b);
  }
  return a;
}
} // namespace

void regs(RegsStep step, bool fp32DestAcc, Site site) {
  ComputeCall c;
  static const char *names[] = {"tile_regs_acquire", "tile_regs_commit",
                                "tile_regs_wait", "tile_regs_release"};
  static const Step from[] = {Step::Released, Step::Acquired, Step::Committed,
                              Step::Waited};
  static const Step to[] = {Step::Acquired, Step::Committed, Step::Waited,
                            Step::Released};
  int i = static_cast<int>(step);
  if (c.state.step != from[i]) {
    std::ostringstream os;
    os << names[i] << " called while the DST registers are "
       << stepName(c.state.step)
       << "; the order is tile_regs_acquire, tile_regs_commit, "
          "tile_regs_wait, tile_regs_release";
    c.fail(site, os.str());
  }
  c.state.step = to[i];
  if (step == RegsStep::Acquire) {
    c.state.fp32 = fp32DestAcc;
    std::memset(c.state.dst, 0, sizeof(c.state.dst));
    for (bool &fresh : c.state.fresh)
      fresh = true;
  }
}

void compute_init(const char *, Site) {}

void copy_tile(uint32_t cb, uint32_t tile, uint32_t dst, Site site) {
  ComputeCall c;
  float *out = c.mathDst(dst, "copy_tile", site);
  float in[1024];
  c.readTile(cb, tile, in, "copy_tile", site);
  for (int i = 0; i < 1024; ++i)
    out[i] = c.store(in[i]);
  c.core.counters[TileUnpack]++;
}

void unary_bcast(Bcast kind, uint32_t cb, uint32_t tile, uint32_t dst,
                 Site site) {
  ComputeCall c;
  float *out = c.mathDst(dst, "unary_bcast", site);
  float in[1024];
  c.readTile(cb, tile, in, "unary_bcast", site);
  for (uint32_t r = 0; r < 32; ++r)
    for (uint32_t col = 0; col < 32; ++col)
      out[r * 32 + col] = c.store(kind == Bcast::Rows   ? in[col]
                                  : kind == Bcast::Cols ? in[r * 32]
                                  : kind == Bcast::Scalar ? in[0]
                                                          : in[r * 32 + col]);
  c.core.counters[TileUnpack]++;
}

void pack_tile(uint32_t dst, uint32_t cbIndex, uint32_t tile, bool outOfOrder,
               Site site) {
  ComputeCall c;
  if (c.state.step != Step::Waited) {
    std::ostringstream os;
    os << "pack_tile reads DST while the registers are "
       << stepName(c.state.step)
       << "; packing goes between tile_regs_wait and tile_regs_release";
    c.fail(site, os.str());
  }
  float *in = c.dstTile(dst, "pack_tile", site);
  CircularBuffer &buffer = c.cb(cbIndex, site);
  uint32_t position = outOfOrder ? tile : buffer.packed;
  if (position >= buffer.reserved) {
    std::ostringstream os;
    os << "pack_tile writes tile " << position << " of DFB " << cbIndex
       << ", but only " << buffer.reserved
       << " page(s) are reserved with cb_reserve_back";
    c.fail(site, os.str());
  }
  if (!outOfOrder)
    buffer.packed++;
  uint32_t addr = buffer.base +
                  ((buffer.pushed + position) % buffer.numPages) * buffer.pageSize;
  uint8_t *bytes =
      c.dev.l1Pointer(c.ctx, c.core, addr, buffer.pageSize, site, "pack_tile");
  bool isF32 = buffer.pageSize == 4096;
  for (uint32_t r = 0; r < 32; ++r) {
    for (uint32_t col = 0; col < 32; ++col) {
      float v = in[r * 32 + col];
      uint32_t at = faceOffset(r, col);
      if (isF32) {
        std::memcpy(bytes + 4 * at, &v, 4);
      } else {
        uint16_t bits = floatToBf16(v);
        std::memcpy(bytes + 2 * at, &bits, 2);
      }
    }
  }
  c.core.counters[TilePack]++;
}

void fpu_binary(FpuOp op, Bcast bcast, uint32_t cb0, uint32_t cb1,
                uint32_t tile0, uint32_t tile1, uint32_t dst, Site site) {
  ComputeCall c;
  static const char *names[] = {"add_tiles", "sub_tiles", "mul_tiles"};
  const char *name = names[static_cast<int>(op)];
  float *out = c.mathDst(dst, name, site);
  float a[1024], b[1024];
  c.readTile(cb0, tile0, a, name, site);
  c.readTile(cb1, tile1, b, name, site);
  for (uint32_t r = 0; r < 32; ++r) {
    for (uint32_t col = 0; col < 32; ++col) {
      float rhs = bcast == Bcast::Rows     ? b[col]
                  : bcast == Bcast::Cols   ? b[r * 32]
                  : bcast == Bcast::Scalar ? b[0]
                                           : b[r * 32 + col];
      float lhs = a[r * 32 + col];
      float v = op == FpuOp::Add ? lhs + rhs
                : op == FpuOp::Sub ? lhs - rhs
                                   : lhs * rhs;
      out[r * 32 + col] = c.store(v);
    }
  }
  c.core.counters[TileFpu]++;
}

void sfpu_unary(SfpuUnary op, uint32_t dst, Site site) {
  ComputeCall c;
  float *tile = c.mathDst(dst, "SFPU unary op", site);
  for (int i = 0; i < 1024; ++i)
    tile[i] = c.store(applyUnary(op, tile[i]));
  c.core.counters[TileSfpu]++;
}

void sfpu_binary(SfpuBinary op, uint32_t dst0, uint32_t dst1, uint32_t out,
                 Site site) {
  ComputeCall c;
  float *a = c.mathDst(dst0, "SFPU binary op", site);
  float *b = c.mathDst(dst1, "SFPU binary op", site);
  float *o = c.mathDst(out, "SFPU binary op", site);
  for (int i = 0; i < 1024; ++i)
    o[i] = c.store(applyBinary(op, a[i], b[i]));
  c.core.counters[TileSfpu]++;
}

void where_tile(uint32_t cond, uint32_t onTrue, uint32_t onFalse, uint32_t out,
                Site site) {
  ComputeCall c;
  float *k = c.mathDst(cond, "where_tile", site);
  float *t = c.mathDst(onTrue, "where_tile", site);
  float *f = c.mathDst(onFalse, "where_tile", site);
  float *o = c.mathDst(out, "where_tile", site);
  for (int i = 0; i < 1024; ++i)
    o[i] = k[i] != 0.0f ? t[i] : f[i]; // NaN != 0: true
  c.core.counters[TileSfpu]++;
}

void fill_tile(uint32_t dst, float value, Site site) {
  ComputeCall c;
  float *tile = c.mathDst(dst, "fill_tile", site);
  for (int i = 0; i < 1024; ++i)
    tile[i] = c.store(value);
  c.core.counters[TileSfpu]++;
}

void reduce_tile(Pool pool, Dim dim, uint32_t cb, uint32_t scalerCb,
                 uint32_t tile, uint32_t scalerTile, uint32_t dst, Site site) {
  ComputeCall c;
  bool fresh = c.isFresh(dst, "reduce_tile", site);
  float *out = c.mathDst(dst, "reduce_tile", site);
  float in[1024], scalerValues[1024];
  c.readTile(cb, tile, in, "reduce_tile", site);
  c.readTile(scalerCb, scalerTile, scalerValues, "reduce_tile", site);
  float scaler = scalerValues[0];
  bool isMax = pool == Pool::Max;
  float identity = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
  auto combine = [&](float acc, float v) {
    return isMax ? std::fmax(acc, v) : acc + v;
  };
  // Accumulators: start from DST unless this slot was just acquired.
  float acc[32];
  for (int i = 0; i < 32; ++i) {
    float prior = dim == Dim::Row ? out[i * 32] : out[i];
    acc[i] = fresh ? identity : prior;
  }
  float total = fresh ? identity : out[0];
  for (uint32_t r = 0; r < 32; ++r) {
    for (uint32_t col = 0; col < 32; ++col) {
      float v = in[r * 32 + col] * scaler;
      if (dim == Dim::Row)
        acc[r] = combine(acc[r], v);
      else if (dim == Dim::Col)
        acc[col] = combine(acc[col], v);
      else
        total = combine(total, v);
    }
  }
  std::memset(out, 0, sizeof(float) * 1024);
  for (int i = 0; i < 32; ++i) {
    if (dim == Dim::Row)
      out[i * 32] = c.store(acc[i]);
    else if (dim == Dim::Col)
      out[i] = c.store(acc[i]);
  }
  if (dim == Dim::Scalar)
    out[0] = c.store(total);
  c.core.counters[TileReduce]++;
}

void matmul_tiles(uint32_t cb0, uint32_t cb1, uint32_t tile0, uint32_t tile1,
                  uint32_t dst, Site site) {
  ComputeCall c;
  bool fresh = c.isFresh(dst, "matmul_tiles", site);
  float *out = c.mathDst(dst, "matmul_tiles", site);
  float a[1024], b[1024];
  c.readTile(cb0, tile0, a, "matmul_tiles", site);
  c.readTile(cb1, tile1, b, "matmul_tiles", site);
  // DST += A @ B: one 32x32x32 product per call, summed in fp32, rounded
  // once into DST (to bf16 unless DST is 32-bit).
  for (int r = 0; r < 32; ++r) {
    for (int col = 0; col < 32; ++col) {
      float acc = fresh ? 0.0f : out[r * 32 + col];
      float sum = 0.0f;
      for (int k = 0; k < 32; ++k)
        sum += a[r * 32 + k] * b[k * 32 + col];
      out[r * 32 + col] = c.store(acc + sum);
    }
  }
  c.core.counters[TileMatmul]++;
}

} // namespace ttlx_rt
