# SPDX-License-Identifier: Apache-2.0
"""The race detector (docs/runtime.md, "Faults"): accesses by threads of
different cores to the same bytes of DRAM or L1, one a write, with no
happens-before order between them (vector clocks advanced by DFB, semaphore
and barrier events) are a KernelFault (TTLX_RACES=error, the default), a
KernelWarning (warn) or nothing (off). Every run, whichever core comes
second."""

from __future__ import annotations

import os
import re
import subprocess
import warnings
from pathlib import Path

import pytest
import torch
from kernel_cli import ttlx

import ttlx as ttl
from ttlx.lang import ttnn
from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, KernelWarning, Program, run

NODES = 4


@ttl.operation(grid=(NODES, 1))
def square_rows(x, out):
    """Node k squares tile rows 2k and 2k+1; node k+1 also writes its raw
    boundary row into row 2k+1, which node k writes too (the published bug)."""
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)

    @ttl.compute()
    def compute():
        for r in range(2):
            with x_dfb.wait() as a, y_dfb.reserve() as b:
                b.store(a * a)

    @ttl.datamovement()
    def read():
        k = ttl.node(dims=1)
        for r in range(2):
            with x_dfb.reserve() as blk:
                ttl.copy(x[2 * k + r, 0], blk).wait()

    @ttl.datamovement()
    def write():
        k = ttl.node(dims=1)
        for r in range(2):
            with y_dfb.wait() as blk:
                ttl.copy(blk, out[2 * k + r, 0]).wait()
                if k > 0 and r == 0:
                    ttl.copy(blk, out[2 * k - 1, 0]).wait()


def tensors():
    x = ttnn.from_torch(torch.randn(64 * NODES, 32).to(torch.bfloat16), layout=ttnn.TILE_LAYOUT)
    return x, ttnn.zeros((64 * NODES, 32), dtype=ttnn.bfloat16)


RACE = re.compile(
    r"core \((\d), 0\) dm1 kernel 'write': race: writes DRAM tensor 'out' page (\d) \(tile row (\d), column 0\), "
    r"which core \((\d), 0\) dm1 kernel 'write' wrote at write\.cpp:\d+ \(.*test_runtime_races\.py:(\d+):\d+\), "
    r"and nothing orders the two accesses \(no DFB, semaphore or barrier chain between the threads\) "
    r"at write\.cpp:\d+ \(.*test_runtime_races\.py:(\d+):\d+\)")


