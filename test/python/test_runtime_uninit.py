# SPDX-License-Identifier: Apache-2.0
"""Uninitialised memory (docs/runtime.md, "Faults"): L1 starts filled with a
NaN pattern, and so does a ttnn.empty tensor; pushing a reserved page that
nothing wrote and reading a DRAM page that no kernel wrote are warnings
(KernelWarning), errors with TTLX_STRICT=1."""

from __future__ import annotations

import warnings

import pytest
import torch

import ttlx as ttl
from ttlx.lang import ttnn
from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, KernelWarning, Program, run

HEADER = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n'

UNWRITTEN = """
auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
cb_reserve_back(0, 1);
noc_async_write_tile(0, s, get_write_ptr(0));
noc_async_write_barrier();
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


def unwritten() -> tuple[Program, torch.Tensor]:
    program = Program((1, 1), [KernelSpec("k", "dm0", HEADER + UNWRITTEN + "}\n", [0], 1)], [DFBSpec(0, 2048, 2)])
    return program, torch.zeros(32, 32, dtype=torch.bfloat16)


def push_line() -> int:
    return (HEADER + UNWRITTEN).splitlines().index("cb_push_back(0, 1);") + 1


def test_l1_starts_poisoned_and_an_unwritten_push_warns():
    program, out = unwritten()
    with pytest.warns(KernelWarning) as record:
        run(program, {"k": [out]})
    # The reserved page, copied out before anything wrote it: the poison.
    assert (out.view(torch.int16) == 0x7FA5).all()
    assert [str(w.message) for w in record] == [
        "core (0, 0) dm0 kernel 'k': uninitialised memory: cb_push_back pushes page 0 of DFB 0, which holds only "
        "the NaN poison of uninitialised memory (nothing wrote it, or it was copied from uninitialised memory) "
        f"at k.cpp:{push_line()}"]


def test_strict_makes_it_a_fault(monkeypatch):
    monkeypatch.setenv("TTLX_STRICT", "1")
    program, out = unwritten()
    with pytest.raises(KernelFault) as info:
        run(program, {"k": [out]})
    assert str(info.value) == (
        "core (0, 0) dm0 kernel 'k': uninitialised memory: cb_push_back pushes page 0 of DFB 0, which holds only "
        "the NaN poison of uninitialised memory (nothing wrote it, or it was copied from uninitialised memory) "
        f"(TTLX_STRICT=1) at k.cpp:{push_line()}")


@ttl.operation(grid=(1, 1))
def copy_first_tile(x, out):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 1], blk).wait()

    @ttl.datamovement()
    def write():
        with x_dfb.wait() as blk:
            ttl.copy(blk, out[0, 0]).wait()


def test_reading_an_empty_tensor_warns_and_written_pages_do_not():
    x = ttnn.empty((32, 64), dtype=ttnn.bfloat16)
    out = ttnn.empty((32, 64), dtype=ttnn.bfloat16)
    with pytest.warns(KernelWarning) as record:
        copy_first_tile(x, out)
    messages = [str(w.message) for w in record]
    assert len(messages) == 2, messages
    assert messages[1].startswith(
        "core (0, 0) dm0 kernel 'read': uninitialised memory: cb_push_back pushes page 0 of DFB 0, which holds "
        "only the NaN poison"), messages
    assert messages[0].startswith(
        "core (0, 0) dm0 kernel 'read': uninitialised memory: reads DRAM tensor 'x' page 1 (tile row 0, column 1), "
        "which no kernel wrote (the tensor was created uninitialised, e.g. by ttnn.empty) at read.cpp:"), messages
    assert "test_runtime_uninit.py:" in messages[0]  # the ttl.copy line
    got = ttnn.to_torch(out)
    assert (got.view(torch.int16) == 0x7FA5).all()  # tile 0 copied poison, tile 1 never written
    # After an operation ran on it, a tensor counts as initialised: reading
    # it is no longer reported (its tile 1, never written, still pushes poison).
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        copy_first_tile(out, x)
    assert [str(w.message).split(": ")[1] for w in again] == ["uninitialised memory"], [str(w.message) for w in again]
    assert "cb_push_back pushes page 0" in str(again[0].message)


# Both cores fill page 0 of DFB 0 and release it: the next run's L1 (the
# same memory, recycled) holds that data in its DFB region until poisoned.
FILL = """
cb_reserve_back(0, 1);
for (uint32_t i = 0; i < 512; ++i)
  reinterpret_cast<uint32_t*>(get_write_ptr(0))[i] = 0x3f803f80;
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""

