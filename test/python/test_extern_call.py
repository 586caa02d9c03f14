# SPDX-License-Identifier: Apache-2.0
"""ttl.call_extern_func, tt-lang's calls of user C++ (docs/language.md "User
C++"): test/kernels/extern_call.py runs under `ttlx run` with its header
(a reader call negates a block in L1, checked bit for bit; a compute call
prints the DFB descriptor and tt-metal's LocalCBInterface view),
test/kernels/extern_effects.py moves tiles through C++ that takes a tensor,
ttl.raw_addr and declares its dfb_effects, and every mistake a user can make
with a call is one located line."""

from __future__ import annotations

from pathlib import Path

import pytest
from kernel_cli import KERNELS, edited_kernel, expect_located_error, kernel_file, ttlx


def test_extern_call_kernel_runs_and_negates():
    result = ttlx("run", str(KERNELS / "extern_call.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
    # 1x2 bf16 tiles of 2048 bytes (128 16-byte units), two blocks; 1.5's
    # float32 bits; one line per waited block, from the compute thread (TR).
    line = ("dfb pages 2 of 2048 bytes, 2 blocks, page in 16-byte units 128, scale bits 1069547520, "
            "offset -3")
    printed = [text for text in result.stdout.splitlines() if line in text]
    assert len(printed) == 2 and all(":TR" in text for text in printed), result.stdout


def test_editing_the_header_recompiles(tmp_path: Path):
    # The kernel cache key covers the header's contents: a header edited
    # after a run that does not compile any more is reported.
    path, text = edited_kernel(tmp_path, "extern_call.py", ('Path(__file__).with_name("extern_call.hpp")',
                                                            'Path(__file__).with_name("mine.hpp")'),
                               ('"extern_call.hpp", "report_dfb"', '"mine.hpp", "report_dfb"'))
    header = tmp_path / "mine.hpp"
    header.write_text((KERNELS / "extern_call.hpp").read_text())
    first = ttlx("run", str(path))
    assert first.returncode == 0 and first.stdout.strip().endswith("PASS"), first.stdout + first.stderr
    header.write_text(header.read_text().replace("element[i] ^= static_cast<uint16_t>(mask);",
                                                 "element[i] ^= undeclared_mask;"))
    expect_located_error(path, text, CALL, "the user C++ this call runs does not compile: "
                         "'undeclared_mask' was not declared in this scope")


CALL = "ttl.call_extern_func("  # the reader's call: the first in the file

ERRORS = [  # (old text of extern_call.py, new text, message)
    ('Path(__file__).with_name("extern_call.hpp")', 'Path(__file__).with_name("missing.hpp")',
     "ttl.call_extern_func's header '"),
    ('HEADER, "flip_signs",', 'HEADER, "flip signs",',
     "ttl.call_extern_func's name is a C++ function name (a string such as \"inspect_dfb\"); got 'flip signs'"),
    ('HEADER, "flip_signs",', 'HEADER, "flip_sign",',
     "the header {dir}/extern_call.hpp does not mention a function named 'flip_sign'; check the name, or the "
     "header"),
    ("template_args=[ttl.dfb_descriptor(x_dfb), ttl.get_dfb_id(x_dfb), True],",
     "template_args=[x_dfb, ttl.get_dfb_id(x_dfb), True],",
     "a DFB in template_args is ambiguous: pass ttl.dfb_descriptor(dfb) (a ttlang::DFBDescriptor type) or "
     "ttl.get_dfb_id(dfb) (its index)"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0.5])",
     "func_args are DFBs (passed as their uint32_t index), integers (ttl.raw_addr(tensor) among them) and tensors "
     "(a TensorAccessor, in data-movement threads); got float 0.5"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x[r, 0:2], 0x8000])",
     "func_args take whole tensors, not slices: pass the tensor (a TensorAccessor of its pages) or "
     "ttl.raw_addr(tensor)"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], kernel=ttl.KernelKind.COMPUTE)",
     "kernel= selects compute kernels, but this call is in a datamovement thread; move it, or change kernel="),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], dfb_effects=[ttl.DFBEffect.push(x_dfb, tiles=5)])",
     "ttl.DFBEffect.push(tiles=5) asks for more pages than DFB 0 holds (4: 2 block(s) of 2), so the C++ would "
     "wait forever"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], dfb_effects=[x_dfb])",
     "dfb_effects lists ttl.DFBEffect.reserve(dfb, tiles=n) (or push, wait, pop); got DataflowBuffer"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], dfb_effects=[ttl.DFBEffect.push(x_dfb, tiles=0)])",
     "ttl.DFBEffect.push's tiles= is a positive number known when the operation compiles; got int 0"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], dfb_accesses=[ttl.DFBAccess.inspect(y_dfb)])",
     "ttl.DFBAccess.inspect names a DFB that the call does not take"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[ttl.raw_addr(x[r, 0:2])])",
     "ttl.raw_addr takes a tensor argument of the operation (not a slice or a computed value); got Slice"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], extra=1)",
     "ttl.call_extern_func(header, name, template_args=[...], func_args=[...], dfb_accesses=[...]) takes two to "
     "eight arguments; got unknown keyword 'extra'"),
]


