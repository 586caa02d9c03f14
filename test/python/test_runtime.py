# SPDX-License-Identifier: Apache-2.0
"""The host runtime runs the C++ the compiler emits: data movement across
cores, element access (read, in-place patch, write of a reserved block,
multi-tile blocks, both dtypes, negative values), and every fault with its
report. Results are checked against torch."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ttlx.ir import Context, Module
from ttlx.runtime import DFBSpec, KernelFault, KernelSpec, Program, run
from ttlx.runtime.layout import tilize, untilize

TEST_DIR = Path(__file__).resolve().parents[1]


def program(mlir: str, grid=None) -> Program:
    with Context():
        return Program.from_module(Module.parse(mlir), grid)


def test_tilize_round_trip_and_face_order():
    x = torch.arange(64 * 96, dtype=torch.float32).reshape(64, 96)
    flat = tilize(x)
    # Tile (0, 1), face 1 (top right), row 0, col 0 = element (0, 48).
    assert flat[1024 + 256].item() == x[0, 48].item()
    # Tile (1, 0), face 2 (bottom left), row 3, col 5 = element (32 + 19, 5).
    assert flat[3 * 1024 + 512 + 3 * 16 + 5].item() == x[51, 5].item()
    assert torch.equal(untilize(flat, (64, 96)), x)


@pytest.mark.parametrize("workers", ["1", "2", "3"])
@pytest.mark.parametrize("rows, dtype", [(3072, torch.bfloat16), (1120, torch.float32)])
def test_native_tile_conversions_match_torch_on_any_number_of_threads(monkeypatch, workers, rows, dtype):
    """The native copies share a large tensor's bands out over up to
    TTLX_WORKERS threads, at least 4 MiB each: 12 MiB of bf16 over 1, 2 or
    3 threads, 8.75 MiB of f32 (35 bands, split unevenly) over 1 or 2. Every
    split gives torch's tile order, in place and into a new tensor (written
    with streaming stores: 8 MiB or more), and back."""
    from ttlx.runtime.layout import tilize_in_place, tilize_into, untilize_in_place, untilize_into

    monkeypatch.setenv("TTLX_WORKERS", workers)
    x = torch.randn(rows, 2048).to(dtype)
    want = tilize(x).reshape(rows, 2048)
    assert torch.equal(tilize_into(x, torch.empty_like(x)), want)
    assert torch.equal(untilize_into(want, torch.empty_like(x)), x)
    y = x.clone()
    tilize_in_place(y)
    assert torch.equal(y, want)
    untilize_in_place(y)
    assert torch.equal(y, x)


COPY = """
func.func @reader(%src: tensor<128x64x{T}>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 1>} {
  %c0 = arith.constant 0 : index
  %x = ttl.node 0
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], {T}, 2>
  %blk = ttl.dfb_reserve %in : !ttl.dfb<[1, 2], {T}, 2>
  %xf = ttl.copy_to_block %src[%x, %c0], %blk : tensor<128x64x{T}>, tensor<1x2x!ttl.tile<{T}>>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[1, 2], {T}, 2>
  return
}
func.func @writer(%dst: tensor<128x64x{T}>) attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 4, 1>} {
  %c0 = arith.constant 0 : index
  %x = ttl.node 0
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], {T}, 2>
  %blk = ttl.dfb_wait %in : !ttl.dfb<[1, 2], {T}, 2>
  %xf = ttl.copy_to_tensor %blk, %dst[%x, %c0] : tensor<1x2x!ttl.tile<{T}>>, tensor<128x64x{T}>
  ttl.wait %xf : !ttl.transfer_handle<write>
  ttl.dfb_pop %in : !ttl.dfb<[1, 2], {T}, 2>
  return
}
"""


@pytest.mark.parametrize("dtype,name", [(torch.bfloat16, "bf16"), (torch.float32, "f32")])
def test_copy_split_across_cores_and_counters(dtype, name):
    """Four cores, one tile row each; DRAM counters equal the bytes copied."""
    prog = program(COPY.replace("{T}", name))
    assert prog.grid == (4, 1)
    src = torch.randn(128, 64).to(dtype)
    dst = torch.zeros(128, 64, dtype=dtype)
    result = run(prog, {"reader": [src], "writer": [dst]})
    assert torch.equal(dst, src)
    nbytes = src.numel() * src.element_size()
    total = result.counters["total"]
    assert total["dram_bytes_read"] == nbytes
    assert total["dram_bytes_written"] == nbytes
    assert total["noc_reads"] == 4 * 2 and total["noc_writes"] == 4 * 2
    for x in range(4):
        core = result.counters[(x, 0)]
        assert core["dram_bytes_read"] == nbytes // 4
        assert core["cb_reserve"] == core["cb_push"] == core["cb_wait"] == core["cb_pop"] == 1


def test_host_io_in_place_copied_and_overlapping():
    """Contiguous tensors are their own DRAM buffers (their tile pages read
    and written in rows where they are); a transposed one, two that share
    memory and one whose rows repeat are copied, each reading the values it
    had before the run."""
    prog = program(COPY.replace("{T}", "bf16"))
    src = torch.randn(128, 64).to(torch.bfloat16)
    before = src.clone()
    dst = torch.zeros(64, 128, dtype=torch.bfloat16).t()  # non-contiguous
    result = run(prog, {"reader": [src], "writer": [dst]})
    assert torch.equal(dst, before) and torch.equal(src, before)
    assert result.tensor_traffic[id(src)] == (src.numel() * 2, 0)
    # Two views of one buffer, 32 rows apart: the copy lands 32 rows down.
    big = torch.randn(160, 64).to(torch.bfloat16)
    original = big.clone()
    run(prog, {"reader": [big[:128]], "writer": [big[32:]]})
    assert torch.equal(big[32:], original[:128]) and torch.equal(big[:32], original[:32])
    # One row repeated (`expand`: rows 0 elements apart) is copied in, a row per tile row.
    row = torch.randn(1, 64).to(torch.bfloat16)
    dst = torch.zeros(128, 64, dtype=torch.bfloat16)
    run(prog, {"reader": [row.expand(128, 64)], "writer": [dst]})
    assert torch.equal(dst, row.expand(128, 64))


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_native_tile_conversions_of_rows_at_a_stride(dtype):
    """The native copies take the matrix in rows at any row stride: a column
    slice of a wider tensor, and one row repeated (stride 0) into tiles."""
    from ttlx.runtime.layout import tilize_into, untilize_into

    wide = torch.randn(96, 160).to(dtype)
    part = wide[:, 32:96]
    assert torch.equal(tilize_into(part, torch.empty(96, 64, dtype=dtype), row_stride=160),
                       tilize(part.contiguous()).reshape(96, 64))
    row = torch.randn(1, 64).to(dtype)
    assert torch.equal(tilize_into(row.expand(64, 64), torch.empty(64, 64, dtype=dtype), row_stride=0),
                       tilize(row.expand(64, 64).contiguous()).reshape(64, 64))
    target = torch.zeros(96, 160, dtype=dtype)
    untilize_into(tilize(part.contiguous()).reshape(96, 64), target[:, 32:96], row_stride=160)
    assert torch.equal(target[:, 32:96], part) and not target[:, :32].any() and not target[:, 96:].any()


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_large_tile_conversions_at_a_stride_and_misaligned(dtype):
    """A copy of 8 MiB or more streams its destination's lines: also from
    and into rows at a stride (a column slice), and, when the destination is
    not 16-byte aligned, it takes the ordinary stores and is just as
    right."""
    from ttlx.runtime.layout import tilize_into, untilize_into

    wide = torch.randn(2048, 2560).to(dtype)
    part = wide[:, 256:2304]
    want = tilize(part.contiguous()).reshape(2048, 2048)
    assert want.numel() * want.element_size() >= 8 << 20
    assert torch.equal(tilize_into(part, torch.empty(2048, 2048, dtype=dtype), row_stride=2560), want)
    target = torch.zeros(2048, 2560, dtype=dtype)
    untilize_into(want, target[:, 256:2304], row_stride=2560)
    assert torch.equal(target[:, 256:2304], part) and not target[:, :256].any() and not target[:, 2304:].any()
    # One element in: 2 or 4 bytes off the allocation's alignment.
    shifted = torch.empty(2048 * 2048 + 1, dtype=dtype)[1:].view(2048, 2048)
    assert shifted.data_ptr() % 16
    assert torch.equal(tilize_into(part, shifted, row_stride=2560), want)
    assert torch.equal(untilize_into(want, shifted), part)


def test_host_io_of_tensors_in_tile_order():
    """Tensors given as `tiled` hold tile order and keep it: in place, and
    copied (two that share memory) without conversion."""
    prog = program(COPY.replace("{T}", "bf16"))
    src = torch.randn(128, 64).to(torch.bfloat16)
    tiles, dst = tilize(src).reshape(128, 64), torch.zeros(128, 64, dtype=torch.bfloat16)
    run(prog, {"reader": [tiles], "writer": [dst]}, tiled={id(tiles), id(dst)})
    assert torch.equal(dst, tiles) and torch.equal(untilize(dst.reshape(-1), (128, 64)), src)
    # Tile rows 1-4 copied onto tile rows 0-3 of the same memory, both in tile order.
    big = torch.cat([torch.zeros(32, 64, dtype=torch.bfloat16), src])
    flat = tilize(big).reshape(160, 64)
    below, above = flat[32:], flat[:128]
    run(prog, {"reader": [below], "writer": [above]}, tiled={id(below), id(above)})
    assert torch.equal(untilize(flat.reshape(-1), (160, 64))[:128], src)


@pytest.mark.parametrize("name,dtype", [("bf16", torch.bfloat16), ("f32", torch.float32)])
def test_argmax_from_the_translation_tests(name, dtype):
    """The lit test's argmax kernel, run: mostly negative data, so raw-bit
    compares would pick the wrong element."""
    prog = program((TEST_DIR / "Target" / "Cpp" / f"argmax-{name}.mlir").read_text())
    torch.manual_seed(0)
    src = (torch.randn(32, 32) * 3 - 2).to(dtype)
    src[5] = -torch.arange(1, 33, dtype=torch.float32).to(dtype)  # all negative, best at 0
    src[6, 17] = 0.0
    src[6, 18] = -0.0
    dst = torch.zeros(32, 32, dtype=dtype)
    run(prog, {"reader": [src], "argmax": [dst]})
    values, indices = src.float().max(dim=1)
    assert torch.equal(dst[:, 0].float(), values)
    assert torch.equal(dst[:, 1].float(), indices.float())
    assert dst[5, 1].item() == 0.0
    # The rest of each row is the input, untouched.
    assert torch.equal(dst[:, 2:], src[:, 2:])


PATCH = """
func.func @reader(%src: tensor<64x64x{T}>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[2, 2], {T}, 1>
  %blk = ttl.dfb_reserve %in : !ttl.dfb<[2, 2], {T}, 1>
  %xf = ttl.copy_to_block %src[%c0, %c0], %blk : tensor<64x64x{T}>, tensor<2x2x!ttl.tile<{T}>>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[2, 2], {T}, 1>
  return
}
// Negates the diagonal of a 2x2-tile block in place (element access across
// all four tiles and faces), then writes (37, 50) and reads it back through
// a reserved block of the second DFB.
func.func @patcher(%dst: tensor<64x64x{T}>, %extra: tensor<32x32x{T}>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c37 = arith.constant 37 : index
  %c50 = arith.constant 50 : index
  %c7 = arith.constant 7 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[2, 2], {T}, 1>
  %out = ttl.bind_dfb 1 : !ttl.dfb<[1, 1], {T}, 1>
  %blk = ttl.dfb_wait %in : !ttl.dfb<[2, 2], {T}, 1>
  scf.for %i = %c0 to %c64 step %c1 {
    %v = ttl.element_read %blk[%i, %i] : tensor<2x2x!ttl.tile<{T}>> -> {T}
    %n = arith.negf %v : {T}
    ttl.element_write %blk[%i, %i], %n : tensor<2x2x!ttl.tile<{T}>>, {T}
  }
  %marker = arith.constant -42.5 : {T}
  ttl.element_write %blk[%c37, %c50], %marker : tensor<2x2x!ttl.tile<{T}>>, {T}
  %xf = ttl.copy_to_tensor %blk, %dst[%c0, %c0] : tensor<2x2x!ttl.tile<{T}>>, tensor<64x64x{T}>
  ttl.wait %xf : !ttl.transfer_handle<write>
  %r = ttl.dfb_reserve %out : !ttl.dfb<[1, 1], {T}, 1>
  %back = ttl.element_read %blk[%c37, %c50] : tensor<2x2x!ttl.tile<{T}>> -> {T}
  %two = arith.constant 2.0 : {T}
  %sum = arith.addf %back, %two : {T}
  ttl.element_write %r[%c7, %c7], %sum : tensor<1x1x!ttl.tile<{T}>>, {T}
  %rb = ttl.element_read %r[%c7, %c7] : tensor<1x1x!ttl.tile<{T}>> -> {T}
  ttl.element_write %r[%c0, %c0], %rb : tensor<1x1x!ttl.tile<{T}>>, {T}
  ttl.dfb_push %out : !ttl.dfb<[1, 1], {T}, 1>
  ttl.dfb_pop %in : !ttl.dfb<[2, 2], {T}, 1>
  %w = ttl.dfb_wait %out : !ttl.dfb<[1, 1], {T}, 1>
  %xf2 = ttl.copy_to_tensor %w, %extra[%c0, %c0] : tensor<1x1x!ttl.tile<{T}>>, tensor<32x32x{T}>
  ttl.wait %xf2 : !ttl.transfer_handle<write>
  ttl.dfb_pop %out : !ttl.dfb<[1, 1], {T}, 1>
  return
}
"""


@pytest.mark.parametrize("name,dtype", [("bf16", torch.bfloat16), ("f32", torch.float32)])
def test_patch_waited_block_and_write_reserved_block(name, dtype):
    prog = program(PATCH.replace("{T}", name))
    src = (torch.randn(64, 64) - 0.5).to(dtype)
    dst = torch.zeros(64, 64, dtype=dtype)
    extra = torch.zeros(32, 32, dtype=dtype)
    run(prog, {"reader": [src], "patcher": [dst, extra]})
    want = src.clone()
    idx = torch.arange(64)
    want[idx, idx] = -want[idx, idx]
    want[37, 50] = -42.5
    assert torch.equal(dst, want)
    # -42.5 + 2 = -40.5, exact in both types; read back through the reserved block.
    assert extra[7, 7].item() == -40.5 and extra[0, 0].item() == -40.5


DEADLOCK = """
func.func @waiter() attributes {ttl.thread = #ttl.thread<datamovement>, ttl.grid = array<i64: 2, 1>} {
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %blk = ttl.dfb_wait %in : !ttl.dfb<[1, 1], bf16, 2>
  ttl.dfb_pop %in : !ttl.dfb<[1, 1], bf16, 2>
  return
}
"""


def test_deadlock_is_reported_not_hung():
    prog = program(DEADLOCK)
    with pytest.raises(KernelFault) as info:
        run(prog, {})
    report = str(info.value)
    assert report.startswith("deadlock: every running kernel thread is blocked")
    assert "core (0, 0) dm0 kernel 'waiter' waits in cb_wait_front(DFB 0, 1 page(s); 0 available)" in report
    assert "core (1, 0) dm0 kernel 'waiter' waits in cb_wait_front" in report
    assert ".cpp:" in report  # the kernel source line


def cpp_program(body: str, dfbs=(DFBSpec(0, 2048, 2),), grid=(1, 1), processor="dm0", ct_args=(0,)) -> Program:
    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + body + "\n}\n"
    return Program(grid, [KernelSpec("k", processor, source, list(ct_args), 1)], list(dfbs))


def run_cpp(body: str, **kw) -> None:
    run(cpp_program(body, **kw), {"k": [torch.zeros(32, 32, dtype=torch.bfloat16)]})


def reserve_and_push(pages: int) -> str:
    """Reserves `pages` pages of DFB 0, writes them and pushes them."""
    return (f"cb_reserve_back(0, {pages}); for (int i = 0; i < {pages} * 1024; ++i) "
            f"reinterpret_cast<uint16_t*>(get_write_ptr(0))[i] = 0; cb_push_back(0, {pages});")


FAULTS = [
    ("cb_pop_front(0, 1);", "cb_pop_front pops 1 page(s) of DFB 0, but only 0 were received with cb_wait_front"),
    ("cb_push_back(0, 1);", "cb_push_back pushes 1 page(s) of DFB 0, but only 0 are reserved: call cb_reserve_back first"),
    ("cb_reserve_back(0, 3);", "cb_reserve_back asks for 3 page(s) of DFB 0, which holds 2 page(s): it could never complete"),
    ("cb_wait_front(0, 5);", "cb_wait_front asks for 5 page(s) of DFB 0, which holds 2 page(s): it could never complete"),
    ("cb_reserve_back(3, 1);", "DFB 3 is not configured on this core"),
    ("uint32_t a = get_arg_val<uint32_t>(4);", "runtime argument 4 requested, but the kernel has 1"),
    (
        "auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);\n"
        "cb_reserve_back(0, 1); noc_async_read_tile(1, s, get_write_ptr(0));",
        "DRAM page 1 is out of bounds: the buffer at 0x1000 has 1 page(s) of 2048 bytes",
    ),
    (
        "auto s = TensorAccessor(TensorAccessorArgs<0>(), 12345, 2048);\n"
        "cb_reserve_back(0, 1); noc_async_read_tile(0, s, get_write_ptr(0));",
        "no DRAM buffer starts at address 0x3039",
    ),
    (
        "auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);\n"
        "noc_async_read_tile(0, s, get_write_ptr(0) + 2000000);",
        "noc_async_read_tile destination out of bounds",
    ),
    ("uint64_t a = get_noc_addr(5, 0, get_semaphore(0));", "core (5, 0) is outside the 1x1 grid"),
    ("uint32_t s = get_semaphore(16);", "semaphore 16 does not exist: a core has 16"),
    (f"{reserve_and_push(2)} cb_wait_front(0, 1); cb_pop_front(0, 1);",
     "DFB 0 still holds 1 pushed page(s) that no kernel popped; the last push was dm0 kernel 'k' at k.cpp:4"),
]


@pytest.mark.parametrize("body,message", FAULTS, ids=[m.split(":")[0][:40] for _, m in FAULTS])
def test_fault_reports(body, message):
    with pytest.raises(KernelFault) as info:
        run_cpp(body)
    assert message in str(info.value)
    if "still holds" not in message:
        assert "core (0, 0) dm0 kernel 'k': " in str(info.value)
        assert "k.cpp:" in str(info.value)  # the line of the faulting call


FOUR_PAGES = (DFBSpec(0, 2048, 4),)
# Reserves the four pages and writes them (a page pushed unwritten is a warning).
RESERVE_4 = ("cb_reserve_back(0, 4); for (int i = 0; i < 4 * 1024; ++i) "
             "reinterpret_cast<uint16_t*>(get_write_ptr(0))[i] = 0;")


@pytest.mark.parametrize("body", [
    f"{RESERVE_4} cb_push_back(0, 4); cb_wait_front(0, 4); cb_wait_front(0, 2); cb_pop_front(0, 4);",
    f"{RESERVE_4} cb_reserve_back(0, 2); cb_push_back(0, 4); cb_wait_front(0, 4); cb_pop_front(0, 4);",
    f"{RESERVE_4} cb_push_back(0, 4); cb_wait_front(0, 3); cb_pop_front(0, 1); cb_wait_front(0, 1);"
    " cb_pop_front(0, 2); cb_wait_front(0, 1); cb_pop_front(0, 1);",
], ids=["wait", "reserve", "pop-between"])
def test_a_smaller_second_wait_or_reserve_keeps_the_pages_already_held(body):
    """tt-metal's cb_wait_front(n) and cb_reserve_back(n) only block until n
    pages are there (or free): a later call for fewer pages gives none of the
    held ones back, so the pages already waited for or reserved (less what was
    popped or pushed since) may still be popped or pushed."""
    run_cpp(body, dfbs=FOUR_PAGES)


@pytest.mark.parametrize("body,message", [
    (f"{RESERVE_4} cb_push_back(0, 4); cb_wait_front(0, 2); cb_wait_front(0, 1); cb_pop_front(0, 4);",
     "cb_pop_front pops 4 page(s) of DFB 0, but only 2 were received with cb_wait_front"),
    (f"{RESERVE_4} cb_push_back(0, 4); cb_wait_front(0, 3); cb_pop_front(0, 2); cb_wait_front(0, 1);"
     " cb_pop_front(0, 2);",
     "cb_pop_front pops 2 page(s) of DFB 0, but only 1 were received with cb_wait_front"),
    ("cb_reserve_back(0, 2); cb_reserve_back(0, 1); cb_push_back(0, 3);",
     "cb_push_back pushes 3 page(s) of DFB 0, but only 2 are reserved: call cb_reserve_back first"),
], ids=["wait", "pop-between", "reserve"])
def test_pages_beyond_the_largest_wait_or_reserve_are_still_misuse(body, message):
    with pytest.raises(KernelFault) as info:
        run_cpp(body, dfbs=FOUR_PAGES)
    assert f"core (0, 0) dm0 kernel 'k': {message} at k.cpp:4" in str(info.value)


TWELVE_PAGES = (DFBSpec(0, 2048, 12),)


def test_blocks_of_one_trip_round_the_dfb_may_differ_in_size():
    """tt-metal moves a DFB's pointers back to its start when a push or pop
    lands exactly on its end: blocks of 5 and 7 pages of a 12-page DFB, twice
    round it, are what its API documentation allows."""
    trip = " ".join(f"{reserve_and_push(n)} cb_wait_front(0, {n}); cb_pop_front(0, {n});" for n in (5, 7))
    run_cpp(f"{trip} {trip}", dfbs=TWELVE_PAGES)


@pytest.mark.parametrize("body,message", [
    (f"{reserve_and_push(7)} cb_wait_front(0, 7); cb_pop_front(0, 7); cb_reserve_back(0, 7);",
     "cb_reserve_back asks for 7 page(s) of DFB 0 from its page 7 of 12"),
    (f"{reserve_and_push(6)} {reserve_and_push(6)} cb_wait_front(0, 7); cb_pop_front(0, 7); "
     f"{reserve_and_push(6)} cb_wait_front(0, 7);",
     "cb_wait_front asks for 7 page(s) of DFB 0 from its page 7 of 12"),
], ids=["reserve", "wait"])
def test_a_block_crossing_the_end_of_the_dfb_is_misuse(body, message):
    """On the device a block is the pages from the DFB's pointer on, in one
    piece: 7 pages from page 7 of 12 run 2 pages past its end (into whatever
    L1 follows), and the pointer, which wraps only when it lands exactly on
    the end, leaves the DFB. The reserve or wait asking for such a block is
    the fault."""
    with pytest.raises(KernelFault) as info:
        run_cpp(body, dfbs=TWELVE_PAGES)
    assert (f"core (0, 0) dm0 kernel 'k': {message}: the block would run past the DFB's end, and tt-metal "
            "wraps the DFB's pointers only when a push or pop lands exactly on the end; make the block sizes "
            "of each trip round the DFB add up to its 12 page(s) (sizes that divide 12 always do) at k.cpp:4"
            ) in str(info.value)


FILL_FOUR_PAGES = """#include <cstdint>
#include "api/dataflow/dataflow_api.h"
void kernel_main() {
  cb_reserve_back(0, 4);
  uint16_t* p = reinterpret_cast<uint16_t*>(get_write_ptr(0));
  for (int i = 0; i < 4 * 1024; ++i) p[i] = 0x3f80;  // bf16 1.0
  cb_push_back(0, 4);
}
"""

COPY_TILE_3 = """#include "api/compute/compute_kernel_api.h"
void kernel_main() {
  compute_kernel_hw_startup(0, 0);
  cb_wait_front(0, %d);
  cb_wait_front(0, %d);
  tile_regs_acquire();
  copy_tile(0, 3, 0);
  tile_regs_commit();
  tile_regs_wait();
  tile_regs_release();
  cb_pop_front(0, 4);
}
"""


@pytest.mark.parametrize("first,second", [(4, 2), (2, 4)])
def test_compute_reads_the_tiles_of_its_largest_wait(first, second):
    """Tile 3 after cb_wait_front(4) and cb_wait_front(2) in either order:
    four tiles are there, as on the device."""
    kernels = [KernelSpec("fill", "dm0", FILL_FOUR_PAGES, [], 0),
               KernelSpec("k", "compute", COPY_TILE_3 % (first, second), [], 0)]
    run(Program((1, 1), kernels, list(FOUR_PAGES)), {})


def test_compute_tiles_beyond_the_largest_wait_are_still_misuse():
    kernels = [KernelSpec("fill", "dm0", FILL_FOUR_PAGES, [], 0),
               KernelSpec("k", "compute", COPY_TILE_3 % (3, 2), [], 0)]
    with pytest.raises(KernelFault) as info:
        run(Program((1, 1), kernels, list(FOUR_PAGES)), {})
    assert ("core (0, 0) compute kernel 'k': copy_tile reads tile 3 of DFB 0, but only 3 page(s) were received "
            "with cb_wait_front at k.cpp:7") in str(info.value)


def test_pages_pushed_into_a_dfb_no_kernel_waits_on_may_stay():
    """A DFB that no kernel of the core waits on holds blocks reserved only
    to be sent through pipes (the spec's pipe examples): its pushed pages
    are left at the end, as on the device."""
    run_cpp(reserve_and_push(1))


def test_a_failed_watcher_assert_names_its_condition():
    """A hand-written kernel's ASSERT (no `// ttlx:` note before it) reports
    its condition and line."""
    source = ('#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\n#include "api/debug/assert.h"\n'
              "void kernel_main() {\n  uint32_t x = get_arg_val<uint32_t>(0);\n  ASSERT(x < 3);\n}\n")
    prog = Program((1, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)])
    with pytest.raises(KernelFault) as info:
        run(prog, {"k": [torch.zeros(32, 32, dtype=torch.bfloat16)]})
    assert str(info.value) == "core (0, 0) dm0 kernel 'k': ASSERT(x < 3) failed at k.cpp:6"


def test_l1_exhausted():
    with pytest.raises(RuntimeError, match=r"L1 exhausted: DFB 1 needs 1048576 bytes, but only \d+ of 1499136 bytes of L1 are free on each core"):
        run_cpp("", dfbs=(DFBSpec(0, 2048, 300), DFBSpec(1, 4096, 256)))


PIPE = """
uint32_t sem = get_semaphore(0);
uint32_t x = get_absolute_logical_x();
if (x == 0) {
  // Core 0 fills a page and sends it to core 1's DFB 0, then raises core 1's semaphore.
  cb_reserve_back(0, 1);
  int16_t* p = reinterpret_cast<int16_t*>(get_write_ptr(0));
  for (int i = 0; i < 1024; ++i) p[i] = (int16_t)(0x3f80 + (i & 7));
  noc_async_write(get_write_ptr(0), get_noc_addr(1, 0, get_write_ptr(0)), 2048);
  noc_async_write_barrier();
  noc_semaphore_inc(get_noc_addr(1, 0, sem), 1);
  cb_push_back(0, 1);
  cb_wait_front(0, 1);
  cb_pop_front(0, 1);
} else {
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 1);
  noc_semaphore_set(reinterpret_cast<volatile uint32_t*>(sem), 0);
  auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);
  noc_async_write_tile(0, s, get_write_ptr(0));
  noc_async_write_barrier();
}
"""


def test_pipe_between_cores_with_semaphores():
    out = torch.zeros(32, 32, dtype=torch.bfloat16)
    result = run(cpp_program(PIPE, grid=(2, 1)), {"k": [out]})
    want = torch.tensor([0x3F80 + (i & 7) for i in range(1024)], dtype=torch.int16).view(torch.bfloat16)
    assert torch.equal(tilize(out), want)
    assert result.counters[(0, 0)]["noc_writes"] == 1
    assert result.counters[(1, 0)]["semaphore_ops"] == 2


def test_missing_compiler_is_a_clear_error(monkeypatch, tmp_path):
    from ttlx.runtime import CompilerNotFound

    monkeypatch.setenv("TTLX_CACHE_DIR", str(tmp_path))  # nothing cached
    monkeypatch.delenv("CXX", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CompilerNotFound, match="install g\\+\\+"):
        run_cpp("")


def test_kernels_are_cached_by_content(monkeypatch, tmp_path):
    from ttlx.runtime import compile_kernel

    monkeypatch.setenv("TTLX_CACHE_DIR", str(tmp_path))
    src = '#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {}\n'
    first = compile_kernel("k", src, [0])
    mtime = first.stat().st_mtime_ns
    assert compile_kernel("k", src, [0]) == first and first.stat().st_mtime_ns == mtime
    assert compile_kernel("k", src, [1]) != first  # compile-time args are in the key
    assert compile_kernel("k", src + "\n", [0]) != first


def test_wrong_tensor_arguments():
    prog = program(COPY.replace("{T}", "bf16"))
    with pytest.raises(ValueError, match="kernel writer takes 1 tensor"):
        run(prog, {"reader": [torch.zeros(128, 64, dtype=torch.bfloat16)]})
    with pytest.raises(TypeError, match="use torch.bfloat16 or torch.float32"):
        run(prog, {"reader": [torch.zeros(128, 64, dtype=torch.int32)], "writer": [torch.zeros(128, 64, dtype=torch.int32)]})
    with pytest.raises(ValueError, match="whole 32x32 tiles"):
        run(prog, {"reader": [torch.zeros(100, 64)], "writer": [torch.zeros(100, 64)]})


OUT_OF_RANGE = """
func.func @reader(%src: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 1>
  %blk = ttl.dfb_reserve %in : !ttl.dfb<[1, 1], bf16, 1>
  %xf = ttl.copy_to_block %src[%c0, %c0], %blk : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[1, 1], bf16, 1>
  return
}
func.func @scan(%n: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c40 = arith.constant 40 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 1>
  %blk = ttl.dfb_wait %in : !ttl.dfb<[1, 1], bf16, 1>
  scf.for %i = %c0 to %c40 step %c1 {
    %v = ttl.element_read %blk[%c0, %i] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    ttl.element_write %blk[%c1, %i], %v : tensor<1x1x!ttl.tile<bf16>>, bf16
  }
  ttl.dfb_pop %in : !ttl.dfb<[1, 1], bf16, 1>
  return
}
"""


def test_dynamic_element_access_out_of_range_is_caught():
    """A loop copying columns 0..39 of row 0 to row 1 of a one-tile block:
    the bounds check the lowering adds stops it at column 32 and names the
    TTL op's line."""
    with Context():
        prog = Program.from_module(Module.parse(OUT_OF_RANGE), (1, 1))
    src = torch.ones(32, 32, dtype=torch.bfloat16)
    with pytest.raises(KernelFault) as info:
        run(prog, {"reader": [src], "scan": [src]})
    report = str(info.value)
    assert "core (0, 0) dm1 kernel 'scan': ttl.element_read at " in report
    assert "at -:18:10: coordinates out of range for a block of 1x1 tiles (rows < 32, columns < 32)" in report
    assert "scan" in report and ".cpp:" in report


