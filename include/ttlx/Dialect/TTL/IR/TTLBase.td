//===- TTLBase.td - TTL dialect definition -----------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_DIALECT_TTL_IR_TTLBASE_TD
#define TTLX_DIALECT_TTL_IR_TTLBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def TTL_Dialect : Dialect {
  let name = "ttl";
  let cppNamespace = "::mlir::ttl";
  let summary = "TT-Lang kernel dialect: dataflow buffers, blocks, copies and "
                "scalar element access";
  let description = [{
    The TTL dialect captures a TT-Lang kernel as written: one function per
    thread (`ttl.thread = #ttl.thread<datamovement>` or `<compute>`), dataflow
    buffers (DFBs) that threads hand blocks through with the
    reserve/push (producer) and wait/pop (consumer) protocol, copies between
    DRAM tensor slices and blocks, and scalar access to single elements of a
    block from data-movement threads.

    ```mlir
    func.func @reader(%t: tensor<32x32xbf16>)
        attributes {ttl.thread = #ttl.thread<datamovement>} {
      %c0 = arith.constant 0 : index
      %dfb = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
      %blk = ttl.dfb_reserve %dfb : !ttl.dfb<[1, 1], bf16, 2>
      %xf = ttl.copy_to_block %t[%c0, %c0], %blk
          : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
      ttl.wait %xf : !ttl.transfer_handle<read>
      %v = ttl.element_read %blk[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
      ttl.dfb_push %dfb : !ttl.dfb<[1, 1], bf16, 2>
      return
    }
    ```
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerTypes();

    /// Name of the function attribute that says which thread a function is.
    static constexpr ::llvm::StringLiteral getThreadAttrName() {
      return ::llvm::StringLiteral("ttl.thread");
    }
    /// Name of the function attribute holding the (x, y) grid size.
    static constexpr ::llvm::StringLiteral getGridAttrName() {
      return ::llvm::StringLiteral("ttl.grid");
    }
    /// Name of the unit function attribute that gives a compute thread a
    /// 32-bit DST (fp32 accumulation; half the DST tiles).
    static constexpr ::llvm::StringLiteral getFp32DestAccAttrName() {
      return ::llvm::StringLiteral("ttl.fp32_dest_acc");
    }
    /// Name of the function attribute giving the index of the thread's first
    /// DFB compile-time argument.
    static constexpr ::llvm::StringLiteral getBaseCTAIndexAttrName() {
      return ::llvm::StringLiteral("ttl.base_cta_index");
    }
    /// Name of the i32 attribute `ttl-assign-dst` puts on each tile-math op
    /// evaluated in DST: the DST tile holding its result.
    static constexpr ::llvm::StringLiteral getDstIndexAttrName() {
      return ::llvm::StringLiteral("ttl.dst_idx");
    }
    /// Name of the unit attribute `ttl-assign-dst` puts on a binary op that
    /// takes its FPU form (both operands read from circular buffers).
    static constexpr ::llvm::StringLiteral getFpuAttrName() {
      return ::llvm::StringLiteral("ttl.fpu");
    }
    /// Name of the `array<i64: mailbox, done>` attribute
    /// `ttl-assign-pipe-semaphores` puts on each pipe op: the semaphore ids
    /// of its pipe.
    static constexpr ::llvm::StringLiteral getPipeSemaphoresAttrName() {
      return ::llvm::StringLiteral("ttl.pipe_semaphores");
    }
    /// `ttl-assign-pipe-semaphores` puts on each pipe send: the index of
    /// the DFB its block is staged in for the destinations to read.
    static constexpr ::llvm::StringLiteral getPipeStagingAttrName() {
      return ::llvm::StringLiteral("ttl.pipe_staging");
    }
    /// Name of the `array<i64>` function attribute holding the initial
    /// value of each of the operation's semaphores (`ttl.Semaphore(n)`), by
    /// id: the runtime sets them; `ttl-assign-pipe-semaphores` gives pipes
    /// the ids after them.
    static constexpr ::llvm::StringLiteral getSemaphoreInitAttrName() {
      return ::llvm::StringLiteral("ttl.semaphore_init");
    }
  }];
}

class TTL_Op<string mnemonic, list<Trait> traits = []>
    : Op<TTL_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Enums and attributes
//===----------------------------------------------------------------------===//

def TTL_ThreadKind : I32EnumAttr<"ThreadKind", "kind of kernel thread", [
    I32EnumAttrCase<"DataMovement", 0, "datamovement">,
    I32EnumAttrCase<"Compute", 1, "compute">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::ttl";
}

def TTL_ThreadAttr : EnumAttr<TTL_Dialect, TTL_ThreadKind, "thread"> {
  let summary = "which Tensix thread a kernel function runs on";
  let assemblyFormat = "`<` $value `>`";
}