@pytest.mark.parametrize("old, new, message", ERRORS,
                         ids=["missing header", "bad name", "name not in header", "bare DFB template",
                              "float function argument", "tensor slice argument", "kernel of another kind",
                              "effect beyond the capacity", "not an effect", "effect of no tiles",
                              "access to another DFB", "raw_addr of a slice", "unknown keyword"])
def test_call_errors_are_located(tmp_path: Path, old, new, message):
    path, text = edited_kernel(tmp_path, "extern_call.py", (old, new))
    (tmp_path / "extern_call.hpp").write_text((KERNELS / "extern_call.hpp").read_text())
    expect_located_error(path, text, "ttl.raw_addr(" if "raw_addr" in new else CALL,
                         message.replace("{dir}", str(tmp_path.resolve())))


def test_tensors_raw_addresses_and_effects_run():
    """test/kernels/extern_effects.py: every tile moves through user C++ that
    does the DFB protocol itself (declared in dfb_effects), reading x through
    its TensorAccessor and writing y through ttl.raw_addr(y); y = 2x bit for
    bit. The compute and writer threads print the same address of y."""
    result = ttlx("run", str(KERNELS / "extern_effects.py"))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
    addresses = {line.split("address of y ")[1] for line in result.stdout.splitlines() if "address of y " in line}
    printed = [line for line in result.stdout.splitlines() if "address of y " in line]
    assert len(printed) == 2 and len(addresses) == 1 and addresses != {"0"}, result.stdout


EFFECTS_CALL = 'ttl.call_extern_func(HEADER, "store_block"'  # the writer's first store


@pytest.mark.parametrize("old, new, needle, message", [
    # Without its effects the reader's C++ pushes x_dfb unseen: the compute
    # thread's wait then has no producer the compiler knows of.
    ("dfb_effects=[ttl.DFBEffect.reserve(x_dfb, tiles=2),\n"
     "                                              ttl.DFBEffect.push(x_dfb, tiles=2)])",
     "dfb_effects=[])", "x_dfb.wait()",
     "DFB 0 is waited on here, but no thread reserves and pushes it"),
    # A pop the C++ makes of a block nothing waited for.
    ("ttl.DFBEffect.repeat(1, [ttl.DFBEffect.wait(y_dfb, tiles=2),", "ttl.DFBEffect.repeat(1, [", EFFECTS_CALL,
     "'ttl.opaque_call' op (its dfb_effects) pops a DFB that holds no waited block; call 'ttl.dfb_wait' first"),
    # The C++ pops both pages of y_dfb's block but waits for one: its waits
    # count pages from the DFB's front.
    ('ttl.call_extern_func(HEADER, "store_block", template_args=[ttl.dfb_descriptor(y_dfb)],\n'
     '                             func_args=[ttl.raw_addr(y), 2],\n'
     '                             dfb_effects=[ttl.DFBEffect.wait(y_dfb), ',
     'ttl.call_extern_func(HEADER, "store_block", func_args=[ttl.raw_addr(y), 2],\n'
     '                             template_args=[ttl.dfb_descriptor(y_dfb)],\n'
     '                             dfb_effects=[ttl.DFBEffect.wait(y_dfb, tiles=1), ',
     '"store_block", func_args=[ttl.raw_addr(y), 2]',
     "'ttl.opaque_call' op (its dfb_effects) pops 2 page(s) of a DFB of which this thread holds 1 waited page(s); "
     "wait for all of them first (a wait counts its pages from the DFB's front, not after those held)"),
    # A C++ wait while the kernel holds a block is that block, so the C++ pop
    # pops it: the kernel's own pop at the end of the with is one too many.
    ("o.store(a * 2.0)", 'o.store(a * 2.0)\n                ttl.call_extern_func(HEADER, "report_address", '
     "func_args=[ttl.raw_addr(y)], dfb_effects=[ttl.DFBEffect.wait(x_dfb), ttl.DFBEffect.pop(x_dfb)])",
     "with x_dfb.wait() as a",
     "'ttl.dfb_pop' op pops a waited block that the dfb_effects of an earlier user C++ call already popped; "
     "release it once"),
    # A tensor is a TensorAccessor in data-movement threads only.
    ('"report_address", func_args=[ttl.raw_addr(y)])\n        for',
     '"report_address", func_args=[y])\n        for', 'ttl.call_extern_func(HEADER, "report_address"',
     "a tensor in func_args is passed as a TensorAccessor, which only data-movement threads have; in a compute "
     "thread pass ttl.raw_addr(tensor) (its address)"),
    # ttl.DFBEffect.repeat counts are compile-time numbers.
    ("ttl.DFBEffect.repeat(1,", "ttl.DFBEffect.repeat(-1,", "ttl.DFBEffect.repeat(",
     "ttl.DFBEffect.repeat(count, [effects]) repeats a number of times known when the operation compiles (0 or "
     "more); got int"),
], ids=["effects left out", "pop without wait", "pop more than waited", "pop the kernel's block",
        "tensor in compute", "negative repeat"])
