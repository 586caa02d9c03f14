//===- Passes.td - ttlx conversion passes ------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_CONVERSION_PASSES_TD
#define TTLX_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTTLToTTKernel : Pass<"convert-ttl-to-ttkernel", "::mlir::ModuleOp"> {
  let summary = "Lower TTL data movement and element access to TTKernel";
  let description = [{
    - `ttl.bind_dfb i` -> `get_compile_time_arg_val(ttl.base_cta_index + i)`;
    - reserve/push/wait/pop -> `cb_reserve_back`/`cb_push_back`/
      `cb_wait_front`/`cb_pop_front` with the block's tile count; a block
      becomes its L1 address: the write pointer after a reserve, the read
      pointer after a wait;
    - DRAM tensor argument `k` -> `get_arg_val(k)` (bank base address) and
      `TensorAccessorArgs<k>`; copies -> one `noc_async_read_tile` /
      `noc_async_write_tile` per tile, `ttl.wait` -> the matching barrier;
    - `ttl.node` -> `my_logical_x/y`, `ttl.grid_size` -> the `ttl.grid`
      constant;
    - `ttl.store %expr, %out` (tile math) -> one tile_regs_acquire/commit/
      wait/release sequence per output tile with the expression tree
      evaluated in DST: copy_tile or unary_bcast for DFB blocks, the FPU
      forms of add/sub/mul (plain or broadcast) when both operands are DFB
      blocks, SFPU ops otherwise, fill_tile for scalars, reduce_tile loops
      for reductions; DST slots are reused, inits emitted when the
      configuration changes, and an expression needing more DST tiles than
      available (8, or 4 with `ttl.fp32_dest_acc` on the function) is an
      error;
    - element access -> typed `l1_load`/`l1_store` at element offset
      `tile * 1024 + ((r%32)/16*2 + (c%32)/16) * 256 + (r%16) * 16 + c%16`
      with `tile = (r/32) * block_cols + c/32`.

    Before:
    ```mlir
    %blk = ttl.dfb_wait %dfb : !ttl.dfb<[1, 1], bf16, 2>
    %v = ttl.element_read %blk[%r, %c] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    ```
    After:
    ```mlir
    ttkernel.cb_wait_front %cb, %c1_i32
    %p = ttkernel.get_read_ptr %cb
    %v = ttkernel.l1_load %p[%offset] : bf16
    ```
  }];
  let dependentDialects = ["::mlir::ttkernel::TTKernelDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect"];
}

def ConvertTTKernelToEmitC : Pass<"convert-ttkernel-to-emitc", "::mlir::ModuleOp"> {
  let summary = "Lower TTKernel (with func, arith and scf) to EmitC";
  let description = [{
    Each TTKernel op becomes the tt-metal call of the same name
    (`emitc.call_opaque`), L1 loads/stores become
    `reinterpret_cast<T *>(addr)[index]`; func, arith and scf go through
    upstream's EmitC patterns. Scalar floats must already be integers
    (run `ttkernel-emulate-scalar-floats` first).

    Before:
    ```mlir
    ttkernel.cb_wait_front %cb, %n
    ```
    After:
    ```mlir
    emitc.call_opaque "cb_wait_front"(%cb, %n) : (!emitc.opaque<"uint32_t">, i32) -> ()
    ```
  }];
  let dependentDialects = ["::mlir::emitc::EmitCDialect"];
}

#endif // TTLX_CONVERSION_PASSES_TD
