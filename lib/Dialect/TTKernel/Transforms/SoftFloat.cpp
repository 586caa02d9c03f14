//===- SoftFloat.cpp - integer-only f32 helpers -----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The algorithms follow the structure of Berkeley SoftFloat (round-and-pack
// with a significand whose hidden bit sits at bit 30 and seven round bits),
// expressed without branches: every case is computed and chosen by select.
//
//===----------------------------------------------------------------------===//

#include "SoftFloat.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::ttkernel;
using namespace mlir::ttkernel::softfloat;
using arith::CmpIPredicate;

namespace {
/// Terse integer IR construction.
struct IntBuilder {
  OpBuilder &b;
  Location loc;

  Value c(int64_t v, unsigned width = 32) {
    return arith::ConstantIntOp::create(b, loc, v, width);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value band(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value bor(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value bxor(Value x, Value y) { return arith::XOrIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value lshr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value cmp(CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value eq(Value x, Value y) { return cmp(CmpIPredicate::eq, x, y); }
  Value ne(Value x, Value y) { return cmp(CmpIPredicate::ne, x, y); }
  Value sel(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  Value zext(Value x, unsigned width) {
    return arith::ExtUIOp::create(b, loc, b.getIntegerType(width), x);
  }
  Value trunc(Value x, unsigned width) {
    return arith::TruncIOp::create(b, loc, b.getIntegerType(width), x);
  }
  // cmp + select: upstream's arith-to-emitc has no min/max.
  Value umin(Value x, Value y) {
    return sel(cmp(CmpIPredicate::ult, x, y), x, y);
  }
  Value smax(Value x, Value y) {
    return sel(cmp(CmpIPredicate::sgt, x, y), x, y);
  }

  /// Count of leading zeros of an i32 (32 for zero), by binary search.
  Value clz(Value x) {
    Value n = c(0);
    for (int64_t step : {16, 8, 4, 2, 1}) {
      Value mask = c(static_cast<int32_t>(~0u << (32 - step)));
      Value none = eq(band(x, mask), c(0));
      x = sel(none, shl(x, c(step)), x);
      n = sel(none, add(n, c(step)), n);
    }
    return sel(eq(x, c(0)), c(32), n);
  }

  /// x >> dist (dist >= 0, any size) with the shifted-out bits ORed into
  /// bit 0, so rounding still sees them.
  Value shiftRightJam(Value x, Value dist) {
    Value small = cmp(CmpIPredicate::ult, dist, c(31));
    Value d = umin(dist, c(31));
    // Bits shifted out; none when d == 0.
    Value keep = sel(ne(d, c(0)), c(-1), c(0));
    Value lost = band(shl(x, band(sub(c(0), d), c(31))), keep);
    Value shifted = bor(lshr(x, d), zext(ne(lost, c(0)), 32));
    return sel(small, shifted, zext(ne(x, c(0)), 32));
  }

  /// SoftFloat's roundPackToF32: `sign` is 0 or 1, `sig` holds the
  /// significand with its hidden bit at bit 30, `exp` is the biased exponent
  /// minus one.
  Value roundPack(Value sign, Value exp, Value sig) {
    Value subnormal = cmp(CmpIPredicate::slt, exp, c(0));
    Value sigS = shiftRightJam(sig, smax(sub(c(0), exp), c(0)));
    sig = sel(subnormal, sigS, sig);
    exp = sel(subnormal, c(0), exp);
    Value roundBits = band(sig, c(0x7f));
    Value overflow =
        bor(cmp(CmpIPredicate::sgt, exp, c(0xfd)),
            band(eq(exp, c(0xfd)),
                 cmp(CmpIPredicate::uge, add(sig, c(0x40)),
                     c(static_cast<int32_t>(0x80000000u)))));
    Value rounded = lshr(add(sig, c(0x40)), c(7));
    Value tie = eq(roundBits, c(0x40));
    rounded = sel(tie, band(rounded, c(~1)), rounded);
    exp = sel(eq(rounded, c(0)), c(0), exp);
    Value signBit = shl(sign, c(31));
    Value packed = add(add(signBit, shl(exp, c(23))), rounded);
    return sel(overflow, bor(signBit, c(0x7f800000)), packed);
  }

  Value signOf(Value bits) { return lshr(bits, c(31)); }
  Value expOf(Value bits) { return band(lshr(bits, c(23)), c(0xff)); }
  Value fracOf(Value bits) { return band(bits, c(0x7fffff)); }
  Value absOf(Value bits) { return band(bits, c(0x7fffffff)); }
  Value isNaN(Value bits) {
    return cmp(CmpIPredicate::ugt, absOf(bits), c(0x7f800000));
  }
  Value quietNaN() { return c(0x7fc00000); }
};
} // namespace

//===----------------------------------------------------------------------===//
// Helper bodies
//===----------------------------------------------------------------------===//

static Value buildAdd(IntBuilder &ib, Value a, Value b) {
  // Order by magnitude so that |x| >= |y|.
  Value swap = ib.cmp(CmpIPredicate::ugt, ib.absOf(b), ib.absOf(a));
  Value x = ib.sel(swap, b, a), y = ib.sel(swap, a, b);
  Value sx = ib.signOf(x), sy = ib.signOf(y);
  Value ex = ib.expOf(x), ey = ib.expOf(y);
  Value hidden = ib.c(0x800000);
  Value mx = ib.bor(ib.fracOf(x), ib.sel(ib.ne(ex, ib.c(0)), hidden, ib.c(0)));
  Value my = ib.bor(ib.fracOf(y), ib.sel(ib.ne(ey, ib.c(0)), hidden, ib.c(0)));
  ex = ib.sel(ib.eq(ex, ib.c(0)), ib.c(1), ex);
  ey = ib.sel(ib.eq(ey, ib.c(0)), ib.c(1), ey);
  // Hidden bit at bit 29, then align y to x.
  mx = ib.shl(mx, ib.c(6));
  my = ib.shiftRightJam(ib.shl(my, ib.c(6)), ib.sub(ex, ey));
  Value same = ib.eq(sx, sy);
  Value sum = ib.sel(same, ib.add(mx, my), ib.sub(mx, my));
  // Normalise so the hidden bit sits at bit 30.
  Value shift = ib.sub(ib.clz(sum), ib.c(1));
  Value shiftL = ib.umin(shift, ib.c(31));
  Value sig = ib.shl(sum, shiftL);
  Value result = ib.roundPack(sx, ib.sub(ex, shift), sig);
  // Exact zero: +0, except (-0) + (-0).
  Value zero = ib.sel(same, ib.shl(sx, ib.c(31)), ib.c(0));
  result = ib.sel(ib.eq(sum, ib.c(0)), zero, result);
  // Infinities: x holds the larger magnitude; inf - inf is NaN.
  Value xInf = ib.eq(ib.expOf(x), ib.c(0xff));
  Value yInf = ib.eq(ib.expOf(y), ib.c(0xff));
  Value infMinusInf = ib.band(ib.band(xInf, yInf), ib.ne(sx, sy));
  result = ib.sel(xInf, ib.sel(infMinusInf, ib.quietNaN(), x), result);
  Value anyNaN = ib.bor(ib.isNaN(a), ib.isNaN(b));
  return ib.sel(anyNaN, ib.quietNaN(), result);
}

/// Significand with the hidden bit at bit 23 and its exponent, subnormals
/// normalised (exponent may go below 1).
static std::pair<Value, Value> normalised(IntBuilder &ib, Value bits) {
  Value e = ib.expOf(bits);
  Value m = ib.bor(ib.fracOf(bits),
                   ib.sel(ib.ne(e, ib.c(0)), ib.c(0x800000), ib.c(0)));
  Value shift = ib.umin(ib.sub(ib.clz(m), ib.c(8)), ib.c(23));
  e = ib.sub(ib.sel(ib.eq(e, ib.c(0)), ib.c(1), e), shift);
  return {ib.shl(m, shift), e};
}

static Value buildMul(IntBuilder &ib, Value a, Value b) {
  Value sign = ib.bxor(ib.signOf(a), ib.signOf(b));
  auto [ma, ea] = normalised(ib, a);
  auto [mb, eb] = normalised(ib, b);
  // Hidden bits at 30 and 31: the product's top bit lands at 61 or 62.
  Value prod = ib.mul(ib.zext(ib.shl(ma, ib.c(7)), 64),
                      ib.zext(ib.shl(mb, ib.c(8)), 64));
  Value high = ib.trunc(ib.lshr(prod, ib.c(32, 64)), 32);
  Value low = ib.trunc(prod, 32);
  Value sig = ib.bor(high, ib.zext(ib.ne(low, ib.c(0)), 32));
  Value exp = ib.sub(ib.add(ea, eb), ib.c(0x7f));
  Value needShift = ib.cmp(CmpIPredicate::ult, sig, ib.c(0x40000000));
  sig = ib.sel(needShift, ib.shl(sig, ib.c(1)), sig);
  exp = ib.sel(needShift, ib.sub(exp, ib.c(1)), exp);
  Value result = ib.roundPack(sign, exp, sig);
  Value signBit = ib.shl(sign, ib.c(31));
  Value aZero = ib.eq(ib.absOf(a), ib.c(0));
  Value bZero = ib.eq(ib.absOf(b), ib.c(0));
  Value anyZero = ib.bor(aZero, bZero);
  result = ib.sel(anyZero, signBit, result);
  Value aInf = ib.eq(ib.absOf(a), ib.c(0x7f800000));
  Value bInf = ib.eq(ib.absOf(b), ib.c(0x7f800000));
  Value anyInf = ib.bor(aInf, bInf);
  Value inf = ib.bor(signBit, ib.c(0x7f800000));
  result = ib.sel(anyInf, ib.sel(anyZero, ib.quietNaN(), inf), result);
  Value anyNaN = ib.bor(ib.isNaN(a), ib.isNaN(b));
  return ib.sel(anyNaN, ib.quietNaN(), result);
}

/// SoftFloat's f32_div: a 64-by-32-bit quotient of the significands with
/// the hidden bit landing at bit 30, a sticky bit for an inexact quotient,
/// then the common rounding.
static Value buildDiv(IntBuilder &ib, Value a, Value b) {
  Value sign = ib.bxor(ib.signOf(a), ib.signOf(b));
  auto [ma, ea] = normalised(ib, a);
  auto [mb, eb] = normalised(ib, b);
  Value smaller = ib.cmp(CmpIPredicate::ult, ma, mb);
  Value exp = ib.sub(ib.add(ib.sub(ea, eb), ib.c(0x7e)),
                     ib.zext(smaller, 32));
  Value dividend = ib.shl(ib.zext(ma, 64),
                          ib.sel(smaller, ib.c(31, 64), ib.c(30, 64)));
  // Branch-free: a zero divisor (b = 0, handled below) must not trap.
  Value divisor = ib.zext(ib.sel(ib.eq(mb, ib.c(0)), ib.c(1), mb), 64);
  Value quotient = arith::DivUIOp::create(ib.b, ib.loc, dividend, divisor);
  Value inexact = ib.ne(ib.mul(quotient, divisor), dividend);
  Value sig = ib.bor(ib.trunc(quotient, 32), ib.zext(inexact, 32));
  Value result = ib.roundPack(sign, exp, sig);
  Value signBit = ib.shl(sign, ib.c(31));
  Value inf = ib.bor(signBit, ib.c(0x7f800000));
  Value aZero = ib.eq(ib.absOf(a), ib.c(0));
  Value bZero = ib.eq(ib.absOf(b), ib.c(0));
  Value aInf = ib.eq(ib.absOf(a), ib.c(0x7f800000));
  Value bInf = ib.eq(ib.absOf(b), ib.c(0x7f800000));
  // 0/x and x/inf are signed zeros, x/0 and inf/x signed infinities;
  // 0/0 and inf/inf are NaN.
  result = ib.sel(ib.bor(aZero, bInf), signBit, result);
  result = ib.sel(ib.bor(bZero, aInf), inf, result);
  Value invalid = ib.bor(ib.band(aZero, bZero), ib.band(aInf, bInf));
  Value anyNaN = ib.bor(ib.isNaN(a), ib.isNaN(b));
  return ib.sel(ib.bor(invalid, anyNaN), ib.quietNaN(), result);
}

/// Signed key ordering all non-NaN floats, with -0 < +0.
static Value totalKey(IntBuilder &ib, Value bits) {
  Value negative = ib.cmp(CmpIPredicate::slt, bits, ib.c(0));
  return ib.sel(negative, ib.bxor(bits, ib.c(0x7fffffff)), bits);
}

static Value buildMaxMin(IntBuilder &ib, Value a, Value b, bool isMax,
                         bool propagateNaN) {
  Value aKey = totalKey(ib, a), bKey = totalKey(ib, b);
  Value pickA = ib.cmp(isMax ? CmpIPredicate::sgt : CmpIPredicate::slt, aKey,
                       bKey);
  Value result = ib.sel(pickA, a, b);
  Value aNaN = ib.isNaN(a), bNaN = ib.isNaN(b);
  if (propagateNaN)
    return ib.sel(ib.bor(aNaN, bNaN), ib.quietNaN(), result);
  result = ib.sel(aNaN, b, result);
  return ib.sel(bNaN, a, result);
}

static Value buildF32ToBF16(IntBuilder &ib, Value a) {
  Value upper = ib.lshr(a, ib.c(16));
  Value bias = ib.add(ib.c(0x7fff), ib.band(upper, ib.c(1)));
  Value rounded = ib.lshr(ib.add(a, bias), ib.c(16));
  Value result = ib.sel(ib.isNaN(a), ib.bor(upper, ib.c(0x40)), rounded);
  return ib.trunc(result, 16);
}

static Value buildI32ToF32(IntBuilder &ib, Value a) {
  Value sign = ib.signOf(a);
  Value magnitude = ib.sel(ib.eq(sign, ib.c(1)), ib.sub(ib.c(0), a), a);
  // normRoundPack: put the top bit at bit 30.
  Value shift = ib.sub(ib.clz(magnitude), ib.c(1));
  Value minValue = ib.eq(a, ib.c(static_cast<int32_t>(0x80000000u)));
  Value sig = ib.shl(magnitude, ib.umin(shift, ib.c(31)));
  Value result = ib.roundPack(sign, ib.sub(ib.c(0x9c), shift), sig);
  result = ib.sel(minValue, ib.c(static_cast<int32_t>(0xcf000000u)), result);
  return ib.sel(ib.eq(a, ib.c(0)), ib.c(0), result);
}

static Value buildF32ToI32(IntBuilder &ib, Value a) {
  Value e = ib.expOf(a);
  Value m = ib.bor(ib.fracOf(a), ib.c(0x800000));
  // value = m * 2^(e - 150)
  Value left = ib.cmp(CmpIPredicate::sge, e, ib.c(150));
  Value upShift = ib.umin(ib.sub(e, ib.c(150)), ib.c(31));
  Value downShift = ib.umin(ib.sub(ib.c(150), e), ib.c(31));
  Value magnitude = ib.sel(left, ib.shl(m, upShift), ib.lshr(m, downShift));
  Value negative = ib.eq(ib.signOf(a), ib.c(1));
  Value result = ib.sel(negative, ib.sub(ib.c(0), magnitude), magnitude);
  Value tiny = ib.cmp(CmpIPredicate::slt, e, ib.c(127));
  result = ib.sel(tiny, ib.c(0), result);
  Value huge = ib.cmp(CmpIPredicate::sge, e, ib.c(127 + 31));
  Value saturated = ib.sel(negative, ib.c(static_cast<int32_t>(0x80000000u)),
                           ib.c(0x7fffffff));
  result = ib.sel(huge, saturated, result);
  return ib.sel(ib.isNaN(a), ib.c(0), result);
}

//===----------------------------------------------------------------------===//
// Public entry points
//===----------------------------------------------------------------------===//

StringRef mlir::ttkernel::softfloat::getHelperName(Helper helper) {
  switch (helper) {
  case Helper::AddF32:
    return "ttlx_sf_add_f32";
  case Helper::SubF32:
    return "ttlx_sf_sub_f32";
  case Helper::MulF32:
    return "ttlx_sf_mul_f32";
  case Helper::DivF32:
    return "ttlx_sf_div_f32";
  case Helper::MaximumF32:
    return "ttlx_sf_maximum_f32";
  case Helper::MinimumF32:
    return "ttlx_sf_minimum_f32";
  case Helper::MaxNumF32:
    return "ttlx_sf_maxnum_f32";
  case Helper::MinNumF32:
    return "ttlx_sf_minnum_f32";
  case Helper::F32ToBF16:
    return "ttlx_sf_f32_to_bf16";
  case Helper::I32ToF32:
    return "ttlx_sf_i32_to_f32";
  case Helper::F32ToI32:
    return "ttlx_sf_f32_to_i32";
  }
  llvm_unreachable("unknown soft-float helper");
}

func::FuncOp mlir::ttkernel::softfloat::getOrInsertHelper(ModuleOp module,
                                                     Helper helper) {
  StringRef name = getHelperName(helper);
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  Location loc = module.getLoc();
  Type i32 = b.getI32Type();
  bool unary = helper == Helper::F32ToBF16 || helper == Helper::I32ToF32 ||
               helper == Helper::F32ToI32;
  SmallVector<Type> inputs(unary ? 1 : 2, i32);
  Type result = helper == Helper::F32ToBF16 ? b.getI16Type() : i32;
  auto func = func::FuncOp::create(b, loc, name,
                                   b.getFunctionType(inputs, result));
  func.setPrivate();
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IntBuilder ib{b, loc};
  Value x = entry->getArgument(0);
  Value y = unary ? Value() : entry->getArgument(1);
  Value out;
  switch (helper) {
  case Helper::AddF32:
    out = buildAdd(ib, x, y);
    break;
  case Helper::SubF32:
    out = buildAdd(ib, x, ib.bxor(y, ib.c(static_cast<int32_t>(0x80000000u))));
    break;
  case Helper::MulF32:
    out = buildMul(ib, x, y);
    break;
  case Helper::DivF32:
    out = buildDiv(ib, x, y);
    break;
  case Helper::MaximumF32:
    out = buildMaxMin(ib, x, y, /*isMax=*/true, /*propagateNaN=*/true);
    break;
  case Helper::MinimumF32:
    out = buildMaxMin(ib, x, y, /*isMax=*/false, /*propagateNaN=*/true);
    break;
  case Helper::MaxNumF32:
    out = buildMaxMin(ib, x, y, /*isMax=*/true, /*propagateNaN=*/false);
    break;
  case Helper::MinNumF32:
    out = buildMaxMin(ib, x, y, /*isMax=*/false, /*propagateNaN=*/false);
    break;
  case Helper::F32ToBF16:
    out = buildF32ToBF16(ib, x);
    break;
  case Helper::I32ToF32:
    out = buildI32ToF32(ib, x);
    break;
  case Helper::F32ToI32:
    out = buildF32ToI32(ib, x);
    break;
  }
  func::ReturnOp::create(b, loc, out);
  return func;
}

Value mlir::ttkernel::softfloat::buildOrderKey(OpBuilder &b, Location loc,
                                          Value bits) {
  IntBuilder ib{b, loc};
  Value magnitude = ib.absOf(bits);
  Value negative = ib.cmp(CmpIPredicate::slt, bits, ib.c(0));
  return ib.sel(negative, ib.sub(ib.c(0), magnitude), magnitude);
}

Value mlir::ttkernel::softfloat::buildIsNaN(OpBuilder &b, Location loc, Value bits) {
  IntBuilder ib{b, loc};
  return ib.isNaN(bits);
}

Value mlir::ttkernel::softfloat::buildBF16ToF32(OpBuilder &b, Location loc,
                                           Value bits) {
  IntBuilder ib{b, loc};
  return ib.shl(ib.zext(bits, 32), ib.c(16));
}
