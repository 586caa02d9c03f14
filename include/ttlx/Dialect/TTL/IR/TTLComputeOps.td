//===- TTLComputeOps.td - TTL tile math --------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Compute-thread ops on blocks. The elementwise ops are defined by
// TTLElementwiseOps.def (see docs/compute.md): their defs are generated.
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_IR_TTLCOMPUTEOPS_TD
#define TTLX_DIALECT_TTL_IR_TTLCOMPUTEOPS_TD

include "ttlx/Dialect/TTL/IR/TTLTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def TTL_ReduceDim : I32EnumAttr<"ReduceDim", "dimension a reduction runs along", [
    I32EnumAttrCase<"Row", 0, "row">,       // across each row: result in column 0
    I32EnumAttrCase<"Col", 1, "col">,       // down each column: result in row 0
    I32EnumAttrCase<"Scalar", 2, "scalar">  // everything: result at (0, 0)
  ]> {
  let cppNamespace = "::mlir::ttl";
}

def TTL_BroadcastKind : I32EnumAttr<"BroadcastKind", "what a broadcast replicates", [
    I32EnumAttrCase<"Row", 0, "row">,       // row 0 down all rows
    I32EnumAttrCase<"Col", 1, "col">,       // column 0 across all columns
    I32EnumAttrCase<"Scalar", 2, "scalar">  // element (0, 0) everywhere
  ]> {
  let cppNamespace = "::mlir::ttl";
}

// A block operand or an f32 scalar (binary ops take one of each). Elementwise
// math maps each element to the element at the same place, so it takes
// row-major blocks as well as tiled ones (see TTL_DFBBlock).
def TTL_BlockOrScalar : AnyTypeOf<[TTL_DFBBlock, F32], "block or f32 scalar">;

// Verifies that the op sits in a compute thread (or a function without a
// thread kind), see verifyComputeOp.
def TTL_ComputeOpTrait : NativeOpTrait<"ComputeOp"> {
  let cppNamespace = "::mlir::OpTrait::ttl";
}

// Verifies the operand/result rules of binary ops, see verifyBinaryOp.
def TTL_BinaryOpTrait : NativeOpTrait<"BinaryComputeOp"> {
  let cppNamespace = "::mlir::OpTrait::ttl";
}

