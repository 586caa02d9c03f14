# SPDX-License-Identifier: Apache-2.0
"""Runaway kernels (docs/runtime.md, "Faults"): a loop that hardware would
spin in forever spins here too (kernels are compiled with
-fno-finite-loops, so the host compiler may not delete it), and the watchdog
ends the run with a report naming the core, the thread and the line it
spins on, instead of hanging."""

from __future__ import annotations

import os
import subprocess
import textwrap

import pytest
import torch
from kernel_cli import ttlx

from ttlx.runtime import KernelFault, KernelSpec, Program, kernels, run

SPIN = """
uint32_t sem = get_semaphore(0);
if (get_absolute_logical_x() == 0) {
  // A hand-written poll of a semaphore nobody sets: no API call inside.
  volatile uint32_t* word = reinterpret_cast<volatile uint32_t*>(sem);
  while (*word != 7) {
  }
  noc_semaphore_inc(get_noc_addr(1, 0, sem), 1);
} else {
  noc_semaphore_wait(reinterpret_cast<volatile uint32_t*>(sem), 1);
}
"""

# i stays odd, n (a DRAM address) is even: endless, but the compiler cannot
# see it, and at -O2 GCC assumes a loop without side effects terminates.
ENDLESS = """
uint32_t n = get_arg_val<uint32_t>(0);
uint32_t i = 1;
while (i != n)
  i += 2;
"""


def kernel(body: str, grid=(2, 1), tensors=0) -> Program:
    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + body + "\n}\n"
    return Program(grid, [KernelSpec("k", "dm0", source, [0], tensors)], [])


def spin_program() -> Program:
    return kernel(SPIN)


@pytest.fixture
def watchdog(monkeypatch):
    monkeypatch.setenv("TTLX_WATCHDOG_S", "0.5")


def spin_line() -> int:
    source = spin_program().kernels[0].source
    return source.splitlines().index("  while (*word != 7) {") + 1


def test_spinning_thread_is_reported_not_hung(watchdog):
    """Core 0 spins; core 1 waits on it. The run ends with core 0's report."""
    with pytest.raises(KernelFault) as info:
        run(spin_program(), {})
    report = str(info.value)
    assert report.startswith(
        "core (0, 0) dm0 kernel 'k': runaway kernel thread: no API call for 0.5 s (TTLX_WATCHDOG_S) "
        "while it held a host worker; it spins at k.cpp:"), report
    line = int(report.rsplit(":", 1)[1].split()[0])
    assert line == spin_line(), report


@pytest.mark.parametrize("workers", ["1", "2"])
def test_runaway_thread_leaves_the_device_usable(watchdog, monkeypatch, workers):
    """The abandoned fiber's worker goes back to work: the next run in the
    same process runs normally."""
    monkeypatch.setenv("TTLX_WORKERS", workers)
    with pytest.raises(KernelFault, match="runaway kernel thread"):
        run(spin_program(), {})
    out = torch.zeros(32, 32, dtype=torch.bfloat16)
    body = ('auto s = TensorAccessor(TensorAccessorArgs<0>(), get_arg_val<uint32_t>(0), 2048);\n'
            'cb_reserve_back(0, 1);\n'
            'auto* p = reinterpret_cast<uint16_t*>(get_write_ptr(0));\n'
            'for (int i = 0; i < 1024; ++i) p[i] = 0x3f80;\n'
            'noc_async_write_tile(0, s, get_write_ptr(0));\n'
            'noc_async_write_barrier();\n'
            'cb_push_back(0, 1); cb_wait_front(0, 1); cb_pop_front(0, 1);')
    from ttlx.runtime import DFBSpec

    source = '#include <cstdint>\n#include "api/dataflow/dataflow_api.h"\nvoid kernel_main() {\n' + body + "\n}\n"
    run(Program((1, 1), [KernelSpec("k", "dm0", source, [0], 1)], [DFBSpec(0, 2048, 2)]), {"k": [out]})
    assert torch.equal(out, torch.ones(32, 32, dtype=torch.bfloat16))