def test_effect_and_tensor_errors_are_located(tmp_path: Path, old, new, needle, message):
    path, text = edited_kernel(tmp_path, "extern_effects.py", (old, new))
    (tmp_path / "extern_effects.hpp").write_text((KERNELS / "extern_effects.hpp").read_text())
    expect_located_error(path, text, needle, message)


def test_a_wrong_signature_is_reported_at_the_call(tmp_path: Path):
    # flip_signs takes (dfb, mask): one function argument too few.
    path, text = edited_kernel(tmp_path, "extern_call.py", ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb])"))
    (tmp_path / "extern_call.hpp").write_text((KERNELS / "extern_call.hpp").read_text())
    expect_located_error(path, text, CALL, "the user C++ this call runs does not compile: no matching function for "
                                           "call to 'flip_signs")


UNIFIED = '''\
from pathlib import Path

import torch
import ttl
import ttnn

HEADER = str(Path(__file__).with_name("extern_call.hpp"))


@ttl.operation(grid=(1, 1))
def negate(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=2)
    for r in range(2):
        with x_dfb.reserve() as blk:
            ttl.copy(x[r, 0:2], blk).wait()
            ttl.call_extern_func(HEADER, "flip_signs",
                                 template_args=[ttl.dfb_descriptor(x_dfb), ttl.get_dfb_id(x_dfb), True],
                                 func_args=[x_dfb, 0x8000]{kernel})
        with x_dfb.wait() as a, y_dfb.reserve() as o:
            o.store(a)
        with y_dfb.wait() as blk:
            ttl.copy(blk, y[r, 0:2]).wait()


x_torch = torch.randn(64, 64).to(torch.bfloat16)
x = ttnn.from_torch(x_torch, dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
y = ttnn.zeros((64, 64), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT)
negate(x, y)
print("PASS" if torch.equal(ttnn.to_torch(y), -x_torch) else "FAIL")
'''


def test_a_unified_body_places_the_call_by_its_kernel(tmp_path: Path):
    (tmp_path / "extern_call.hpp").write_text((KERNELS / "extern_call.hpp").read_text())
    path = kernel_file(tmp_path, UNIFIED.format(kernel=", kernel=ttl.KernelKind.DATA_MOVEMENT"))
    result = ttlx("run", str(path))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_a_unified_body_needs_kernel(tmp_path: Path):
    text = UNIFIED.format(kernel="")
    expect_located_error(kernel_file(tmp_path, text), text, CALL,
                         "ttl.call_extern_func in a unified operation body needs kernel=ttl.KernelKind.COMPUTE or "
                         "kernel=ttl.KernelKind.DATA_MOVEMENT")


def test_the_kernel_cache_key_covers_user_headers(tmp_path: Path):
    from ttlx.runtime.kernels import kernel_library

    header = tmp_path / "mine.hpp"
    header.write_text("inline void f() {}\n")
    source = f'#include "{header}"\nvoid kernel_main() {{ f(); }}\n'
    before = kernel_library("k", source, [])
    assert kernel_library("k", source, []) == before
    header.write_text("inline void f() { int unused = 0; (void)unused; }\n")
    assert kernel_library("k", source, []) != before
