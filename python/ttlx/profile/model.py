# SPDX-License-Identifier: Apache-2.0
"""Runs the runtime's performance model (runtime/src/PerfModel.h) on a
profiled device and turns its figures into a `Profile`."""

from __future__ import annotations

import ctypes
import time
from dataclasses import dataclass, field
from typing import Any

from .. import optable
from .chips import FIDELITY_PHASES, Chip

MAX_OPS = 64
LINK_POINTS = 16
UNITS = ("unpack", "fpu", "sfpu", "matmul", "reduce", "pack")  # ModelUnit order
THREADS = ("dm0", "dm1", "compute")
_d, _u32, _u64 = ctypes.c_double, ctypes.c_uint32, ctypes.c_uint64


class ModelParams(ctypes.Structure):
    _fields_ = [
        ("gridX", _u32), ("gridY", _u32),
        ("dramBytesPerCycle", _d), ("dramBucketCycles", _d),
        ("numLinkPoints", _u32), ("linkSize", _d * LINK_POINTS), ("linkRate", _d * LINK_POINTS),
        ("readLatencyLocal", _d), ("readLatencyColumn", _d), ("readLatencyRow", _d), ("readLatencyOther", _d),
        ("dramReadLatency", _d),
        ("writeLatencyBase", _d), ("writeLatencyPerHop", _d), ("dramWriteLatency", _d),
        ("nocIssue", _d), ("dfbCall", _d), ("dfbHandoff", _d), ("semaphoreCall", _d),
        ("unpack", _d), ("pack", _d), ("datacopy", _d),
        ("fpu", _d * MAX_OPS), ("sfpuUnary", _d * MAX_OPS), ("sfpuBinary", _d * MAX_OPS),
        ("fill", _d), ("where", _d), ("reduceSum", _d), ("reduceMax", _d), ("matmul", _d),
        ("collectSlices", _u32),
    ]


class ModelSummary(ctypes.Structure):
    _fields_ = [
        ("makespan", _d), ("criticalCore", _u32), ("criticalThread", _u32),
        ("busy", _d * len(UNITS)), ("maxCoreCompute", _d), ("maxLinkBusy", _d),
        ("dramBytesRead", _d), ("dramBytesWritten", _d), ("nocBytes", _d), ("events", _u64),
    ]


class ModelSlice(ctypes.Structure):
    _fields_ = [("core", _u32), ("track", ctypes.c_uint8), ("kind", ctypes.c_uint8), ("detail", ctypes.c_uint16),
                ("code", _u32), ("start", _d), ("end", _d)]


@dataclass
class Profile:
    """The modeled run of one operation on `arch` (times in microseconds)."""

    arch: str
    board: str
    clock_ghz: float
    grid: tuple[int, int]
    cycles: float
    time_us: float
    dram_bytes_read: int
    dram_bytes_written: int
    noc_bytes: int
    roofline_us: float  # DRAM bytes / peak DRAM bandwidth
    compute_cycles: dict[str, float]  # by unit, summed over cores
    bounds_us: dict[str, float]  # lower bounds by resource
    binding: str
    efficiency: float  # roofline / modeled time
    critical_core: tuple[int, int]
    critical_thread: str
    events: int
    slices: list[tuple] = field(default_factory=list, repr=False)  # (core, track, kind, detail, code, start, end) cycles
    names: list[str] = field(default_factory=list)  # signpost names by id
    replay_seconds: float = 0.0  # host time the replay took

    def us(self, cycles: float) -> float:
        return cycles / (self.clock_ghz * 1e3)


def params(chip: Chip, grid: tuple[int, int], slices: bool) -> ModelParams:
    p = ModelParams()
    p.gridX, p.gridY = grid
    p.dramBytesPerCycle = chip.dram_bytes_per_cycle
    p.dramBucketCycles = 64.0
    p.numLinkPoints = len(chip.link)
    for i, (size, rate) in enumerate(chip.link):
        p.linkSize[i], p.linkRate[i] = size, rate
    p.readLatencyLocal, p.readLatencyColumn, p.readLatencyRow, p.readLatencyOther = chip.read_latency
    p.dramReadLatency = chip.dram_read_latency
    p.writeLatencyBase, p.writeLatencyPerHop = chip.write_latency_base, chip.write_latency_per_hop
    p.dramWriteLatency = chip.dram_write_latency
    p.nocIssue, p.dfbCall, p.dfbHandoff, p.semaphoreCall = chip.noc_issue, chip.dfb_call, chip.dfb_handoff, \
        chip.semaphore_call
    p.unpack, p.pack, p.datacopy = chip.unpack, chip.pack, chip.datacopy
    fpu = {"add": chip.eltwise, "sub": chip.eltwise, "mul": chip.eltwise * FIDELITY_PHASES}
    # Op order of the runtime's enums: the .def file's order (FpuOp: FPU
    # binary ops; SfpuUnary: unary ops; SfpuBinary: every binary op).
    for i, op in enumerate(o for o in optable.OPS if o.unit == "FPU"):
        p.fpu[i] = fpu[op.ttl_name]
    for i, op in enumerate(o for o in optable.OPS if o.arity == 1):
        p.sfpuUnary[i] = chip.sfpu.get(op.ttl_name, chip.sfpu_op)
    for i, op in enumerate(o for o in optable.OPS if o.arity == 2):
        p.sfpuBinary[i] = chip.sfpu.get(op.ttl_name, chip.sfpu_op)
    p.fill, p.where = chip.sfpu["fill"], chip.sfpu["where"]
    p.reduceSum, p.reduceMax = chip.reduce_lofi * FIDELITY_PHASES, chip.reduce_lofi
    p.matmul = chip.matmul_lofi * FIDELITY_PHASES
    p.collectSlices = int(slices)
    return p


