//===- Passes.td - TTKernel transformation passes ----------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTKERNEL_TRANSFORMS_PASSES_TD
#define TTLX_DIALECT_TTKERNEL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TTKernelEmulateScalarFloats
    : Pass<"ttkernel-emulate-scalar-floats", "::mlir::ModuleOp"> {
  let summary = "Emulate scalar floats with integer code where the core cannot run them";
  let description = [{
    Data-movement cores have no floating-point unit, and the C++ of compute
    cores has no bf16 scalar type (as upstream's
    `arith-emulate-unsupported-floats` does for unsupported float types,
    this pass rewrites what the target cannot run). In every function that
    is not a compute thread, scalar bf16 values become i16 and f32 values
    become i32 bit patterns; in compute threads, bf16 values become i16
    and f32 stays a float, bitcast to its i32 bits where it meets a bf16
    (`extf`, `truncf`). This runs after all analyses have seen the typed
    floats:

    - `arith.cmpf` becomes a signed integer compare of an order-preserving
      key (`bits & 0x7fffffff`, negated for negative values, so -0 == +0),
      plus NaN tests for the ordered/unordered predicates;
    - `arith.negf`, `absf`, `extf` (bf16 -> f32), `bitcast`, `select` and
      float constants become bit operations;
    - `arith.addf`, `subf`, `mulf`, `divf`, `maximumf`, `minimumf`, `maxnumf`,
      `minnumf`, `truncf` (f32 -> bf16, round to nearest even), `sitofp` and
      `fptosi` become calls to small soft-float helper functions written in
      integer arith/scf, added to the module once (`ttlx_sf_*`).

    Loop-carried and branch-carried floats stay SSA (`scf.for` iter_args,
    `scf.if` results) with their types converted.

    Before:
    ```mlir
    %lt = arith.cmpf olt, %a, %b : bf16
    ```
    After (sketch):
    ```mlir
    %lt = arith.cmpi slt, %key_a, %key_b : i32   // plus NaN checks
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
                           "::mlir::func::FuncDialect"];
}

def TTKernelKeepWhileLoops
    : Pass<"ttkernel-keep-while-loops", "::mlir::ModuleOp"> {
  let summary = "Keep while loops without side effects, which may never end";
  let description = [{
    A `scf.while` without side effects whose results are unused is trivially
    dead to MLIR, so the canonicalizer erases it, even when it never ends
    (e.g. `while i < 10: i = i * 1`). On the device the thread would spin
    there forever; deleting the loop makes a hung kernel "pass". This pass
    puts a `ttkernel.sideeffect` at the start of the body of every such loop
    (loops with side effects, e.g. API calls, need none), so it survives to
    the C++ and the runtime's watchdog reports the spinning thread. The
    ttkernel-to-emitc pipeline runs it before it canonicalizes.

    Before:
    ```mlir
    scf.while (%i = %n) : (i64) -> i64 {
      %go = arith.cmpi slt, %i, %c10 : i64
      scf.condition(%go) %i : i64
    } do {
    ^bb0(%j: i64):
      scf.yield %j : i64
    }
    ```
    After: the same, with `ttkernel.sideeffect` first in the `do` region.
  }];
  let dependentDialects = ["::mlir::ttkernel::TTKernelDialect"];
}

def TTKernelAssertDivisors
    : Pass<"ttkernel-assert-divisors", "::mlir::ModuleOp"> {
  let summary = "ASSERT that each integer division by a run-time value divides by non-zero";
  let description = [{
    An integer division by zero does not stop a Tensix RISC-V core: its
    divide instruction gives a meaningless quotient (all ones) or remainder
    (the dividend) and the kernel goes on. On the host runtime the C++
    division would be undefined behaviour (on x86 a signal that kills the
    process). So before every `arith.divsi`, `divui`, `floordivsi`,
    `ceildivsi`, `ceildivui`, `remsi` and `remui` whose divisor is not a
    non-zero constant, this pass inserts tt-metal's watcher `ASSERT` (a
    `ttkernel.assert`, always on in the runtime) with the division's
    location, so the run stops with a fault at the user's line. Before a
    signed division (`divsi`, `floordivsi`, `ceildivsi`, `remsi`) it also
    asserts that the dividend is not the type's smallest value or the
    divisor not -1: Python's `MIN // -1` is `-MIN`, which the type cannot
    hold (the host's divide traps; a RISC-V core goes on with `MIN`).
    Constants that rule a case out leave its check away, and so does the
    `ttkernel.divisor_checked` attribute (ttkernel-assert-no-wrap's
    divisions, whose divisor is never 0 or -1).

    Before:
    ```mlir
    %q = arith.floordivsi %a, %b : i64
    ```
    After:
    ```mlir
    %c0 = arith.constant 0 : i64
    %ok = arith.cmpi ne, %b, %c0 : i64
    ttkernel.assert %ok, "integer division at k.py:7:12: ..."
    %q = arith.floordivsi %a, %b : i64
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::ttkernel::TTKernelDialect"];
}

def TTKernelAssertNoWrap
    : Pass<"ttkernel-assert-no-wrap", "::mlir::ModuleOp"> {
  let summary = "ASSERT that integer arithmetic flagged `nsw` did not wrap, and that the user's float-to-integer conversions have a value";
  let description = [{
    Integers in tt-lang kernels are Python integers held in 64 bits
    (`index`) or 32 (`ttl.i32`); a Tensix RISC-V core wraps a result that
    does not fit and goes on, and so do the host's kernels (compiled with
    `-fwrapv`). The frontend marks the arithmetic the user wrote (`+`, `-`,
    `*`, unary `-`, `abs`, and the conversion of an index to `ttl.i32`)
    with the `nsw` flag: its exact result must fit. After every
    `arith.addi`, `subi`, `muli` and `trunci` with `nsw` this pass inserts
    tt-metal's watcher `ASSERT` (a `ttkernel.assert`) that the result did
    not wrap, with the op's location, and drops the flag (which would let
    later folds assume the very thing the check tests). It runs before any
    folding: a canonicalizer would fold an overflowing sum of constants
    into its wrapped value.

    The user's `int(x)` of a float is an `arith.fptosi` marked
    `ttkernel.must_fit`: before it the pass asserts that x is a number and
    that MIN <= x < -MIN of the integer type (C++ leaves the conversion of
    anything else undefined), and drops the mark.

    Before:
    ```mlir
    %s = arith.addi %a, %b overflow<nsw> : i32
    ```
    After:
    ```mlir
    %s = arith.addi %a, %b : i32
    %c0 = arith.constant 0 : i32
    %lt = arith.cmpi slt, %s, %a : i32
    %neg = arith.cmpi slt, %b, %c0 : i32
    %ok = arith.cmpi eq, %lt, %neg : i1
    ttkernel.assert %ok, "integer addition at k.py:7:12: overflow: ..."
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::ttkernel::TTKernelDialect"];
}

#endif // TTLX_DIALECT_TTKERNEL_TRANSFORMS_PASSES_TD
