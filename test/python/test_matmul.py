# SPDX-License-Identifier: Apache-2.0
"""Block matmul (`a @ b`) through `ttlx run`, against torch.

Bounds: inputs are bf16 values (exact in bf16 and f32), the reference is
float64. An element of a product of n = 32 K terms computed in float32
errs by at most n 2^-24 (|A| @ |B|); each rounding to bf16 on the way (the
output, a bf16 accumulator DFB per K step, a 16-bit DST per matmul_tiles
call) adds 2^-8 (|A| @ |B|), which bounds every partial sum. The tests
assert that element-wise bound, computed from the data.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from kernel_cli import ttlx

ROOT = Path(__file__).resolve().parents[2]

KERNEL = '''
import sys

import torch
import ttnn

import ttl

M, K, N, KB = {M}, {K}, {N}, {KB}  # tiles; KB K-tiles per block
DTYPE = ttnn.{dtype}


@ttl.operation(grid=(1, 1), fp32_dest_acc_en={fp32})
def matmul(a, b, c, y):
    a_dfb = ttl.make_dataflow_buffer_like(a, shape=(M, KB), block_count=2)
    b_dfb = ttl.make_dataflow_buffer_like(b, shape=(KB, N), block_count=2)
    c_dfb = ttl.make_dataflow_buffer_like(c, shape=(M, N), block_count=2)
    acc_dfb = ttl.make_dataflow_buffer_like(y, shape=(M, N), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(M, N), block_count=2)

    @ttl.datamovement()
    def read():
        with c_dfb.reserve() as cb:
            ttl.copy(c[0:M, 0:N], cb).wait()
        for k in range(K // KB):
            with a_dfb.reserve() as ab, b_dfb.reserve() as bb:
                ta = ttl.copy(a[0:M, k * KB:(k + 1) * KB], ab)
                tb = ttl.copy(b[k * KB:(k + 1) * KB, 0:N], bb)
                ta.wait()
                tb.wait()

    @ttl.compute()
    def compute():
{compute}

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[0:M, 0:N]).wait()


g = torch.Generator().manual_seed(M * 100 + K * 10 + N)
a = torch.randn(32 * M, 32 * K, generator=g).to(torch.bfloat16).double()
b = torch.randn(32 * K, 32 * N, generator=g).to(torch.bfloat16).double()
c = torch.randn(32 * M, 32 * N, generator=g).to(torch.bfloat16).double()
y = ttnn.zeros((32 * M, 32 * N), dtype=DTYPE)
matmul(*(ttnn.from_torch(t.to(DTYPE), dtype=DTYPE) for t in (a, b, c)), y)
got = ttnn.to_torch(y).double()
want = {reference}
scale = a.abs() @ b.abs() + c.abs()
roundings = {roundings}
bound = (32 * K * 2.0**-24 + roundings * 2.0**-8) * scale
excess = ((got - want).abs() - bound).max().item()
print("max error", (got - want).abs().max().item(), "excess over bound", excess)
assert excess <= 0, excess
print("PASS")
'''

# The tt-lang way of accumulating over K (as its matmul tutorials do): a
# zero-filled accumulator DFB, then per K block acc = acc + a @ b.
K_LOOP = """\
with acc_dfb.reserve() as acc:
    acc.store(ttl.block.fill(0, shape=(M, N)))
