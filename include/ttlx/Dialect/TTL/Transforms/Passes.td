//===- Passes.td - TTL transformation passes ---------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_TRANSFORMS_PASSES_TD
#define TTLX_DIALECT_TTL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TTLCoalesceDFBAcquires : Pass<"ttl-coalesce-dfb-acquires"> {
  let summary = "Merge repeated waits/reserves of one DFB that return the same block";
  let description = [{
    A second `ttl.dfb_wait` (or `ttl.dfb_reserve`) of a DFB, with no
    `ttl.dfb_pop` (or `ttl.dfb_push`) of that DFB between it and an earlier
    one in the same block, returns the same block: its uses are redirected to
    the first acquire and it is erased. Nothing is moved, so no wait or pop
    crosses an element read or write (which are uses of the block), and an
    acquire after a release is never merged.

    Before:
    ```mlir
    %a = ttl.dfb_wait %dfb : !ttl.dfb<[1, 1], bf16, 2>
    %x = ttl.element_read %a[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    %b = ttl.dfb_wait %dfb : !ttl.dfb<[1, 1], bf16, 2>
    %y = ttl.element_read %b[%c0, %c1] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    ttl.dfb_pop %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ```
    After:
    ```mlir
    %a = ttl.dfb_wait %dfb : !ttl.dfb<[1, 1], bf16, 2>
    %x = ttl.element_read %a[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    %y = ttl.element_read %a[%c0, %c1] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    ttl.dfb_pop %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
}

def TTLDecomposeEngram : Pass<"ttl-decompose-engram", "::mlir::ModuleOp"> {
  let summary = "Rewrite the fused Engram ops into tile math over scratch DFBs";
  let description = [{
    `ttl.engram_gate` becomes: the row sums of k*k, q*q and k*q*wk*wq
    (each product stored into a scratch DFB, then reduced along rows into a
    1-tile-column DFB), the gate `sigmoid(sign(s) sqrt(max(|s|, 1e-6)))` of
    `s = kq * rsqrt(kk/C + eps) * rsqrt(qq/C + eps) * scale` into another,
    and `value * broadcast(gate)` in place of the op; the store of the
    result is the one pass over the inputs. The scratch DFBs (one block
    each, new indices after the module's highest) and a tile of ones for
    the reductions are owned by the thread; the gate block is popped after
    the store. The op's result must be stored directly with `ttl.store`.

    `ttl.depthwise_conv1d` becomes `sum_j w_j * tap_j` (then SiLU), a tap
    shifted by s > 0 rows being `S_s @ x + H_s @ halo` with 0/1 shift tiles
    that the module's first data-movement thread builds once with element
    writes and the compute thread holds for its whole run.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect"];
}

def TTLLowerScalarFloat : Pass<"ttl-lower-scalar-float", "::mlir::ModuleOp"> {
  let summary = "Lower scalar bf16/f32 arithmetic to integer code for cores without an FPU";
  let description = [{
    Data-movement cores have no floating-point unit. In every function that
    is not a compute thread, scalar bf16 values become i16 and f32 values
    become i32 bit patterns (after all analyses have seen the typed floats):

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

#endif // TTLX_DIALECT_TTL_TRANSFORMS_PASSES_TD