def check_layout(lib: Any) -> None:
    layout = (ctypes.c_uint32 * 6)()
    lib.ttlx_rt_profile_layout(layout)
    ops = (sum(o.unit == "FPU" for o in optable.OPS), sum(o.arity == 1 for o in optable.OPS),
           sum(o.arity == 2 for o in optable.OPS))
    mine = (ctypes.sizeof(ModelParams), ctypes.sizeof(ModelSummary), ctypes.sizeof(ModelSlice), *ops)
    if tuple(layout) != mine or max(ops) > MAX_OPS:
        raise RuntimeError(f"libttlx_runtime.so's performance model does not match ttlx.profile ({tuple(layout)} "
                           f"!= {mine})")


def model(lib: Any, dev: int, grid: tuple[int, int], chip: Chip, slices: bool) -> Profile:
    """Replays the profiled run on `dev` on `chip`."""
    check_layout(lib)
    p = params(chip, grid, slices)
    s = ModelSummary()
    start = time.perf_counter()
    handle = lib.ttlx_rt_profile_model(dev, ctypes.byref(p), ctypes.byref(s))
    seconds = time.perf_counter() - start
    if not handle:
        raise RuntimeError(lib.ttlx_rt_profile_last_error().decode())
    try:
        rows: list[tuple] = []
        if slices:
            n = lib.ttlx_rt_profile_num_slices(handle)
            buf = (ModelSlice * n)()
            lib.ttlx_rt_profile_slices(handle, buf)
            rows = [(x.core, x.track, x.kind, x.detail, x.code, x.start, x.end) for x in buf]
    finally:
        lib.ttlx_rt_profile_free(handle)
    names: list[str] = []
    while (name := lib.ttlx_rt_profile_name(dev, len(names))) is not None:
        names.append(name.decode())
    profile = summarize(chip, grid, s, rows, names)
    profile.replay_seconds = seconds
    return profile


def summarize(chip: Chip, grid: tuple[int, int], s: ModelSummary, slices: list[tuple],
              names: list[str]) -> Profile:
    to_us = 1.0 / (chip.clock_ghz * 1e3)
    dram = s.dramBytesRead + s.dramBytesWritten
    roofline = dram / (chip.dram_peak_gbs * 1e3)  # bytes / (GB/s) in us
    bounds = {
        "DRAM": dram / chip.dram_bytes_per_cycle * to_us,
        "compute": s.maxCoreCompute * to_us,
        "NOC": s.maxLinkBusy * to_us,
    }
    time_us = s.makespan * to_us
    binding = max(bounds, key=lambda k: bounds[k])
    if bounds[binding] < 0.5 * time_us:
        binding = "latency"  # no resource is busy half the time: waits between threads and cores
    gx = grid[0]
    return Profile(
        arch=chip.name, board=chip.board, clock_ghz=chip.clock_ghz, grid=grid, cycles=s.makespan, time_us=time_us,
        dram_bytes_read=int(s.dramBytesRead), dram_bytes_written=int(s.dramBytesWritten),
        noc_bytes=int(s.nocBytes), roofline_us=roofline,
        compute_cycles={u: s.busy[i] for i, u in enumerate(UNITS)}, bounds_us=bounds, binding=binding,
        efficiency=roofline / time_us if time_us > 0 else 0.0,
        critical_core=(s.criticalCore % gx, s.criticalCore // gx), critical_thread=THREADS[s.criticalThread],
        events=int(s.events), slices=slices, names=names,
    )


def bind(lib: Any) -> None:
    """Declares the profiler's C entry points on the runtime library."""
    vp = ctypes.c_void_p
    lib.ttlx_rt_profile_last_error.restype = ctypes.c_char_p
    lib.ttlx_rt_profile_enable.argtypes = [vp]
    lib.ttlx_rt_profile_layout.argtypes = [ctypes.POINTER(_u32)]
    lib.ttlx_rt_profile_model.restype = vp
    lib.ttlx_rt_profile_model.argtypes = [vp, ctypes.POINTER(ModelParams), ctypes.POINTER(ModelSummary)]
    lib.ttlx_rt_profile_num_slices.restype = _u64
    lib.ttlx_rt_profile_num_slices.argtypes = [vp]
    lib.ttlx_rt_profile_slices.argtypes = [vp, ctypes.POINTER(ModelSlice)]
    lib.ttlx_rt_profile_free.argtypes = [vp]
    lib.ttlx_rt_profile_name.restype = ctypes.c_char_p
    lib.ttlx_rt_profile_name.argtypes = [vp, _u32]
