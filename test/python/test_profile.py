# SPDX-License-Identifier: Apache-2.0
"""The performance model (docs/profiler.md): modeled times against what the
chip's constants say they must be, determinism across worker counts, the
trace, the picture and the `ttlx run --profile` command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import torch
from kernel_cli import ttlx

from ttlx import hardware
from ttlx.profile import BLACKHOLE, WORMHOLE_B0, Settings, chip, write_trace
from ttlx.profile import model as profile_model
from ttlx.profile.chips import FIDELITY_PHASES
from ttlx.runtime import DFBSpec, KernelSpec, Program, run

ROOT = Path(__file__).resolve().parents[2]
DM = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n%s\n}\n'
COMPUTE = '#include <cstdint>\n#include "api/compute/compute_kernel_api.h"\nvoid kernel_main() {\n%s\n}\n'


@pytest.fixture
def workers(monkeypatch):
    def use(n: int) -> None:
        monkeypatch.setenv("TTLX_WORKERS", str(n))

    return use


def profiled(program: Program, tensors: dict, arch: str = "wormhole_b0", **kw):
    result = run(program, tensors, profile=Settings(chip(arch), **kw))
    assert result.profile is not None
    return result, result.profile


# Every core streams its share of a tensor from DRAM to DRAM through a DFB
# of 4 pages: reader on dm0, writer on dm1.
COPY_READER = """
auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
uint32_t core = get_absolute_logical_y() * GX + get_absolute_logical_x();
for (uint32_t i = 0; i < TILES; ++i) {
  cb_reserve_back(0, 1);
  noc_async_read_tile(core * TILES + i, s, get_write_ptr(0));
  noc_async_read_barrier();
  cb_push_back(0, 1);
}
"""
COPY_WRITER = """
auto d = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
uint32_t core = get_absolute_logical_y() * GX + get_absolute_logical_x();
for (uint32_t i = 0; i < TILES; ++i) {
  cb_wait_front(0, 1);
  noc_async_write_tile(core * TILES + i, d, get_read_ptr(0));
  noc_async_write_barrier();
  cb_pop_front(0, 1);
}
"""


def copy_program(grid: tuple[int, int], tiles: int) -> Program:
    def fill(body: str) -> str:
        return DM % body.replace("GX", str(grid[0])).replace("TILES", str(tiles))

    return Program(grid, [KernelSpec("reader", "dm0", fill(COPY_READER), [0], 1),
                          KernelSpec("writer", "dm1", fill(COPY_WRITER), [0], 1)], [DFBSpec(0, 2048, 4)])


@pytest.mark.parametrize("arch", ["wormhole_b0", "blackhole"])
def test_dram_streaming_copy_is_within_1_1x_of_the_dram_roofline(arch):
    """64 cores move 16 MiB through DRAM: DRAM is the binding resource and
    the modeled time is within 1.1x of bytes / the chip's sustained DRAM
    bandwidth (on Wormhole, also of bytes / its peak, the roofline)."""
    tiles = 64
    x = torch.randn(64 * tiles * 32, 32).to(torch.bfloat16)
    y = torch.zeros_like(x)
    _, p = profiled(copy_program((8, 8), tiles), {"reader": [x], "writer": [y]}, arch)
    assert torch.equal(x, y)
    moved = 2 * x.numel() * 2
    assert p.dram_bytes_read + p.dram_bytes_written == moved
    assert p.roofline_us == pytest.approx(moved / (chip(arch).dram_peak_gbs * 1e3))
    sustained_us = moved / (chip(arch).dram_bytes_per_cycle * chip(arch).clock_ghz * 1e3)
    assert p.roofline_us <= sustained_us <= p.time_us <= 1.1 * sustained_us
    if arch == "wormhole_b0":
        assert p.time_us <= 1.1 * p.roofline_us
    assert p.binding == "DRAM"
    assert p.efficiency == pytest.approx(p.roofline_us / p.time_us)


# C (M x N tiles, one DST) = R x (A (M x K) @ B (K x N)): the operands are
# read once, the compute thread runs the product R times over them,
# accumulating in DST: M N K R matmul_tiles.
MATMUL_READER = """
auto a = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
auto b = TensorAccessor(TensorAccessorArgs<1>(), get_arg_val<uint32_t>(1), 2048);
cb_reserve_back(0, M * K);
for (uint32_t i = 0; i < M * K; ++i)
  noc_async_read_tile(i, a, get_write_ptr(0) + i * 2048);
