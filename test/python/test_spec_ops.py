# SPDX-License-Identifier: Apache-2.0
"""Operations of tt-lang's spec beyond tt-lang-sim 1.1.6's set through
`ttlx run` (ttl.read_index of 0.21, ttl.make_dfb) and ttl.GroupTransfer:
the kernel files under test/kernels check their results against torch
inside, and misuse is a located error at the user's line."""

from __future__ import annotations

import pytest

from kernel_cli import KERNELS, edited_kernel, expect_located_error, ttlx


@pytest.mark.parametrize("kernel", ["read_index.py", "make_dfb.py", "group_transfer.py"])
def test_kernel_runs_and_matches_torch(kernel):
    result = ttlx("run", str(KERNELS / kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


# (kernel file, text replaced, replacement (or tuples of both), the line the error points at, message)
ERRORS = [
    ("read_index.py", "r = ttl.read_index(ib, 0, t)", "r = ttl.read_index(ib, t)", "r = ttl.read_index(ib, t)",
     "ttl.read_index(block, row, col) takes three arguments; got 2 arguments"),
    ("read_index.py", "r = ttl.read_index(ib, 0, t)", "r = ttl.read_index(idx, 0, t)", "ttl.read_index(idx, 0, t)",
     "the first argument of ttl.read_index is a block from dfb.wait() (or a reserved block already written)"),
    # The compute thread takes over the wait on the index DFB.
    ("read_index.py", ("        with idx_dfb.wait() as ib:\n            for t in range(PICKS):\n"
                       "                r = ttl.read_index(ib, 0, t)\n                with row_dfb.reserve() as blk:\n"
                       "                    ttl.copy(w[r, 0], blk).wait()\n", "    def compute():\n        pass\n"),
     ("", "    def compute():\n        with idx_dfb.wait() as ib:\n            k = ttl.read_index(ib, 0, 0)\n"),
     "k = ttl.read_index(ib, 0, 0)",
     "ttl.read_index reads or writes one element of a block, which data-movement threads do, but 'compute' is "
     "the compute thread; access elements in a @ttl.datamovement function (the compute thread works on whole "
     "blocks: operators, ttl.math.*, ttl.block.*)"),
    ("make_dfb.py", "ttl.make_dfb(out_type, shape=(1, 2))", "ttl.make_dfb(ttnn.uint32, shape=(1, 2))",
     "ttl.make_dfb(ttnn.uint32",
     'the element type of ttl.make_dfb is bf16 or float32 ("bf16", "float32", ttnn.bfloat16, ttnn.float32); '
     "got torch.uint32"),
    ("make_dfb.py", "ttl.make_dfb(out_type, shape=(1, 2))", "ttl.make_dfb(out_type, shape=(1, 2), tile=(16, 32))",
     "tile=(16, 32)", "tile= of ttl.make_dfb is (32, 32), the only tile ttlx has; got (16, 32)"),
    ("make_dfb.py", "ttl.make_dfb(out_type, shape=(1, 2))",
     "ttl.make_dfb(out_type, shape=(1, 2), allocation_group=object())", "allocation_group=object()",
     "allocation_group= takes a group made by ttl.make_dfb_allocation_group(); got <object object at 0x"),
    ("group_transfer.py", "                gxf.wait_all()\n\n    @ttl.compute()", "\n    @ttl.compute()",
     "                gxf = ttl.GroupTransfer()\n                gxf.add(ttl.copy(x",
     "this ttl.GroupTransfer is never waited; call .wait_all() on it after adding its transfers"),
    ("group_transfer.py", "                gxf.wait_all()\n\n    @ttl.compute()",
     "                gxf.wait_all()\n                gxf.wait_all()  # twice\n\n    @ttl.compute()",
     "gxf.wait_all()  # twice", "GroupTransfer.wait_all is called once per group"),
    ("group_transfer.py", "                    gxf.add(ttl.copy(blk, y[i, 2 * j:2 * j + 2]))\n                gxf.wait_all()",
     "                    gxf.add(ttl.copy(blk, y[i, 2 * j:2 * j + 2]))\n                    gxf.wait_all()  # in",
     "gxf.wait_all()  # in",
     "call wait_all in the scope that made the ttl.GroupTransfer (not inside a loop or branch below it)"),
    ("group_transfer.py", "gxf.add(ttl.copy(x[i, 0:2], blk))", "gxf.add(blk)", "gxf.add(blk)",
     "GroupTransfer.add takes the transfer handle ttl.copy returns"),
]


@pytest.mark.parametrize("kernel,old,new,at,message", ERRORS, ids=[e[4][:40] for e in ERRORS])
def test_misuse_is_a_located_error(tmp_path, kernel, old, new, at, message):
    edits = list(zip(old, new)) if isinstance(old, tuple) else [(old, new)]
    path, text = edited_kernel(tmp_path, kernel, *edits)
    expect_located_error(path, text, at, message)