//===- Passes.td - TTL transformation passes ---------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_TRANSFORMS_PASSES_TD
#define TTLX_DIALECT_TTL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TTLVerifyDFBProtocol : Pass<"ttl-verify-dfb-protocol", "::mlir::ModuleOp"> {
  let summary = "Check that every thread acquires and releases its DFB blocks in order";
  let description = [{
    Simulates the DFB protocol of each thread function (`ttl.thread`) region
    by region: a region starts with the blocks its ancestors hold, and what
    it acquires it must release itself (or a later op of an enclosing region
    releases it). Reports, at the op:

    - a `ttl.dfb_push` / `ttl.dfb_pop` of a DFB holding no reserved /
      waited block, or the wrong release for the acquire;
    - a push / pop of more pages than the thread holds: pages count as
      tt-metal counts them, a reserve / wait of n pages holding the first
      n at the back / front again (not n more), a push / pop handing over
      the first of them; the effects of a `ttl.opaque_call` take part in
      order, so a C++ pop after a kernel wait pops the kernel's block;
    - a block used (by any op, nested ones included) after its release;
    - an acquire never released;
    - a second acquire of a one-block DFB that the thread already holds
      the other way (it can never complete).

    The IR is not changed. The `ttl-to-ttkernel` and `ttl-to-emitc`
    pipelines run it first.

    Rejected:
    ```mlir
    %blk = ttl.dfb_wait %dfb : !ttl.dfb<[1, 1], bf16, 2>
    ttl.dfb_pop %dfb : !ttl.dfb<[1, 1], bf16, 2>
    // error: 'ttl.element_read' op uses a block after its DFB was popped
    %v = ttl.element_read %blk[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    ```
  }];
}

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
    `ttl.engram_gate` becomes: the row sums of k*k, q*q and k*q*w, w the
    op's one weight block or the product wk*wq of its two, made once into a
    scratch DFB after both weights are waited when they are waited together
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

def TTLAssignDST : Pass<"ttl-assign-dst", "::mlir::ModuleOp"> {
  let summary = "Give every tile-math value of a ttl.store a DST tile";
  let description = [{
    Each `ttl.store` is evaluated tile by tile in DST (one
    tile_regs_acquire/commit/wait/release per output tile). This pass decides
    how, and writes it into the IR for `convert-ttl-to-ttkernel`:

    - the store's expression is rebuilt right before it, in evaluation order
      (left operand first), so each store owns its ops; a value used several
      times is computed once and keeps one DST tile;
    - a binary op whose operands are both DFB blocks (or a broadcast of one)
      and that has an FPU form gets `ttl.fpu`: the FPU reads the circular
      buffers; otherwise its operands are in DST (SFPU);
    - a DFB block read in DST becomes a `ttl.copy_tile`, an f32 scalar
      operand a `ttl.fill`;
    - every op evaluated in DST gets `ttl.dst_idx`, the DST tile of its
      result. Unary SFPU ops work in place (the tile of their operand); a
      value still needed after such an op is recomputed for it. Binary ops
      and `ttl.where` write over an operand that dies there, else a free
      tile; freed tiles are reused last-freed first.

    A store whose expression needs more DST tiles at once than there are (8,
    or 4 with `ttl.fp32_dest_acc` on the function) is an error, as are
    operands that are not DFB blocks of bound DFBs or tile math.

    Before:
    ```mlir
    %e = ttl.exp %a : tensor<1x1x!ttl.tile<bf16>>
    %p = ttl.mul %e, %e : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
    ttl.store %p, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
    ```
    After:
    ```mlir
    %t = ttl.copy_tile %a {ttl.dst_idx = 0 : i32} : tensor<1x1x!ttl.tile<bf16>>
    %e = ttl.exp %t {ttl.dst_idx = 0 : i32} : tensor<1x1x!ttl.tile<bf16>>
    %p = ttl.mul %e, %e {ttl.dst_idx = 0 : i32} : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
    ttl.store %p, %o : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>
    ```
  }];
}

def TTLAssignPipeSemaphores : Pass<"ttl-assign-pipe-semaphores", "::mlir::ModuleOp"> {
  let summary = "Give each pipe of the module its two semaphore ids and each send its staging DFB";
  let description = [{
    A pipe is a staged pull handshake on two semaphores (docs/pipeline.md):
    a *mailbox* on each destination and a *done* counter on the source. The
    ids are assigned per module, as few as possible: pipes share a mailbox
    id unless they have a destination core in common, and a done id unless
    they have the same source (greedy, in order of first use); done ids
    come after the mailbox ids. Every `ttl.pipe_send` / `ttl.pipe_recv`
    gets `ttl.pipe_semaphores = array<i64: mailbox, done>`, which
    `convert-ttl-to-ttkernel` reads.

    A send copies its block into a staging DFB on its core, from which the
    destinations read it. A core sources at most one pipe per done id, so
    each done id gets one staging DFB: numbered after the module's DFBs,
    one block of the largest block type its sends carry, bound at the entry
    of each function that sends; every send gets `ttl.pipe_staging = index`.
    A module whose pipe ops have their ids already is left unchanged.

    Errors: a pipe used with two block types, or more semaphores than a
    core has (16).

    Before:
    ```mlir
    %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
    ...
    %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b : tensor<1x1x!ttl.tile<bf16>>
    ```
    After:
    ```mlir
    %s = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], bf16, 1>
    %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
    ...
    %tx = ttl.pipe_send #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>, %b {ttl.pipe_semaphores = array<i64: 0, 1>, ttl.pipe_staging = 1 : i64} : tensor<1x1x!ttl.tile<bf16>>
    ```
  }];
}

def TTLVerifyArchLimits : Pass<"ttl-verify-arch-limits", "::mlir::ModuleOp"> {
  let summary = "Check that the module fits the cores of the chosen architecture";
  let description = [{
    Every core runs all threads of the module, and DFB `i` is its circular
    buffer `i`: each `ttl.bind_dfb` index must be below the architecture's
    DFB count (32 on wormhole_b0, 64 on blackhole; include/ttlx/Target/
    Hardware.h). The error is at the bind, so at the user's line. The IR
    is not changed; the `ttl-to-ttkernel` and `ttl-to-emitc` pipelines run
    it with their `arch` option.

    Rejected with `arch=wormhole_b0`, accepted with `arch=blackhole`:
    ```mlir
    %d = ttl.bind_dfb 40 : !ttl.dfb<[1, 1], bf16, 2>
    ```
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"wormhole_b0\"",
           "target architecture: wormhole_b0 or blackhole">
  ];
}

#endif // TTLX_DIALECT_TTL_TRANSFORMS_PASSES_TD
