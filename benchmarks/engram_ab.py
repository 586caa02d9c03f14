# SPDX-License-Identifier: Apache-2.0
"""A/B of the Engram kernels on the host runtime, alternating processes.

    .venv/bin/python benchmarks/engram_ab.py --length 4096 [--rounds 5] [--calls 3]
        [--kernels gate gate* conv conv*]

Each round starts one child process per kernel (the order reversed every
other round); a child builds the inputs of `engram_case`, calls its kernel
once to warm it (compile, page faults of its L1 and tensors), then times
`--calls` calls. Printed per kernel: medians over the rounds of the
children's median wall and CPU seconds per call (user + system of all the
process's threads), and of the part spent in the native run
(`ttlx_rt_run`), with the load average. Processes, not calls alternating in
one process: the runtime keeps each core's L1 mapping for the next device
but drops its pages above the last run's DFBs, so a kernel that uses more
L1 than the one called before it would pay those page faults on every call.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

KERNELS = ("gate", "gate*", "conv", "conv*")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(kernel: str, length: int, calls: int) -> dict:
    """The child: medians of `calls` timed calls of one kernel after a warm one."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from engram_case import engram_case

    from ttlx.engram.tt import tt_gate, tt_gate_fused, tt_short_conv, tt_short_conv_fused
    from ttlx.runtime import native

    case = engram_case(length)
    if kernel.startswith("gate"):
        gate_fn = tt_gate_fused if kernel == "gate*" else tt_gate
        keys, hidden, value = case.keys, case.hidden, case.value

        def call():
            gate_fn(keys, hidden, value, case.wk, case.wq, case.eps)
    else:
        conv_fn = tt_short_conv_fused if kernel == "conv*" else tt_short_conv
        x = case.torch_gate()

        def call():
            conv_fn(x, *case.conv_args)

    lib = native.library()
    run = lib.ttlx_rt_run
    in_run = [0.0, 0.0]  # CPU and wall seconds inside the native run

    def timed_run(device):
        cpu, wall = cpu_seconds(), time.perf_counter()
        status = run(device)
        in_run[0] += cpu_seconds() - cpu
        in_run[1] += time.perf_counter() - wall
        return status

    lib.ttlx_rt_run = timed_run
    call()
    rows = []
    for _ in range(calls):
        in_run[:] = [0.0, 0.0]
        cpu, wall = cpu_seconds(), time.perf_counter()
        call()
        rows.append((time.perf_counter() - wall, cpu_seconds() - cpu, in_run[1], in_run[0]))
    return {key: statistics.median(r[i] for r in rows)
            for i, key in enumerate(("wall", "cpu", "run_wall", "run_cpu"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--length", type=int, default=4096)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--kernels", nargs="+", choices=KERNELS, default=list(KERNELS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.length, args.calls)))
        return
    results: dict[str, list[dict]] = {k: [] for k in args.kernels}
    loads = []
    for r in range(args.rounds):
        for kernel in args.kernels if r % 2 == 0 else args.kernels[::-1]:
            child = subprocess.run([sys.executable, __file__, "--child", kernel, "--length", str(args.length),
                                    "--calls", str(args.calls)], capture_output=True, text=True)
            if child.returncode:
                raise RuntimeError(f"{kernel} failed:\n{child.stdout}{child.stderr}")
            results[kernel].append(json.loads(child.stdout.strip().splitlines()[-1]))
            loads.append(os.getloadavg()[0])
    print(f"L={args.length}: {args.rounds} rounds of alternating processes, {args.calls} timed calls each, "
          f"TTLX_WORKERS={os.environ.get('TTLX_WORKERS', 'default')}, load average {min(loads):.1f}-{max(loads):.1f}; "
          "medians, seconds per call")
    print(f"{'kernel':7} {'wall':>7} {'cpu':>7} {'run wall':>9} {'run cpu':>8}")
    for kernel, rows in results.items():
        med = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        print(f"{kernel:7} {med['wall']:>7.3f} {med['cpu']:>7.3f} {med['run_wall']:>9.3f} {med['run_cpu']:>8.3f}",
              flush=True)


if __name__ == "__main__":
    main()
