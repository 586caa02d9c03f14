# SPDX-License-Identifier: Apache-2.0
"""The tensor arguments of an operation call that live in L1 (their memory
config says L1): where their pages go (ttnn_memory.l1_placement) and
whether they leave room for the operation's DFBs, an error at the DFB
that no longer fits, naming the tensors (docs/runtime.md, "L1 tensors");
where tensor-backed DFBs and allocation groups put their pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from .. import hardware
from .errors import KernelError
from .ttnn import Tensor
from .ttnn_memory import l1_placement

if TYPE_CHECKING:
    from ..runtime import DFBStorage, L1Placement, Program
    from .dataflow_buffer import DataflowBuffer

Site = tuple[str, int, int]


def placements(args: Sequence[Any], names: Sequence[str], dfbs: Sequence[DataflowBuffer], program: Program,
               site: Site) -> list[tuple[str, Tensor, L1Placement]]:
    """(name, tensor, placement) of each L1 tensor argument (its parameter
    name) and each tensor of a tensor-backed DFB."""
    chip = hardware.GRIDS[program.arch]
    placed: dict[int, tuple[str, Tensor, L1Placement]] = {}
    named = [*zip(names, args), *((f"tensor of DFB {d.index}", d.backing) for d in dfbs if d.backing is not None)]
    for name, t in named:
        if not isinstance(t, Tensor) or id(t.storage) in placed:
            continue
        # Leading dimensions are batches of tile rows (the pages of an N-d tensor).
        stored = t.storage
        rows, cols = stored.numel() // stored.shape[-1] // hardware.TILE_ROWS, stored.shape[-1] // hardware.TILE_COLS
        try:
            where = l1_placement(t.memory_config, rows, cols, program.grid, chip)
        except ValueError as e:
            raise KernelError(f"tensor argument '{name}' cannot be placed in L1: {e}", *site) from None
        if where is not None:
            placed[id(t.storage)] = (name, t, where)
    return list(placed.values())


def dfb_storage(dfbs: Sequence[DataflowBuffer]) -> dict[int, DFBStorage]:
    """Where the DFBs that have no L1 region of their own live: tensor-backed
    ones in their tensor, allocation groups' in their first member's region
    (sized to the group's largest member)."""
    from ..runtime import DFBStorage

    storage: dict[int, DFBStorage] = {}
    members: dict[int, list[DataflowBuffer]] = {}
    for d in dfbs:
        if d.backing is not None:
            storage[d.index] = DFBStorage(tensor=id(d.backing.storage), byte_offset=d.byte_offset)
        elif d.group is not None:
            members.setdefault(d.group, []).append(d)
    for group in members.values():
        leader = min(group, key=lambda d: d.index)
        envelope = max(d.block_bytes * d.block_count for d in group)
        for d in group:
            storage[d.index] = DFBStorage(leader=leader.index, envelope=envelope)
    return storage


def check_capacity(placed: Sequence[tuple[str, Tensor, L1Placement]], program: Program,
                   dfbs: Sequence[DataflowBuffer], site: Site) -> None:
    """The L1 tensors take their bytes at the same offset of every core's
    L1 (from the top, as tt-metal's allocator), the DFBs theirs from the
    bottom: an error when they meet, at the first DFB that does not fit (or
    at the operation's call when the tensors alone do not fit)."""
    if not placed:
        return
    align = hardware.DFBS_ALIGNMENT

    def aligned(n: int) -> int:
        return -(-n // align) * align

    tensor_bytes = [(name, where, aligned(where.bytes_per_core(t.storage.element_size() * 1024)))
                    for name, t, where in placed]
    top = sum(b for _, _, b in tensor_bytes)
    used = hardware.L1_RESERVED_BYTES
    culprit = None  # None: the tensors alone do not fit
    storage = dfb_storage(dfbs)
    for spec in sorted(program.dfbs, key=lambda d: d.index):
        own = storage.get(spec.index)
        if own is not None and (own.tensor is not None or own.leader != spec.index):
            continue  # in a tensor, or in its group's region
        used += aligned(max(spec.page_size * spec.num_pages, own.envelope if own else 0))
        if culprit is None and used + top > hardware.L1_BYTES and hardware.L1_RESERVED_BYTES + top <= \
                hardware.L1_BYTES:
            culprit = spec.index
    if used + top <= hardware.L1_BYTES:
        return
    tensors = ", ".join(f"'{name}' ({where.kind}, {b} bytes per core)" for name, where, b in tensor_bytes)
    message = (f"L1 exhausted: the operation's DFBs need {used} bytes of L1 on each core and its L1 tensors "
               f"{top} more ({tensors}), more than the {hardware.L1_BYTES} bytes of a core's L1; use fewer or "
               "smaller blocks, or keep a tensor in DRAM (ttnn.DRAM_MEMORY_CONFIG)")
    sites = {d.index: d.site for d in dfbs if d.site is not None}
    raise KernelError(message, *(sites.get(culprit, site) if culprit is not None else site))
