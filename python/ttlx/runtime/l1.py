# SPDX-License-Identifier: Apache-2.0
"""Tensors in cores' L1 (docs/runtime.md, "L1 tensors"): where each tile
page of an L1 tensor lives, and the host side of putting its pages into
the emulated cores' L1 and reading them back."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class L1Placement:
    """Page p of a tensor (its tiles in row-major order) is slot slots[p]
    of the tensor's L1 region on core cores[p] = (x, y). Every core's
    region lies at the same L1 offset (the runtime takes it from the top of
    L1); its size is the core's largest slot + 1 pages."""

    cores: tuple[tuple[int, int], ...]
    slots: tuple[int, ...]
    kind: str = "L1"  # "interleaved L1", "height-sharded L1", ...: for reports

    def bytes_per_core(self, page_bytes: int) -> int:
        return (max(self.slots) + 1) * page_bytes if self.slots else 0

    def extent(self) -> tuple[int, int]:
        """The smallest grid (x, y) holding every core."""
        return (max(x for x, _ in self.cores) + 1, max(y for _, y in self.cores) + 1)


@dataclass(frozen=True)
class DFBStorage:
    """Where a DFB's pages live when not in an L1 region of their own: in
    an L1 tensor (`tensor`: id() of the torch tensor, its pages from
    `byte_offset` of the tensor's region on each core: a tensor-backed DFB),
    or in the region of DFB `leader`, the first member of the DFB's
    allocation group, which takes `envelope` bytes (its largest member's)."""

    tensor: int | None = None
    byte_offset: int = 0
    leader: int | None = None
    envelope: int = 0


def interleaved(pages: int, banks: tuple[int, int]) -> L1Placement:
    """tt-metal's interleaving: page p in bank p % n at slot p // n, the
    banks being the chip's worker cores in row-major order."""
    bx, by = banks
    n = bx * by
    return L1Placement(tuple(((p % n) % bx, (p % n) // bx) for p in range(pages)),
                       tuple(p // n for p in range(pages)), "interleaved L1")


class L1Tensor:
    """A torch tensor as an L1 tensor of the device: its tile pages are
    copied into the cores' L1 (`load`, after the DFBs are configured) and
    back into the tensor after the run (`release`: kernels may have written
    its L1 through the NOC or a DFB over it). A tensor in tile order
    (`tiled`, runtime.layout) is copied as it is."""

    def __init__(self, lib, dev, t: torch.Tensor, placement: L1Placement, device_width: int, name: str,
                 tiled: bool = False) -> None:
        self.lib, self.dev, self.tensor, self.tiled = lib, dev, t, tiled
        h, w = t.numel() // t.shape[-1], t.shape[-1]  # leading dimensions: batches of rows
        pages = (h // 32) * (w // 32)
        if len(placement.slots) != pages:
            raise ValueError(f"L1 tensor '{name}': its placement has {len(placement.slots)} pages, the tensor {pages}")
        cores = (ctypes.c_uint32 * pages)(*(y * device_width + x for x, y in placement.cores))
        slots = (ctypes.c_uint32 * pages)(*placement.slots)
        addr = ctypes.c_uint32()
        page_bytes = 32 * 32 * t.element_size()
        _check(lib, lib.ttlx_rt_l1_tensor_alloc(dev, name.encode(), page_bytes, pages, cores, slots,
                                                ctypes.byref(addr)))
        self.address = addr.value

    def _tiles(self) -> torch.Tensor:
        """A tile-ordered buffer: [tile row, tile col, face row, face col, 16, 16]."""
        h, w = self.tensor.numel() // self.tensor.shape[-1], self.tensor.shape[-1]
        return torch.empty((h // 32, w // 32, 2, 2, 16, 16), dtype=self.tensor.dtype)

    def load(self) -> None:
        if self.tiled:
            _check(self.lib, self.lib.ttlx_rt_l1_tensor_write(self.dev, self.address, self.tensor.data_ptr()))
            return
        h, w = self.tensor.numel() // self.tensor.shape[-1], self.tensor.shape[-1]
        tiles = self._tiles()
        tiles.copy_(self.tensor.detach().reshape(h // 32, 2, 16, w // 32, 2, 16).permute(0, 3, 1, 4, 2, 5))
        _check(self.lib, self.lib.ttlx_rt_l1_tensor_write(self.dev, self.address, tiles.data_ptr()))

    def traffic(self) -> tuple[int, int]:
        moved = (ctypes.c_uint64 * 2)()
        _check(self.lib, self.lib.ttlx_rt_buffer_counters(self.dev, self.address, moved))
        return moved[0], moved[1]

    def release(self) -> None:
        if self.tiled:
            _check(self.lib, self.lib.ttlx_rt_l1_tensor_read(self.dev, self.address, self.tensor.data_ptr()))
            return
        h, w = self.tensor.numel() // self.tensor.shape[-1], self.tensor.shape[-1]
        tiles = self._tiles()
        _check(self.lib, self.lib.ttlx_rt_l1_tensor_read(self.dev, self.address, tiles.data_ptr()))
        self.tensor.copy_(tiles.permute(0, 2, 4, 1, 3, 5).reshape(self.tensor.shape))


def _check(lib, status: int) -> None:
    if status != 0:
        raise RuntimeError(lib.ttlx_rt_last_error().decode())
