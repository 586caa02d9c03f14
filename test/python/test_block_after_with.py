# SPDX-License-Identifier: Apache-2.0
"""Block values kept after the `with` that popped their operands, through
helpers and in tuples (docs/language.md, "Block variables across loops"):
test/kernels/helper_block_values.py against tt-lang-sim (exact: its inputs
and results are small integers), the IR of a tuple kept after its `with`,
and the located error for what stays refused."""

from __future__ import annotations

import numpy as np

from kernel_cli import KERNELS, tt_lang_sim, ttlx
from test_accumulation import compute_ttl, expect_error


def test_helper_block_values_match_tt_lang_sim(tmp_path):
    """Helpers assigning names the caller carries, returning expressions of
    their own `with`s and of their own block variables; tuples read after
    their `with`. Integers below 256 throughout: equal to the simulator's."""
    kernel = KERNELS / "helper_block_values.py"
    sim_out, ttlx_out = tmp_path / "sim.npy", tmp_path / "ttlx.npy"
    for result in (tt_lang_sim(str(kernel), str(sim_out)), ttlx("run", str(kernel), str(ttlx_out))):
        assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr
    np.testing.assert_array_equal(np.load(ttlx_out), np.load(sim_out))


def test_tuple_parts_read_after_their_with_get_scratch_dfbs(tmp_path):
    """Each block expression of the tuple r (dfbs 2 and 3) is stored before
    the first `with` pops a; the number in it needs none."""
    compute = compute_ttl(tmp_path, """with x_dfb.wait() as a:
    r = (a + 1.0, a * a, 2)
with x_dfb.wait() as a:
    pass
with y_dfb.reserve() as o:
    o.store(r[0] + r[1])""")
    assert "ttl.bind_dfb 2 : !ttl.dfb<[1, 1], bf16, 2>" in compute, compute
    assert "ttl.bind_dfb 3 : !ttl.dfb<[1, 1], bf16, 2>" in compute, compute
    assert "ttl.bind_dfb 4" not in compute, compute
    first = compute.split("ttl.dfb_pop")[0]  # up to the first with's pop
    assert first.count("ttl.dfb_push") == 2, compute


def test_helper_returning_a_block_from_a_branch_is_a_located_error(tmp_path):
    """A block computed in a branch exists only there (no IR value leaves
    the scf.if); a block variable bound before it is kept across it."""
    compute = """def pick(d, k):
    with d.wait() as a:
        if k > 0:
            return a * a
for k in range(2):
    t = pick(x_dfb, k)
    with y_dfb.reserve() as o:
        o.store(t)"""
    expect_error(tmp_path, compute, "if k > 0", "this helper returns a block from inside a branch; bind a block "
                 "variable before the branch (t = ttl.block.fill(0, shape=...) or blk + 0.0), assign it in the "
                 "branch and return it after")


def test_block_variable_read_in_a_while_loop_is_waited_once_before_it(tmp_path):
    """t lives in a scratch DFB; a `while` body reading it used to wait for
    it inside the loop (an unpopped wait each iteration: a verifier error).
    The run (x is ones: y = 3) completes."""
    compute = compute_ttl(tmp_path, """with x_dfb.wait() as a:
    t = a + a
i = ttl.node(dims=1)
while i < 1:
    with x_dfb.wait() as b, y_dfb.reserve() as o:
        o.store(t + b)
    i += 1""")
    before, loop = compute.split("scf.while", 1)
    assert "ttl.dfb_wait" in before.split("ttl.bind_dfb 2")[1], compute  # t waited before the loop
    result = ttlx("run", str(tmp_path / "kernel.py"))
    assert result.returncode == 0, result.stdout + result.stderr
