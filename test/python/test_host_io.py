# SPDX-License-Identifier: Apache-2.0
"""Host I/O of tile tensors in rows (docs/runtime.md, "Host I/O"): the
kernels read and write their tile pages where the tensor is, each transfer
gathering or scattering its bytes (runtime/src/TilesInRows.h). Checked
against torch's tile order (runtime.layout.tilize, a permute of torch): whole
pages, byte ranges inside pages, N-d and non-contiguous tensors, a kernel
that writes part of a tensor, input memory that must not be written, and the
race detector's comparison of bytes in rows."""

from __future__ import annotations

import ctypes
import mmap
import re
from contextlib import contextmanager

import pytest
import torch

from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, Program, run
from ttlx.runtime.layout import tilize

HEADER = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n'


def kernel(body: str, page: int, grid=(1, 1), tensors: int = 2) -> Program:
    """One dm0 kernel per core over `tensors` tile tensors (accessors s, d)
    of `page`-byte pages, with a one-page DFB 0 at `l1`."""
    accessors = "".join(f"auto {name} = TensorAccessor(TensorAccessorArgs<{k}>(), get_arg_val<uint32_t>({k}), "
                        f"{page});\n" for k, name in enumerate("sd"[:tensors]))
    source = (HEADER + accessors + "cb_reserve_back(0, 1);\nuint32_t l1 = get_write_ptr(0);\n" + body + "\n}\n")
    return Program(grid, [KernelSpec("k", "dm0", source, list(range(tensors)), tensors)], [DFBSpec(0, page, 1)])


def pages_of(t: torch.Tensor, page: int) -> torch.Tensor:
    """`t`'s tile pages as torch orders them: [pages, page bytes]."""
    rows = t.reshape(-1, t.shape[-1])
    return tilize(rows).view(torch.uint8).reshape(-1, page)


@contextmanager
def read_only(values: torch.Tensor):
    """A copy of `values` in memory the process may not write (a write is a
    segmentation fault) until the block ends."""
    size = values.numel() * values.element_size()
    memory = mmap.mmap(-1, size)
    t = torch.frombuffer(memory, dtype=values.dtype).view(values.shape)
    t.copy_(values)
    address = ctypes.addressof(ctypes.c_char.from_buffer(memory))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    assert libc.mprotect(address, size, mmap.PROT_READ) == 0
    try:
        yield t
    finally:
        libc.mprotect(address, size, mmap.PROT_READ | mmap.PROT_WRITE)


REVERSE = """
for (uint32_t p = 0; p < PAGES; ++p) {
  noc_async_read_tile(p, s, l1);
  noc_async_read_barrier();
  noc_async_write_tile(PAGES - 1 - p, d, l1);
  noc_async_write_barrier();
}
"""


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32], ids=["bf16", "f32"])
@pytest.mark.parametrize("shape", [(64, 96), (2, 32, 96)], ids=["2d", "3d"])
def test_tile_pages_are_read_from_rows_and_written_into_rows(dtype, shape):
    """Page p of the input, read where the tensor is (memory the run may not
    write: nothing tilizes it), lands as page (last - p) of the output,
    bit for bit the pages of torch's tile order; the input stays in rows."""
    torch.manual_seed(0)
    values = torch.randn(shape).to(dtype)
    page = 1024 * values.element_size()
    pages = values.numel() // 1024
    out = torch.zeros(shape, dtype=dtype)
    with read_only(values) as src:
        run(kernel(REVERSE.replace("PAGES", str(pages)), page), {"k": [src, out]})
        assert torch.equal(src, values)
    assert torch.equal(pages_of(out, page), pages_of(values, page).flip(0))


SPANS = """
noc_async_read(get_noc_addr(PAGE_NO, s, OFFSET), l1, SIZE);
noc_async_read_barrier();
noc_async_write(l1, get_noc_addr(PAGE_NO, d, OFFSET), SIZE);
noc_async_write_barrier();
noc_async_read_tile(0, s, l1, TAIL);
noc_async_read_barrier();
noc_async_write(l1, get_noc_addr(0, d, TAIL), PAGE - TAIL);
noc_async_write_barrier();
"""


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32], ids=["bf16", "f32"])
@pytest.mark.parametrize("offset, size", [(0, 64), (101, 1003), (30, 2)], ids=["face-row", "odd", "in-a-run"])
def test_byte_ranges_inside_tile_pages_in_rows(dtype, offset, size):
    """NOC reads and writes of part of a page (starting and ending inside
    a face row, crossing faces) and a tile read from an offset move exactly
    those bytes of the page in tile order."""
    torch.manual_seed(1)
    values = torch.randn(64, 64).to(dtype)
    page = 1024 * values.element_size()
    out = torch.zeros(64, 64, dtype=dtype)
    tail = page - 3 * 32 - 8
    body = (SPANS.replace("PAGE_NO", "3").replace("OFFSET", str(offset)).replace("SIZE", str(size))
            .replace("TAIL", str(tail)).replace("PAGE", str(page)))
    run(kernel(body, page), {"k": [values, out]})
    want = torch.zeros(4, page, dtype=torch.uint8)
    given = pages_of(values, page)
    want[3, offset:offset + size] = given[3, offset:offset + size]
    want[0, tail:] = given[0, tail:]
    assert torch.equal(pages_of(out, page), want)


