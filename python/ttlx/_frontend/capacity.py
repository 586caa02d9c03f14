# SPDX-License-Identifier: Apache-2.0
"""What an operation's DFBs take of a core's L1, laid out as the runtime
does (after the reserved bytes, each DFB aligned, in index order), so
that too many or too large blocks are an error when the operation
compiles, naming each DFB and its bytes, not a failure when it runs."""

from __future__ import annotations

from typing import Sequence

import torch

from ..hardware import DFBS_ALIGNMENT, L1_BYTES, L1_RESERVED_BYTES
from ..lang.operation import DataflowBuffer


def dfb_bytes(dfb: DataflowBuffer) -> int:
    return dfb.block_bytes * dfb.block_count


def l1_needed(dfbs: Sequence[DataflowBuffer]) -> int:
    """Bytes of L1 up to the end of the last of `dfbs`. A tensor-backed DFB
    takes none (its tensor's L1 holds it); an allocation group takes its
    largest member's bytes once."""
    own = [d for d in dfbs if d.backing is None and d.group is None]
    groups: dict[int, int] = {}
    for d in dfbs:
        if d.backing is None and d.group is not None:
            groups[d.group] = max(groups.get(d.group, 0), dfb_bytes(d))
    aligned = [-(-n // DFBS_ALIGNMENT) * DFBS_ALIGNMENT for n in [*map(dfb_bytes, own), *groups.values()]]
    return L1_RESERVED_BYTES + sum(aligned)


def overflow(dfbs: Sequence[DataflowBuffer]) -> tuple[str, DataflowBuffer] | None:
    """When `dfbs` do not fit L1: the message and the DFB to report it at
    (the first, in index order, that does not fit)."""
    ordered = sorted(dfbs, key=lambda d: d.index)
    needed = l1_needed(ordered)
    if needed <= L1_BYTES:
        return None
    first = next(d for i, d in enumerate(ordered) if l1_needed(ordered[:i + 1]) > L1_BYTES)
    parts = "; ".join(_describe(d) for d in ordered)
    message = (f"the operation's DFBs need {needed} bytes of L1 on each core, more than its {L1_BYTES} bytes "
               f"({L1_BYTES // 1024} KiB, {L1_RESERVED_BYTES} of them reserved): {parts}; use fewer or smaller "
               "blocks")
    return message, first


def _describe(dfb: DataflowBuffer) -> str:
    where = dfb.made_for or (f"line {dfb.site[1]}" if dfb.site else "made by the compiler")
    dtype = "bf16" if dfb.dtype == torch.bfloat16 else "f32"
    shape = "x".join(map(str, dfb.shape))
    unit = "elements" if dfb.row_major else "tiles"
    blocks = f"{dfb.block_count} block{'s' if dfb.block_count != 1 else ''}"
    text = f"DFB {dfb.index} ({where}) {shape} {dtype} {unit} x {blocks} = {dfb_bytes(dfb)} bytes"
    if dfb.backing is not None:
        return text + " in its tensor's L1"
    return text if dfb.group is None else text + f" in allocation group {dfb.group}"
