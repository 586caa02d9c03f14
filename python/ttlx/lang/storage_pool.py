# SPDX-License-Identifier: Apache-2.0
"""The memory of dropped ttnn tensors, reused by the next tensor of its size.

A fresh large tensor is a fresh mapping: its first touch costs a page fault
and the kernel's zeroing of every page, and on a virtual machine whose host
takes freed memory back, often several times that (docs/runtime.md, "Why
the elementwise step 4 call was bimodal"). An operation like the tutorials'
makes its output with `from_torch` on every call and its caller drops the
one of the call before: that memory, still mapped, serves the new one.

When a tensor whose storage ttnn made and handed to nobody (`_Storage`,
`private`) is dropped, its memory is kept here: at most `KEEP_COUNT`
storages of `MIN_BYTES` to `KEEP_BYTES` bytes, `KEEP_BYTES` in all, the
newest. `empty` hands one of the same byte size out only when nothing
else refers to its memory any more (no tensor, view or array over it: the
storage's use count is this pool's own reference), so a kept tensor or view
of a dropped one is never written; its contents are whatever was there, for
a caller that overwrites all of it.
"""

from __future__ import annotations

import math

import torch

MIN_BYTES = 1 << 20  # smaller tensors come from malloc's heap, mapped already
KEEP_BYTES = 128 << 20
KEEP_COUNT = 4

_kept: list[torch.UntypedStorage] = []  # oldest first
# Without it (another torch), nothing is kept: a storage's users are unknown.
_use_count = getattr(torch._C, "_storage_Use_Count", None)


def give(values: torch.Tensor) -> None:
    """Keeps the memory of `values`, a tensor being dropped, when it is a
    whole CPU storage of a kept size."""
    size = values.nbytes
    if _use_count is None or not MIN_BYTES <= size <= KEEP_BYTES or values.device.type != "cpu":
        return
    storage = values.untyped_storage()
    if storage.nbytes() != size or not values.is_contiguous():
        return
    _kept.append(storage)
    while len(_kept) > KEEP_COUNT or sum(s.nbytes() for s in _kept) > KEEP_BYTES:
        _kept.pop(0)


def empty(shape: tuple[int, ...] | torch.Size, dtype: torch.dtype) -> torch.Tensor:
    """A contiguous CPU tensor of `shape` and `dtype`, its contents undefined:
    kept memory of its size if some is free, else new."""
    size = math.prod(shape) * dtype.itemsize
    if _use_count is not None:
        # A snapshot: dropping a tensor (give) may run in the middle.
        for storage in reversed(list(_kept)):
            if storage.nbytes() != size or _use_count(storage._cdata) != 1:
                continue
            try:
                _kept.remove(storage)
            except ValueError:  # taken in the meantime
                continue
            return torch.empty(0, dtype=dtype).set_(storage, 0, shape)
    return torch.empty(shape, dtype=dtype)
