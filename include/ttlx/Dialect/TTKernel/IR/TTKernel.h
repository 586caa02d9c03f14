//===- TTKernel.h - TTKernel dialect ----------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTKERNEL_IR_TTKERNEL_H
#define TTLX_DIALECT_TTKERNEL_IR_TTKERNEL_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ttlx/Dialect/TTKernel/IR/TTKernelDialect.h.inc"
#include "ttlx/Dialect/TTKernel/IR/TTKernelEnums.h.inc"
#include "ttlx/Dialect/TTKernel/IR/TTKernelInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelTypes.h.inc"

#define GET_OP_CLASSES
#include "ttlx/Dialect/TTKernel/IR/TTKernelOps.h.inc"

#endif // TTLX_DIALECT_TTKERNEL_IR_TTKERNEL_H