def test_non_contiguous_tensors_with_rows_at_one_stride_are_read_and_written_where_they_are():
    """Column slices of wider tensors (rows 160 elements apart) and tensors
    whose rows have no one stride (transposed; batches of rows further
    apart than their rows: copied in and back) give the same pages as
    contiguous ones; the memory outside the tensors stays as it was."""
    torch.manual_seed(2)
    wide = torch.randn(64, 160)
    page = 4096
    with read_only(wide) as src_memory:
        src = src_memory[:, 32:128]
        wide_out = torch.full((64, 160), 7.0)
        out = wide_out[:, 64:160]
        run(kernel(REVERSE.replace("PAGES", "6"), page), {"k": [src, out]})
    assert torch.equal(pages_of(out, page), pages_of(wide[:, 32:128], page).flip(0))
    assert torch.equal(wide_out[:, :64], torch.full((64, 64), 7.0))
    transposed = torch.zeros(96, 64).t()
    run(kernel(REVERSE.replace("PAGES", "6"), page), {"k": [wide[:, :96].contiguous(), transposed]})
    assert torch.equal(pages_of(transposed, page), pages_of(wide[:, :96], page).flip(0))
    batches = torch.full((2, 64, 96), 5.0)
    halves = batches[:, :32]  # (2, 32, 96): its 64 rows are not at one stride
    run(kernel(REVERSE.replace("PAGES", "6"), page), {"k": [wide[:, :96].contiguous(), halves]})
    assert torch.equal(pages_of(halves, page), pages_of(wide[:, :96], page).flip(0))
    assert torch.equal(batches[:, 32:], torch.full((2, 32, 96), 5.0))


def test_a_kernel_writing_part_of_a_tensor_leaves_the_rest_as_it_was():
    """Only page 4 (tile row 1, column 1) of the output is written: every
    other element keeps its value, bit for bit (a NaN pattern included)."""
    values = torch.arange(64 * 96, dtype=torch.float32).reshape(64, 96)
    out = torch.full((64, 96), 3.5)
    out[0, 0] = float("nan")
    before = out.clone()
    run(kernel("noc_async_read_tile(4, s, l1);\nnoc_async_read_barrier();\n"
               "noc_async_write_tile(4, d, l1);\nnoc_async_write_barrier();", 4096), {"k": [values, out]})
    want = before.clone()
    want[32:64, 32:64] = values[32:64, 32:64]
    assert torch.equal(out.view(torch.int32), want.view(torch.int32))


def two_cores_write_a_tile_page(fill: str) -> torch.Tensor:
    """Cores 0 and 1 fill a bf16 tile page of L1 (byte i = `fill`, x the
    core's column) and write it, unordered, as page 1 of a (32, 64) tensor
    in rows; returns the tensor."""
    body = ("uint32_t x = get_absolute_logical_x();\n"
            f"for (uint32_t i = 0; i < 2048; ++i) reinterpret_cast<uint8_t*>(l1)[i] = {fill};\n"
            "noc_async_write_tile(1, s, l1);\nnoc_async_write_barrier();")
    t = torch.zeros(32, 64, dtype=torch.bfloat16)
    run(kernel(body, 2048, grid=(2, 1), tensors=1), {"k": [t]})
    return t


def test_two_cores_writing_the_same_tile_page_into_rows_is_benign():
    """The race detector compares the bytes a write would change where
    they are, in rows: the same page from both cores is no race."""
    t = two_cores_write_a_tile_page("(i * 7) & 0x3f")
    want = torch.tensor([(i * 7) & 0x3F for i in range(2048)], dtype=torch.uint8)
    assert torch.equal(pages_of(t, 2048)[1], want)
    assert torch.equal(t[:, :32], torch.zeros(32, 32, dtype=torch.bfloat16))


def test_two_cores_writing_other_bytes_into_a_tile_page_in_rows_race():
    with pytest.raises(KernelFault) as info:
        two_cores_write_a_tile_page("(i & 1) ? x : 0")
    assert re.fullmatch(
        r"core \(([01]), 0\) dm0 kernel 'k': race: writes DRAM tensor 'argument 0 of k' page 1 \(tile row 0, "
        r"column 1\), which core \((?!\1)[01], 0\) dm0 kernel 'k' wrote at k\.cpp:\d+, and nothing "
        r"orders the two accesses \(no DFB, semaphore or barrier chain between the threads\) at k\.cpp:\d+",
        str(info.value)), str(info.value)
