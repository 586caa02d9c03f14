//===- TTKernelValues.h - values the TTL lowerings build --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Small values every TTL-to-TTKernel lowering builds: i32 constants (the
// type of tt-metal's counts and indices) and a bound DFB's CB.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_LIB_CONVERSION_TTLTOTTKERNEL_TTKERNELVALUES_H
#define TTLX_LIB_CONVERSION_TTLTOTTKERNEL_TTKERNELVALUES_H

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"
#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::ttl {

inline Value i32Const(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, v, 32);
}

/// The `!ttkernel.cb` of a DFB bound in the thread: its compile-time
/// argument.
inline Value boundCB(OpBuilder &b, Location loc, BindDFBOp bind) {
  return ttkernel::GetCompileTimeArgValOp::create(
             b, loc, ttkernel::CBType::get(b.getContext()),
             getDFBCompileTimeArgIndex(bind))
      .getResult();
}

} // namespace mlir::ttl

#endif // TTLX_LIB_CONVERSION_TTLTOTTKERNEL_TTKERNELVALUES_H
