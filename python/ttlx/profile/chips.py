# SPDX-License-Identifier: Apache-2.0
"""The constants of the performance model: one table per chip, every figure
with its public source (docs/profiler.md prints the same table). Where no
public figure exists the entry says "estimate" and why: these are the knobs
to calibrate against hardware.

Cycles are cycles of the chip's AI clock; costs are per 32x32 tile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Public sources, by key.
SOURCES = {
    "n150": "Tenstorrent n150 product specification (Wormhole, 288 GB/s GDDR6, 1 GHz AI clock)",
    "p150": "Tenstorrent p150 product specification (Blackhole, 512 GB/s GDDR6)",
    "npe-wh": "tenstorrent/tt-npe tt_npe/cpp/include/device_models/wormhole_b0.hpp (NoC model of Tenstorrent)",
    "npe-bh": "tenstorrent/tt-npe tt_npe/cpp/include/device_models/blackhole.hpp",
    "dm": "tenstorrent/tt-metal tests/tt_metal/tt_metal/data_movement/documentation/intro_to_dm.md "
          "(NOC interface 32 B/cycle Wormhole, 64 B/cycle Blackhole)",
    "fpu": "tenstorrent/tt-metal tech_reports/matrix_engine/matrix_engine.md (8x16x16 matmul, 8x16 eltwise, "
           "16x16 reduce per cycle; fidelity phases LoFi 1 .. HiFi4 4; same on Wormhole and Blackhole)",
    "sfpu": "tenstorrent/tt-metal pull request 50744 (an SFPU vector op covers 32 lanes; a tile is 32 vector ops)",
    "exp": "tenstorrent/tt-metal issue 55760 (LLK cost observations, Blackhole p100a: exp about 70 cycles per tile)",
    "issue18": "ttlx issue 18 (0.16 us per DFB hand-off and 0.065 us per tile pack/unpack on Wormhole); "
               "no public measurement found",
    "estimate": "no public figure found: an estimate, to be calibrated on hardware",
}

# tt-metal's ComputeConfig defaults to HiFi4: four fidelity phases for
# matmul, eltwise multiply and reduce-sum (matrix_engine.md).
FIDELITY_PHASES = 4


@dataclass(frozen=True)
class Chip:
    name: str  # --arch spelling
    board: str
    clock_ghz: float
    grid: tuple[int, int]  # compute grid kernels see
    dram_peak_gbs: float  # the roofline's bandwidth
    dram_bytes_per_cycle: float  # sustained, shared by all cores (the model's)
    link: tuple[tuple[int, float], ...]  # transfer bytes -> bytes/cycle on one NOC link
    read_latency: tuple[float, float, float, float]  # same core, same column, same row, other
    dram_read_latency: float
    write_latency_base: float
    write_latency_per_hop: float
    dram_write_latency: float
    noc_issue: float  # cycles a data-movement thread spends issuing one NOC command
    dfb_call: float  # cycles of one reserve/push/wait/pop
    dfb_handoff: float  # push -> visible to the consumer
    semaphore_call: float
    unpack: float
    pack: float
    datacopy: float  # copy_tile / unary_bcast on the FPU
    eltwise: float  # FPU add/sub (mul: times the fidelity phases)
    matmul_lofi: float  # one 32x32x32 tile product at LoFi
    reduce_lofi: float
    sfpu_op: float  # one SFPU instruction over a tile
    sfpu: dict[str, float] = field(default_factory=dict)  # by TTL op name, cycles per tile
    sources: dict[str, str] = field(default_factory=dict)  # field -> SOURCES key


# SFPU cost per tile by op: exp is measured (issue 55760); the others are
# estimates in SFPU instructions x 32 cycles (one vector op per 32 lanes):
# a load/op/store op is one pass; transcendentals are taken as exp;
# sigmoid = exp + recip; silu = sigmoid + a multiply.
def _sfpu_costs(sfpu_op: float, exp: float) -> dict[str, float]:
    simple = sfpu_op
    return {
        "exp": exp, "log": exp, "sqrt": exp, "rsqrt": exp, "recip": exp, "tanh": 2 * exp,
        "sigmoid": 2 * exp, "silu": 2 * exp + simple,
        "abs": simple, "neg": simple, "sign": simple, "square": simple, "relu": simple,
        "add": simple, "sub": simple, "mul": simple, "div": exp + simple, "max": simple, "min": simple,
        "fill": simple, "where": simple,
    }


_COMMON_SOURCES = {
    "datacopy": "fpu", "eltwise": "fpu", "matmul_lofi": "fpu", "reduce_lofi": "fpu", "sfpu_op": "sfpu",
    "sfpu": "exp (exp); estimate (the others)", "noc_issue": "estimate", "dfb_call": "estimate",
    "semaphore_call": "estimate", "dfb_handoff": "issue18", "unpack": "issue18", "pack": "issue18",
}

WORMHOLE_B0 = Chip(
    name="wormhole_b0", board="n150", clock_ghz=1.0, grid=(8, 8),
    dram_peak_gbs=288.0,
    dram_bytes_per_cycle=12 * (23.2 + 24.0) / 2,  # 12 banks x mean(injection, absorption): 283.2
    link=((128, 5.5), (256, 10.1), (512, 18.0), (1024, 27.4), (2048, 30.0), (8192, 30.0)),
    read_latency=(70, 154, 170, 270), dram_read_latency=270,
    write_latency_base=40, write_latency_per_hop=10,
    dram_write_latency=40 + 10 * (10 + 12) / 2,  # mean hops on the 10x12 NOC torus: estimate
    noc_issue=20, dfb_call=10, dfb_handoff=160, semaphore_call=10,
    unpack=65, pack=65, datacopy=8, eltwise=8, matmul_lofi=16, reduce_lofi=4, sfpu_op=32,
    sfpu=_sfpu_costs(32, 70),
    sources={"clock_ghz": "n150", "grid": "n150", "dram_peak_gbs": "n150", "dram_bytes_per_cycle": "npe-wh",
             "link": "npe-wh (dm: 32 B/cycle raw)", "read_latency": "npe-wh", "dram_read_latency": "npe-wh",
             "write_latency_base": "npe-wh", "write_latency_per_hop": "npe-wh",
             "dram_write_latency": "npe-wh + estimate (mean hops)", **_COMMON_SOURCES},
)

BLACKHOLE = Chip(
    name="blackhole", board="p150", clock_ghz=1.35, grid=(13, 10),
    dram_peak_gbs=512.0,
    dram_bytes_per_cycle=8 * 54.0 / 1.35,  # 8 banks x 54 GB/s at 1.35 GHz: 320
    link=((128, 6.0), (256, 12.1), (512, 24.2), (1024, 48.0), (2048, 57.7), (4096, 58.7), (8192, 60.4),
          (16384, 60.9)),
    read_latency=(65, 177, 217, 329), dram_read_latency=329,
    write_latency_base=40, write_latency_per_hop=11,
    dram_write_latency=40 + 11 * (17 + 12) / 2,
    noc_issue=20, dfb_call=10, dfb_handoff=160 * 1.35, semaphore_call=10,
    unpack=65 * 1.35, pack=65 * 1.35, datacopy=8, eltwise=8, matmul_lofi=16, reduce_lofi=4, sfpu_op=32,
    sfpu=_sfpu_costs(32, 70),
    sources={"clock_ghz": "npe-bh", "grid": "p150", "dram_peak_gbs": "p150", "dram_bytes_per_cycle": "npe-bh",
             "link": "npe-bh (dm: 64 B/cycle raw)", "read_latency": "npe-bh", "dram_read_latency": "npe-bh",
             "write_latency_base": "npe-bh", "write_latency_per_hop": "npe-bh",
             "dram_write_latency": "npe-bh + estimate (mean hops)",
             **_COMMON_SOURCES, "dfb_handoff": "issue18 (Wormhole's time, at 1.35 GHz)",
             "unpack": "issue18 (Wormhole's time, at 1.35 GHz)", "pack": "issue18 (Wormhole's time, at 1.35 GHz)"},
)

CHIPS = {chip.name: chip for chip in (WORMHOLE_B0, BLACKHOLE)}


def chip(name: str) -> Chip:
    try:
        return CHIPS[name]
    except KeyError:
        raise ValueError(f"unknown arch {name!r}: use one of {', '.join(CHIPS)}") from None