DIRTY_L1 = """
uint32_t base = get_semaphore(0);  // L1 offset 0
uint32_t dfb = get_write_ptr(0);   // the DFB region
*reinterpret_cast<volatile uint32_t*>(base) = 7;             // semaphore 0
*reinterpret_cast<volatile uint32_t*>(dfb + 100000) = 0x1234; // own DFB region
*reinterpret_cast<volatile uint32_t*>(base + 1400000) = 0x5678; // stray, above every DFB
"""

READ_L1 = """
uint32_t base = get_semaphore(0);
auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 4096);
cb_reserve_back(0, 1);
uint32_t dfb = get_write_ptr(0);
auto* out = reinterpret_cast<volatile uint32_t*>(dfb);
out[0] = *reinterpret_cast<volatile uint32_t*>(base);
out[1] = *reinterpret_cast<volatile uint32_t*>(dfb + 100000);
out[2] = *reinterpret_cast<volatile uint32_t*>(base + 1400000);
noc_async_write_tile(0, s, dfb);
noc_async_write_barrier();
cb_push_back(0, 1);
cb_wait_front(0, 1);
cb_pop_front(0, 1);
"""


def test_a_recycled_l1_starts_as_a_fresh_one():
    """Devices reuse the L1 mappings of earlier ones (MappingPool): what a
    kernel left in L1 (semaphores, DFB pages, stray writes above the DFBs)
    reads as zero on the next device, as on a freshly mapped one."""
    run(cpp_program(DIRTY_L1, dfbs=(DFBSpec(0, 4096, 32),)), {"k": [torch.zeros(32, 32)]})
    out = torch.ones(32, 32)
    run(cpp_program(READ_L1, dfbs=(DFBSpec(0, 4096, 2),)), {"k": [out]})
    assert out.view(torch.int32)[0, :3].tolist() == [0, 0, 0]