class TTL_ComputeOp<string mnemonic, list<Trait> traits = []>
    : TTL_Op<mnemonic, !listconcat([Pure, TTL_ComputeOpTrait], traits)>;

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// An elementwise unary op; `params` are its scalar parameters (attributes,
// in the tt-metal call's argument order).
class TTL_UnaryOp<string mnemonic, string tileCall, dag params = (ins)>
    : TTL_ComputeOp<mnemonic, [SameOperandsAndResultType]> {
  let summary = "elementwise " # mnemonic # " of a block (SFPU " # tileCall # ")";
  let description = [{
    Scalar parameters, if any, are attributes.

    ```mlir
    %r = ttl.}] # mnemonic # [{ %a : tensor<1x4x!ttl.tile<bf16>>
    ```
  }];
  let arguments = !con((ins TTL_DFBBlock:$input), params);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

class TTL_BinaryOp<string mnemonic>
    : TTL_ComputeOp<mnemonic, [TTL_BinaryOpTrait]> {
  let summary = "elementwise " # mnemonic # " of blocks (or a block and an f32 scalar)";
  let description = [{
    Both operands are blocks of the result's type, or one is an f32 scalar
    applied to every element. Lowers to the FPU form when both operands are
    DFB blocks and the FPU has one, else to the SFPU form on DST.

    ```mlir
    %r = ttl.}] # mnemonic # [{ %a, %b : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>> -> tensor<1x4x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_BlockOrScalar:$lhs, TTL_BlockOrScalar:$rhs);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

// One def per entry of TTLElementwiseOps.def, generated from it.
include "ttlx/Dialect/TTL/IR/TTLElementwiseOps.td"

// exp with the flags of tt-metal's exp_tile (tt-lang's
// `ttl.math.exp(x, approx=..., scale=..., skip_clamp_check=...,
// iterations=...)`); plain `ttl.exp` is the table's.
def TTL_ExpFlaggedOp : TTL_ComputeOp<"exp_flagged", [SameOperandsAndResultType]> {
  let summary = "e^(scale * x) by exp_tile with its approximation, clamping and iteration flags";
  let description = [{
    `scale` multiplies the input first (exp_tile takes it as bf16);
    `approx` selects the fast approximation and `skip_clamp_check` drops
    its clamping of very negative inputs (the host runtime computes exp
    exactly either way); `iterations` (1 to 8) is how many of the eight
    32-element SFPU passes per 16x16 face run: only the first
    2 * iterations rows of each face are computed, the others keep the
    input.

    ```mlir
    %e = ttl.exp_flagged %x {approx, scale = 2.0 : f32, iterations = 8 : i32} : tensor<1x1x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$input, UnitAttr:$approx, F32Attr:$scale,
                       UnitAttr:$skip_clamp_check,
                       ConfinedAttr<I32Attr, [IntMinValue<1>, IntMaxValue<8>]>:$iterations);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Constants, broadcast, reductions
//===----------------------------------------------------------------------===//

def TTL_FillOp : TTL_ComputeOp<"fill"> {
  let summary = "a block with every element equal to a scalar";
  let description = [{
    ```mlir
    %ones = ttl.fill %one : f32 -> tensor<1x1x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins F32:$value);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = "$value attr-dict `:` type($value) `->` type($result)";
}

def TTL_CopyTileOp : TTL_ComputeOp<"copy_tile", [SameOperandsAndResultType]> {
  let summary = "unpack the tiles of a DFB block into DST";
  let description = [{
    The value of `input`, a block from `ttl.dfb_wait` or `ttl.dfb_reserve`,
    held in DST: what SFPU math reads. `ttl-assign-dst` inserts one before
    each DST use of a DFB block (the FPU and the reductions read circular
    buffers directly) and gives it a DST tile (`ttl.dst_idx`); it lowers to
    `copy_tile`.

    ```mlir
    %t = ttl.copy_tile %a {ttl.dst_idx = 0 : i32} : tensor<1x4x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$input);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def TTL_BroadcastOp : TTL_ComputeOp<"broadcast"> {
  let summary = "replicate row 0, column 0 or element (0, 0) of a DFB block";
  let description = [{
    `col`: an Rx1-tile block's column 0 across all columns of RxC tiles;
    `row`: a 1xC block's row 0 down all rows of RxC tiles; `scalar`: element
    (0, 0) of a 1x1 block everywhere. The input is a block from
    `ttl.dfb_wait` (the hardware broadcasts while unpacking a circular
    buffer).

    ```mlir
    %b = ttl.broadcast %inv col : tensor<1x1x!ttl.tile<bf16>> -> tensor<1x32x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_Block:$input, TTL_BroadcastKind:$kind);
  let results = (outs TTL_Block:$result);
  let assemblyFormat = "$input $kind attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def TTL_TransposeOp : TTL_ComputeOp<"transpose"> {
  let summary = "transpose a DFB block: tiles and the elements inside them";
  let description = [{
    An MxN-tile block becomes NxM tiles: result tile (r, c) is input tile
    (c, r) with its 32x32 elements transposed; with leading (batch)
    dimensions, batch by batch. The input is a block from `ttl.dfb_wait`, as
    `transpose_tile` unpacks from a circular buffer.

    ```mlir
    %t = ttl.transpose %x : tensor<1x2x!ttl.tile<bf16>> -> tensor<2x1x!ttl.tile<bf16>>
    %u = ttl.transpose %y : tensor<3x1x2x!ttl.tile<bf16>> -> tensor<3x2x1x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_AnyBlock:$input);
  let results = (outs TTL_AnyBlock:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

class TTL_ReduceOp<string mnemonic, string pool> : TTL_ComputeOp<mnemonic> {
  let summary = "reduce (" # pool # ") a DFB block along rows, columns or all";
  let description = [{
    `row` reduces each row over every tile of the block into column 0 of an
    Rx1-tile result, `col` each column into row 0 of a 1xC result, `scalar`
    everything into (0, 0) of a 1x1 result; other elements are zero. A block
    with leading (batch) dimensions is reduced batch by batch, the result
    keeping them (`2x1x3` tiles reduced by `row` give `2x1x1`). Every
    input element is multiplied by element (0, 0) of `scaler` (1.0 for a
    plain reduction, 1/N for a mean). Both operands are blocks from
    `ttl.dfb_wait`, as `reduce_tile` reads circular buffers.

    ```mlir
    %s = ttl.}] # mnemonic # [{ %x, %scaler row : tensor<1x32x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>> -> tensor<1x1x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_AnyBlock:$input, TTL_Block:$scaler, TTL_ReduceDim:$dim);
  let results = (outs TTL_AnyBlock:$result);
  let assemblyFormat = [{
    $input `,` $scaler $dim attr-dict `:` type($input) `,` type($scaler) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    static bool isMax() { return }] # !if(!eq(pool, "max"), "true", "false") # [{; }
  }];
}

def TTL_ReduceSumOp : TTL_ReduceOp<"reduce_sum", "sum">;
def TTL_ReduceMaxOp : TTL_ReduceOp<"reduce_max", "max">;

//===----------------------------------------------------------------------===//
// Shape views
//===----------------------------------------------------------------------===//

class TTL_ShapeViewOp<string mnemonic, string doc, string example>
    : TTL_ComputeOp<mnemonic> {
  let summary = doc;
  let description = [{
    tt-lang's `ttl.block.}] # mnemonic # [{(x, dims)` (spec 0.16): the same
    tiles in the same order, with dimensions of extent 1 removed (squeeze:
    `dims` index the input's dimensions, each of extent 1) or inserted
    (unsqueeze: `dims` index the result's dimensions). Negative dims count
    from the innermost; no dimension is listed twice. A tiled block keeps
    at least two dimensions (tile rows and columns); a row-major one (shape
    in elements, row-major from its first page) keeps its elements where
    they are, so a view of it is the same pages. In a tile program
    (`ttl-assign-dst`) the input is a block of a DFB, and the op reads its
    tiles into DST as `ttl.copy_tile` does.

    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$input, DenseI64ArrayAttr:$dims);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = [{
    $input `,` `dims` `=` $dims attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def TTL_SqueezeOp : TTL_ShapeViewOp<"squeeze",
    "remove dimensions of extent 1 from a block",
    "%s = ttl.squeeze %x, dims = [0] : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<bf16>>">;
def TTL_UnsqueezeOp : TTL_ShapeViewOp<"unsqueeze",
    "insert dimensions of extent 1 into a block",
    "%u = ttl.unsqueeze %x, dims = [0, -1] : tensor<2x3x!ttl.tile<bf16>> -> tensor<1x2x3x1x!ttl.tile<bf16>>">;

def TTL_BroadcastTilesOp : TTL_ComputeOp<"broadcast_tiles"> {
  let summary = "replicate whole tiles of a block along its leading dimensions";
  let description = [{
    tt-lang's `ttl.block.broadcast(x, dims, shape)` when `dims` are leading
    (batch) dimensions only: result tile (i0, ..., r, c) is input tile
    (j0, ..., r, c) with jk = 0 where the input has extent 1, jk = ik
    elsewhere; the tiles themselves are unchanged. In a tile program the
    input is a block of a DFB, and the op reads the tiles it needs into DST
    as `ttl.copy_tile` does.

    ```mlir
    %b = ttl.broadcast_tiles %x : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<4x2x3x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_AnyBlock:$input);
  let results = (outs TTL_AnyBlock:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Selection
//===----------------------------------------------------------------------===//

def TTL_WhereOp : TTL_ComputeOp<"where"> {
  let summary = "elementwise select: cond != 0 ? lhs : rhs";
  let description = [{
    Per element, `lhs` where `cond` is non-zero (NaN counts as non-zero),
    else `rhs`. `lhs` and `rhs` are blocks of the result type or f32
    scalars.

    ```mlir
    %r = ttl.where %c, %a, %zero : tensor<1x1x!ttl.tile<bf16>>, tensor<1x1x!ttl.tile<bf16>>, f32 -> tensor<1x1x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$cond, TTL_BlockOrScalar:$lhs, TTL_BlockOrScalar:$rhs);
  let results = (outs TTL_DFBBlock:$result);
  let assemblyFormat = [{
    $cond `,` $lhs `,` $rhs attr-dict `:` type($cond) `,` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

def TTL_MatmulOp : TTL_ComputeOp<"matmul", [
    OptionalTypesMatchWith<"acc has the result's type", "result", "acc", "$_self">]> {
  let summary = "block matmul: M x K tiles times K x N tiles";
  let description = [{
    The matrix product of the blocks (as matrices of elements), accumulated
    over K in DST (`matmul_tiles`). Both operands are blocks from
    `ttl.dfb_wait`, as the matmul engine reads circular buffers; the
    product can feed further tile math, e.g. `%acc + %a @ %b`. Blocks with
    leading (batch) dimensions multiply batch by batch (tt-lang's
    `[I0, ..., M, K] @ [I0, ..., K, N]`): the leading dimensions of both
    operands and the result are the same.

    With `onto %acc` (a value of the result type) the result is
    `acc + lhs @ rhs`, the products added onto acc's DST tile in place
    (matmul_tiles adds into DST), where `%acc + %a @ %b` unpacks or keeps
    acc, computes the product in a cleared tile and adds the two; the sums
    are taken in another order, so only an exact sum (as the 0/1 row shifts
    of `ttl.depthwise_conv1d`) gives the same bits.

    ```mlir
    %p = ttl.matmul %a, %b : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
    %q = ttl.matmul %c, %d : tensor<3x1x2x!ttl.tile<bf16>>, tensor<3x2x1x!ttl.tile<bf16>> -> tensor<3x1x1x!ttl.tile<bf16>>
    %r = ttl.matmul %a, %b onto %p : tensor<2x4x!ttl.tile<bf16>>, tensor<4x2x!ttl.tile<bf16>> -> tensor<2x2x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_AnyBlock:$lhs, TTL_AnyBlock:$rhs, Optional<TTL_AnyBlock>:$acc);
  let results = (outs TTL_AnyBlock:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`onto` $acc^)? attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Tilize and untilize
//===----------------------------------------------------------------------===//

def TTL_TilizeOp : TTL_Op<"tilize", [MemoryEffects<[MemRead, MemWrite]>,
                                     TTL_ComputeOpTrait]> {
  let summary = "tilize a row-major block into a reserved tiled block";
  let description = [{
    The elements of `input`, a block of a row-major DFB from
    `ttl.dfb_wait` whose last two dimensions are multiples of 32, go to
    `block`, a block of a tiled DFB from `ttl.dfb_reserve` of the same data
    type, as 32x32 tiles: tile (r, c) of each batch holds rows 32r to 32r +
    31 and columns 32c to 32c + 31 of it. Lowered to `tilize_block`, one row
    of tiles at a time (`ttl.matmul` and `ttl.transpose` then read the tiled
    block: the matmul and transpose engines take tiles).

    ```mlir
    ttl.tilize %rm, %t : tensor<64x96x!ttl.element<bf16>>, tensor<2x3x!ttl.tile<bf16>>
    ```
  }];
  let arguments = (ins TTL_RowMajorBlock:$input, TTL_AnyBlock:$block);
  let assemblyFormat = "$input `,` $block attr-dict `:` type($input) `,` type($block)";
  let hasVerifier = 1;
}

def TTL_UntilizeOp : TTL_Op<"untilize", [MemoryEffects<[MemRead, MemWrite]>,
                                         TTL_ComputeOpTrait]> {
  let summary = "move the front block of a tiled DFB into a row-major DFB";
  let description = [{
    Waits for the front block of `input`, a tiled DFB, reserves the next
    block of `output`, a row-major DFB of the same data type whose block
    shape is that of `input` in elements (its last two dimensions 32 times
    the tiles), writes the tiles' elements there row-major, then pops the
    one and pushes the other. tt-metal's `pack_untilize_block` reads tiles
    at a CB's read pointer and writes rows at one's write pointer, so the
    lowering pops and pushes a row of tiles at a time; the op therefore
    takes the DFBs and does the whole protocol itself (the thread holds no
    block of either around it).

    ```mlir
    ttl.untilize %tiled, %rows : !ttl.dfb<[2, 3], bf16, 1>, !ttl.dfb<[64, 96], bf16, 1, row_major>
    ```
  }];
  let arguments = (ins TTL_DFBType:$input, TTL_DFBType:$output);
  let assemblyFormat = "$input `,` $output attr-dict `:` qualified(type($input)) `,` qualified(type($output))";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fused Engram ops
//===----------------------------------------------------------------------===//

def TTL_EngramGateOp : TTL_ComputeOp<"engram_gate", [
    AllTypesMatch<["key", "query", "value", "keyWeight", "result"]>,
    OptionalTypesMatchWith<"the query weight has the result's type", "result", "queryWeight",
                           "$_self">]> {
  let summary = "Engram's gate: the gated value of a row of tokens";
  let description = [{
    For each token (row of the blocks; the columns span the hidden
    dimension D), with `rms(x) = x * rsqrt(mean(x^2) + eps)`:
    `s = sum(rms(key) * key_weight * rms(query) * query_weight) * scale`,
    `gate = sigmoid(sign(s) * sqrt(max(|s|, 1e-6)))`, result
    `gate * value`. Engram uses eps = float32 epsilon and scale =
    1/sqrt(D). The weights are blocks of the key's type whose rows all hold
    the per-column weights; without `query_weight`, `key_weight` is the
    product of the two (only their product enters `s`). Every operand is a
    block from `ttl.dfb_wait`.

    The compiler chooses the schedule: `ttl-decompose-engram` rewrites the
    op into tile math over scratch DFBs (one pass over the inputs); the
    result must be stored directly with `ttl.store`.

    ```mlir
    %g = ttl.engram_gate %k, %q, %v, %wk, %wq {eps = 1.1920929e-07 : f32, scale = 0.03125 : f32}
        : tensor<1x32x!ttl.tile<f32>>
    %h = ttl.engram_gate %k, %q, %v, %w {eps = 1.1920929e-07 : f32, scale = 0.03125 : f32}
        : tensor<1x32x!ttl.tile<f32>>
    ```
  }];
  let arguments = (ins TTL_Block:$key, TTL_Block:$query, TTL_Block:$value,
                       TTL_Block:$keyWeight, Optional<TTL_Block>:$queryWeight,
                       F32Attr:$eps, F32Attr:$scale);
  let results = (outs TTL_Block:$result);
  let assemblyFormat = [{
    $key `,` $query `,` $value `,` $keyWeight (`,` $queryWeight^)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def TTL_DepthwiseConv1dOp : TTL_ComputeOp<"depthwise_conv1d", [
    AllTypesMatch<["input", "halo", "result"]>]> {
  let summary = "depthwise causal conv1d along the rows of a tile-row";
  let description = [{
    For each row t of `input` (one tile-row; columns are channels):
    `y_t = sum_j weights[j] * x_{t - dilation * (kernel_size - 1 - j)}`,
    where a row before the block's first comes from the end of `halo` (the
    previous tile-row of the sequence, or zeros at its start), then SiLU
    when `silu` is set. `weights` holds `kernel_size` blocks of the input's
    type whose rows all hold the per-channel tap weights. The reach,
    `dilation * (kernel_size - 1)`, is below 32 rows. Every operand is a
    block from `ttl.dfb_wait`.

    `ttl-decompose-engram` shifts rows on the device with matmuls by 0/1
    shift tiles, which a data-movement thread of the module builds with
    element writes once.

    ```mlir
    %y = ttl.depthwise_conv1d %x, %halo, [%w0, %w1, %w2, %w3] {kernel_size = 4 : i64, dilation = 3 : i64, silu}
        : tensor<1x16x!ttl.tile<f32>>, tensor<1x16x!ttl.tile<f32>>, tensor<1x16x!ttl.tile<f32>>, tensor<1x16x!ttl.tile<f32>>, tensor<1x16x!ttl.tile<f32>>
    ```
  }];
  let arguments = (ins TTL_Block:$input, TTL_Block:$halo, Variadic<TTL_Block>:$weights,
                       I64Attr:$kernel_size, I64Attr:$dilation, UnitAttr:$silu);
  let results = (outs TTL_Block:$result);
  let assemblyFormat = [{
    $input `,` $halo `,` `[` $weights `]` attr-dict `:` type($result) `,` type($weights)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Store
//===----------------------------------------------------------------------===//

def TTL_StoreOp : TTL_Op<"store", [MemoryEffects<[MemRead, MemWrite]>,
                                   TTL_ComputeOpTrait]> {
  let summary = "compute a block expression into a reserved DFB block";
  let description = [{
    The compiler evaluates the whole expression tree of `value` tile by tile
    in DST (one tile_regs_acquire/commit/wait/release per output tile) and
    packs each result tile into `block`, which comes from `ttl.dfb_reserve`.
    A row-major block (elementwise math only) is computed as the tiles its
    DFB's pages are: its elements, row-major in L1, taken 1024 at a time
    (the last tile's tail is padding), since elementwise math maps each
    element to the element at the same place.

    ```mlir
    ttl.store %r, %out : tensor<1x4x!ttl.tile<bf16>>, tensor<1x4x!ttl.tile<bf16>>
    ttl.store %s, %o : tensor<2x20x!ttl.element<bf16>>, tensor<2x20x!ttl.element<bf16>>
    ```
  }];
  let arguments = (ins TTL_DFBBlock:$value, TTL_DFBBlock:$block);
  let assemblyFormat = "$value `,` $block attr-dict `:` type($value) `,` type($block)";
  let hasVerifier = 1;
}

#endif // TTLX_DIALECT_TTL_IR_TTLCOMPUTEOPS_TD