@pytest.mark.parametrize("workers", ["1", "2", "1", "2", "4"])
def test_overlapping_output_rows_are_a_race_every_run(monkeypatch, workers):
    monkeypatch.setenv("TTLX_WORKERS", workers)
    with pytest.raises(KernelFault) as info:
        square_rows(*tensors())
    m = RACE.fullmatch(str(info.value))
    assert m, str(info.value)
    core, page, row, other, *lines = (int(g) for g in m.groups())
    assert page == row and row % 2 == 1  # the last row of a node
    assert {core, other} == {row // 2, row // 2 + 1}  # node k and node k+1
    assert len(set(lines)) == 2  # the boundary copy and the row copy


def test_races_warn_and_off(monkeypatch):
    monkeypatch.setenv("TTLX_RACES", "warn")
    with pytest.warns(KernelWarning, match=r"race: writes DRAM tensor 'out' page \d \(tile row \d, column 0\)"):
        square_rows(*tensors())
    monkeypatch.setenv("TTLX_RACES", "off")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        square_rows(*tensors())


def test_bad_races_setting(monkeypatch):
    monkeypatch.setenv("TTLX_RACES", "sometimes")
    with pytest.raises(RuntimeError, match="TTLX_RACES=sometimes: use error, warn or off"):
        square_rows(*tensors())


HEADER = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n'


def kernel(body: str, grid=(3, 1)) -> Program:
    source = HEADER + body + "\n}\n"
    return Program(grid, [KernelSpec("k", "dm0", source, [0], 0)], [DFBSpec(0, 2048, 2)])


# Cores 0 and 1 each write a page into core 2's DFB 0 page 0 and raise its
# semaphore; core 2 waits for both, pushes and pops the page.
GATHER = """
uint32_t sem = get_semaphore(0);
uint32_t x = get_absolute_logical_x();
cb_reserve_back(0, 1);
reinterpret_cast<uint32_t*>(get_write_ptr(0))[0] = x;
if (x < 2) {
  noc_async_write(get_write_ptr(0), get_noc_addr(2, 0, get_write_ptr(0)), 2048);
  {barrier}
  noc_semaphore_inc(get_noc_addr(2, 0, sem), 1);
  {after}
} else {
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 2);
}
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


def write_line(body: str) -> int:
    return (HEADER + body).splitlines().index(
        "  noc_async_write(get_write_ptr(0), get_noc_addr({}, 0, get_write_ptr(0)), 2048);".format(
            2 if body is GATHER else 1)) + 1


def test_two_cores_writing_one_l1_page_race():
    with pytest.raises(KernelFault) as info:
        run(kernel(GATHER.replace("{barrier}", "noc_async_write_barrier();").replace("{after}", "")), {})
    line = write_line(GATHER)
    assert re.fullmatch(
        r"core \(([01]), 0\) dm0 kernel 'k': race: writes L1 of core \(2, 0\) at offset 64 \(DFB 0 page 0\), which "
        rf"core \((?!\1)[01], 0\) dm0 kernel 'k' wrote at k\.cpp:{line}, and nothing orders the two accesses \(no DFB, "
        rf"semaphore or barrier chain between the threads\) at k\.cpp:{line}", str(info.value)), str(info.value)


SEND = """
uint32_t sem = get_semaphore(0);
uint32_t x = get_absolute_logical_x();
cb_reserve_back(0, 1);
reinterpret_cast<uint32_t*>(get_write_ptr(0))[0] = x;
if (x == 0) {
  noc_async_write(get_write_ptr(0), get_noc_addr(1, 0, get_write_ptr(0)), 2048);
  {before}
  noc_semaphore_inc(get_noc_addr(1, 0, sem), 1);
  {after}
} else {
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 1);
}
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


@pytest.mark.parametrize("signal", ["noc_semaphore_inc(get_noc_addr(1, 0, sem), 1);",
                                    "noc_inline_dw_write(get_noc_addr(1, 0, sem), 1);"], ids=["increment", "inline"])
def test_a_write_is_in_flight_until_its_barrier(signal):
    """Signalling before the barrier orders nothing: the receiver's push (its
    write of the page) races with the write still in flight. The signal is an
    increment or an inline write of the word (as a pipe's mailbox)."""
    send = SEND.replace("noc_semaphore_inc(get_noc_addr(1, 0, sem), 1);", signal)
    ordered = send.replace("{before}", "noc_async_write_barrier();").replace("{after}", "")
    run(kernel(ordered, grid=(2, 1)), {})
    unordered = send.replace("{before}", "").replace("{after}", "noc_async_write_barrier();")
    with pytest.raises(KernelFault) as info:
        run(kernel(unordered, grid=(2, 1)), {})
    assert str(info.value).startswith(
        "core (1, 0) dm0 kernel 'k': race: writes L1 of core (1, 0) at offset 64 (DFB 0 page 0), which "
        f"core (0, 0) dm0 kernel 'k' wrote at k.cpp:{write_line(SEND)}, and nothing orders"), str(info.value)


# Cores 0 and 1 write pages 0 and 1 of core 2's DFB 0 and raise its
# semaphore; core 2 waits, then pushes (writes) both pages.
SIGNAL_EACH = """
uint32_t sem = get_semaphore(0);
uint32_t x = get_absolute_logical_x();
cb_reserve_back(0, 2);
reinterpret_cast<uint32_t*>(get_write_ptr(0))[0] = x;
reinterpret_cast<uint32_t*>(get_write_ptr(0))[512] = x;
if (x < 2) {
  noc_async_write(get_write_ptr(0), get_noc_addr(2, 0, get_write_ptr(0) + 2048 * x), 2048);
  noc_async_write_barrier();
  noc_semaphore_inc(get_noc_addr(2, 0, sem), 1);
} else {
  {wait}
}
cb_push_back(0, 2);
cb_wait_front(0, 2);
cb_pop_front(0, 2);
"""