for k in range(K // KB):
    with a_dfb.wait() as ab, b_dfb.wait() as bb, acc_dfb.wait() as prev:
        with acc_dfb.reserve() as acc:
            acc.store(prev + ab @ bb)
with c_dfb.wait() as cb, acc_dfb.wait() as acc, y_dfb.reserve() as yb:
    yb.store(acc + cb)"""

# One block holds all of K: the product inside an expression tree.
EXPRESSION = """\
with a_dfb.wait() as ab, b_dfb.wait() as bb, c_dfb.wait() as cb, y_dfb.reserve() as yb:
    yb.store(ttl.math.relu(ab @ bb + cb))
with acc_dfb.reserve() as acc:
    acc.store(ttl.block.fill(0, shape=(M, N)))
with acc_dfb.wait() as acc:
    pass"""


def run_kernel(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "kernel.py"
    path.write_text(text)
    return ttlx("run", str(path))


CASES = [  # (M, K, N, KB, body)
    (1, 1, 1, 1, "expression"),
    (2, 4, 2, 4, "expression"),
    (2, 4, 2, 2, "k_loop"),
    (1, 8, 1, 1, "k_loop"),
]


@pytest.mark.parametrize("dtype,fp32", [("bfloat16", False), ("bfloat16", True), ("float32", True)])
@pytest.mark.parametrize("m,k,n,kb,body", CASES, ids=[f"{m}x{k}@{k}x{n}-{b}-kb{kb}" for m, k, n, kb, b in CASES])
def test_matmul_matches_torch(tmp_path, m, k, n, kb, body, dtype, fp32):
    if body == "expression":
        compute, reference = EXPRESSION, "torch.relu(a @ b + c)"
        steps = 1
    else:
        compute, reference = K_LOOP, "a @ b + c"
        steps = k // kb + 1  # the accumulator once per K block, then + c
    bf16 = dtype == "bfloat16"
    roundings = 0 if not bf16 else steps + 1 + (0 if fp32 else k)
    text = KERNEL.format(M=m, K=k, N=n, KB=kb, dtype=dtype, fp32=fp32, compute=textwrap.indent(compute, " " * 8),
                         reference=reference, roundings=roundings)
    result = run_kernel(tmp_path, text)
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


SHIFT = '''
import torch
import ttnn

import ttl

SHIFT = 3


@ttl.operation(grid=(1, 1), fp32_dest_acc_en=True)
def shift_rows(x, y):
    s_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=1)

    @ttl.datamovement()
    def read():
        # S[i][i - SHIFT] = 1: (S @ X)[i] = X[i - SHIFT], zeros on top.
        with s_dfb.reserve() as s:
            for i in range(32):
                for j in range(32):
                    ttl.element_write(s, i, j, 0.0)
            for i in range(SHIFT, 32):
                ttl.element_write(s, i, i - SHIFT, 1.0)
        with x_dfb.reserve() as xb:
            ttl.copy(x[0, 0], xb).wait()

    @ttl.compute()
    def compute():
        with s_dfb.wait() as s, x_dfb.wait() as xb, y_dfb.reserve() as yb:
            yb.store(s @ xb)

    @ttl.datamovement()
    def write():
        with y_dfb.wait() as yb:
            ttl.copy(yb, y[0, 0]).wait()


x = torch.randn(32, 32).to(torch.bfloat16)
y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
shift_rows(ttnn.from_torch(x), y)
want = torch.zeros_like(x)
want[SHIFT:] = x[:-SHIFT]
assert torch.equal(ttnn.to_torch(y), want)  # 0/1 products: exact
print("PASS")
'''


def test_row_shift_by_a_shift_tile_built_with_element_write(tmp_path):
    result = run_kernel(tmp_path, SHIFT)
    assert result.returncode == 0 and "PASS" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("old,new,message", [
    ("yb.store(ttl.math.relu(ab @ bb + cb))", "yb.store(ab @ ab)",
     "@ multiplies M x K by K x N tiles, but the left block is 2x4 tiles and the right one 2x4: the left one's "
     "columns (4) must equal the right one's rows (2)"),
    ("            ttl.copy(yb, y[0:M, 0:N]).wait()", "            ttl.copy(yb, y[0:M, 0:N]).wait()\n            z = yb @ yb",
     "'@' on blocks is block math, which runs on compute threads, but 'write' is a data-movement thread; compute in "
     "the @ttl.compute function (data-movement threads move blocks with ttl.copy)"),
])
def test_matmul_errors_at_the_line(tmp_path, old, new, message):
    compute = EXPRESSION.replace(old, new)
    text = KERNEL.format(M=2, K=4, N=2, KB=4, dtype="bfloat16", fp32=False,
                         compute=textwrap.indent(compute, " " * 8), reference="a", roundings=0)
    if old not in EXPRESSION:  # a data-movement thread's change
        text = text.replace(old, new)
    result = run_kernel(tmp_path, text)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    needle = new.splitlines()[-1].strip()
    line = next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)
    assert lines[0].startswith(f"{tmp_path / 'kernel.py'}:{line}:") and f"error: {message}" in lines[0], lines[0]


def _matmul_tutorials() -> list[Path]:
    import importlib.util

    spec = importlib.util.find_spec("ttl")  # tt-lang-sim's package; not imported
    root = Path(list(spec.submodule_search_locations)[0]) / "tutorials" / "matmul"
    files = sorted(root.glob("step_[1-7]_*.py"))
    assert len(files) == 7, files
    return files


def _smaller(tutorial: Path) -> str:
    text = tutorial.read_text()
    assert "M, K, N = 8192, 8192, 8192" in text
    return text.replace("M, K, N = 8192, 8192, 8192", "M, K, N = 512, 256, 512")


@pytest.mark.parametrize("tutorial", _matmul_tutorials(), ids=lambda p: p.stem)
def test_tt_lang_matmul_tutorials_at_a_smaller_size(tutorial, tmp_path):
    """Tenstorrent's matmul tutorials (steps 1-7; 5-7 on a mesh of
    ttnn.GetNumAvailableDevices() devices, 4 as in tt-lang-sim), changed
    only in size: at 8192^3 each step takes minutes (docs/testing.md has the
    figures), so M, K, N = 512, 256, 512 (the smallest the 4x4 grid of step
    3 divides). Each checks PCC > 0.99 itself."""
    result = run_kernel(tmp_path, _smaller(tutorial))
    assert result.returncode == 0 and "PCC" in result.stdout, result.stdout + result.stderr[-2000:]


def test_num_devices_option(tmp_path):
    """`ttlx run --num-devices N` sets what GetNumAvailableDevices() returns
    (tt-lang-sim's option): step 7 asks for more than one device and a
    power of two."""
    path = tmp_path / "step7.py"
    path.write_text(_smaller(next(p for p in _matmul_tutorials() if p.name.startswith("step_7_"))))
    two = ttlx("run", "--num-devices", "2", str(path))
    assert two.returncode == 0 and "PCC" in two.stdout, two.stdout + two.stderr[-2000:]
    one = ttlx("run", "--num-devices", "1", str(path))
    assert one.returncode == 1 and "Number of available devices must be >1 and be power of 2" in one.stderr
    zero = ttlx("run", "--num-devices", "0", str(path))
    assert zero.returncode == 2 and "--num-devices 0: the number of devices is at least 1" in zero.stderr