cb_reserve_back(1, K * N);
for (uint32_t i = 0; i < K * N; ++i)
  noc_async_read_tile(i, b, get_write_ptr(1) + i * 2048);
noc_async_read_barrier();
cb_push_back(0, M * K);
cb_push_back(1, K * N);
"""
MATMUL_COMPUTE = """
matmul_init(0, 1);
cb_wait_front(0, M * K);
cb_wait_front(1, K * N);
tile_regs_acquire();
for (uint32_t r = 0; r < R; ++r)
  for (uint32_t k = 0; k < K; ++k)
    for (uint32_t m = 0; m < M; ++m)
      for (uint32_t n = 0; n < N; ++n)
        matmul_tiles(0, 1, m * K + k, k * N + n, m * N + n);
tile_regs_commit();
cb_pop_front(0, M * K);
cb_pop_front(1, K * N);
cb_reserve_back(2, M * N);
tile_regs_wait();
for (uint32_t i = 0; i < M * N; ++i)
  pack_tile(i, 2);
tile_regs_release();
cb_push_back(2, M * N);
"""
MATMUL_WRITER = """
auto c = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
cb_wait_front(2, M * N);
for (uint32_t i = 0; i < M * N; ++i)
  noc_async_write_tile(i, c, get_read_ptr(2) + i * 2048);
noc_async_write_barrier();
cb_pop_front(2, M * N);
"""


def test_single_core_matmul_is_compute_bound_within_10_percent():
    """1024 matmul_tiles on one core at HiFi4 (64 cycles each) over operands
    read once: the time is within 10% of tiles x cycles / clock; the product
    is right."""
    m, k, n, r = 2, 4, 4, 32

    def fill(template: str, body: str) -> str:
        for name, value in (("M", m), ("K", k), ("N", n), ("R", r)):
            body = body.replace(name, str(value))
        return template % body

    program = Program((1, 1), [KernelSpec("reader", "dm0", fill(DM, MATMUL_READER), [0, 0], 2),
                               KernelSpec("compute", "compute", fill(COMPUTE, MATMUL_COMPUTE), [], 0),
                               KernelSpec("writer", "dm1", fill(DM, MATMUL_WRITER), [0], 1)],
                      [DFBSpec(0, 2048, m * k), DFBSpec(1, 2048, k * n), DFBSpec(2, 2048, m * n)])
    a = torch.randn(32 * m, 32 * k).to(torch.bfloat16)
    b = torch.randn(32 * k, 32 * n).to(torch.bfloat16)
    c = torch.zeros(32 * m, 32 * n, dtype=torch.bfloat16)
    _, p = profiled(program, {"reader": [a, b], "writer": [c]})
    # Each matmul_tiles rounds the 16-bit DST to bf16.
    want = r * (a.double() @ b.double())
    bound = (k * r + 1) * 2.0**-8 * r * (a.double().abs() @ b.double().abs())
    assert ((c.double() - want).abs() <= bound).all()
    tiles = m * n * k * r
    matmul_us = tiles * WORMHOLE_B0.matmul_lofi * FIDELITY_PHASES / (WORMHOLE_B0.clock_ghz * 1e3)
    assert p.compute_cycles["matmul"] == tiles * 64
    assert p.binding == "compute"
    assert abs(p.time_us - matmul_us) <= 0.1 * matmul_us, (p.time_us, matmul_us)


# Core k of a row waits for core k-1's page, then sends it on to core k+1
# (NOC write, barrier, semaphore increment). Core 0 fills the page first.
CHAIN = """
uint32_t k = get_absolute_logical_x(), last = GX - 1;
uint32_t sem = get_semaphore(0);
cb_reserve_back(0, 1);
if (k > 0)
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 1);
else
  for (uint32_t i = 0; i < 512; ++i)
    reinterpret_cast<uint32_t*>(get_write_ptr(0))[i] = i;
if (k < last) {
  noc_async_write(get_write_ptr(0), get_noc_addr(k + 1, 0, get_write_ptr(0)), 2048);
  noc_async_write_barrier();
  noc_semaphore_inc(get_noc_addr(k + 1, 0, sem), 1);
}
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


def chain_time(length: int) -> float:
    program = Program((length, 1), [KernelSpec("chain", "dm0", DM % CHAIN.replace("GX", str(length)), [0], 1)],
                      [DFBSpec(0, 2048, 1)])
    _, p = profiled(program, {"chain": [torch.zeros(32, 32, dtype=torch.bfloat16)]})
    return p.cycles