@pytest.mark.parametrize("workers", ["1", "2", "1", "2"])
def test_a_semaphore_wait_orders_only_the_releases_it_needed(monkeypatch, workers):
    """Waiting for 2 orders both writes before core 2's push. Waiting for at
    least 1 orders one: on the device the wait may return before the other
    core's increment lands. When both increments came first (with one worker,
    always), the wait used to acquire both and the race went unseen."""
    monkeypatch.setenv("TTLX_WORKERS", workers)
    run(kernel(SIGNAL_EACH.replace("{wait}", "noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 2);")),
        {})
    with pytest.raises(KernelFault) as info:
        run(kernel(SIGNAL_EACH.replace("{wait}", "noc_semaphore_wait_min(reinterpret_cast<volatile uint32_t*>(sem), "
                                                 "1);")), {})
    lines = (HEADER + SIGNAL_EACH).splitlines()
    write = lines.index("  noc_async_write(get_write_ptr(0), get_noc_addr(2, 0, get_write_ptr(0) + 2048 * x), "
                        "2048);") + 1
    push = lines.index("cb_push_back(0, 2);") + 1
    tail = (r", and nothing orders the two accesses \(no DFB, semaphore or barrier chain between the threads\) at "
            r"k\.cpp:")
    page = r"L1 of core \(2, 0\) at offset (64|2112) \(DFB 0 page ([01])\)"
    push_second = re.fullmatch(rf"core \(2, 0\) dm0 kernel 'k': race: writes {page}, which core \(([01]), 0\) dm0 "
                               rf"kernel 'k' wrote at k\.cpp:{write}{tail}{push}", str(info.value))
    write_second = re.fullmatch(rf"core \(([01]), 0\) dm0 kernel 'k': race: writes {page}, which core \(2, 0\) dm0 "
                                rf"kernel 'k' wrote at k\.cpp:{push}{tail}{write}", str(info.value))
    assert push_second or write_second, str(info.value)
    if push_second:
        assert push_second.group(2) == push_second.group(3), str(info.value)  # page k is core k's
    else:
        assert write_second.group(1) == write_second.group(3), str(info.value)


BARRIER_KERNEL = Path(__file__).resolve().parents[1] / "kernels" / "semaphore_barrier.py"


def run_file(path: Path, workers: str) -> subprocess.CompletedProcess:
    return ttlx("run", str(path), env={**os.environ, "TTLX_WORKERS": workers})


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_read_ordered_only_by_a_semaphore_wait_races_without_it(tmp_path, workers):
    """Node 0 reads y[0, 1..3] after waiting for the other nodes' `done`
    increments, which follow their writes of y. Without the wait the reads
    race with those writes: reported with both lines, whichever comes first.
    (A DFB wait acquires only the pushes of the pages it waits for: node 0's
    reader pushing its later pages before the compute thread's first wait
    used to order the reads before everything node 0 did after that wait.)"""
    text = BARRIER_KERNEL.read_text()
    assert run_file(BARRIER_KERNEL, workers).returncode == 0  # with the wait: no report
    wait = "            done.wait_eq(3)\n"
    assert wait in text
    path = tmp_path / "no_wait.py"
    path.write_text(text.replace(wait, ""))
    result = run_file(path, workers)
    lines = text.replace(wait, "").splitlines()
    read_lines = [i for i, t in enumerate(lines, 1) if re.search(r"ttl\.copy\(y\[0, [123]\], blk\)", t)]
    write_line = next(i for i, t in enumerate(lines, 1) if "ttl.copy(o, y[0, n])" in t)
    site = rf"\w+\.cpp:\d+ \({re.escape(str(path))}:(\d+):17\)"
    read = rf"core \(0, 0\) dm0 kernel 'read'"
    write = rf"core \(([123]), 0\) dm1 kernel 'write'"
    page = r"DRAM tensor 'y' page ([123]) \(tile row 0, column \d\)"
    tail = r", and nothing orders the two accesses \(no DFB, semaphore or barrier chain between the threads\) at "
    reads_second = re.search(rf"kernel fault: {read}: race: reads {page}, which {write} wrote at {site}{tail}{site}",
                             result.stderr)
    writes_second = re.search(rf"kernel fault: {write}: race: writes {page}, which {read} read at {site}{tail}{site}",
                              result.stderr)
    assert result.returncode == 1 and (reads_second or writes_second), result.stderr
    if reads_second:
        page_no, core, write_at, read_at = (int(g) for g in reads_second.groups())
    else:
        core, page_no, read_at, write_at = (int(g) for g in writes_second.groups())
    assert core == page_no and write_at == write_line and read_at == read_lines[page_no - 1], result.stderr


