# SPDX-License-Identifier: Apache-2.0
"""Run a Program on the emulated device."""

from __future__ import annotations

import ctypes
import warnings
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import torch

from .. import hardware
from ..profile import Profile, chip
from ..profile import model as profile_model
from ..profile.session import Settings, settings
from . import native
from .kernels import compile_kernel, kernel_library
from .l1 import DFBStorage, L1Placement, L1Tensor
from .layout import tilize_into, untilize_into
from .program import PROCESSORS, DFBSpec, Program

L1_BYTES = hardware.L1_BYTES  # Wormhole Tensix L1
DTYPES = {torch.bfloat16: 2, torch.float32: 4}


class KernelFault(RuntimeError):
    """A kernel faulted or the kernels deadlocked; the message is the
    runtime's report (core, thread, call, DFB or semaphore, source line)."""


class KernelWarning(UserWarning):
    """Something kernels did that is wrong on hardware but did not stop the
    run (a race with TTLX_RACES=warn); the message is the runtime's report."""


@dataclass
class RunResult:
    # The counters of the cores of the grid_x x grid_y kernel grid as the
    # runtime copied them: core (x, y)'s at (y * grid_x + x) * len(COUNTER_NAMES).
    counter_values: Sequence[int]
    grid: tuple[int, int]
    # id() of each torch tensor given -> (bytes the kernels read from its
    # buffer, DRAM or L1, bytes they wrote to it through tensor accessors).
    tensor_traffic: dict[int, tuple[int, int]] = field(default_factory=dict)
    # The modeled run on the requested chip (ttlx.profile), when profiled.
    profile: Profile | None = None

    @cached_property
    def counters(self) -> dict:
        """"total" and (x, y) -> {counter name: value}, made when first read
        (most calls never read them)."""
        names = native.COUNTER_NAMES
        n = len(names)
        gx, gy = self.grid
        rows = {(x, y): self.counter_values[(y * gx + x) * n:(y * gx + x + 1) * n]
                for y in range(gy) for x in range(gx)}
        out: dict = {"total": dict(zip(names, map(sum, zip(*rows.values()))))}
        out.update((core, dict(zip(names, row))) for core, row in rows.items())
        return out


def _check_tensor(kernel: str, k: int, t: torch.Tensor, row_major: bool = False) -> None:
    if t.dtype not in DTYPES:
        raise TypeError(f"{kernel}: tensor argument {k} is {t.dtype}; use torch.bfloat16 or torch.float32")
    if row_major:
        if t.dim() < 1 or t.numel() == 0:
            raise ValueError(f"{kernel}: row-major tensor argument {k} has shape {tuple(t.shape)}; kernels take "
                             "row-major tensors of 1 or more dimensions")
        return
    if t.dim() < 2 or t.shape[-2] % 32 or t.shape[-1] % 32:
        raise ValueError(f"{kernel}: tensor argument {k} has shape {tuple(t.shape)}; "
                         "kernels take tensors of 2 or more dimensions of whole 32x32 tiles")


