# SPDX-License-Identifier: Apache-2.0
"""print of a DFB (any thread), of a block in a compute thread and of a
tensor's pages, through `ttlx run` (test/kernels/print_objects.py), and the
located errors of what ttlx does not print. Strings, scalars and blocks in data-movement threads
are in test_compat.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kernel_cli import KERNELS, expect_located_error, ttlx

PREFIX = re.compile(r"^0:\(x=0,y=0\):(BR|NC|TR): (.*)$")
STATE = re.compile(r"cb_id (\d+): \{ size: (\d+), limit: (\d+), page_size: (\d+), num_pages: (\d+), "
                   r"rd_ptr: (\d+), wr_ptr: (\d+), wr_tile_ptr: (\d+) \}")


def _state(text: str, head: str) -> dict[str, int]:
    assert text.startswith(head), text
    m = STATE.fullmatch(text[len(head):])
    assert m, text
    return dict(zip(("cb", "size", "limit", "page_size", "num_pages", "rd", "wr", "wr_tile"), map(int, m.groups())))


def _tiles(lines: list[str], count: int, value) -> list[str]:
    """print_full_tile's lines for `count` tiles whose element (r, c) of
    tile t is value(r, 32 t + c)."""
    out = []
    for t in range(count):
        out.append("======")
        out += [f"{r}: " + " ".join(str(value(r, 32 * t + c)) for c in range(32)) for r in range(32)]
        out.append("++++++")
    return out


def test_print_of_dfbs_and_of_blocks_in_a_compute_thread():
    """The DFB's state after a reserve and after a push (2 blocks of 2 bf16
    tiles: 8192 bytes, 4 pages of 2048; the push moves the write pointer by
    one block), and the tiles of a waited and a reserved block, exactly (the
    values are integers that bf16 holds)."""
    result = ttlx("run", str(KERNELS / "print_objects.py"))
    assert result.returncode == 0, result.stderr
    lines = [PREFIX.match(line) for line in result.stdout.splitlines()]
    assert all(lines), result.stdout
    by_thread: dict[str, list[str]] = {}
    for m in lines:
        by_thread.setdefault(m.group(1), []).append(m.group(2))  # type: ignore[union-attr]
    reader, compute = by_thread["BR"], by_thread["TR"]
    assert "NC" not in by_thread, result.stdout
    x = lambda r, c: 8 * r + c % 8  # noqa: E731
    # The tensor's first two tile pages (tiles (0, 0) and (0, 1)), element rows.
    pages = ["x:<Tensor shape=(32, 64)>"]
    for page in range(2):
        pages += [f"page {page}:"] + ["  " + " ".join(str(x(r, 32 * page + c)) for c in range(32)) for r in range(32)]
    assert reader[:len(pages)] == pages
    reader = reader[len(pages):]
    assert len(reader) == 2, reader

    reserved = _state(reader[0], "x_dfb after reserve: ")
    assert reserved | {"cb": 0} == {"cb": 0, "size": 8192, "limit": reserved["rd"] + 8192, "page_size": 2048,
                                    "num_pages": 4, "rd": reserved["rd"], "wr": reserved["rd"],
                                    "wr_tile": reserved["rd"]}
    pushed = _state(reader[1], "x_dfb after push: ")
    assert pushed == reserved | {"wr": reserved["wr"] + 4096, "wr_tile": reserved["wr"] + 4096}

    y_state = _state(compute[0], "")
    assert y_state["cb"] != reserved["cb"] and y_state["size"] == 8192 and y_state["rd"] == y_state["wr"]
    expected = (["a<Block shape=(1, 2)>"] + _tiles(compute, 2, x)
                + ["o<Block shape=(1, 2)>"] + _tiles(compute, 2, lambda r, c: 2 * x(r, c)))
    assert compute[1:] == expected


KERNEL = '''
import torch, ttnn, ttl

@ttl.operation(grid=(1, 1))
def op(x):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
            {reader}

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a:
            {compute}

    @ttl.datamovement()
    def write():
        pass

op(ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16)))
'''


@pytest.mark.parametrize("reader,compute,needle,message", [
    ("pass", "print('a', a, end='')", "print('a'",
     "a block printed in a compute thread ends with its tiles' lines; leave out end="),
    ("print(x_dfb, end='')", "pass", "print(x_dfb",
     "a DFB's state ends its line (tt-metal's print_cb_details); leave out end="),
    ("print(f'{x_dfb}')", "pass", "print(f",
     "a block or DFB is an argument of print of its own, not part of an f-string (print(\"a:\", blk))"),
    ("pass", "print('x', x)", "print('x'",
     "a tensor's pages print in data-movement threads (they are read over the NOC); print it in a "
     "@ttl.datamovement function"),
    ("print(x, num_pages=2)", "pass", "print(x,",
     "num_pages= is a count of the tensor's pages known at compile time, 1 to 1"),
    ("print('n', 1, num_pages=1)", "pass", "print('n'",
     "num_pages= says how many pages of a tensor print prints; this print has no tensor"),
    ("print(f'{x}')", "pass", "print(f",
     "a tensor is an argument of print of its own, not part of an f-string (print(\"x:\", x, num_pages=2))"),
    ("print(x_dfb, blk)", "pass", "print(x_dfb",
     "print prints one block, tensor or DFB at a time (tt-lang's rule)"),
    ("pass", "print(a * a)", "print(a *",
     "print prints a block of a dataflow buffer (from wait() or reserve()); store a block expression into one "
     "first"),
])
def test_what_ttlx_does_not_print_is_a_located_error(tmp_path: Path, reader, compute, needle, message):
    path = tmp_path / "kernel.py"
    text = KERNEL.replace("{reader}", reader).replace("{compute}", compute)
    path.write_text(text)
    expect_located_error(path, text, needle, message)


PRINT_TILE_KERNEL = """#include "api/compute/compute_kernel_api.h"
#include "api/debug/dprint_pages.h"
void kernel_main() {
  %s
}
"""


@pytest.mark.parametrize("statement,message", [
    ("tt::compute::common::print_full_tile(0, 0, true);",
     "print_full_tile runs on the unpacker (UNPACK((...)): waited tiles) or the packer (PACK((...)): reserved "
     "tiles) of a compute kernel"),
    ("UNPACK((tt::compute::common::print_full_tile(0, 0, true)));",
     "print_full_tile prints tile 0 of DFB 0 from the read pointer, but 0 tile(s) are waited for (cb_wait_front)"),
    ("cb_reserve_back(0, 1); PACK((tt::compute::common::print_full_tile(0, 1, true)));",
     "print_full_tile prints tile 1 of DFB 0 from the write pointer, but 1 tile(s) are reserved (cb_reserve_back)"),
])
def test_print_full_tile_outside_the_tiles_it_can_read_is_a_fault_at_its_line(statement, message):
    """The runtime's print_full_tile (generated code always wraps it in
    UNPACK/PACK of a block the thread holds): a hand-written kernel that does
    not is stopped at the call."""
    from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, Program, run

    program = Program((1, 1), [KernelSpec("k", "compute", PRINT_TILE_KERNEL % statement, [0], 0)],
                      [DFBSpec(0, 2048, 2)])
    with pytest.raises(KernelFault) as info:
        run(program, {})
    assert str(info.value) == f"core (0, 0) compute kernel 'k': {message} at k.cpp:4"


OBJECTS_KERNEL = '''
import torch, ttnn, ttl

@ttl.operation(grid=(1, 1))
def op(x, r):
    n_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with n_dfb.reserve() as nb:
            ttl.copy(x[0, 0:1, 0:1], nb).wait()
            {line}

    @ttl.compute()
    def compute():
        with n_dfb.wait() as c:
            pass

op(ttnn.from_torch(torch.ones(1, 32, 32)), ttnn.from_torch(torch.ones(4, 8), layout=ttnn.ROW_MAJOR_LAYOUT))
'''


@pytest.mark.parametrize("line,message", [
    ("print(nb)", "ttlx prints the element rows of blocks of two dimensions in data-movement threads; this one "
                  "has shape (1, 1, 1) (print it in the compute thread, tile by tile)"),
    ("print(r, num_pages=5)", "num_pages= is a count of the tensor's pages known at compile time, 1 to 4"),
    ("print(x, end='')", "a tensor's pages end with their rows' lines; leave out end="),
])
def test_objects_ttlx_prints_only_in_part_are_located_errors(tmp_path: Path, line, message):
    path = tmp_path / "kernel.py"
    text = OBJECTS_KERNEL.replace("{line}", line)
    path.write_text(text)
    expect_located_error(path, text, line, message)


ROW_MAJOR_KERNEL = """
import torch, ttnn, ttl

