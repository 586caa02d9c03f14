//===- TTKernelBase.td - TTKernel dialect definition -------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTKERNEL_IR_TTKERNELBASE_TD
#define TTLX_DIALECT_TTKERNEL_IR_TTKERNELBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def TTKernel_Dialect : Dialect {
  let name = "ttkernel";
  let cppNamespace = "::mlir::ttkernel";
  let summary = "a typed mirror of the tt-metal kernel API";
  let description = [{
    One op per tt-metal kernel API call, with tt-metal's names and argument
    order, so that the lowering to EmitC is mechanical and the generated C++
    is plain tt-metal kernel code.

    ```mlir
    %cb = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
    %n = arith.constant 1 : i32
    ttkernel.cb_wait_front %cb, %n
    %p = ttkernel.get_read_ptr %cb
    %v = ttkernel.l1_load %p[%i] : bf16
    ttkernel.cb_pop_front %cb, %n
    ```
  }];
  let useDefaultTypePrinterParser = 1;
}

class TTKernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<TTKernel_Dialect, mnemonic, traits>;

def TTKernel_KernelCallOpInterface : OpInterface<"KernelCallOpInterface"> {
  let cppNamespace = "::mlir::ttkernel";
  let description = [{
    An op that is exactly one tt-metal call,
    `callee<template args...>(literal args..., operands...)`: its lowering
    to EmitC is one generic pattern. Ops derive from `TTKernel_CallOp`,
    which provides `getCallee` (the mnemonic unless `callee` is set).
  }];
  let methods = [
    InterfaceMethod<"The tt-metal function or macro called.",
      "::llvm::StringRef", "getCallee">,
    InterfaceMethod<[{
        The C++ template arguments: integer, bool or type attributes, or
        string attributes holding C++ source text (an enumerator).
      }],
      "::llvm::SmallVector<::mlir::Attribute>", "getTemplateArgs", (ins), "",
      "return {};">,
    InterfaceMethod<[{
        Arguments written as literals before the operands (tt-metal wants
        some indices as constant expressions), in the same form.
      }],
      "::llvm::SmallVector<::mlir::Attribute>", "getLiteralArgs", (ins), "",
      "return {};">,
  ];
}

// An op lowered to the call `callee(operands...)`. Set `hasTemplateArgs` /
// `hasLiteralArgs` to define getTemplateArgs / getLiteralArgs in C++.
class TTKernel_CallOp<string mnemonic, list<Trait> traits = []>
    : TTKernel_Op<mnemonic, !listconcat([TTKernel_KernelCallOpInterface], traits)> {
  string callee = mnemonic;
  bit hasTemplateArgs = 0;
  bit hasLiteralArgs = 0;
  let extraClassDeclaration =
    "static ::llvm::StringRef getCallee() { return \"" # callee # "\"; }\n" #
    !if(hasTemplateArgs, "::llvm::SmallVector<::mlir::Attribute> getTemplateArgs();\n", "") #
    !if(hasLiteralArgs, "::llvm::SmallVector<::mlir::Attribute> getLiteralArgs();\n", "");
}

// The kernel a call may appear in: tt-metal declares the compute API for
// compute kernels only, and NOC, semaphore and TensorAccessor calls for
// data-movement kernels only. Kernel emission checks them against the
// thread (`ttl.thread`) of the function.
def TTKernel_ComputeKernelOnly : NativeOpTrait<"ComputeKernelOnly"> {
  let cppNamespace = "::mlir::ttkernel";
}
def TTKernel_DataMovementKernelOnly : NativeOpTrait<"DataMovementKernelOnly"> {
  let cppNamespace = "::mlir::ttkernel";
}

class TTKernel_ComputeCallOp<string mnemonic, list<Trait> traits = []>
    : TTKernel_CallOp<mnemonic, !listconcat([TTKernel_ComputeKernelOnly], traits)>;
class TTKernel_DataMovementCallOp<string mnemonic, list<Trait> traits = []>
    : TTKernel_CallOp<mnemonic, !listconcat([TTKernel_DataMovementKernelOnly], traits)>;

class TTKernel_Type<string name, string typeMnemonic>
    : TypeDef<TTKernel_Dialect, name> {
  let mnemonic = typeMnemonic;
}

def TTKernel_CBType : TTKernel_Type<"CB", "cb"> {
  let summary = "circular buffer id (a DFB on the device)";
  let description = "`!ttkernel.cb`, a `uint32_t` id in C++.";
}

def TTKernel_TensorAccessorArgsType
    : TTKernel_Type<"TensorAccessorArgs", "tensor_accessor_args"> {
  let summary = "compile-time description of a DRAM tensor's distribution";
  let description = "`!ttkernel.tensor_accessor_args`, `TensorAccessorArgs<N>` in C++.";
}

def TTKernel_TensorAccessorType : TTKernel_Type<"TensorAccessor", "tensor_accessor"> {
  let summary = "page address generator for a DRAM tensor";
  let description = "`!ttkernel.tensor_accessor`, `TensorAccessor` in C++.";
}

#endif // TTLX_DIALECT_TTKERNEL_IR_TTKERNELBASE_TD