def _rows_cols(t: torch.Tensor) -> tuple[int, int]:
    """A tensor's tile pages: its leading dimensions are batch dimensions,
    so (..., H, W) has the pages of the (prod(...) * H, W) matrix."""
    return (t.numel() // t.shape[-1] if t.shape[-1] else 0, t.shape[-1])


def run(program: Program, tensors: dict[str, list[torch.Tensor]],
        profile: Settings | bool | None = None, names: dict[int, str] | None = None,
        uninitialised: Collection[int] = (), placements: dict[int, L1Placement] | None = None,
        resident: Collection[torch.Tensor] = (), dfb_storage: dict[int, DFBStorage] | None = None,
        tiled: Collection[int] = (), row_major: Collection[int] = ()) -> RunResult:
    """Run every kernel of `program` on every core of its grid.

    `tensors` maps each kernel name to its DRAM tensor arguments, in order.
    The same torch tensor given to several kernels is one DRAM buffer. What
    the kernels write is in the tensors after the run (written in place, or
    copied back: `_DramTensor`).

    `tiled` (id() of tensors): these hold their values in tile order
    already (runtime.layout), are their DRAM buffer as they are and stay in
    tile order; all others are in rows before and after the run.

    `profile`: model the run (RunResult.profile) with these settings; True:
    on the TTLX_ARCH chip, with its timeline; None: as the environment asks
    (TTLX_PROFILE, ttlx.profile.session); False: not.

    `names` (id() of a tensor -> name) names tensors in fault reports;
    others are named by kernel and argument position. `uninitialised` (id()
    of tensors) holds the tensors whose contents are poison (`poison()`):
    kernels reading a page of one that no kernel wrote are reported.
    `placements` (id() of a tensor -> L1Placement) puts those tensors in
    cores' L1 instead of DRAM: the device then has the chip's whole grid of
    cores (hardware.GRIDS), the kernels running on the program's grid.
    `resident` tensors are placed too though no kernel takes them (the
    tensors of tensor-backed DFBs). `dfb_storage` (DFB index -> DFBStorage)
    puts DFBs in an L1 tensor or in their allocation group's storage.
    `row_major` (id() of tensors) holds the tensors in ROW_MAJOR layout: in
    DRAM as they are, one page per row of their last dimension.
    Warnings of the run are issued as `KernelWarning`s.
    """
    request = _profile_request(profile)
    lib = native.library()
    for spec in program.kernels:
        given = tensors.get(spec.name, [])
        if len(given) != spec.num_tensors:
            raise ValueError(f"kernel {spec.name} takes {spec.num_tensors} tensor(s), got {len(given)}")
        for k, t in enumerate(given):
            _check_tensor(spec.name, k, t, id(t) in row_major)
    for k, t in enumerate(resident):
        _check_tensor("resident tensors", k, t)
    libraries = compile_kernels(program)

    gx, gy = program.grid
    unique = {id(t): t for spec in program.kernels for t in tensors.get(spec.name, [])}
    unique.update({id(t): t for t in resident})
    resident_keys = {id(t) for t in resident}
    in_l1 = {key: placement for key, placement in (placements or {}).items() if key in unique}
    if any(key in row_major for key in in_l1):
        raise ValueError("row-major tensors live in DRAM; an L1 placement of one is not supported")
    device_grid = _device_grid(program, in_l1.values())
    dev = lib.ttlx_rt_device_create(*device_grid, L1_BYTES, hardware.DFBS[program.arch])
    if not dev:
        raise RuntimeError(native.last_error())
    buffers: dict[int, _DramTensor | _RowMajorDramTensor | L1Tensor] = {}
    try:
        _check(lib.ttlx_rt_set_kernel_grid(dev, gx, gy))
        for index, value in enumerate(program.semaphores):
            if value:
                _check(lib.ttlx_rt_set_semaphore(dev, index, value))
        if program.l1_by_ttl_protocol:
            _check(lib.ttlx_rt_set_l1_by_ttl_protocol(dev, 1))
        label = dict(names or {})
        for spec in program.kernels:
            for k, t in enumerate(tensors.get(spec.name, [])):
                label.setdefault(id(t), f"argument {k} of {spec.name}")
        for k, t in enumerate(resident):
            label.setdefault(id(t), f"resident tensor {k}")
        in_dram = {key: t for key, t in unique.items() if key not in in_l1}
        in_place = _in_place(in_dram, strided={key for key in in_dram if key not in tiled and key not in row_major})
        for key in in_dram:
            buffers[key] = (_RowMajorDramTensor(lib, dev, in_dram[key], key in in_place) if key in row_major
                            else _DramTensor(lib, dev, in_dram[key], key in in_place, key in tiled))
        for key, placement in in_l1.items():
            buffers[key] = L1Tensor(lib, dev, unique[key], placement, device_grid[0], label[key], key in tiled)
        written = {id(t) for spec in program.kernels for k, t in enumerate(tensors.get(spec.name, []))
                   if spec.writes is None or k in spec.writes}
        for key, buffer in buffers.items():
            tiles_per_row = 0 if key in row_major else buffer.tensor.shape[-1] // 32
            lib.ttlx_rt_dram_name(dev, buffer.address, label[key].encode(), tiles_per_row)
            if key in uninitialised:
                _check(lib.ttlx_rt_dram_uninitialised(dev, buffer.address))
            if key in in_dram and key not in written and key not in resident_keys:
                _check(lib.ttlx_rt_dram_read_only(dev, buffer.address))
        for dfb in program.dfbs:
            _configure_dfb(lib, dev, dfb, (dfb_storage or {}).get(dfb.index), buffers)
        for buffer in buffers.values():
            if isinstance(buffer, L1Tensor):
                buffer.load()
        for spec in program.kernels:
            args = [buffers[id(t)].address for t in tensors.get(spec.name, [])]
            arr = (ctypes.c_uint32 * max(len(args), 1))(*args)
            _check(lib.ttlx_rt_add_kernel(dev, spec.name.encode(), str(libraries[spec.name]).encode(),
                                          PROCESSORS.index(spec.processor), arr, len(args)))
        if request is not None:
            lib.ttlx_rt_profile_enable(dev)
        status = lib.ttlx_rt_run(dev)
        for line in lib.ttlx_rt_warnings(dev).decode().splitlines():
            warnings.warn(KernelWarning(line), stacklevel=2)
        if status != 0:
            raise KernelFault(native.last_error())
        traffic = {key: buffer.traffic() for key, buffer in buffers.items()}
        modeled = None
        if request is not None:
            modeled = profile_model.model(lib, dev, device_grid, request.chip, request.slices)
        values = (ctypes.c_uint64 * (gx * gy * len(native.COUNTER_NAMES)))()
        lib.ttlx_rt_grid_counters(dev, gx, gy, device_grid[0], values)
        return RunResult(values, (gx, gy), traffic, modeled)
    finally:
        for buffer in buffers.values():
            buffer.release()
        lib.ttlx_rt_device_destroy(dev)


def _configure_dfb(lib, dev, dfb: DFBSpec, storage: DFBStorage | None,
                   buffers: dict[int, _DramTensor | _RowMajorDramTensor | L1Tensor]) -> None:
    if storage is None:
        _check(lib.ttlx_rt_configure_cb(dev, dfb.index, dfb.page_size, dfb.num_pages))
    elif storage.tensor is not None:
        buffer = buffers.get(storage.tensor)
        if not isinstance(buffer, L1Tensor):
            raise ValueError(f"DFB {dfb.index} is backed by a tensor the run does not place in L1")
        _check(lib.ttlx_rt_configure_cb_on_tensor(dev, dfb.index, dfb.page_size, dfb.num_pages, buffer.address,
                                                  storage.byte_offset))
    elif storage.leader is None or storage.leader == dfb.index:
        _check(lib.ttlx_rt_configure_cb_group(dev, dfb.index, dfb.page_size, dfb.num_pages, storage.envelope))
    else:
        _check(lib.ttlx_rt_configure_cb_shared(dev, dfb.index, dfb.page_size, dfb.num_pages, storage.leader))


def _device_grid(program: Program, placements: Collection[L1Placement]) -> tuple[int, int]:
    """The program's grid; with L1 tensors, the chip's grid (its L1 banks),
    or more where the program or a placement reaches beyond it."""
    if not placements:
        return program.grid
    grids = [program.grid, hardware.GRIDS[program.arch], *(p.extent() for p in placements)]
    return (max(g[0] for g in grids), max(g[1] for g in grids))


def _profile_request(profile: Settings | bool | None) -> Settings | None:
    if profile is None:
        return settings()
    if profile is True:
        return Settings(chip(hardware.arch()), timeline=True)
    return profile or None


POISON_WORD = 0x7FA57FA5  # ttlx_rt::kPoisonWord: a NaN as f32 and as each bf16 half


def poison(t: torch.Tensor) -> torch.Tensor:
    """Fills `t` with the NaN pattern uninitialised device memory holds in
    ttlx (float32, and 16-bit floats; other dtypes get zeros); returns it."""
    if t.dtype == torch.float32:
        t.view(torch.int32).fill_(POISON_WORD)
    elif t.dtype in (torch.bfloat16, torch.float16):
        t.view(torch.int16).fill_(POISON_WORD & 0xFFFF)
    else:
        t.zero_()
    return t


def _rows_stride(t: torch.Tensor) -> int | None:
    """The elements from one row of `t`'s (prod(...) * H, W) matrix to the
    next, when its elements are side by side in each row and the rows at one
    stride (0 when they repeat one row, as `expand` makes them); else None."""
    w = t.shape[-1]
    if t.stride(-1) != 1:
        return None
    try:
        matrix = t.view(-1, w)
    except RuntimeError:  # the leading dimensions do not merge
        return None
    return matrix.stride(0) if matrix.shape[0] > 1 else w


def _row_stride(t: torch.Tensor) -> int | None:
    """`_rows_stride` when the rows do not overlap (the matrix is one in
    memory); else None."""
    stride = _rows_stride(t)
    return stride if stride is not None and stride >= t.shape[-1] else None


def _in_place(tensors: dict[int, torch.Tensor], strided: Collection[int] = ()) -> set[int]:
    """The tensors that can be their own DRAM buffer: CPU tensors,
    contiguous or (those in `strided`, tile pages read from rows) rows of
    one stride (`_row_stride`), whose memory no other tensor of the run
    shares."""
    spans = {}
    for key, t in tensors.items():
        if t.device.type != "cpu" or t.numel() == 0:
            continue
        if t.is_contiguous():
            spans[key] = (t.data_ptr(), t.data_ptr() + t.numel() * t.element_size())
        elif key in strided and (stride := _row_stride(t)) is not None:
            rows, cols = _rows_cols(t)
            spans[key] = (t.data_ptr(), t.data_ptr() + ((rows - 1) * stride + cols) * t.element_size())
    return {
        key for key, (lo, hi) in spans.items()
        if not any(other != key and o_lo < hi and lo < o_hi for other, (o_lo, o_hi) in spans.items())
    }


class _DramTensor:
    """A torch tensor as a DRAM buffer of tile pages. In place, the tensor's
    own memory is the buffer, neither copied nor converted: one in tile
    order (`tiled`) holds the pages in order; in one in rows, each transfer
    of the kernels gathers its bytes of a tile page from the rows or
    scatters them there (runtime/src/TilesInRows.h), so a tensor the
    kernels only read is never written. Otherwise its tiles are copied into
    device memory and back only if a kernel wrote to it."""

    def __init__(self, lib, dev, t: torch.Tensor, in_place: bool, tiled: bool = False) -> None:
        self.lib, self.dev, self.tensor, self.in_place, self.tiled = lib, dev, t, in_place, tiled
        h, w = _rows_cols(t)
        size = t.element_size()
        self.nbytes = t.numel() * size
        page = 32 * 32 * size
        addr = ctypes.c_uint32()
        if in_place and tiled:
            _check(lib.ttlx_rt_dram_attach(dev, t.data_ptr(), self.nbytes, page, ctypes.byref(addr)))
        elif in_place:
            _check(lib.ttlx_rt_dram_attach_rows(dev, t.data_ptr(), h, w, _row_stride(t) * size, size,
                                                ctypes.byref(addr)))
        else:
            _check(lib.ttlx_rt_dram_alloc(dev, self.nbytes, page, ctypes.byref(addr)))
        self.address = addr.value
        if not self.in_place and self.nbytes:
            tiles = self._tiles()
            if tiled:
                tiles.view(-1).copy_(t.detach().reshape(-1))
            elif t.device.type == "cpu" and (stride := _rows_stride(t)) is not None:
                # Natively, not by torch's copy: its OpenMP workers would spin on a core the run needs.
                tilize_into(t.detach(), tiles, stride)
            else:
                tiles.copy_(t.detach().reshape(h // 32, 2, 16, w // 32, 2, 16).permute(0, 3, 1, 4, 2, 5))

    def _tiles(self) -> torch.Tensor:
        """The DRAM buffer as [tile row, tile col, face row, face col, 16, 16]."""
        h, w = _rows_cols(self.tensor)
        host = self.lib.ttlx_rt_dram_host_pointer(self.dev, self.address)
        raw = (ctypes.c_byte * self.nbytes).from_address(host)
        return torch.frombuffer(raw, dtype=self.tensor.dtype).view(h // 32, w // 32, 2, 2, 16, 16)

    def traffic(self) -> tuple[int, int]:
        moved = (ctypes.c_uint64 * 2)()
        _check(self.lib.ttlx_rt_buffer_counters(self.dev, self.address, moved))
        return moved[0], moved[1]

    def release(self) -> None:
        """Copies what the kernels wrote into a tensor that was copied in (in
        place, the kernels wrote the tensor itself)."""
        t = self.tensor
        if not self.in_place and self.nbytes and self.traffic()[1]:
            if self.tiled:
                t.view(-1).copy_(self._tiles().view(-1))
            elif t.device.type == "cpu" and (stride := _row_stride(t)) is not None:
                untilize_into(self._tiles(), t, stride)
            else:
                t.copy_(self._tiles().permute(0, 2, 4, 1, 3, 5).reshape(t.shape))


class _RowMajorDramTensor:
    """A torch tensor in ROW_MAJOR layout as a DRAM buffer whose pages are
    the rows of its last dimension (tt-metal's row-major interleaved
    tensors). In place, its own memory is the buffer; otherwise its bytes
    are copied in, and back only if a kernel wrote to it."""

    def __init__(self, lib, dev, t: torch.Tensor, in_place: bool) -> None:
        self.lib, self.dev, self.tensor, self.in_place = lib, dev, t, in_place
        self.nbytes = t.numel() * t.element_size()
        page = t.shape[-1] * t.element_size()
        addr = ctypes.c_uint32()
        if in_place:
            _check(lib.ttlx_rt_dram_attach(dev, t.data_ptr(), self.nbytes, page, ctypes.byref(addr)))
        else:
            _check(lib.ttlx_rt_dram_alloc(dev, self.nbytes, page, ctypes.byref(addr)))
        self.address = addr.value
        if not in_place:
            self._buffer().copy_(t.detach().reshape(-1))

    def _buffer(self) -> torch.Tensor:
        host = self.lib.ttlx_rt_dram_host_pointer(self.dev, self.address)
        raw = (ctypes.c_byte * self.nbytes).from_address(host)
        return torch.frombuffer(raw, dtype=self.tensor.dtype)

    def traffic(self) -> tuple[int, int]:
        moved = (ctypes.c_uint64 * 2)()
        _check(self.lib.ttlx_rt_buffer_counters(self.dev, self.address, moved))
        return moved[0], moved[1]

    def release(self) -> None:
        if not self.in_place and self.traffic()[1]:
            self.tensor.copy_(self._buffer().reshape(self.tensor.shape))


def compile_kernels(program: Program) -> dict[str, str]:
    """The library of each kernel of `program`; those not in the cache are
    compiled side by side (each compiler is a process of its own)."""
    specs = program.kernels
    found = {spec.name: kernel_library(spec.name, spec.source, spec.compile_time_args, spec.fp32_dest_acc,
                                       spec.processor)
             for spec in specs}
    missing = [spec for spec in specs if not found[spec.name].exists()]
    if missing:
        with ThreadPoolExecutor(max_workers=len(missing)) as pool:
            built = pool.map(
                lambda spec: compile_kernel(spec.name, spec.source, spec.compile_time_args, spec.fp32_dest_acc,
                                            spec.processor),
                missing)
            found.update({spec.name: path for spec, path in zip(missing, built)})
    return {name: str(path) for name, path in found.items()}


def _check(status: int) -> None:
    if status != 0:
        raise RuntimeError(native.last_error())