def two_cores_write_part_of_a_row(fill: str) -> torch.Tensor:
    """Cores 0 and 1 each fill 64 bytes of L1 (byte i = `fill`, with x the
    core's column) and write 16 of them, unordered, over bytes 8..23 of row
    0 of a (4, 16) bf16 row-major tensor; returns the tensor."""
    source = (HEADER + "  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 32);\n"
              "  uint32_t x = get_absolute_logical_x();\n"
              "  cb_reserve_back(0, 1);\n  uint32_t l1 = get_write_ptr(0);\n"
              f"  for (uint32_t i = 0; i < 64; ++i) reinterpret_cast<uint8_t*>(l1)[i] = {fill};\n"
              "  noc_async_write(l1, get_noc_addr(0, s, 8), 16);\n  noc_async_write_barrier();\n}\n")
    t = torch.zeros(4, 16, dtype=torch.bfloat16)
    run(Program((2, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 64, 1)]), {"k": [t]},
        row_major={id(t)})
    return t


def test_two_cores_writing_the_same_bytes_into_part_of_a_row_is_benign():
    """Only the transfer's own bytes decide: the L1 bytes beyond the 16
    written differ between the cores (they once made this a race)."""
    t = two_cores_write_part_of_a_row("i < 16 ? 7 : x + 1")
    want = torch.zeros(4 * 16 * 2, dtype=torch.uint8)
    want[8:24] = 7
    assert torch.equal(t.view(-1).view(torch.uint8), want)


def test_two_cores_writing_other_bytes_into_part_of_a_row_race():
    with pytest.raises(KernelFault) as info:
        two_cores_write_part_of_a_row("i < 16 ? x + 1 : 0")
    assert re.fullmatch(
        r"core \(([01]), 0\) dm0 kernel 'k': race: writes DRAM tensor 'argument 0 of k' page 0 bytes 8 to 23, which "
        r"core \((?!\1)[01], 0\) dm0 kernel 'k' wrote at k\.cpp:\d+, and nothing orders the two accesses \(no DFB, "
        r"semaphore or barrier chain between the threads\) at k\.cpp:\d+", str(info.value)), str(info.value)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_waiting_for_fewer_signals_than_the_reads_need_races(tmp_path, workers):
    """Node 0 waits for one `done` increment instead of three, then reads
    what all three nodes wrote. With one worker nodes 1-3 all signal before
    node 0 runs again: the wait used to acquire every increment so far and
    the race went unseen (the output was right by luck of the schedule)."""
    text = BARRIER_KERNEL.read_text().replace("done.wait_eq(3)", "done.wait_ge(1)")
    path = tmp_path / "wait_for_one.py"
    path.write_text(text)
    result = run_file(path, workers)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = text.splitlines()
    write_line = next(i for i, t in enumerate(lines, 1) if "ttl.copy(o, y[0, n])" in t)
    site = rf"\w+\.cpp:\d+ \({re.escape(str(path))}:(\d+):17\)"
    assert re.search(rf"kernel fault: core \(0, 0\) dm0 kernel 'read': race: reads DRAM tensor 'y' page ([123]) "
                     rf"\(tile row 0, column \d\), which core \(([123]), 0\) dm1 kernel 'write' wrote at {site}, and "
                     rf"nothing orders", result.stderr) or \
        re.search(rf"kernel fault: core \(([123]), 0\) dm1 kernel 'write': race: writes DRAM tensor 'y' page ([123]) "
                  rf"\(tile row 0, column \d\), which core \(0, 0\) dm0 kernel 'read' read at {site}", result.stderr), \
        result.stderr
    assert str(write_line) in result.stderr, result.stderr


