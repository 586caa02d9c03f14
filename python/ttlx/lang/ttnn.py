# SPDX-License-Identifier: Apache-2.0
"""A small host-side `ttnn`: torch tensors in tile layout for ttlx kernels.

Provides what tt-lang kernel files use from ttnn: from_torch/to_torch, the
dtypes and layouts, rand/zeros/empty, devices (no-ops: the device is the
ttlx host runtime) and a few host ops.
"""

from __future__ import annotations

from typing import Sequence

import torch

bfloat16 = torch.bfloat16
float32 = torch.float32
TILE_LAYOUT = "TILE_LAYOUT"
ROW_MAJOR_LAYOUT = "ROW_MAJOR_LAYOUT"
DRAM_MEMORY_CONFIG = "DRAM_MEMORY_CONFIG"
L1_MEMORY_CONFIG = "L1_MEMORY_CONFIG"


class Tensor:
    """A device tensor: a 2-d torch tensor the runtime reads and writes. In
    TILE_LAYOUT the storage is padded with zeros to whole 32x32 tiles, as on
    the device; `shape` stays the logical shape."""

    def __init__(self, data: torch.Tensor, layout: str = TILE_LAYOUT, shape: Sequence[int] | None = None):
        self.layout = layout
        self.logical_shape = tuple(shape if shape is not None else data.shape)
        if layout == TILE_LAYOUT and data.dim() == 2:
            h, w = data.shape
            ph, pw = -h % 32, -w % 32
            if ph or pw:
                data = torch.nn.functional.pad(data, (0, pw, 0, ph))
        self.data = data

    @property
    def shape(self) -> tuple[int, ...]:
        return self.logical_shape

    @property
    def dtype(self) -> torch.dtype:
        return self.data.dtype

    def __repr__(self) -> str:
        return f"ttnn.Tensor(shape={self.shape}, dtype={self.dtype})"


class Device:
    """The ttlx host runtime stands in for a device."""

    def __init__(self, device_id: int = 0):
        self.device_id = device_id


def open_device(device_id: int = 0, **_: object) -> Device:
    return Device(device_id)


def close_device(device: Device) -> None:
    del device


def from_torch(tensor: torch.Tensor, dtype: torch.dtype | None = None, layout: str = TILE_LAYOUT, device: object = None,
               memory_config: object = None) -> Tensor:
    data = tensor.detach().clone()
    if dtype is not None:
        data = data.to(dtype)
    return Tensor(data.contiguous(), layout)


def to_torch(tensor: Tensor) -> torch.Tensor:
    h, w = tensor.shape
    return tensor.data[:h, :w].clone()


def rand(shape: Sequence[int], dtype: torch.dtype = bfloat16, layout: str = TILE_LAYOUT, device: object = None,
         **_: object) -> Tensor:
    return Tensor(torch.rand(tuple(shape)).to(dtype), layout)


def zeros(shape: Sequence[int], dtype: torch.dtype = bfloat16, layout: str = TILE_LAYOUT, device: object = None,
          **_: object) -> Tensor:
    return Tensor(torch.zeros(tuple(shape), dtype=dtype), layout)


def empty(shape: Sequence[int], dtype: torch.dtype = bfloat16, layout: str = TILE_LAYOUT, device: object = None,
          **_: object) -> Tensor:
    return Tensor(torch.zeros(tuple(shape), dtype=dtype), layout)


def multiply(a: Tensor, b: Tensor) -> Tensor:
    return Tensor((to_torch(a).float() * to_torch(b).float()).to(a.dtype), a.layout)


def add(a: Tensor, b: Tensor) -> Tensor:
    return Tensor((to_torch(a).float() + to_torch(b).float()).to(a.dtype), a.layout)
