# SPDX-License-Identifier: Apache-2.0
"""NOC writes into DRAM buffers of 8 MiB or more are held by their thread
and moved together, with streaming stores, before its next other API call
(runtime/src/PendingWrites.h). Nothing a kernel can see changes: each write
carries the bytes its source held when it was issued, the thread reads back
what it wrote, and two cores writing the same bytes unordered stay benign
while one of the writes is still held."""

from __future__ import annotations

import re

import pytest
import torch

from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, Program, run

HEADER = '#include <chrono>\n#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n'
STREAMED_BYTES = 8 << 20  # kStreamedBytes (runtime/src/StreamingStores.h)


def bits(value: int) -> torch.Tensor:
    """A bf16 tile page of the 16-bit pattern `value`."""
    return torch.full((1024,), value, dtype=torch.int16)


def test_each_write_carries_its_source_as_issued_and_lands_before_the_thread_reads():
    """One L1 page, refilled before each of 100 writes with no barrier
    between (more writes than a thread holds at once), then a read of one of
    them before any barrier: every tile holds its own fill, and the read
    sees the write."""
    source = HEADER + """
  auto big = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
  auto small = TensorAccessor(TensorAccessorArgs<1>(), get_arg_val<uint32_t>(1), 2048);
  cb_reserve_back(0, 2);
  uint32_t page = get_write_ptr(0), back = page + 2048;
  for (uint32_t t = 0; t < 100; ++t) {
    for (uint32_t i = 0; i < 1024; ++i) reinterpret_cast<uint16_t*>(page)[i] = 0x3f00 + t;
    noc_async_write_tile(t, big, page);
  }
  noc_async_read_tile(98, big, back);
  noc_async_read_barrier();
  noc_async_write_tile(0, small, back);
  noc_async_write_barrier();
}
"""
    big = torch.zeros(2048, 2048, dtype=torch.bfloat16)
    small = torch.zeros(32, 32, dtype=torch.bfloat16)
    assert big.numel() * big.element_size() >= STREAMED_BYTES
    run(Program((1, 1), [KernelSpec("k", "dm0", source, [0, 0], 2)], [DFBSpec(0, 2048, 2)]),
        {"k": [big, small]}, tiled={id(big), id(small)})
    pages = big.view(torch.int16).reshape(-1, 1024)
    for t in range(100):
        assert torch.equal(pages[t], bits(0x3f00 + t)), t
    assert not pages[100:].any()
    assert torch.equal(small.view(torch.int16).reshape(-1), bits(0x3f00 + 98))


def two_cores_write_tile_0(fill: str) -> torch.Tensor:
    """Cores 0 and 1 each fill an L1 page with `fill` (x: the core's column)
    and write it, unordered, to tile 0 of an 8 MiB tensor; core 1 50 ms
    later, while core 0 still holds its write (it spins until 400 ms before
    its barrier). Two workers run the cores at once."""
    source = HEADER + f"""
  auto big = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
  uint32_t x = get_absolute_logical_x();
  cb_reserve_back(0, 1);
  uint32_t page = get_write_ptr(0);
  for (uint32_t i = 0; i < 1024; ++i) reinterpret_cast<uint16_t*>(page)[i] = {fill};
  auto start = std::chrono::steady_clock::now();
  auto after = [&](int ms) {{ return std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(ms); }};
  while (x == 1 && !after(50)) {{}}
  noc_async_write_tile(0, big, page);
  while (!after(400)) {{}}
  noc_async_write_barrier();
}}
"""
    big = torch.zeros(2048, 2048, dtype=torch.bfloat16)
    run(Program((2, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 1)]), {"k": [big]},
        tiled={id(big)})
    return big


def test_two_cores_writing_the_same_bytes_while_one_write_is_held_is_benign(monkeypatch):
    """The second write compares its bytes with the first's, which its
    thread still holds: they are moved first (without, the page still held
    zeros and this was reported as a race)."""
    monkeypatch.setenv("TTLX_WORKERS", "2")
    big = two_cores_write_tile_0("0x4040")
    pages = big.view(torch.int16).reshape(-1, 1024)
    assert torch.equal(pages[0], bits(0x4040)) and not pages[1:].any()


def test_two_cores_writing_other_bytes_while_one_write_is_held_race(monkeypatch):
    monkeypatch.setenv("TTLX_WORKERS", "2")
    with pytest.raises(KernelFault) as info:
        two_cores_write_tile_0("0x4040 + x")
    assert re.fullmatch(
        r"core \(([01]), 0\) dm0 kernel 'k': race: writes DRAM tensor 'argument 0 of k' page 0 \(tile row 0, "
        r"column 0\), which core \((?!\1)[01], 0\) dm0 kernel 'k' wrote at k\.cpp:\d+, and nothing orders the two "
        r"accesses \(no DFB, semaphore or barrier chain between the threads\) at k\.cpp:\d+", str(info.value)), \
        str(info.value)