def write_row_parts(step: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Node k of 2 copies x[k, 0:24] into y[r, step * k:step * k + 24] of
    every row r, nothing ordering the nodes: disjoint parts of each row when
    step is 24, 8 elements in common when it is 16. Returns x and y."""

    @ttl.operation(grid=(2, 1))
    def row_parts(x, y):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 24), block_count=2)

        @ttl.datamovement()
        def read():
            k = ttl.node(dims=1)
            for r in range(4):
                with dfb.reserve() as blk:
                    ttl.copy(x[k, 0:24], blk).wait()

        @ttl.compute()
        def compute():
            pass

        @ttl.datamovement()
        def write():
            k = ttl.node(dims=1)
            for r in range(4):
                with dfb.wait() as blk:
                    ttl.copy(blk, y[r, step * k:step * k + 24]).wait()

    x = torch.arange(48).reshape(2, 24).to(torch.bfloat16)  # exact in bf16, no two equal
    y = ttnn.from_torch(torch.zeros(4, step + 24, dtype=torch.bfloat16), layout=ttnn.ROW_MAJOR_LAYOUT)
    row_parts(ttnn.from_torch(x, layout=ttnn.ROW_MAJOR_LAYOUT), y)
    return x, ttnn.to_torch(y)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_two_cores_writing_disjoint_parts_of_a_row_do_not_race(monkeypatch, workers):
    """A row-major row is one page: the race detector once tracked it whole
    and reported this."""
    monkeypatch.setenv("TTLX_WORKERS", workers)
    x, y = write_row_parts(24)
    assert torch.equal(y, x.reshape(1, 48).expand(4, 48))  # moved, never computed: exact


@pytest.mark.parametrize("workers", ["1", "2"])
def test_two_cores_writing_overlapping_parts_of_a_row_race(monkeypatch, workers):
    monkeypatch.setenv("TTLX_WORKERS", workers)
    with pytest.raises(KernelFault) as info:
        write_row_parts(16)
    # Elements 16..23 of the row, both nodes', are bytes 32..47.
    assert re.fullmatch(
        r"core \(([01]), 0\) dm1 kernel 'write': race: writes DRAM tensor 'y' page 0 bytes 32 to 47, which "
        r"core \((?!\1)[01], 0\) dm1 kernel 'write' wrote at write\.cpp:\d+ \(.*test_runtime_races\.py:(\d+):\d+\), "
        r"and nothing orders the two accesses \(no DFB, semaphore or barrier chain between the threads\) "
        r"at write\.cpp:\d+ \(.*test_runtime_races\.py:(\d+):\d+\)", str(info.value)), str(info.value)


def write_and_read_parts_of_a_row(read_from: int) -> None:
    """Core 0 writes bytes 0..15 of row 0 of a (4, 16) bf16 row-major tensor
    while core 1 reads 16 bytes of it from byte `read_from`, unordered."""
    source = (HEADER + "  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 32);\n"
              "  cb_reserve_back(0, 1);\n  uint32_t l1 = get_write_ptr(0);\n"
              "  for (uint32_t i = 0; i < 16; ++i) reinterpret_cast<uint8_t*>(l1)[i] = 5;\n"
              "  if (get_absolute_logical_x() == 0) {\n"
              "    noc_async_write(l1, get_noc_addr(0, s, 0), 16);\n    noc_async_write_barrier();\n"
              "  } else {\n"
              f"    noc_async_read(get_noc_addr(0, s, {read_from}), l1, 16);\n    noc_async_read_barrier();\n"
              "  }\n}\n")
    t = torch.zeros(4, 16, dtype=torch.bfloat16)
    run(Program((2, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 64, 1)]), {"k": [t]},
        row_major={id(t)})


def test_reading_another_part_of_a_row_a_core_writes_does_not_race():
    write_and_read_parts_of_a_row(16)


def test_reading_part_of_a_row_a_core_writes_races():
    with pytest.raises(KernelFault) as info:
        write_and_read_parts_of_a_row(8)
    m = re.fullmatch(
        r"core \(([01]), 0\) dm0 kernel 'k': race: (reads|writes) DRAM tensor 'argument 0 of k' page 0 bytes 8 to 15, "
        r"which core \(([01]), 0\) dm0 kernel 'k' (wrote|read) at k\.cpp:\d+, and nothing orders the two accesses "
        r"\(no DFB, semaphore or barrier chain between the threads\) at k\.cpp:\d+", str(info.value))
    assert m, str(info.value)
    # Core 0 writes, core 1 reads, whichever comes second reports.
    assert m.groups() in {("1", "reads", "0", "wrote"), ("0", "writes", "1", "read")}, str(info.value)


# Cores 0 and 1 each write 64 bytes into page 0 of core 2's DFB 0, from byte
# {step} * x, then raise its semaphore; core 2 waits for both and pushes.
PARTS = """
uint32_t sem = get_semaphore(0);
uint32_t x = get_absolute_logical_x();
cb_reserve_back(0, 1);
for (uint32_t i = 0; i < 64; ++i) reinterpret_cast<uint8_t*>(get_write_ptr(0))[i] = x + 1;
if (x < 2) {
  noc_async_write(get_write_ptr(0), get_noc_addr(2, 0, get_write_ptr(0) + {step} * x), 64);
  noc_async_write_barrier();
  noc_semaphore_inc(get_noc_addr(2, 0, sem), 1);
} else {
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 2);
}
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