def test_the_host_compiler_may_not_delete_the_loop(watchdog, monkeypatch, tmp_path):
    """At -O2 GCC assumes loops terminate and deletes this one: the kernel
    "passed". With -fno-finite-loops the same -O2 build spins and is
    reported."""
    monkeypatch.setenv("TTLX_CACHE_DIR", str(tmp_path))
    assert "-fno-finite-loops" in kernels.CXX_FLAGS
    unsafe = [f for f in kernels.CXX_FLAGS if f != "-fno-finite-loops"] + ["-O2"]
    endless = kernel(ENDLESS, grid=(1, 1), tensors=1)
    tensor = {"k": [torch.zeros(32, 32, dtype=torch.bfloat16)]}
    monkeypatch.setattr(kernels, "CXX_FLAGS", unsafe)
    run(endless, tensor)  # the loop is gone: no fault, no hang
    monkeypatch.setattr(kernels, "CXX_FLAGS", unsafe + ["-fno-finite-loops"])
    with pytest.raises(KernelFault, match="runaway kernel thread: no API call for 0.5 s"):
        run(endless, tensor)


KERNEL = '''
import torch
import ttnn
import ttl


@ttl.operation(grid=(1, 1))
def op(x, out):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
            v = ttl.element_read(blk, 0, 0)  # x is zero
            while v < 1.0:
                v = v * 0.5
            ttl.element_write(blk, 0, 0, v)

    @ttl.datamovement()
    def write():
        with x_dfb.wait() as blk:
            ttl.copy(blk, out[0, 0]).wait()


x = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
op(x, ttnn.zeros((32, 32), dtype=ttnn.bfloat16))
'''


def test_runaway_kernel_file_names_the_python_line(tmp_path):
    path = tmp_path / "spin.py"
    path.write_text(textwrap.dedent(KERNEL))
    result = ttlx("run", str(path), env={**os.environ, "TTLX_WATCHDOG_S": "0.5"})
    assert result.returncode != 0
    assert "core (0, 0) dm0 kernel 'read': runaway kernel thread: no API call for 0.5 s" in result.stderr, result.stderr
    loop = KERNEL.splitlines().index("            while v < 1.0:") + 1
    assert f"(in the loop at {path}:{loop}:13)" in result.stderr, result.stderr


def run_read(tmp_path, read: str, seconds: str = "0.5") -> tuple[str, subprocess.CompletedProcess]:
    """Runs KERNEL with `read` as the body of its reader thread."""
    body = KERNEL.split("    def read():\n")[1].split("\n\n")[0]
    text = textwrap.dedent(KERNEL.replace(body, textwrap.indent(textwrap.dedent(read), " " * 8).rstrip("\n")))
    path = tmp_path / "kernel.py"
    path.write_text(text)
    result = ttlx("run", str(path), env={**os.environ, "TTLX_WATCHDOG_S": seconds})
    return text, result


ENDLESS_WHILE = """
i = ttl.node(dims=1)
while i < 10:
    i = i * 1
with x_dfb.reserve() as blk:
    ttl.copy(x[0, 0], blk).wait()
"""


def test_endless_loop_without_effects_is_not_erased_by_the_compiler(tmp_path):
    """i never changes and nothing uses it after the loop: MLIR's
    canonicalizer used to erase the loop as dead code, and the kernel
    passed where the device spins (ttkernel-keep-while-loops)."""
    text, result = run_read(tmp_path, ENDLESS_WHILE)
    assert result.returncode != 0, result.stdout + result.stderr
    loop = text.splitlines().index("        while i < 10:") + 1
    assert "core (0, 0) dm0 kernel 'read': runaway kernel thread: no API call for 0.5 s" in result.stderr, \
        result.stderr
    assert f"(in the loop at {tmp_path / 'kernel.py'}:{loop}:9)" in result.stderr, result.stderr


PRINTS = 1_000_000
PRINTING = f"""
for k in range({PRINTS}):
    print(k)
with x_dfb.reserve() as blk:
    ttl.copy(x[0, 0], blk).wait()
"""


def test_a_thread_that_prints_is_not_runaway(tmp_path):
    """print (DPRINT) is an API call: a loop that prints makes progress, even
    when it runs far longer than TTLX_WATCHDOG_S (a million lines, each a
    write system call, take well over the 0.2 s allowed here)."""
    text, result = run_read(tmp_path, PRINTING, seconds="0.2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == PRINTS and lines[-1] == f"0:(x=0,y=0):BR: {PRINTS - 1}", lines[-3:]
