# SPDX-License-Identifier: Apache-2.0
"""Run a Program on the emulated device."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import torch

from .. import hardware
from . import native
from .kernels import compile_kernel
from .layout import tilize, untilize
from .program import PROCESSORS, Program

L1_BYTES = hardware.L1_BYTES  # Wormhole Tensix L1
DTYPES = {torch.bfloat16: 2, torch.float32: 4}


class KernelFault(RuntimeError):
    """A kernel faulted or the kernels deadlocked; the message is the
    runtime's report (core, thread, call, DFB or semaphore, source line)."""


@dataclass
class RunResult:
    counters: dict  # "total" and (x, y) -> {counter name: value}
    # id() of each torch tensor given -> (bytes the kernels read from its
    # DRAM buffer, bytes they wrote to it).
    tensor_traffic: dict[int, tuple[int, int]] = field(default_factory=dict)


def _check_tensor(kernel: str, k: int, t: torch.Tensor) -> None:
    if t.dtype not in DTYPES:
        raise TypeError(f"{kernel}: tensor argument {k} is {t.dtype}; use torch.bfloat16 or torch.float32")
    if t.dim() != 2 or t.shape[0] % 32 or t.shape[1] % 32:
        raise ValueError(f"{kernel}: tensor argument {k} has shape {tuple(t.shape)}; "
                         "kernels take 2-d tensors of whole 32x32 tiles")


def run(program: Program, tensors: dict[str, list[torch.Tensor]]) -> RunResult:
    """Run every kernel of `program` on every core of its grid.

    `tensors` maps each kernel name to its DRAM tensor arguments, in order.
    The same torch tensor given to several kernels is one DRAM buffer. All
    tensors are written back in place after the run.
    """
    lib = native.library()
    for spec in program.kernels:
        given = tensors.get(spec.name, [])
        if len(given) != spec.num_tensors:
            raise ValueError(f"kernel {spec.name} takes {spec.num_tensors} tensor(s), got {len(given)}")
        for k, t in enumerate(given):
            _check_tensor(spec.name, k, t)
    libraries = {
        spec.name: compile_kernel(spec.name, spec.source, spec.compile_time_args, spec.fp32_dest_acc)
        for spec in program.kernels
    }

    gx, gy = program.grid
    dev = lib.ttlx_rt_device_create(gx, gy, L1_BYTES)
    if not dev:
        raise RuntimeError(native.last_error())
    try:
        buffers: dict[int, tuple[int, torch.Tensor]] = {}
        for spec in program.kernels:
            for t in tensors.get(spec.name, []):
                if id(t) in buffers:
                    continue
                data = tilize(t.detach().cpu()).contiguous()
                nbytes = data.numel() * data.element_size()
                addr = ctypes.c_uint32()
                _check(lib.ttlx_rt_dram_alloc(dev, nbytes, 32 * 32 * data.element_size(), ctypes.byref(addr)))
                _check(lib.ttlx_rt_dram_write(dev, addr.value, data.data_ptr(), nbytes))
                buffers[id(t)] = (addr.value, t)
        for dfb in program.dfbs:
            _check(lib.ttlx_rt_configure_cb(dev, dfb.index, dfb.page_size, dfb.num_pages))
        for spec in program.kernels:
            args = [buffers[id(t)][0] for t in tensors.get(spec.name, [])]
            arr = (ctypes.c_uint32 * max(len(args), 1))(*args)
            _check(lib.ttlx_rt_add_kernel(dev, spec.name.encode(), str(libraries[spec.name]).encode(),
                                          PROCESSORS.index(spec.processor), arr, len(args)))
        if lib.ttlx_rt_run(dev) != 0:
            raise KernelFault(native.last_error())
        traffic = {}
        for addr, t in buffers.values():
            flat = torch.empty(t.numel(), dtype=t.dtype)
            _check(lib.ttlx_rt_dram_read(dev, addr, flat.data_ptr(), flat.numel() * flat.element_size()))
            t.copy_(untilize(flat, tuple(t.shape)))
            moved = (ctypes.c_uint64 * 2)()
            _check(lib.ttlx_rt_buffer_counters(dev, addr, moved))
            traffic[id(t)] = (moved[0], moved[1])
        return RunResult(_counters(lib, dev, gx, gy), traffic)
    finally:
        lib.ttlx_rt_device_destroy(dev)


def _check(status: int) -> None:
    if status != 0:
        raise RuntimeError(native.last_error())


def _counters(lib, dev, gx: int, gy: int) -> dict:
    n = len(native.COUNTER_NAMES)
    out: dict = {"total": dict.fromkeys(native.COUNTER_NAMES, 0)}
    values = (ctypes.c_uint64 * n)()
    for y in range(gy):
        for x in range(gx):
            lib.ttlx_rt_core_counters(dev, y * gx + x, values)
            core = dict(zip(native.COUNTER_NAMES, values))
            out[(x, y)] = core
            for name, v in core.items():
                out["total"][name] += v
    return out