def test_two_cores_writing_disjoint_parts_of_an_l1_granule_do_not_race():
    """L1 is tracked in 256-byte granules; 64-byte writes split one."""
    run(kernel(PARTS.replace("{step}", "64")), {})


def test_two_cores_writing_overlapping_parts_of_an_l1_granule_race():
    with pytest.raises(KernelFault) as info:
        run(kernel(PARTS.replace("{step}", "32")), {})
    # The DFB starts at offset 64; the two writes share its bytes 32..63.
    assert re.fullmatch(
        r"core \(([01]), 0\) dm0 kernel 'k': race: writes L1 of core \(2, 0\) at offset 96 \(DFB 0 page 0\), which "
        r"core \((?!\1)[01], 0\) dm0 kernel 'k' wrote at k\.cpp:\d+, and nothing orders the two accesses \(no DFB, "
        r"semaphore or barrier chain between the threads\) at k\.cpp:\d+", str(info.value)), str(info.value)


# Core 0 writes the last 64 bytes of core 1's DFB 0 (two pages of 1088
# bytes, bfp8_b tiles: 1088 = 4 granules of 256 and 64 bytes; the DFB
# starts at offset 64), unordered with core 1, which fills both pages and
# pushes them at once.
TAIL = """
uint32_t x = get_absolute_logical_x();
cb_reserve_back(0, 2);
for (uint32_t i = 0; i < 2 * 1088; ++i) reinterpret_cast<uint8_t*>(get_write_ptr(0))[i] = x + 1;
if (x == 0) {
  noc_async_write(get_write_ptr(0), get_noc_addr(1, 0, get_write_ptr(0) + 2 * 1088 - 64), 64);
  noc_async_write_barrier();
}
cb_push_back(0, 2);
cb_wait_front(0, 2);
cb_pop_front(0, 2);
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_push_of_pages_that_end_inside_a_granule_races_with_a_write_to_their_tail(monkeypatch, workers):
    """A push of several pages side by side is checked as one run when no
    unit it covers conflicts: the granule its last page ends in counts too
    (it was left out, and the run's check, which found the race, was
    dropped). With one worker core 0 runs first, so core 1's push finds
    core 0's write."""
    monkeypatch.setenv("TTLX_WORKERS", workers)
    source = HEADER + TAIL + "\n}\n"
    program = Program((2, 1), [KernelSpec("k", "dm0", source, [0], 0)], [DFBSpec(0, 1088, 2)])
    with pytest.raises(KernelFault) as info:
        run(program, {})
    assert re.fullmatch(
        r"core \(([01]), 0\) dm0 kernel 'k': race: writes L1 of core \(1, 0\) at offset 2176 \(DFB 0 page 1\), "
        r"which core \((?!\1)[01], 0\) dm0 kernel 'k' wrote at k\.cpp:\d+, and nothing orders the two "
        r"accesses \(no DFB, semaphore or barrier chain between the threads\) at k\.cpp:\d+", str(info.value)), \
        str(info.value)


