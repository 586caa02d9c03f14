// SPDX-License-Identifier: Apache-2.0
//
// The runtime side of the compute API: DST registers with the
// acquire/commit/wait/release protocol, unpack from and pack to CB tiles in
// their face layout, FPU and SFPU math in fp32 with bf16 rounding of DST
// unless fp32 accumulation is on.

#include "Device.h"
#include "ProfileHooks.h"
#include "TileMath.h"
#include "ttlx_runtime/compute_abi.h"

#include <cstring>
#include <sstream>

namespace ttlx_rt {

namespace {
using Step = ComputeState::Step;

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

/// One compute API call: checks its operands and resolves them to DST tiles
/// and L1 pointers, then does its tile math. No lock: DST belongs to the
/// calling thread, the core to the worker running it, and the DFB protocol
/// gives the call the waited and reserved pages it touches.
///
/// DST tiles are zeroed lazily: a tile still fresh (not written since
/// tile_regs_acquire) reads as zero, so it is cleared only when something
/// reads it before writing it.
struct ComputeCall {
  ThreadContext &ctx = current();
  Device &dev = *ctx.device;
  Core &core = *ctx.core;
  ComputeState &state = ctx.compute;

  [[noreturn]] void fail(Site site, const std::string &message) {
    dev.fault(ctx, site, message);
  }

  uint32_t capacity() const {
    return state.fp32 ? ComputeState::kTiles32 : ComputeState::kTiles16;
  }

