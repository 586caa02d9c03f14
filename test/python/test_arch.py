# SPDX-License-Identifier: Apache-2.0
"""Per-architecture limits (issue 16 item 8): a core has 32 DFBs on
wormhole_b0 (the default) and 64 on blackhole, chosen by `ttlx run/compile
--arch` or TTLX_ARCH; too many DFBs is an error at the user's line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kernel_cli import expect_located_error, kernel_file, ttlx

KERNEL = '''
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def op(x, y):
    dfbs = [ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1) for _ in range({count})]
    last = dfbs[-1]

    @ttl.datamovement()
    def read():
        with last.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        with last.wait() as blk:
            ttl.copy(blk, y[0, 0]).wait()


x = ttnn.from_torch(torch.arange(1024, dtype=torch.float32).reshape(32, 32).to(torch.bfloat16))
y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
op(x, y)
assert torch.equal(ttnn.to_torch(y), ttnn.to_torch(x))
print("PASS")
'''


def run(tmp_path: Path, count: int, *args: str, env_arch: str | None = None) -> tuple[subprocess.CompletedProcess, Path]:
    path = kernel_file(tmp_path, KERNEL.format(count=count))
    env = dict(os.environ)
    env.pop("TTLX_ARCH", None)
    if env_arch:
        env["TTLX_ARCH"] = env_arch
    result = ttlx("run", *args, str(path), env=env)
    return result, path


def test_wormhole_has_32_dfbs(tmp_path):
    result, _ = run(tmp_path, 32)
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_33_dfbs_on_wormhole_is_an_error_at_the_users_line(tmp_path):
    result, path = run(tmp_path, 33)
    # The DFB's bind in the reader thread: where the thread first uses it.
    expect_located_error(path, path.read_text(), "with last.reserve()",
                         "binds DFB 32, but a wormhole_b0 core has 32 DFBs (0 to 31); use fewer DFBs, "
                         "or target blackhole (64 DFBs: --arch blackhole or TTLX_ARCH=blackhole)", result=result)


@pytest.mark.parametrize("how", ["option", "env"])
def test_blackhole_runs_64_dfbs(tmp_path, how):
    if how == "option":
        result, _ = run(tmp_path, 64, "--arch", "blackhole")
    else:
        result, _ = run(tmp_path, 64, env_arch="blackhole")
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_65_dfbs_on_blackhole_is_an_error_at_the_users_line(tmp_path):
    result, path = run(tmp_path, 65, "--arch", "blackhole")
    expect_located_error(path, path.read_text(), "with last.reserve()",
                         "binds DFB 64, but a blackhole core has 64 DFBs (0 to 63); use fewer DFBs",
                         result=result)


def test_unknown_arch_in_the_environment_is_reported(tmp_path):
    result, _ = run(tmp_path, 1, env_arch="grayskull")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == ("ttlx: error: TTLX_ARCH='grayskull' is not a chip ttlx models: "
                                     "use wormhole_b0 or blackhole")


def test_unknown_arch_from_python_is_a_value_error_at_the_call(monkeypatch):
    """The Python API (no `ttlx` command to report it) raises at the
    operation call, with the same sentence."""
    import torch

    import ttlx.lang as ttl
    from ttlx.lang import ttnn

    @ttl.operation(grid=(1, 1))
    def op(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)

        @ttl.datamovement()
        def read():
            with x_dfb.reserve() as blk:
                ttl.copy(x[0, 0], blk).wait()

        @ttl.compute()
        def compute():
            pass

        @ttl.datamovement()
        def write():
            with x_dfb.wait() as blk:
                ttl.copy(blk, y[0, 0]).wait()

    x = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16))
    y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
    monkeypatch.setenv("TTLX_ARCH", "grayskull")
    with pytest.raises(ValueError, match="^TTLX_ARCH='grayskull' is not a chip ttlx models: use wormhole_b0 or "
                                         "blackhole$"):
        op(x, y)
    monkeypatch.setenv("TTLX_ARCH", "wormhole_b0")
    op(x, y)
    assert torch.equal(ttnn.to_torch(y), ttnn.to_torch(x))