# Core 0 writes into core 1's DFB 0 page 0 through a NOC address it makes up
# (x in bits 48.., y in 32.., the offset below) instead of get_noc_addr.
MADE_UP = """
uint32_t x = get_absolute_logical_x();
cb_reserve_back(0, 1);
reinterpret_cast<uint32_t*>(get_write_ptr(0))[0] = x;
if (x == 0) {
  noc_async_write(get_write_ptr(0), (uint64_t{1} << 48) | 64, 2048);
  noc_async_write_barrier();
}
{also}
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


def test_another_cores_dfb_through_an_address_no_get_noc_addr_made_is_a_fault():
    """Without a get_noc_addr(x, y, addr) in the program's kernels, no core
    can reach another's L1, the detector keeps no record of L1 (half its
    cost on the elementwise tutorial) and a finished core's L1 memory serves
    the next core: a made-up address would escape the checks, so it is a
    fault at its line."""
    source = HEADER + MADE_UP.replace("{also}", "") + "\n}\n"
    with pytest.raises(KernelFault) as info:
        run(Program((2, 1), [KernelSpec("k", "dm0", source, [0], 0)], [DFBSpec(0, 2048, 2)]), {})
    line = source.splitlines().index("  noc_async_write(get_write_ptr(0), (uint64_t{1} << 48) | 64, 2048);") + 1
    assert str(info.value) == (
        "core (0, 0) dm0 kernel 'k': noc_async_write destination: a NOC address of core (1, 0)'s L1 "
        f"(offset 64) that no get_noc_addr(x, y, addr) of this program made at k.cpp:{line}")


def test_another_cores_semaphore_through_an_address_no_get_noc_addr_made_is_a_fault():
    """The same for a semaphore word: core (1, 0) may not have started, or
    may have finished and handed its L1 memory to another core."""
    inc = "  noc_semaphore_inc((uint64_t{1} << 48) | 4, 1);"
    source = HEADER + "if (get_absolute_logical_x() == 0) {\n" + inc + "\n}\n}\n"
    with pytest.raises(KernelFault) as info:
        run(Program((2, 1), [KernelSpec("k", "dm0", source, [], 0)], [DFBSpec(0, 2048, 2)]), {})
    line = source.splitlines().index(inc) + 1
    assert str(info.value) == (
        "core (0, 0) dm0 kernel 'k': noc_semaphore_inc: a NOC address of core (1, 0)'s L1 (offset 4) that no "
        f"get_noc_addr(x, y, addr) of this program made at k.cpp:{line}")


def test_a_made_up_address_races_when_the_program_forms_l1_addresses():
    """The same write with a get_noc_addr(x, y, addr) elsewhere in the
    program: the detector keeps its records of L1, and core 0's write races
    with core 1's push of the page."""
    also = "volatile uint64_t unused = get_noc_addr(0, 0, get_write_ptr(0)); (void)unused;"
    source = HEADER + MADE_UP.replace("{also}", also) + "\n}\n"
    with pytest.raises(KernelFault, match=r"race: writes L1 of core \(1, 0\) at offset 64 \(DFB 0 page 0\)"):
        run(Program((2, 1), [KernelSpec("k", "dm0", source, [0], 0)], [DFBSpec(0, 2048, 2)]), {})