# Core (0, 0) copies page 0 of core (1, 0)'s DFB 0, which nothing wrote in
# this run, and pushes it; core (1, 0) runs no code.
REMOTE = """
if (get_absolute_logical_x() == 0) {
  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
  cb_reserve_back(0, 1);
  noc_async_read(get_noc_addr(1, 0, get_write_ptr(0)), get_write_ptr(0), 2048);
  noc_async_read_barrier();
  noc_async_write_tile(0, s, get_write_ptr(0));
  noc_async_write_barrier();
  cb_push_back(0, 1);
  cb_wait_front(0, 1);
  cb_pop_front(0, 1);
}
"""


def test_another_cores_l1_is_poisoned_before_its_kernels_run(monkeypatch):
    """Another core's L1 is poisoned as a transfer first touches it: with
    one worker, core (0, 0) runs to its end before core (1, 0) starts, and
    the page it copies from core (1, 0) is the poison, not what the last
    run left."""
    monkeypatch.setenv("TTLX_WORKERS", "1")
    fill = Program((2, 1), [KernelSpec("fill", "dm0", HEADER + FILL + "}\n", [], 0)], [DFBSpec(0, 2048, 2)])
    remote = Program((2, 1), [KernelSpec("remote", "dm0", HEADER + REMOTE + "}\n", [0], 1)], [DFBSpec(0, 2048, 2)])
    run(fill, {"fill": []})
    out = torch.zeros(32, 32, dtype=torch.bfloat16)
    with pytest.warns(KernelWarning) as record:
        run(remote, {"remote": [out]})
    assert (out.view(torch.int16) == 0x7FA5).all()
    push = (HEADER + REMOTE).splitlines().index("  cb_push_back(0, 1);") + 1
    assert [str(w.message) for w in record] == [
        "core (0, 0) dm0 kernel 'remote': uninitialised memory: cb_push_back pushes page 0 of DFB 0, which holds "
        "only the NaN poison of uninitialised memory (nothing wrote it, or it was copied from uninitialised memory) "
        f"at remote.cpp:{push}"]


# FILL twice: both pages of DFB 0 filled and released.
FILL_BOTH = "for (int k = 0; k < 2; ++k) {\n" + FILL + "}\n"

ACCESSOR = "auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);\n"

# The reserved page copied out to tile 0, pushed and released.
PUSH_OUT = """
noc_async_write_tile(0, s, get_write_ptr(0));
noc_async_write_barrier();
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""

# Page 0 written and released; page 1, first handed out after that, pushed
# unwritten.
LATE = ACCESSOR + FILL + "cb_reserve_back(0, 1);\n" + PUSH_OUT

# Page 1, which nothing reserves in this run, copied by the NOC into page 0.
OWN_COPY = ACCESSOR + """
cb_reserve_back(0, 1);
uint32_t page1 = get_write_ptr(0) + 2048;
noc_async_read(get_noc_addr(0, 0, page1), get_write_ptr(0), 2048);
noc_async_read_barrier();
""" + PUSH_OUT


def fill_both_pages() -> None:
    run(Program((1, 1), [KernelSpec("fill", "dm0", HEADER + FILL_BOTH + "}\n", [], 0)], [DFBSpec(0, 2048, 2)]),
        {"fill": []})


@pytest.mark.parametrize("body, page", [(LATE, 1), (OWN_COPY, 0)])
def test_a_page_is_poisoned_before_its_first_use_in_the_run(body, page):
    """The DFB region is poisoned a piece at a time as it is used: a page
    first reserved late in the run, and a page only a NOC transfer of the
    core's own reads, are the poison, not what the last run left there."""
    fill_both_pages()
    out = torch.zeros(32, 32, dtype=torch.bfloat16)
    program = Program((1, 1), [KernelSpec("k", "dm0", HEADER + body + "}\n", [0], 1)], [DFBSpec(0, 2048, 2)])
    with pytest.warns(KernelWarning) as record:
        run(program, {"k": [out]})
    assert (out.view(torch.int16) == 0x7FA5).all()
    assert [str(w.message).split(" at ")[0] for w in record] == [
        f"core (0, 0) dm0 kernel 'k': uninitialised memory: cb_push_back pushes page {page} of DFB 0, which holds "
        "only the NaN poison of uninitialised memory (nothing wrote it, or it was copied from uninitialised memory)"]
