# SPDX-License-Identifier: Apache-2.0
"""The fiber scheduler (docs/runtime.md, "Execution"): kernel threads of all
cores run as fibers on TTLX_WORKERS host threads; results are the same bits
for any number of workers, and a fault on one core is reported while the
other cores are still busy."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
import torch

import ttlx as ttl
from ttlx.lang import ttnn
from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, Program, run
from ttlx.runtime.layout import tilize

GRID = 8
TILES = 4  # tiles per node


@ttl.operation(grid=(GRID, GRID))
def add_row_bias(bias, x, out):
    """Node (0, j) reads row j's bias tiles and multicasts each to nodes
    (1..7, j) through a pipe; every node adds it to its own tiles."""
    net = ttl.PipeNet([ttl.Pipe(src=(0, j), dst=(slice(1, GRID), j)) for j in range(GRID)])
    bias_dfb = ttl.make_dataflow_buffer_like(bias, shape=(1, 1), block_count=2)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    @ttl.compute()
    def add():
        for t in range(TILES):
            with bias_dfb.wait() as b, x_dfb.wait() as a, out_dfb.reserve() as o:
                o.store(a * a + b)

    @ttl.datamovement()
    def bias_in():
        i, j = ttl.node(dims=2)
        for t in range(TILES):
            with bias_dfb.reserve() as b:
                if i == 0:
                    ttl.copy(bias[j, t], b).wait()

                    def send(pipe):
                        ttl.copy(b, pipe).wait()

                    net.if_src(send)
                else:
                    def receive(pipe):
                        ttl.copy(pipe, b).wait()

                    net.if_dst(receive)

    @ttl.datamovement()
    def x_in_out():
        i, j = ttl.node(dims=2)
        for t in range(TILES):
            with x_dfb.reserve() as a:
                ttl.copy(x[j, i * TILES + t], a).wait()
            with out_dfb.wait() as o:
                ttl.copy(o, out[j, i * TILES + t]).wait()


@pytest.fixture
def workers(monkeypatch):
    def use(n: int) -> None:
        monkeypatch.setenv("TTLX_WORKERS", str(n))

    return use


def test_pipes_on_8x8_give_the_same_bits_for_any_worker_count(workers):
    torch.manual_seed(3)
    bias_host = torch.randn(32 * GRID, 32 * TILES).to(torch.bfloat16)
    x_host = torch.randn(32 * GRID, 32 * GRID * TILES).to(torch.bfloat16)
    bias = ttnn.from_torch(bias_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    many = max(4, os.cpu_count() or 1)
    first = None
    for k in range(100):
        workers(1 if k % 2 == 0 else many)
        out = ttnn.from_torch(torch.zeros_like(x_host), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
        add_row_bias(bias, x, out)
        bits = ttnn.to_torch(out).view(torch.int16)
        if first is None:
            first = bits.clone()
            want = (x_host.float() * x_host.float()).to(torch.bfloat16).float() + bias_host.float().repeat(1, GRID)
            assert (ttnn.to_torch(out).float() - want).abs().max().item() <= 2.0**-3
        assert torch.equal(bits, first), f"run {k} with {1 if k % 2 == 0 else many} worker(s) differs"


def test_fault_on_one_core_is_reported_while_others_are_busy(workers):
    """Core (3, 2) reads past its DRAM buffer while the 63 others stream
    blocks through a DFB; the run stops with that core's report."""
    body = """
    uint32_t pages = 20000;
    auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
    bool bad = get_absolute_logical_x() == 3 && get_absolute_logical_y() == 2;
    for (uint32_t i = 0; i < pages; ++i) {
      cb_reserve_back(0, 1);
      noc_async_read_tile(bad && i == 40 ? 1000000 : i % 8, s, get_write_ptr(0));
      noc_async_read_barrier();
      cb_push_back(0, 1);
      cb_wait_front(0, 1);
      cb_pop_front(0, 1);
    }
    """
    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + body + "\n}\n"
    prog = Program((8, 8), [KernelSpec("streamer", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)])
    for n in (1, 4):
        workers(n)
        with pytest.raises(KernelFault) as info:
            run(prog, {"streamer": [torch.zeros(256, 32, dtype=torch.bfloat16)]})
        report = str(info.value)
        assert report.startswith("core (3, 2) dm0 kernel 'streamer': DRAM page 1000000 is out of bounds"), report
        assert "streamer.cpp:" in report


