//===- TTKernelDialect.cpp - TTKernel dialect -------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Dialect/TTKernel/IR/TTKernel.h"

#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::ttkernel;

#include "ttlx/Dialect/TTKernel/IR/TTKernelDialect.cpp.inc"
#include "ttlx/Dialect/TTKernel/IR/TTKernelEnums.cpp.inc"
#include "ttlx/Dialect/TTKernel/IR/TTKernelInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelTypes.cpp.inc"

#define GET_OP_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelOps.cpp.inc"

void TTKernelDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ttlx/Dialect/TTKernel/IR/TTKernelOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "ttlx/Dialect/TTKernel/IR/TTKernelTypes.cpp.inc"
      >();
}