def test_pipe_chain_latency_grows_with_hops():
    """Each hop adds at least a NOC write (link time, write latency) and a
    semaphore increment's latency."""
    times = [chain_time(n) for n in (2, 4, 8)]
    per_hop = 2048 / 30.0 + 2 * (WORMHOLE_B0.write_latency_base + WORMHOLE_B0.write_latency_per_hop)
    assert times[1] - times[0] >= 2 * per_hop
    assert times[2] - times[1] >= 4 * per_hop


def test_modeled_time_does_not_depend_on_worker_count(workers):
    """The chain through 8x1 cores and a 4x4 copy give the same cycles and
    the same timeline with 1 and 4 workers."""
    x = torch.randn(16 * 8 * 32, 32).to(torch.bfloat16)
    seen = []
    for n in (1, 4, 1, 4):
        workers(n)
        _, copy = profiled(copy_program((4, 4), 8), {"reader": [x], "writer": [torch.zeros_like(x)]}, timeline=True)
        seen.append((chain_time(8), copy.cycles, copy.slices))
    assert all(s == seen[0] for s in seen)


def test_signpost_scopes_are_slices_of_their_thread(tmp_path):
    """DeviceZoneScopedN in kernel C++ (what ttl.signpost emits) becomes a
    slice of its thread's track in the trace; unprofiled runs ignore it."""
    body = COPY_READER.replace("cb_reserve_back(0, 1);", '{ DeviceZoneScopedN("fetch"); cb_reserve_back(0, 1);') \
        .replace("cb_push_back(0, 1);", "cb_push_back(0, 1); }")
    program = copy_program((2, 1), 3)
    program.kernels[0].source = DM % body.replace("GX", "2").replace("TILES", "3")
    x = torch.randn(6 * 32, 32).to(torch.bfloat16)
    y = torch.zeros_like(x)
    assert run(program, {"reader": [x], "writer": [y]}, profile=False).profile is None
    _, p = profiled(program, {"reader": [x], "writer": [torch.zeros_like(x)]}, timeline=True)
    assert p.names == ["fetch"]
    zones = [s for s in p.slices if s[2] == 5]
    assert len(zones) == 6 and all(s[1] == 0 for s in zones)  # 3 per core, on dm0
    write_trace(tmp_path / "t.json", [("copy", p)])
    events = json.loads((tmp_path / "t.json").read_text())["traceEvents"]
    fetches = [e for e in events if e.get("name") == "fetch"]
    assert len(fetches) == 6 and {e["pid"] for e in fetches} == {0, 1}
    assert {e["args"]["name"] for e in events if e.get("name") == "thread_name"} >= {"dm0", "dm1", "dm0 NOC"}


def test_blackhole_has_its_own_clock_and_bandwidth():
    x = torch.randn(64 * 16 * 32, 32).to(torch.bfloat16)
    times = {}
    for arch in ("wormhole_b0", "blackhole"):
        _, p = profiled(copy_program((8, 8), 16), {"reader": [x], "writer": [torch.zeros_like(x)]}, arch)
        assert p.clock_ghz == chip(arch).clock_ghz
        times[arch] = p.time_us
    assert BLACKHOLE.dram_peak_gbs > WORMHOLE_B0.dram_peak_gbs
    assert times["blackhole"] < times["wormhole_b0"]


def test_unknown_arch_is_an_error(monkeypatch):
    with pytest.raises(ValueError, match="unknown arch 'grayskull': use one of wormhole_b0, blackhole"):
        chip("grayskull")
    monkeypatch.setenv("TTLX_ARCH", "grayskull")
    with pytest.raises(ValueError, match="TTLX_ARCH='grayskull' is not a chip ttlx models: use wormhole_b0 or "
                                         "blackhole"):
        hardware.arch()


def test_a_runtime_with_other_model_structs_is_refused():
    class Lib:
        @staticmethod
        def ttlx_rt_profile_layout(out):
            for i in range(6):
                out[i] = 1

    with pytest.raises(RuntimeError, match="performance model does not match ttlx.profile"):
        profile_model.check_layout(Lib())


def ttlx_run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return ttlx("run", *args, cwd=ROOT, env={**os.environ, **(env or {})})