def test_kernel_headers_include_no_cpp_standard_library_beyond_the_c_headers(tmp_path):
    """Every kernel includes the API headers, and parsing them was most of a
    cold compile: they include no C++ standard library header beyond what
    <cstdint> and <cstddef> bring (no <sstream>: DPRINT formats in the
    runtime; no <cmath> (20000 lines) or <type_traits>)."""
    import subprocess

    from ttlx.runtime.kernels import find_compiler
    from ttlx.runtime.native import INCLUDE_DIR

    def included(text: str) -> set[str]:
        source = tmp_path / "unit.cpp"
        source.write_text(text + "void kernel_main() {}\n")
        out = subprocess.run([find_compiler(), "-std=c++17", "-E", "-DKERNEL_COMPILE_TIME_ARGS=0",
                              "-DKERNEL_COMPILE_TIME_ARG_COUNT=0", "-DDST_ACCUM_MODE=false", "-I",
                              str(INCLUDE_DIR), str(source)], capture_output=True, text=True, check=True).stdout
        return {line.split('"')[1] for line in out.splitlines() if line.startswith("# ") and '"' in line}

    headers = sorted(p.relative_to(INCLUDE_DIR) for p in (INCLUDE_DIR / "api").rglob("*.h*"))
    assert "api/debug/dprint.h" in {str(h) for h in headers}
    api = included("".join(f'#include "{h}"\n' for h in headers))
    c_only = included("#include <cstdint>\n#include <cstddef>\n")
    assert {f for f in c_only if f.endswith("/cstdint")}, c_only
    assert sorted(f for f in api - c_only if not f.startswith(str(INCLUDE_DIR)) and f != str(tmp_path / "unit.cpp")
                  and not f.startswith("<")) == []


def test_kernel_cache_key_covers_every_included_file(tmp_path):
    """Kernels include the op table (a .def) as well as headers: editing
    either must give new kernels, not stale cached ones."""
    from ttlx.runtime.kernels import _runtime_fingerprint

    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "compute.h").write_text("#include \"ops.def\"\n")
    table = tmp_path / "ops.def"
    table.write_text("OP(exp)\n")
    before = _runtime_fingerprint(tmp_path)
    assert _runtime_fingerprint(tmp_path) == before
    table.write_text("OP(exp)\nOP(log)\n")
    assert _runtime_fingerprint(tmp_path) != before