  /// A DST tile for math: only between tile_regs_acquire and commit. The
  /// tile is no longer fresh afterwards. `reads`: the call also reads it, so
  /// a fresh tile is cleared first.
  float *mathDst(uint32_t index, const char *call, Site site,
                 bool reads = false) {
    if (state.step != Step::Acquired) {
      std::ostringstream os;
      os << call << " writes DST while the registers are "
         << stepName(state.step)
         << "; math goes between tile_regs_acquire and tile_regs_commit";
      fail(site, os.str());
    }
    float *tile = dstTile(index, call, site);
    if (reads && state.fresh[index])
      std::memset(tile, 0, sizeof(float) * tile::kElems);
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

  /// DST keeps bf16 values unless fp32 accumulation is on.
  void store(float *tile) const {
    if (!state.fp32)
      tile::roundToBf16(tile, tile::kElems);
  }

  CircularBuffer &cb(uint32_t index, Site site) {
    if (index >= core.cbs.size() || !core.cbs[index].configured) {
      std::ostringstream os;
      os << "DFB " << index << " is not configured on this core";
      fail(site, os.str());
    }
    return core.cbs[index];
  }

  static ComputeState::Format formatOf(const CircularBuffer &buffer) {
    return buffer.pageSize == 4096 ? ComputeState::Format::F32
                                   : ComputeState::Format::Bf16;
  }

  /// A tile call unpacking DFB `index` through source `A` (else B): the
  /// source must be configured for the DFB's format (the device would read
  /// its bytes in the configured one).
  void checkSource(bool a, uint32_t index, const char *call, Site site) {
    ComputeState::Format want = formatOf(cb(index, site));
    ComputeState::Format have = a ? state.srcA : state.srcB;
    if (have == ComputeState::Format::Unset || have == want)
      return;
    auto name = [](ComputeState::Format f) {
      return f == ComputeState::Format::F32 ? "float32" : "bfloat16";
    };
    std::ostringstream os;
    os << call << " unpacks DFB " << index << " (" << name(want)
       << ") through src" << (a ? "A" : "B") << ", which is configured for "
       << name(have) << "; call reconfig_data_format_src" << (a ? "a" : "b")
       << "(" << index << ") before the op's init";
    fail(site, os.str());
  }

  /// Tile `tile` of the waited pages of DFB `index`.
  struct L1Tile {
    const uint8_t *bytes;
    bool f32;
  };
  L1Tile waitedTile(uint32_t index, uint32_t tile, const char *call,
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
    return {dev.l1Pointer(ctx, core, addr, buffer.pageSize, site, call),
            buffer.pageSize == 4096};
  }
};

void unpack(const ComputeCall::L1Tile &from, float *out) {
  tile::unpack(from.bytes, from.f32, out);
}

/// Tilize and untilize move 32-element runs of a tile row between the
/// row-major pages of a CB and a tile: element (r, c) of a tile lies at
/// index ((r / 16) * 2 + c / 16) * 256 + (r % 16) * 16 + c % 16 of its four
/// 16x16 faces, so row r is two 16-element runs.
uint32_t faceRun(uint32_t r, uint32_t half) {
  return ((r / 16) * 2 + half) * 256 + (r % 16) * 16;
}

/// The calls that acquire DST themselves (tilize_block,
/// pack_untilize_block) run outside tile_regs_acquire/release.
void requireReleased(ComputeCall &c, const char *call, Site site) {
  if (c.state.step == Step::Released)
    return;
  std::ostringstream os;
  os << call << " acquires the DST registers itself, but they are "
     << stepName(c.state.step)
     << "; call it after tile_regs_release (or before tile_regs_acquire)";
  c.fail(site, os.str());
}

/// The L1 address of element `element` (counted from the read pointer when
/// `waited`, else from the write pointer) of a CB's row-major pages, which
/// must lie in the pages the caller waited for or reserved.
uint32_t rowMajorAddress(ComputeCall &c, const CircularBuffer &buffer,
                         uint32_t index, uint64_t element, bool waited,
                         const char *call, Site site) {
  uint64_t page = element / tile::kElems;
  uint32_t held = waited ? buffer.waited : buffer.reserved;
  if (page >= held) {
    std::ostringstream os;
    os << call << (waited ? " reads" : " writes") << " page " << page
       << " of DFB " << index << ", but only " << held << " page(s) "
       << (waited ? "were received with cb_wait_front"
                  : "are reserved with cb_reserve_back");
    c.fail(site, os.str());
  }
  uint64_t first = waited ? buffer.popped : buffer.pushed;
  uint32_t elementSize = buffer.pageSize / tile::kElems;
  return buffer.base +
         static_cast<uint32_t>((first + page) % buffer.numPages) *
             buffer.pageSize +
         static_cast<uint32_t>(element % tile::kElems) * elementSize;
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
  profile::record(c.ctx, {Ev::Regs, static_cast<uint8_t>(step)});
  if (step == RegsStep::Acquire) {
    c.state.fp32 = fp32DestAcc;
    for (bool &fresh : c.state.fresh)
      fresh = true; // reads as zero (ComputeCall)
  }
}

void compute_init(const char *, Site) {}

void unpack_config(UnpackSources which, uint32_t cbA, uint32_t cbB, Site) {
  ComputeCall c;
  // A CB this core has not configured (a startup naming an unused
  // operand) leaves the source unset: any format unpacks through it.
  auto format = [&](uint32_t index) {
    bool configured =
        index < c.core.cbs.size() && c.core.cbs[index].configured;
    return configured ? ComputeCall::formatOf(c.core.cbs[index])
                      : ComputeState::Format::Unset;
  };
  if (which != UnpackSources::B)
    c.state.srcA = format(cbA);
  if (which != UnpackSources::A)
    c.state.srcB = format(cbB);
}

void copy_tile(uint32_t cb, uint32_t tile, uint32_t dst, Site site) {
  ComputeCall c;
  float *out = c.mathDst(dst, "copy_tile", site);
  auto in = c.waitedTile(cb, tile, "copy_tile", site);
  c.checkSource(true, cb, "copy_tile", site);
  c.core.counters[TileUnpack]++;
  profile::tile(c.ctx, TileUnit::Copy);
  if (c.state.fp32)
    unpack(in, out);
  else // store(out) fused into the unpack
    tile::unpackToBf16(in.bytes, in.f32, out);
}

void transpose_tile(uint32_t cb, uint32_t tile, uint32_t dst, Site site) {
  ComputeCall c;
  float *out = c.mathDst(dst, "transpose_tile", site);
  auto from = c.waitedTile(cb, tile, "transpose_tile", site);
  c.checkSource(true, cb, "transpose_tile", site);
  c.core.counters[TileUnpack]++;
  float in[tile::kElems];
  unpack(from, in);
  tile::transpose(in, out);
  c.store(out);
}

void unary_bcast(Bcast kind, uint32_t cb, uint32_t tile, uint32_t dst,
                 Site site) {
  ComputeCall c;
  float *out = c.mathDst(dst, "unary_bcast", site);
  auto from = c.waitedTile(cb, tile, "unary_bcast", site);
  c.checkSource(true, cb, "unary_bcast", site);
  c.core.counters[TileUnpack]++;
  profile::tile(c.ctx, TileUnit::Bcast);
  float in[tile::kElems];
  unpack(from, in);
  tile::broadcast(kind, in, out);
  c.store(out);
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
  bool f32 = buffer.pageSize == 4096;
  c.core.counters[TilePack]++;
  profile::tile(c.ctx, TileUnit::Pack);
  if (c.state.fresh[dst])
    std::memset(in, 0, sizeof(float) * tile::kElems);
  tile::pack(in, f32, bytes);
}

void fpu_binary(FpuOp op, Bcast bcast, uint32_t cb0, uint32_t cb1,
                uint32_t tile0, uint32_t tile1, uint32_t dst, Site site) {
  ComputeCall c;
  static const char *names[] = {"add_tiles", "sub_tiles", "mul_tiles"};
  const char *name = names[static_cast<int>(op)];
  float *out = c.mathDst(dst, name, site);
  auto lhs = c.waitedTile(cb0, tile0, name, site);
  auto rhs = c.waitedTile(cb1, tile1, name, site);
  c.checkSource(true, cb0, name, site);
  c.checkSource(false, cb1, name, site);
  c.core.counters[TileFpu]++;
  profile::tile(c.ctx, TileUnit::Fpu, static_cast<uint32_t>(op));
  tile::fpuBinaryTiles(op, bcast, lhs.bytes, lhs.f32, rhs.bytes, rhs.f32, out,
                       !c.state.fp32); // store(out) fused in
}

void sfpu_unary(SfpuUnary op, uint32_t dst, SfpuParams params, Site site) {
  ComputeCall c;
  float *tile = c.mathDst(dst, "SFPU unary op", site, true);
  c.core.counters[TileSfpu]++;
  profile::tile(c.ctx, TileUnit::SfpuUnary, static_cast<uint32_t>(op));
  tile::sfpuUnary(op, params, tile, !c.state.fp32); // store(tile) fused in
}

void exp_tile_flagged(uint32_t dst, uint32_t scaleBf16, int iterations,
                      Site site) {
  ComputeCall c;
  float *tile = c.mathDst(dst, "exp_tile", site, true);
  c.core.counters[TileSfpu]++;
  uint32_t word = scaleBf16 << 16;
  float scale;
  std::memcpy(&scale, &word, sizeof scale);
  tile::expScaled(tile, scale, iterations);
  c.store(tile);
}

void sfpu_binary(SfpuBinary op, uint32_t dst0, uint32_t dst1, uint32_t out,
                 Site site) {
  ComputeCall c;
  float *a = c.mathDst(dst0, "SFPU binary op", site, true);
  float *b = c.mathDst(dst1, "SFPU binary op", site, true);
  float *o = c.mathDst(out, "SFPU binary op", site);
  c.core.counters[TileSfpu]++;
  profile::tile(c.ctx, TileUnit::SfpuBinary, static_cast<uint32_t>(op));
  tile::sfpuBinary(op, a, b, o, !c.state.fp32); // store(o) fused in
}

void where_tile(uint32_t cond, uint32_t onTrue, uint32_t onFalse, uint32_t out,
                bool fp32Format, Site site) {
  ComputeCall c;
  // The SFPU would load (and store) each DST value in the format's width:
  // half of a 32-bit value, or two 16-bit values as one.
  if (fp32Format != c.state.fp32) {
    std::ostringstream os;
    os << "where_tile's DataFormat reads DST as " << (fp32Format ? "32" : "16")
       << "-bit values, but this kernel's DST holds "
       << (c.state.fp32 ? "32-bit values (fp32_dest_acc_en); use "
                          "DataFormat::Float32"
                        : "16-bit values (no fp32_dest_acc_en); use "
                          "DataFormat::Float16_b");
    c.fail(site, os.str());
  }
  float *k = c.mathDst(cond, "where_tile", site, true);
  float *t = c.mathDst(onTrue, "where_tile", site, true);
  float *f = c.mathDst(onFalse, "where_tile", site, true);
  float *o = c.mathDst(out, "where_tile", site);
  c.core.counters[TileSfpu]++;
  profile::tile(c.ctx, TileUnit::Where);
  tile::where(k, t, f, o); // selects DST values: nothing to round
}

void fill_tile(uint32_t dst, float value, Site site) {
  ComputeCall c;
  float *tile = c.mathDst(dst, "fill_tile", site);
  c.core.counters[TileSfpu]++;
  profile::tile(c.ctx, TileUnit::Fill);
  tile::fill(tile, value);
  c.store(tile);
}

void reduce_tile(Pool pool, Dim dim, uint32_t cb, uint32_t scalerCb,
                 uint32_t tile, uint32_t scalerTile, uint32_t dst, Site site) {
  ComputeCall c;
  bool fresh = c.isFresh(dst, "reduce_tile", site);
  float *out = c.mathDst(dst, "reduce_tile", site);
  auto from = c.waitedTile(cb, tile, "reduce_tile", site);
  auto scalerFrom = c.waitedTile(scalerCb, scalerTile, "reduce_tile", site);
  c.checkSource(true, cb, "reduce_tile", site);
  c.checkSource(false, scalerCb, "reduce_tile", site);
  c.core.counters[TileReduce]++;
  profile::tile(c.ctx, TileUnit::Reduce, static_cast<uint32_t>(pool));
  float in[tile::kElems], scalers[tile::kElems];
  unpack(from, in);
  unpack(scalerFrom, scalers);
  tile::reduce(pool, dim, in, scalers[0], out, fresh, out);
  c.store(out);
}

void matmul_tiles(uint32_t cb0, uint32_t cb1, uint32_t tile0, uint32_t tile1,
                  uint32_t dst, Site site) {
  ComputeCall c;
  bool fresh = c.isFresh(dst, "matmul_tiles", site);
  float *out = c.mathDst(dst, "matmul_tiles", site);
  auto lhs = c.waitedTile(cb0, tile0, "matmul_tiles", site);
  auto rhs = c.waitedTile(cb1, tile1, "matmul_tiles", site);
  // tt-metal's matmul unpacks in1 into srcA and in0 into srcB.
  c.checkSource(true, cb1, "matmul_tiles", site);
  c.checkSource(false, cb0, "matmul_tiles", site);
  c.core.counters[TileMatmul]++;
  profile::tile(c.ctx, TileUnit::Matmul);
  // DST += A @ B: one 32x32x32 product per call, summed in fp32, rounded
  // once into DST (to bf16 unless DST is 32-bit).
  float a[tile::kElems], b[tile::kElems];
  unpack(lhs, a);
  unpack(rhs, b);
  tile::matmulAccumulate(a, b, out, fresh, /*round=*/!c.state.fp32);
}

void tilize_init(uint32_t icb, uint32_t, Site site) {
  unpack_config(UnpackSources::A, icb, icb, site);
}

void pack_untilize_init(uint32_t icb, uint32_t, Site site) {
  unpack_config(UnpackSources::A, icb, icb, site);
}

void tilize_block(uint32_t icb, uint32_t block, uint32_t ocb,
                  uint32_t inputTile, uint32_t outputTile, bool fp32DestAcc,
                  Site site) {
  ComputeCall c;
  requireReleased(c, "tilize_block", site);
  CircularBuffer &in = c.cb(icb, site);
  CircularBuffer &out = c.cb(ocb, site);
  c.checkSource(true, icb, "tilize_block", site);
  if (block == 0)
    c.fail(site, "tilize_block of a block 0 tiles wide");
  // The unpacker reads rows `block` tiles wide; input_tile_index picks the
  // row of tiles (index / block) and the tile in it (index % block).
  uint64_t width = uint64_t{block} * tile::kSide;
  uint64_t strip = inputTile / block, first = inputTile % block;
  uint32_t inSize = in.pageSize / tile::kElems;
  bool outF32 = out.pageSize == 4096;
  for (uint32_t t = 0; t < block; ++t) {
    uint8_t faces[tile::kElems * 4];
    for (uint32_t r = 0; r < tile::kSide; ++r) {
      uint64_t element =
          (strip * tile::kSide + r) * width + (first + t) * tile::kSide;
      uint32_t addr =
          rowMajorAddress(c, in, icb, element, true, "tilize_block", site);
      const uint8_t *row = c.dev.l1Pointer(c.ctx, c.core, addr,
                                           tile::kSide * inSize, site,
                                           "tilize_block");
      for (uint32_t half = 0; half < 2; ++half)
        std::memcpy(faces + faceRun(r, half) * inSize, row + 16 * half * inSize,
                    16 * inSize);
    }
    float values[tile::kElems];
    if (fp32DestAcc)
      tile::unpack(faces, inSize == 4, values);
    else
      tile::unpackToBf16(faces, inSize == 4, values);
    uint32_t position = outputTile + t;
    if (position >= out.reserved) {
      std::ostringstream os;
      os << "tilize_block writes tile " << position << " of DFB " << ocb
         << ", but only " << out.reserved
         << " page(s) are reserved with cb_reserve_back";
      c.fail(site, os.str());
    }
    uint32_t addr = out.base + static_cast<uint32_t>((out.pushed + position) %
                                                     out.numPages) *
                                   out.pageSize;
    tile::pack(values, outF32,
               c.dev.l1Pointer(c.ctx, c.core, addr, out.pageSize, site,
                               "tilize_block"));
    c.core.counters[TileUnpack]++;
    c.core.counters[TilePack]++;
    profile::tile(c.ctx, TileUnit::Copy);
    profile::tile(c.ctx, TileUnit::Pack);
  }
}

void pack_untilize_block(uint32_t icb, uint32_t blockRt, uint32_t ocb,
                         uint32_t blockCIndex, uint32_t blockCt,
                         uint32_t fullCt, bool fp32DestAcc, Site site) {
  ComputeCall c;
  requireReleased(c, "pack_untilize_block", site);
  CircularBuffer &out = c.cb(ocb, site);
  c.checkSource(true, icb, "pack_untilize_block", site);
  uint32_t capacity =
      fp32DestAcc ? ComputeState::kTiles32 : ComputeState::kTiles16;
  if (blockCt == 0 || blockCt > capacity || fullCt % blockCt != 0) {
    std::ostringstream os;
    os << "pack_untilize_block<" << blockCt << ", " << fullCt
       << ">: a block of block_ct_dim tiles goes through DST, which holds "
       << capacity << " ("
       << (fp32DestAcc ? "fp32 accumulation" : "16-bit")
       << "), and full_ct_dim must be a multiple of it";
    c.fail(site, os.str());
  }
  uint64_t width = uint64_t{fullCt} * tile::kSide;
  uint32_t outSize = out.pageSize / tile::kElems;
  // Neither CB pointer moves between rows: each row reads the same tiles
  // and writes the same place, as on the device.
  for (uint32_t rt = 0; rt < blockRt; ++rt)
    for (uint32_t t = 0; t < blockCt; ++t) {
      auto from = c.waitedTile(icb, t, "pack_untilize_block", site);
      float values[tile::kElems];
      if (fp32DestAcc)
        tile::unpack(from.bytes, from.f32, values);
      else
        tile::unpackToBf16(from.bytes, from.f32, values);
      uint8_t faces[tile::kElems * 4];
      tile::pack(values, outSize == 4, faces);
      uint64_t column =
          (uint64_t{blockCIndex} * blockCt + t) * tile::kSide;
      for (uint32_t r = 0; r < tile::kSide; ++r) {
        uint32_t addr = rowMajorAddress(c, out, ocb, r * width + column,
                                        false, "pack_untilize_block", site);
        uint8_t *row = c.dev.l1Pointer(c.ctx, c.core, addr,
                                       tile::kSide * outSize, site,
                                       "pack_untilize_block");
        for (uint32_t half = 0; half < 2; ++half)
          std::memcpy(row + 16 * half * outSize,
                      faces + faceRun(r, half) * outSize, 16 * outSize);
      }
      c.core.counters[TileUnpack]++;
      c.core.counters[TilePack]++;
      profile::tile(c.ctx, TileUnit::Copy);
      profile::tile(c.ctx, TileUnit::Pack);
    }
}

} // namespace ttlx_rt