# A chain through every core of the grid: core k (row-major) waits for core
# k-1's page in its DFB, adds 1 to each value, and sends the page on to core
# k+1 (NOC write, then a semaphore increment); the last core writes it to DRAM.
CHAIN = """
uint32_t gx = GX, gy = GY;
uint32_t k = get_absolute_logical_y() * gx + get_absolute_logical_x(), last = gx * gy - 1;
uint32_t sem = get_semaphore(0);
cb_reserve_back(0, 1);
int16_t* p = reinterpret_cast<int16_t*>(get_write_ptr(0));
if (k == 0)
  for (int i = 0; i < 1024; ++i) p[i] = (int16_t)i;
else
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 1);
for (int i = 0; i < 1024; ++i) p[i] += 1;
if (k < last) {
  uint32_t next = k + 1;
  noc_async_write(get_write_ptr(0), get_noc_addr(next % gx, next / gx, get_write_ptr(0)), 2048);
  noc_async_write_barrier();
  noc_semaphore_inc(get_noc_addr(next % gx, next / gx, sem), 1);
} else {
  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
  noc_async_write_tile(0, s, get_write_ptr(0));
  noc_async_write_barrier();
}
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


@pytest.mark.parametrize("grid", [(8, 8), (13, 10)], ids=["wormhole-8x8", "blackhole-13x10"])
def test_chain_through_every_core(grid, workers):
    """Blackhole's 13x10 grid (130 nodes) runs, with NOC writes and
    semaphores between every pair of neighbours."""
    gx, gy = grid
    body = CHAIN.replace("GX", str(gx)).replace("GY", str(gy))
    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + body + "\n}\n"
    prog = Program(grid, [KernelSpec("chain", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 1)])
    for n in (1, 3):
        workers(n)
        out = torch.zeros(32, 32, dtype=torch.bfloat16)
        result = run(prog, {"chain": [out]})
        want = torch.arange(1024, dtype=torch.int16) + gx * gy
        assert torch.equal(tilize(out).view(torch.int16), want)
        assert result.counters["total"]["noc_writes"] == gx * gy  # gx*gy-1 sends, one DRAM write


# Each core notes what it finds in its L1 before writing anything (the
# semaphores' first values, 7 and 0, a word above the DFBs, whether its reserved page
# is the poison, where its L1 is), then makes stray writes to the semaphores
# and above the DFBs, and sends the notes to its tile of the output.
FRESH_L1 = """
auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
uint32_t x = get_absolute_logical_x();
auto* sem = reinterpret_cast<volatile uint32_t*>(static_cast<uintptr_t>(get_semaphore(0)));
auto* other = reinterpret_cast<volatile uint32_t*>(static_cast<uintptr_t>(get_semaphore(1)));
auto* above = reinterpret_cast<volatile uint32_t*>(static_cast<uintptr_t>(get_write_ptr(0) + 65536));
cb_reserve_back(0, 1);
auto* page = reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(get_write_ptr(0)));
uint32_t poison = 1;
for (int i = 0; i < 512; ++i) poison &= page[i] == 0x7fa57fa5u;
uint32_t notes[6] = {*sem, *other, *above, poison, get_write_ptr(0), x};
for (int i = 0; i < 512; ++i) page[i] = i < 6 ? notes[i] : 0;
*sem = 0xdead;
*other = 0xdead;
*above = 0xbeef;
noc_async_write_tile(x, s, get_write_ptr(0));
noc_async_write_barrier();
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


@pytest.mark.parametrize("count", [1, 2])
def test_a_core_started_on_a_finished_cores_l1_finds_a_fresh_l1(workers, count):
    """No kernel forms L1 addresses, so a core that finished hands its L1
    memory to the next core to start (Device::startL1: the memory is
    still in the host's caches). The next core finds what a fresh L1 holds:
    the semaphores' first values, zero above the DFBs, the poison in the
    page it reserves; not the stray writes of the core before. With one
    worker the cores run one after another, all on one L1 memory."""
    workers(count)
    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + FRESH_L1 + "}\n"
    prog = Program((4, 1), [KernelSpec("notes", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)], semaphores=(7,))
    out = torch.zeros(32, 4 * 32, dtype=torch.bfloat16)
    result = run(prog, {"notes": [out]})
    notes = tilize(out).view(torch.int32).reshape(4, 512)[:, :6].tolist()
    assert [n[5] for n in notes] == [0, 1, 2, 3]
    assert [n[:4] for n in notes] == [[7, 0, 0, 1]] * 4
    if count == 1:
        assert len({n[4] for n in notes}) == 1, notes
        assert result.counters["total"]["l1_taken_over"] == 3


