# SPDX-License-Identifier: Apache-2.0
"""Text of a Profile, and the names of its timeline's slices."""

from __future__ import annotations

from .. import optable
from .model import Profile

TRACKS = ("dm0", "dm1", "compute: unpack", "compute: math", "compute: pack", "dm0 NOC", "dm1 NOC")
TILE_UNITS = ("copy_tile", "unary_bcast", "FPU", "SFPU", "SFPU", "fill_tile", "where_tile", "reduce_tile",
              "matmul_tiles", "pack_tile")
# Slice kinds (runtime/src/PerfModel.h SliceKind).
TILE, DFB_WAIT, NOC, BARRIER, SEM_WAIT, ZONE = range(6)
DRAM = 0xFFFF

_FPU = [o.ttl_name for o in optable.OPS if o.unit == "FPU"]
_UNARY = [o.ttl_name for o in optable.OPS if o.arity == 1]
_BINARY = [o.ttl_name for o in optable.OPS if o.arity == 2]


def category(kind: int, detail: int, code: int) -> str:
    """What a slice occupies: unpack, FPU, SFPU, matmul, reduce, pack, NOC,
    wait or signpost."""
    if kind == TILE:
        if detail == 0 and code == 0xFFFFFFFF:
            return "unpack"
        return ("FPU", "FPU", "FPU", "SFPU", "SFPU", "SFPU", "SFPU", "reduce", "matmul", "pack")[detail]
    return {DFB_WAIT: "wait", NOC: "NOC", BARRIER: "wait", SEM_WAIT: "wait", ZONE: "signpost"}[kind]


def slice_name(kind: int, detail: int, code: int, grid_x: int, names: list[str]) -> str:
    if kind == TILE:
        if detail == 0 and code == 0xFFFFFFFF:
            return "unpack"
        if detail == 2:
            return f"{_FPU[code]}_tiles" if code < len(_FPU) else "FPU"
        if detail == 3:
            return _UNARY[code] if code < len(_UNARY) else "SFPU"
        if detail == 4:
            return _BINARY[code] if code < len(_BINARY) else "SFPU"
        if detail == 7:
            return "reduce sum" if code == 0 else "reduce max"
        return TILE_UNITS[detail]
    if kind == DFB_WAIT:
        return f"{'wait' if code == 0 else 'reserve'} DFB {detail}"
    if kind == NOC:
        where = "DRAM" if detail == DRAM else f"core ({detail % grid_x}, {detail // grid_x})"
        write = bool(code >> 31)
        return f"{'write to' if write else 'read from'} {where} {code & 0x7FFFFFFF} B"
    if kind == BARRIER:
        return f"{'write' if detail else 'read'} barrier"
    if kind == SEM_WAIT:
        return f"semaphore wait for {code}"
    return names[code] if code < len(names) else f"signpost {code}"


def _mib(n: int) -> str:
    return f"{n / 2**20:.3f} MiB"


def format_profile(name: str, p: Profile) -> str:
    units = ", ".join(f"{unit} {cycles:,.0f}" for unit, cycles in p.compute_cycles.items())
    bounds = ", ".join(f"{k} {v:,.2f} us" for k, v in p.bounds_us.items())
    return "\n".join([
        f"ttlx profile: {name} on {p.arch} ({p.board}, {p.clock_ghz:g} GHz), grid {p.grid[0]}x{p.grid[1]}, "
        f"{p.events:,} events",
        f"  modeled time     {p.time_us:,.2f} us ({p.cycles:,.0f} cycles); critical path ends on core "
        f"({p.critical_core[0]}, {p.critical_core[1]}) {p.critical_thread}",
        f"  DRAM             read {_mib(p.dram_bytes_read)}, written {_mib(p.dram_bytes_written)}; "
        f"roofline {p.roofline_us:,.2f} us",
        f"  NOC              {_mib(p.noc_bytes)} moved",
        f"  compute cycles   {units}",
        f"  bounds           {bounds}",
        f"  binding          {p.binding}",
        f"  efficiency       {100 * p.efficiency:.1f}% (DRAM roofline / modeled time)",
    ])