@ttl.operation(grid=(1, 1))
def copy_tile(x, out):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()

    @ttl.datamovement()
    def write():
        with x_dfb.wait() as blk:
            ttl.copy(blk, out[0, 0]).wait()


def test_the_compiler_says_which_tensors_each_thread_writes():
    """A tensor no thread copies into is one the kernels only read: the
    race detector keeps no record of its reads (nothing can race with
    them), a quarter of the records of the elementwise tutorial."""
    tensors = [ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
               for _ in range(2)]
    program = copy_tile.compile(*tensors).build(Program.from_module)
    assert {k.name: k.writes for k in program.kernels} == {"read": frozenset(), "write": frozenset({0})}


def test_a_write_into_a_tensor_no_thread_writes_is_a_fault():
    """Said to only read its tensor, a kernel that writes it faults at the
    write: the detector kept no record of the tensor's reads."""
    body = """
auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
cb_reserve_back(0, 1);
noc_async_read_tile(0, s, get_write_ptr(0));
noc_async_read_barrier();
noc_async_write_tile(0, s, get_write_ptr(0));
noc_async_write_barrier();
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""
    source = HEADER + body + "}\n"
    x = torch.zeros(32, 32, dtype=torch.bfloat16)
    readers = Program((1, 1), [KernelSpec("k", "dm0", source, [0], 1, writes=frozenset())], [DFBSpec(0, 2048, 2)])
    with pytest.raises(KernelFault) as info:
        run(readers, {"k": [x]})
    line = source.splitlines().index("noc_async_write_tile(0, s, get_write_ptr(0));") + 1
    assert str(info.value) == (
        "core (0, 0) dm0 kernel 'k': noc_async_write_tile writes DRAM tensor 'argument 0 of k' page 0 (tile row 0, "
        "column 0), which the program's threads only read (no copy into it): the compiler said so, and the race "
        f"detector keeps no record of its reads at k.cpp:{line}")
    writers = Program((1, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)])
    run(writers, {"k": [x]})  # by default a kernel may write any of its tensors


# A thread that hands its tensor to user C++ (ttl.call_extern_func), and one
# that copies a block into its second tensor.
OWN_CODE_MODULE = """
func.func @loader(%x: tensor<64x64xf32>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  ttl.opaque_call "load" header "/user/include/load.hpp" template_args []
      effects ["reserve", "push"] [1, 1] (%in, %in : !ttl.dfb<[1, 1], f32, 2>, !ttl.dfb<[1, 1], f32, 2>)
      (%x : tensor<64x64xf32>)
  return
}
func.func @writer(%x: tensor<64x64xf32>, %y: tensor<64x64xf32>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], f32, 2>
  %b = ttl.dfb_wait %in : !ttl.dfb<[1, 1], f32, 2>
  %h = ttl.copy_to_tensor %b, %y[%c0, %c0] : tensor<1x1x!ttl.tile<f32>>, tensor<64x64xf32>
  ttl.wait %h : !ttl.transfer_handle<write>
  ttl.dfb_pop %in : !ttl.dfb<[1, 1], f32, 2>
  return
}
"""


def test_a_thread_with_user_code_may_write_any_tensor_and_reach_any_l1():
    """User C++ may write any tensor it is given and form NOC addresses of
    its own: its thread writes are unknown (None), and the program is not
    one of tt-lang's protocol alone, so no L1 memory changes hands in a
    program that reaches other cores' L1."""
    from ttlx.ir import Context, Module

    with Context():
        program = Program.from_module(Module.parse(OWN_CODE_MODULE))
    assert {k.name: k.writes for k in program.kernels} == {"loader": None, "writer": frozenset({1})}
    assert not program.l1_by_ttl_protocol
    tensors = [ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
               for _ in range(2)]
    assert copy_tile.compile(*tensors).build(Program.from_module).l1_by_ttl_protocol