def test_ttlx_run_profile_prints_writes_the_trace_and_draws(tmp_path):
    trace, picture = tmp_path / "trace.json", tmp_path / "timeline.png"
    result = ttlx_run("--profile", str(trace), "--profile-plot", str(picture), "examples/elementwise.py")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ttlx profile: fused_multiply_add on wormhole_b0 (n150, 1 GHz)" in out
    for line in ("modeled time", "DRAM             read", "roofline", "NOC ", "compute cycles   unpack",
                 "binding", "efficiency", "critical path ends on core"):
        assert line in out, line
    events = json.loads(trace.read_text())["traceEvents"]
    assert any(e.get("name") == "fused_multiply_add" and e["ph"] == "X" for e in events)
    assert any(e.get("cat") == "NOC" and e["ph"] == "b" for e in events)
    assert any(e.get("cat") == "SFPU" for e in events)
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ttlx_run_profile_on_blackhole_without_trace():
    result = ttlx_run("--profile", "--arch", "blackhole", "examples/elementwise.py")
    assert result.returncode == 0, result.stderr
    assert "on blackhole (p150, 1.35 GHz)" in result.stdout
    quiet = ttlx_run("examples/elementwise.py")
    assert "ttlx profile" not in quiet.stdout
    by_env = ttlx_run("examples/elementwise.py", env={"TTLX_PROFILE": "1"})
    assert "ttlx profile: fused_multiply_add on wormhole_b0" in by_env.stdout


def test_profile_plot_must_be_png_or_svg():
    result = ttlx_run("--profile-plot", "t.pdf", "examples/elementwise.py")
    assert result.returncode == 2
    assert "--profile-plot t.pdf: the picture is a .png or .svg file" in result.stderr


SIGNPOST_KERNEL = '''
import torch
import ttnn
import ttl


@ttl.operation(grid=(2, 1))
def scaled(x, out):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    @ttl.compute()
    def compute():
        for _ in range(2):
            with ttl.signpost("math"), x_dfb.wait() as a, out_dfb.reserve() as o:
                o.store(ttl.math.exp(a))

    @ttl.datamovement()
    def read():
        i = ttl.node(dims=1)
        for t in range(2):
            with ttl.signpost("load"):
                with x_dfb.reserve() as blk:
                    ttl.copy(x[0, i * 2 + t], blk).wait()

    @ttl.datamovement()
    def write():
        i = ttl.node(dims=1)
        for t in range(2):
            with out_dfb.wait() as blk:
                ttl.copy(blk, out[0, i * 2 + t]).wait()


x = ttnn.from_torch(torch.randn(32, 128).to(torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
out = ttnn.from_torch(torch.zeros(32, 128, dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
scaled(x, out)
'''


def test_signpost_scopes_from_kernel_code_reach_the_trace(tmp_path):
    """`with ttl.signpost(...)` (alone and beside DFB acquires, in compute
    and data-movement threads) becomes DeviceZoneScopedN in the C++ and a
    slice per execution in the trace."""
    path = tmp_path / "kernel.py"
    path.write_text(SIGNPOST_KERNEL)
    cpp = ttlx("compile", str(path), "--emit", "cpp")
    assert cpp.returncode == 0, cpp.stderr
    assert cpp.stdout.count('{ DeviceZoneScopedN("load");') == 1
    assert cpp.stdout.count('{ DeviceZoneScopedN("math");') == 1
    trace = tmp_path / "t.json"
    result = ttlx_run("--profile", str(trace), str(path))
    assert result.returncode == 0, result.stderr
    events = json.loads(trace.read_text())["traceEvents"]
    tracks = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    for name, track, count in (("load", "dm0", 4), ("math", "compute: math", 4)):
        slices = [e for e in events if e.get("name") == name and e["ph"] == "X"]
        assert len(slices) == count, name
        assert {tracks[(e["pid"], e["tid"])] for e in slices} == {track}


@pytest.mark.parametrize("call,message", [
    ("ttl.signpost(name)", 'ttl.signpost takes the scope\'s name, a string constant: with ttl.signpost\\("name"\\):'),
    ('ttl.signpost("a") as s', "ttl.signpost\\(...\\) binds no value: drop the 'as' name"),
])
def test_signpost_errors(tmp_path, call, message):
    text = SIGNPOST_KERNEL.replace('ttl.signpost("load")', call).replace("i = ttl.node(dims=1)\n        for t",
                                                                         "i = ttl.node(dims=1)\n        name = 'x'\n"
                                                                         "        for t", 1)
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx_run(str(path))
    assert result.returncode == 1
    import re

    assert re.search(message, result.stderr), result.stderr
