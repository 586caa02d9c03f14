# SPDX-License-Identifier: Apache-2.0
"""The hardware constants and kernel argument layout, read from
include/ttlx/Target/Hardware.h (installed with the runtime headers): the
one definition the compiler and the runtime compile against. Each
`kName` there is `NAME` here (kTileRows -> TILE_ROWS)."""

from __future__ import annotations

import os
import re
from pathlib import Path

HEADER_RELPATH = "ttlx/Target/Hardware.h"
HEADER = Path(__file__).resolve().parent / "_runtime" / "include" / HEADER_RELPATH

_CONSTANT = re.compile(r"^inline constexpr uint32_t k(\w+) = (\d+);", re.MULTILINE)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


def parse(text: str) -> dict[str, int]:
    """The constants of a Hardware.h text, by Python name."""
    return {_snake(name): int(value) for name, value in _CONSTANT.findall(text)}


def _load() -> dict[str, int]:
    # Installed: beside the runtime headers; in a source checkout: include/.
    for path in (HEADER, Path(__file__).resolve().parents[2] / "include" / HEADER_RELPATH):
        if path.is_file():
            return parse(path.read_text())
    raise FileNotFoundError(f"{HEADER_RELPATH} is not installed with ttlx")


_VALUES = _load()
TILE_ROWS: int = _VALUES["TILE_ROWS"]
TILE_COLS: int = _VALUES["TILE_COLS"]
FACE_ROWS: int = _VALUES["FACE_ROWS"]
FACE_COLS: int = _VALUES["FACE_COLS"]
DST_TILES16: int = _VALUES["DST_TILES16"]
DST_TILES32: int = _VALUES["DST_TILES32"]
MAX_CORES: int = _VALUES["MAX_CORES"]
SEMAPHORES_PER_CORE: int = _VALUES["SEMAPHORES_PER_CORE"]
L1_BYTES: int = _VALUES["L1_BYTES"]
L1_RESERVED_BYTES: int = _VALUES["L1_RESERVED_BYTES"]
DFBS_ALIGNMENT: int = _VALUES["DFBS_ALIGNMENT"]
DFBS_WORMHOLE: int = _VALUES["DFBS_WORMHOLE"]
DFBS_BLACKHOLE: int = _VALUES["DFBS_BLACKHOLE"]
RUNTIME_ARGS_PER_TENSOR: int = _VALUES["RUNTIME_ARGS_PER_TENSOR"]
COMPILE_TIME_ARGS_PER_TENSOR: int = _VALUES["COMPILE_TIME_ARGS_PER_TENSOR"]

# The chips ttlx models (`--arch`, TTLX_ARCH): Wormhole n150 (the default)
# and Blackhole p150.
ARCHS = ("wormhole_b0", "blackhole")


def arch() -> str:
    """The chip TTLX_ARCH names (wormhole_b0 unless set)."""
    name = os.environ.get("TTLX_ARCH") or ARCHS[0]
    if name not in ARCHS:
        raise ValueError(f"TTLX_ARCH={name!r} is not a chip ttlx models: use {' or '.join(ARCHS)}")
    return name

# DFBs per core of each architecture.
DFBS: dict[str, int] = {"wormhole_b0": DFBS_WORMHOLE, "blackhole": DFBS_BLACKHOLE}

# The worker-core grid (x, y) of each chip: its L1 banks, which hold the
# pages of interleaved L1 tensors (ttnn.L1_MEMORY_CONFIG).
GRIDS: dict[str, tuple[int, int]] = {"wormhole_b0": (8, 8), "blackhole": (13, 10)}
