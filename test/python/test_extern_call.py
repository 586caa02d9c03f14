# SPDX-License-Identifier: Apache-2.0
"""ttl.call_extern_func, tt-lang's calls of user C++ (docs/language.md "User
C++"): test/kernels/extern_call.py runs under `ttlx run` with its header
(a reader call negates a block in L1, checked bit for bit; a compute call
prints the DFB descriptor and tt-metal's LocalCBInterface view), and every
mistake a user can make with a call is one located line."""

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
     "func_args are DFBs (passed as their uint32_t index) and integers; got float 0.5 (tensors and ttl.raw_addr "
     "are not supported by ttlx)"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], kernel=ttl.KernelKind.COMPUTE)",
     "kernel= selects compute kernels, but this call is in a datamovement thread; move it, or change kernel="),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], dfb_effects=[ttl.DFBEffect.push(x_dfb, tiles=2)])",
     "ttl.call_extern_func with dfb_effects (C++ that reserves, pushes, waits or pops a DFB) is not supported by "
     "ttlx yet"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], dfb_accesses=[ttl.DFBAccess.inspect(y_dfb)])",
     "ttl.DFBAccess.inspect names a DFB that the call does not take"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[ttl.raw_addr(x)])",
     "ttl.raw_addr (a tensor's address for user C++) is not supported by ttlx"),
    ("func_args=[x_dfb, 0x8000])", "func_args=[x_dfb, 0x8000], extra=1)",
     "ttl.call_extern_func(header, name, template_args=[...], func_args=[...], dfb_accesses=[...]) takes two to "
     "eight arguments; got unknown keyword 'extra'"),
]


@pytest.mark.parametrize("old, new, message", ERRORS,
                         ids=["missing header", "bad name", "name not in header", "bare DFB template",
                              "float function argument", "kernel of another kind", "dfb_effects",
                              "access to another DFB", "raw_addr", "unknown keyword"])
def test_call_errors_are_located(tmp_path: Path, old, new, message):
    path, text = edited_kernel(tmp_path, "extern_call.py", (old, new))
    (tmp_path / "extern_call.hpp").write_text((KERNELS / "extern_call.hpp").read_text())
    expect_located_error(path, text, "ttl.raw_addr(" if "raw_addr" in new else CALL,
                         message.replace("{dir}", str(tmp_path.resolve())))


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