@ttl.operation(grid=(GRID, 2))
def copy_first_column(x, out):
    """Node (0, j) reads tile (j, 0) and sends it through a pipe to the
    other nodes of its row; every node writes it to its tile of `out`."""
    net = ttl.PipeNet([ttl.Pipe(src=(0, j), dst=(slice(1, GRID), j)) for j in range(2)])
    dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def take():
        i, j = ttl.node(dims=2)
        with dfb.reserve() as b:
            if i == 0:
                ttl.copy(x[j, 0], b).wait()

                def send(pipe):
                    ttl.copy(b, pipe).wait()

                net.if_src(send)
            else:
                def receive(pipe):
                    ttl.copy(pipe, b).wait()

                net.if_dst(receive)

    @ttl.datamovement()
    def give():
        i, j = ttl.node(dims=2)
        with dfb.wait() as b:
            ttl.copy(b, out[j, i]).wait()


def test_a_compiled_pipe_program_hands_l1_over(workers):
    """A program compiled from TTL reaches other cores' L1 only through
    tt-lang's pipes (a destination pulls a staged block while its source's
    semaphore counts the pulls to come) and semaphores: a core that finished
    with its semaphores at their first values hands its L1 memory to the
    next core to start. With one worker the nodes of a row run one after
    another; a source, whose block may still be pulled, keeps its own."""
    workers(1)
    x_host = torch.randn(64, 32 * GRID).to(torch.bfloat16)
    x = ttnn.from_torch(x_host, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    out = ttnn.from_torch(torch.zeros_like(x_host), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    copy_first_column(x, out)
    assert torch.equal(ttnn.to_torch(out), x_host[:, :32].repeat(1, GRID))
    counters = copy_first_column.last_run.counters
    taken = [[counters[(i, j)]["l1_taken_over"] for i in range(GRID)] for j in range(2)]
    # Node (1, j) starts while the row's only finished node is its source,
    # whose staged block is still to be pulled; (0, 1) takes (7, 0)'s.
    assert taken == [[0, 0] + [1] * (GRID - 2), [1, 0] + [1] * (GRID - 2)]


# Core 1 leaves a page of results in its DFB and finishes; core 2, started
# after it, signals core 0, which reads core 1's page through the NOC and
# writes it to DRAM (the order: core 1 -> core 2 -> core 0, by semaphores).
READ_A_FINISHED_CORE = """
uint32_t x = get_absolute_logical_x();
uint32_t sem = get_semaphore(0);
auto* mine = reinterpret_cast<volatile uint32_t*>(static_cast<uintptr_t>(sem));
if (x == 0)
  noc_semaphore_wait(mine, 1);
cb_reserve_back(0, 1);
auto* page = reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(get_write_ptr(0)));
for (int i = 0; i < 512; ++i) page[i] = x == 1 ? 1000 + i : 0;
if (x == 0) {
  noc_async_read(get_noc_addr(1, 0, get_write_ptr(0)), get_write_ptr(0), 2048);
  noc_async_read_barrier();
  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
  noc_async_write_tile(0, s, get_write_ptr(0));
  noc_async_write_barrier();
}
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
if (x == 1)
  noc_semaphore_inc(get_noc_addr(2, 0, sem), 1);
if (x == 2) {
  noc_semaphore_wait(mine, 1);
  noc_semaphore_inc(get_noc_addr(0, 0, sem), 1);
}
"""


def read_a_finished_core(by_ttl_protocol: bool) -> tuple[Program, torch.Tensor]:
    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + \
        READ_A_FINISHED_CORE + "}\n"
    prog = Program((3, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)],
                   l1_by_ttl_protocol=by_ttl_protocol)
    return prog, torch.zeros(32, 32, dtype=torch.bfloat16)


def test_a_program_of_its_own_nocs_reads_a_finished_cores_l1(workers):
    """Kernels that form NOC addresses of their own (not a compiled TTL
    program) may read a core's L1 after its kernels finished, as on the
    device: no core hands its L1 memory on."""
    workers(1)
    prog, out = read_a_finished_core(by_ttl_protocol=False)
    result = run(prog, {"k": [out]})
    assert tilize(out).view(torch.int32).tolist() == [1000 + i for i in range(512)]
    assert result.counters["total"]["l1_taken_over"] == 0


def test_reading_a_core_whose_l1_went_to_another_is_a_fault(workers):
    """Said to follow tt-lang's protocol, the same program reads core 1's
    L1 after core 1 finished at rest and core 2 took its memory: a fault at
    the read's line, never another core's bytes."""
    workers(1)
    prog, out = read_a_finished_core(by_ttl_protocol=True)
    with pytest.raises(KernelFault) as info:
        run(prog, {"k": [out]})
    line = ("#include <cstdint>\n#include \"api/dataflow/dataflow_api.h\"\nvoid kernel_main() {\n"
            + READ_A_FINISHED_CORE).splitlines().index(
        "  noc_async_read(get_noc_addr(1, 0, get_write_ptr(0)), get_write_ptr(0), 2048);") + 1
    assert str(info.value) == (
        "core (0, 0) dm0 kernel 'k': noc_async_read source: core (1, 0)'s L1 (offset 64) after its kernels "
        "finished with their semaphores at their first values, and its L1 memory went to a core that started "
        "after it (the pipes and semaphores of a compiled program leave nothing to reach there) "
        f"at k.cpp:{line}")


# Core 0 writes a page into core 2's DFB before core 2 starts, then signals
# it; core 2 writes that page to DRAM. Core 0's own page holds other bytes.
WRITE_A_CORE_NOT_STARTED = """
uint32_t x = get_absolute_logical_x();
uint32_t sem = get_semaphore(0);
if (x == 0) {
  cb_reserve_back(0, 1);
  auto* page = reinterpret_cast<uint32_t*>(static_cast<uintptr_t>(get_write_ptr(0)));
  for (int i = 0; i < 512; ++i) page[i] = 2000 + i;
  noc_async_write(get_write_ptr(0), get_noc_addr(2, 0, get_write_ptr(0)), 2048);
  noc_async_write_barrier();
  noc_semaphore_inc(get_noc_addr(2, 0, sem), 1);
  for (int i = 0; i < 512; ++i) page[i] = 7;
  cb_push_back(0, 1);
  cb_wait_front(0, 1);
  cb_pop_front(0, 1);
} else if (x == 2) {
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(static_cast<uintptr_t>(sem)), 1);
  cb_reserve_back(0, 1);
  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
  noc_async_write_tile(0, s, get_write_ptr(0));
  noc_async_write_barrier();
  cb_push_back(0, 1);
  cb_wait_front(0, 1);
  cb_pop_front(0, 1);
}
"""


def test_a_core_written_before_it_starts_keeps_its_l1(workers):
    """Bytes another core moved into a core's L1 before it started stay
    its own: that core keeps its L1 memory, while the next one takes a
    finished core's."""
    workers(1)
    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + \
        WRITE_A_CORE_NOT_STARTED + "}\n"
    prog = Program((4, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)],
                   l1_by_ttl_protocol=True)
    out = torch.zeros(32, 32, dtype=torch.bfloat16)
    result = run(prog, {"k": [out]})
    assert tilize(out).view(torch.int32).tolist() == [2000 + i for i in range(512)]
    taken = [result.counters[(x, 0)]["l1_taken_over"] for x in range(4)]
    assert taken == [0, 1, 0, 1]