@ttl.operation(grid=(1, 1))
def op(r, v):
    @ttl.datamovement()
    def read():
        print("r:", r, num_pages=4)
        print(v)

    @ttl.compute()
    def compute():
        pass

r = torch.arange(2 * 3 * 5, dtype=torch.float32).reshape(2, 3, 5) - 7.5
op(ttnn.from_torch(r, layout=ttnn.ROW_MAJOR_LAYOUT),
   ttnn.from_torch(torch.arange(40, dtype=torch.bfloat16) / 4, layout=ttnn.ROW_MAJOR_LAYOUT))
"""


def test_print_of_a_row_major_tensor_prints_its_rows(tmp_path: Path):
    """A row-major tensor's pages are its rows of the last dimension,
    numbered row-major over the leading ones: a (2, 3, 5) float32 tensor's
    first four are r[0, 0..2] and r[1, 0], each on one line; a 1-d tensor
    is one page. The values (k - 7.5, k / 4) are exact in their dtypes and
    print as %g prints them."""
    path = tmp_path / "kernel.py"
    path.write_text(ROW_MAJOR_KERNEL)
    result = ttlx("run", str(path))
    assert result.returncode == 0, result.stderr
    lines = [PREFIX.match(line) for line in result.stdout.splitlines()]
    assert all(lines), result.stdout
    printed = [m.group(2) for m in lines]  # type: ignore[union-attr]
    rows = [" ".join(f"{5 * p + c - 7.5:g}" for c in range(5)) for p in range(4)]
    expected = ["r:<Tensor shape=(2, 3, 5)>"]
    for page, row in enumerate(rows):
        expected += [f"page {page}:", "  " + row]
    expected += ["<Tensor shape=(40,)>", "page 0:", "  " + " ".join(f"{k / 4:g}" for k in range(40))]
    assert printed == expected
