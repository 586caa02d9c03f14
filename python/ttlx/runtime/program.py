# SPDX-License-Identifier: Apache-2.0
"""A program: the kernels of one operation and what the device needs to run
them (grid, DFBs, argument layout), read from a TTL module."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import hardware
from ..compiler import emit_cpp, run_pipeline
from ..ir import Module, Operation
from ..lang.dataflow_buffer import pages_per_block

TILE_BYTES = {"bf16": 2 * hardware.TILE_ROWS * hardware.TILE_COLS, "f32": 4 * hardware.TILE_ROWS * hardware.TILE_COLS}
PROCESSORS = ("dm0", "dm1", "compute")
DEFAULT_GRID = (8, 8)
# Ops of a thread that may form NOC addresses, or write tensors, of their
# own: TTKernel or EmitC code (a thread already lowered) and user C++
# (ttl.call_extern_func).
_OWN_NOC_CODE = ("ttkernel.", "emitc.", "ttl.opaque_call")
_DFB_TYPE = re.compile(r"!ttl\.dfb<\[([\d, ]+)\], (bf16|f32), (\d+)(, row_major)?>")


@dataclass(frozen=True)
class DFBSpec:
    index: int
    page_size: int  # one tile
    num_pages: int  # pages per block (lang.dataflow_buffer.pages_per_block) * block count


@dataclass
class KernelSpec:
    name: str
    processor: str  # "dm0", "dm1" or "compute"
    source: str
    compile_time_args: list[int]
    num_tensors: int  # DRAM tensor arguments, in order; runtime arg k = address of tensor k
    fp32_dest_acc: bool = False  # compute kernels: 32-bit DST (half the tiles)
    # The tensor arguments the kernel may write (their positions); None: any.
    writes: frozenset[int] | None = None


@dataclass
class Program:
    grid: tuple[int, int]
    kernels: list[KernelSpec]
    dfbs: list[DFBSpec] = field(default_factory=list)
    arch: str = hardware.ARCHS[0]  # wormhole_b0 or blackhole
    semaphores: tuple[int, ...] = ()  # initial value of each ttl.Semaphore (ttl.semaphore_init), by id
    # Compiled from TTL alone: the kernels reach other cores' L1 only through
    # tt-lang's pipes and semaphores (no TTKernel ops or user C++ in a thread).
    l1_by_ttl_protocol: bool = False

    @staticmethod
    def from_module(module: Module, grid: tuple[int, int] | None = None, arch: str | None = None) -> "Program":
        """Compile every thread function of a TTL module for `arch` (else
        TTLX_ARCH, else wormhole_b0) and lay out its arguments as
        convert-ttl-to-ttkernel does (docs/pipeline.md). The grid is `grid`,
        else the threads' `ttl.grid`, else 8x8."""
        arch = arch or hardware.arch()
        threads = []
        for op in module.body.operations:
            if "ttl.thread" in op.attributes:
                threads.append(op)
        if not threads:
            raise ValueError("the module has no thread functions (ttl.thread)")
        # Fused ops and pipe sends bring DFBs of their own (scratch and
        # staging): add them first.
        run_pipeline(module, "ttl-decompose-engram,ttl-assign-pipe-semaphores")
        sources = {k.name: k.source for k in emit_cpp(module, arch)}

        dfbs: dict[int, DFBSpec] = {}
        layouts = []  # (name, processor, num_tensors, base, fp32_acc, writes)
        dm_count = 0
        by_ttl_protocol = True  # no thread has code of its own that reaches other cores' L1
        module_grid = None
        semaphores: tuple[int, ...] = ()
        for fn in threads:
            name = fn.attributes["sym_name"].value
            is_compute = "compute" in str(fn.attributes["ttl.thread"])
            if is_compute:
                processor = "compute"
            else:
                if dm_count == 2:
                    raise ValueError(f"thread {name}: a core has two data-movement processors")
                processor = PROCESSORS[dm_count]
                dm_count += 1
            if "ttl.semaphore_init" in fn.attributes:
                semaphores = tuple(int(v) for v in re.findall(
                    r"\d+", str(fn.attributes["ttl.semaphore_init"]).split(":", 1)[1]))
            if "ttl.grid" in fn.attributes:
                g = [int(v) for v in re.findall(r"-?\d+", str(fn.attributes["ttl.grid"]).split(":", 1)[1])]
                module_grid = (g[0], g[1])
            num_tensors = sum(1 for t in fn.type.inputs if str(t).startswith("tensor<"))
            base = num_tensors
            if "ttl.base_cta_index" in fn.attributes:
                base = int(str(fn.attributes["ttl.base_cta_index"]).split(":")[0])
            ops = _walk(fn)
            own_noc_code = any(inner.name.startswith(_OWN_NOC_CODE) for inner in ops)
            by_ttl_protocol &= not own_noc_code
            for inner in ops:
                if inner.name == "ttl.bind_dfb":
                    index = int(str(inner.attributes["index"]).split(":")[0])
                    m = _DFB_TYPE.fullmatch(str(inner.results[0].type))
                    shape = tuple(int(d) for d in m[1].split(","))
                    dtype, count = m[2], int(m[3])
                    spec = DFBSpec(index, TILE_BYTES[dtype], pages_per_block(shape, bool(m[4])) * count)
                    if dfbs.get(index, spec) != spec:
                        raise ValueError(f"DFB {index} is bound with different types in different threads")
                    dfbs[index] = spec
            fp32_acc = "ttl.fp32_dest_acc" in fn.attributes
            writes = None if own_noc_code else _tensors_written(fn, ops)
            layouts.append((name, processor, num_tensors, base, fp32_acc, writes))
        # Compile-time args: TensorAccessorArgs slots, then DFB i's id at
        # base + i for every DFB of the program (threads already lowered to
        # TTKernel have no ttl.bind_dfb to read).
        dfb_ids = list(range(max(dfbs, default=-1) + 1))
        kernels = [
            KernelSpec(name, processor, sources[name], [0] * base + dfb_ids, num_tensors, fp32_acc, writes)
            for name, processor, num_tensors, base, fp32_acc, writes in layouts
        ]
        # No ttl.grid: tt-lang's grid="auto", the whole 8x8 device.
        grid = grid or module_grid or DEFAULT_GRID
        return Program(grid, kernels, sorted(dfbs.values(), key=lambda d: d.index), arch, semaphores,
                       by_ttl_protocol)


def _tensors_written(fn, ops: list[Operation]) -> frozenset[int] | None:
    """The tensor arguments of thread `fn` (their positions among its
    tensor arguments) that a `ttl.copy_to_tensor` among its `ops` writes;
    None when one writes something else."""
    args = [a for a in fn.regions[0].blocks[0].arguments if str(a.type).startswith("tensor<")]
    written = set()
    for inner in ops:
        if inner.name == "ttl.copy_to_tensor":
            target = inner.operands[1]
            found = [k for k, a in enumerate(args) if a == target]
            if not found:
                return None
            written.update(found)
    return frozenset(written)


def _walk(op) -> list[Operation]:
    found = []
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                found.append(inner)
                found.extend(_walk(inner))
    return found