# Run as a real process (not by the tests' fork server, whose children are
# forks already).
FORK_AFTER_RUN = textwrap.dedent("""
    import os, sys, time
    import torch
    import ttlx as ttl
    from ttlx.lang import ttnn

    @ttl.operation(grid=(2, 1))
    def square(x, out):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

        @ttl.compute()
        def compute():
            with x_dfb.wait() as a, out_dfb.reserve() as o:
                o.store(a * a)

        @ttl.datamovement()
        def read():
            i, _ = ttl.node(dims=2)
            with x_dfb.reserve() as a:
                ttl.copy(x[0, i], a).wait()

        @ttl.datamovement()
        def write():
            i, _ = ttl.node(dims=2)
            with out_dfb.wait() as o:
                ttl.copy(o, out[0, i]).wait()

    # Small tensors: torch's own ops stay serial (its OpenMP pool cannot
    # serve a fork either).
    x = ttnn.from_torch(torch.randn(32, 64).to(torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
    outs = [ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16), dtype=ttnn.bfloat16,
                            layout=ttnn.TILE_LAYOUT) for _ in range(2)]
    square(x, outs[0])
    parent = ttnn.to_torch(outs[0]).view(torch.int16).numpy().tobytes()
    pid = os.fork()
    if pid == 0:
        square(x, outs[1])
        os._exit(0 if ttnn.to_torch(outs[1]).view(torch.int16).numpy().tobytes() == parent else 1)
    deadline = time.monotonic() + 60
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, 9)
        sys.exit("the forked child's operation did not finish in 60 s")
    sys.exit(f"the forked child's result differs (exit status {os.waitstatus_to_exitcode(done[1])})"
             if done[1] else 0)
""")


def test_a_process_forked_after_a_run_runs_operations(tmp_path):
    """The workers are the process's OpenMP threads (HostThreads.h), which a
    forked child cannot use: a child forked after its parent ran an
    operation on two workers runs one too, with threads of its own, and
    gets the parent's bits."""
    script = tmp_path / "fork_after_run.py"
    script.write_text(FORK_AFTER_RUN)
    env = {**os.environ, "TTLX_WORKERS": "2"}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