def TTL_TransferKind : I32EnumAttr<"TransferKind", "direction of a transfer", [
    I32EnumAttrCase<"Read", 0, "read">,
    I32EnumAttrCase<"Write", 1, "write">,
    I32EnumAttrCase<"PipeSend", 2, "pipe_send">,
    I32EnumAttrCase<"PipeRecv", 3, "pipe_recv">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::ttl";
}

def TTL_Layout : I32EnumAttr<"Layout", "how a tensor's elements lie in memory", [
    I32EnumAttrCase<"Tile", 0, "tile">,
    I32EnumAttrCase<"RowMajor", 1, "row_major">]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::ttl";
}

def TTL_LayoutAttr : EnumAttr<TTL_Dialect, TTL_Layout, "layout"> {
  let summary = "the layout of a DRAM tensor argument (its tensor encoding)";
  let description = [{
    A DRAM tensor without an encoding is tiled: 32x32 tiles, one tile per
    page. `#ttl.layout<row_major>` as its encoding makes it row-major, as
    ttnn's ROW_MAJOR_LAYOUT: one page per row of its last dimension, and
    copies address it in elements.

    ```mlir
    tensor<6x40xbf16, #ttl.layout<row_major>>
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

// A DFB's layout parameter: tiled unless it says `row_major`.
def TTL_LayoutParameter : EnumParameter<TTL_Layout> {
  let defaultValue = "::mlir::ttl::Layout::Tile";
}

def TTL_PipeAttr : AttrDef<TTL_Dialect, "Pipe"> {
  let mnemonic = "pipe";
  let summary = "a pipe from one core to a rectangle of cores";
  let description = [{
    Upstream tt-lang's `ttl.Pipe(src=..., dst=...)`: blocks sent by core
    `src` arrive at every core (x, y) with `dstLo <= (x, y) < dstHi`
    (half-open, per dimension). Coordinates are grid coordinates as
    `ttl.node` returns them. `net` numbers the operation's `ttl.PipeNet`
    the pipe belongs to (0 when omitted): as in tt-lang, each net has its own
    synchronisation, so pipes of two nets with the same ends are two
    channels. A pipe is identified by its value: every op naming the same
    pipe (ends and net) uses the same channel.

    `repeat [cx, cy] step [sx, sy]` makes the attribute a family of pipes:
    the pipe moved by (i * sx, j * sy) for i < cx, j < cy (sources and
    destinations alike), no two members with a destination in common. An
    op on a family acts on this core's member: a send on the member whose
    source this core is, a receive on the member it is a destination of
    (the frontend guards the op so that there is one). Each member is the
    same channel as the pipe it equals, and a family's code does not grow
    with its number of members.

    ```mlir
    #ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>          // core (0, 0) to core (1, 0)
    #ttl.pipe<[0, 0] -> [0, 1] to [1, 4]>          // multicast to (0, 1)..(0, 3)
    #ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1>   // the same ends, net 1
    // (n, y) -> (n + 1, y) for n < 7, y < 8: 56 pipes
    #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [7, 8] step [1, 1]>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$src,
                        ArrayRefParameter<"int64_t">:$dstLo,
                        ArrayRefParameter<"int64_t">:$dstHi,
                        DefaultValuedParameter<"int64_t", "0">:$net,
                        OptionalArrayRefParameter<"int64_t">:$count,
                        OptionalArrayRefParameter<"int64_t">:$step);
  let assemblyFormat =
      "`<` `[` $src `]` `->` `[` $dstLo `]` `to` ` ` `[` $dstHi `]` "
      "(`,` `net` $net^)? (`repeat` ` ` `[` $count^ `]` `step` ` ` `[` $step `]`)? "
      "`>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Members per dimension of a family (1 for a single pipe).
    int64_t getCountAlong(unsigned dim) const {
      return getCount().empty() ? 1 : getCount()[dim];
    }
    /// The distance of a family's members per dimension.
    int64_t getStepAlong(unsigned dim) const {
      return getStep().empty() ? 1 : getStep()[dim];
    }
    int64_t getNumMembers() const {
      return getCountAlong(0) * getCountAlong(1);
    }
    /// The single pipes of a family (the pipe itself when it is one).
    SmallVector<PipeAttr, 4> getMembers() const;
    /// Whether core (x, y) is one of the pipe's (a family: its first
    /// member's) destinations.
    bool hasDestination(int64_t x, int64_t y) const {
      return getDstLo()[0] <= x && x < getDstHi()[0] && getDstLo()[1] <= y &&
             y < getDstHi()[1];
    }
    /// Whether this single pipe and `other` have a destination core in
    /// common.
    bool sharesDestination(PipeAttr other) const;
    int64_t getNumDestinations() const {
      return (getDstHi()[0] - getDstLo()[0]) * (getDstHi()[1] - getDstLo()[1]);
    }
  }];
}

#endif // TTLX_DIALECT_TTL_IR_TTLBASE_TD
