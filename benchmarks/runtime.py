# SPDX-License-Identifier: Apache-2.0
"""How fast the host runtime is: the same kernel files under ttlx and under
tt-lang-sim 1.1.6, and the Engram kernels against a torch fp32 CPU
reference of the same math.

    .venv/bin/python benchmarks/runtime.py                 # everything
    .venv/bin/python benchmarks/runtime.py --part tutorials --sizes 1024 2048
    .venv/bin/python benchmarks/runtime.py --part engram --lengths 1024 4096 32768
    .venv/bin/python benchmarks/runtime.py --part races --sizes 1024 2048

Tutorials: the elementwise (steps 1 and 4) and matmul (step 4) tutorials
shipped in the tt-lang-sim wheel, at NxN. Every measurement is a fresh
process (tt-lang-sim must not share a process with ttlx: importing it
rebinds torch.bfloat16) that runs the tutorial's definitions, calls the
operation twice and times the second call alone (kernels compiled and
cached, imports done). ttlx and the simulator alternate; the figures are
medians. torch.matmul (float32) on the same sizes is printed beside matmul.
"ttlx call MiB" is how far the process's RSS rose above its level before the
timed call, beside the bytes of the call's four tensors; "ttlx cpu s" the
timed call's CPU time (user + system, every thread: median), which a shared
machine inflates far less than wall time; the load average ends the line.

Cold start: the three kernels of the elementwise step 4 tutorial compiled
into an empty kernel cache (wall time of the parallel compile, median).

Races: what the race detector costs: the ttlx side of the tutorials with
TTLX_RACES=off and with the default (error), alternating, medians.

Engram: gate, ShortConv and their fused forms (python/ttlx/engram/tt) on all
4 branches of 1024, each length in --repeats fresh processes, against the
fp32 torch reference of the same math (python/ttlx/engram). A process first
calls all four kernels at PRIMER_LENGTH tokens (loading MLIR and the runtime
is then no kernel's), then calls each side twice at the length: the first
call (kernel cache warm, but the process's first call at this length: fresh
memory, for torch too) and the second, as the tutorials are timed. Printed
per length: the second calls' wall seconds, their CPU seconds (the process's
user + system time, every thread: torch's and the runtime's workers), which
a shared machine inflates far less than wall time, and the first calls' wall
seconds; medians over the processes. Peak RSS is the largest process's.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIM_RUNNER = ROOT / "test" / "tools" / "ttlang_sim_run.py"
TUTORIALS = {
    "elementwise step 1": ("elementwise", "step_1_single_node_single_tile_block.py"),
    "elementwise step 4": ("elementwise", "step_4_multinode_grid_full.py"),
    "matmul step 4": ("matmul", "step_4_multinode_grid_full.py"),
}
DRIVER_START = "\ntorch.manual_seed(42)\n"  # where each tutorial's own driver begins


def tutorial_path(kind: str, name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec("ttl")
    if spec is None or spec.origin is None:
        raise SystemExit("tt-lang-sim is not installed (pip install tt-lang-sim==1.1.6)")
    return Path(spec.origin).parent / "tutorials" / kind / name


_peak_before_reset = 0.0  # the largest VmHWM a reset_peak_rss() cleared


def peak_rss_mib() -> float:
    """The process's peak RSS. Not getrusage's ru_maxrss: clear_refs 5 lowers
    that too, so after reset_peak_rss() it would give the peak since then."""
    return max(_peak_before_reset, _status_mib("VmHWM"))


def process_cpu_seconds() -> float:
    """User + system time of every thread of this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_rss() -> float:
    """Restarts the peak-RSS mark (Linux: clear_refs 5), keeping the old one
    for peak_rss_mib(); returns the RSS now."""
    global _peak_before_reset
    _peak_before_reset = max(_peak_before_reset, _status_mib("VmHWM"))
    Path("/proc/self/clear_refs").write_text("5")
    return _status_mib("VmRSS")


def peak_rss_since_reset() -> float:
    return _status_mib("VmHWM")


# ----------------------------------------------------------------------------
# One measurement, in its own process
# ----------------------------------------------------------------------------


def measure_tutorial(side: str, path: str, size: int) -> dict:
    """Runs the tutorial's definitions with `ttl`/`ttnn` of `side`, then its
    operation twice on size x size bf16 inputs; times the second call."""
    if side == "sim":
        sys.path.insert(0, str(SIM_RUNNER.parent))
        from ttl.sim import ttl, ttnn  # noqa: F401  (rebinds torch.bfloat16: own process)
        from ttlang_sim_run import _install_plugins

        _install_plugins()
    else:
        import ttlx.lang as ttl
        from ttlx.lang import ttnn
    sys.modules["ttl"], sys.modules["ttnn"] = ttl, ttnn
    import torch

    source = Path(path).read_text()
    head = source[: source.index(DRIVER_START)]
    namespace: dict = {"__name__": "tutorial", "__file__": path}
    exec(compile(head, path, "exec"), namespace)
    namespace["device"] = ttnn.open_device(device_id=0)
    torch.manual_seed(42)
    inputs = [namespace["from_torch"](torch.rand((size, size), dtype=torch.bfloat16)) for _ in range(3)]
    operation = namespace["tutorial_operation"]
    operation(*inputs)
    base = reset_peak_rss()
    cpu_start = process_cpu_seconds()
    start = time.perf_counter()
    operation(*inputs)
    seconds = time.perf_counter() - start
    cpu = process_cpu_seconds() - cpu_start
    # The call's tensors: three inputs and the output it allocates.
    return {"seconds": seconds, "cpu": cpu, "rss_mib": peak_rss_mib(), "extra_mib": peak_rss_since_reset() - base,
            "tensor_mib": 4 * size * size * 2 / 2**20}


def measure_compile(path: str) -> dict:
    """Builds the elementwise tutorial's program, then times compiling its
    kernels into a fresh cache directory."""
    import tempfile

    import ttlx.lang as ttl
    from ttlx.lang import ttnn
    from ttlx.runtime import Program
    from ttlx.runtime.device import compile_kernels

    sys.modules["ttl"], sys.modules["ttnn"] = ttl, ttnn
    import torch

    source = Path(path).read_text()
    namespace: dict = {"__name__": "tutorial", "__file__": path}
    exec(compile(source[: source.index(DRIVER_START)], path, "exec"), namespace)
    tensors = [ttnn.from_torch(torch.zeros(256, 256, dtype=torch.bfloat16), layout=ttnn.TILE_LAYOUT)
               for _ in range(4)]
    program = namespace["__tutorial_operation"].compile(*tensors).build(Program.from_module)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["TTLX_CACHE_DIR"] = cache
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        compile_kernels(program)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return {"seconds": seconds, "cpu": cpu, "kernels": len(program.kernels)}


PRIMER_LENGTH = 128


def prime_engram(case) -> None:
    """One call of each Engram kernel on `case`'s (small) inputs."""
    from ttlx.engram.tt import tt_gate, tt_gate_fused, tt_short_conv, tt_short_conv_fused

    gate_args = (case.keys, case.hidden, case.value, case.wk, case.wq, case.eps)
    x = tt_gate(*gate_args)
    tt_gate_fused(*gate_args)
    tt_short_conv(x, *case.conv_args)
    tt_short_conv_fused(x, *case.conv_args)


def measure_engram(length: int) -> dict:
    from ttlx.engram import short_conv
    from ttlx.engram.tt import tt_gate, tt_gate_fused, tt_short_conv, tt_short_conv_fused

    from engram_case import engram_case, error

    prime_engram(engram_case(PRIMER_LENGTH))
    case = engram_case(length)
    keys, hidden, value, wk, wq, eps = case.keys, case.hidden, case.value, case.wk, case.wq, case.eps
    conv_args = case.conv_args
    input_mib = sum(t.numel() * t.element_size() for t in [*keys, hidden, value]) / 2**20

    first = {}  # wall seconds of the first call at this length
    cpu = {}  # CPU seconds of the second call (user + system, all threads of the process)
    extra = {}  # peak RSS during the second call above the RSS before it

    def timed(fn, name):
        start = time.perf_counter()
        fn()  # dropped before the second call: it would raise the peak RSS
        first[name] = time.perf_counter() - start
        base = reset_peak_rss()
        cpu_start = process_cpu_seconds()
        start = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - start
        cpu[name] = process_cpu_seconds() - cpu_start
        if not name.startswith("torch"):
            extra[name] = peak_rss_since_reset() - base
        return out, seconds

    rows, errors = {}, {}

    def compare(name, fn, expected):
        got, rows[name] = timed(fn, name)
        errors[name] = error(got, expected)[0]

    # The gates, then the convs: each phase holds only its own inputs and reference.
    want, rows["torch gate"] = timed(case.torch_gate, "torch gate")
    compare("gate", lambda: tt_gate(keys, hidden, value, wk, wq, eps), want)
    compare("gate*", lambda: tt_gate_fused(keys, hidden, value, wk, wq, eps), want)
    del case, keys, hidden, value
    ref, rows["torch conv"] = timed(lambda: want + short_conv(want, *conv_args), "torch conv")
    compare("conv", lambda: tt_short_conv(want, *conv_args), ref)
    compare("conv*", lambda: tt_short_conv_fused(want, *conv_args), ref)
    return {"seconds": rows, "cpu": cpu, "first": first, "max_err": errors, "rss_mib": peak_rss_mib(),
            "extra_mib": extra, "input_mib": input_mib, "load": os.getloadavg()[0]}


# ----------------------------------------------------------------------------
# The driver
# ----------------------------------------------------------------------------


def child(*args: str, env: dict[str, str] | None = None) -> dict:
    result = subprocess.run([sys.executable, __file__, "--measure", *args], capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise RuntimeError(f"measurement {args} failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def torch_matmul_seconds(size: int) -> float:
    """torch.matmul in float32 (the precision of DST); torch's bfloat16 CPU
    matmul is not a fair peak: without AVX512-BF16 it is far slower."""
    import torch

    a = torch.rand(size, size)
    b = torch.rand(size, size)
    torch.matmul(a, b)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        torch.matmul(a, b)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_tutorials(names: list[str], sizes: list[int], repeats: int, matmul_sizes: list[int]) -> None:
    print(f"Tutorials: operation call alone (second call in a process), median of {repeats} alternating runs, "
          f"TTLX_WORKERS={os.environ.get('TTLX_WORKERS', 'default')}")
    print(f"{'tutorial':20} {'N':>5} {'sim s':>8} {'ttlx s':>8} {'sim/ttlx':>9} {'sim MiB':>8} {'ttlx MiB':>9}"
          f" {'tensors MiB':>12} {'ttlx call MiB':>14} {'ttlx cpu s':>11} {'torch fp32 matmul s':>20}")
    for name in names:
        kind, file = TUTORIALS[name]
        path = str(tutorial_path(kind, file))
        for size in sizes if kind != "matmul" else matmul_sizes:
            runs: dict[str, list[dict]] = {"sim": [], "ttlx": []}
            for _ in range(repeats):
                for side in ("sim", "ttlx"):
                    runs[side].append(child("tutorial", side, path, str(size)))
            sim = statistics.median(r["seconds"] for r in runs["sim"])
            ttlx = statistics.median(r["seconds"] for r in runs["ttlx"])
            mm = f"{torch_matmul_seconds(size):>20.4f}" if kind == "matmul" else ""
            print(f"{name:20} {size:>5} {sim:>8.3f} {ttlx:>8.3f} {sim / ttlx:>9.2f} "
                  f"{max(r['rss_mib'] for r in runs['sim']):>8.0f} {max(r['rss_mib'] for r in runs['ttlx']):>9.0f}"
                  f" {runs['ttlx'][0]['tensor_mib']:>12.0f} {max(r['extra_mib'] for r in runs['ttlx']):>14.0f}"
                  f" {statistics.median(r['cpu'] for r in runs['ttlx']):>11.3f}{mm}  (load {os.getloadavg()[0]:.1f})",
                  flush=True)


def run_races(names: list[str], sizes: list[int], repeats: int, matmul_sizes: list[int]) -> None:
    print(f"Race detector: ttlx operation call alone, median of {repeats} alternating runs, "
          f"TTLX_WORKERS={os.environ.get('TTLX_WORKERS', 'default')}")
    print(f"{'tutorial':20} {'N':>5} {'races off s':>12} {'races on s':>11} {'on/off':>7}")
    for name in names:
        kind, file = TUTORIALS[name]
        path = str(tutorial_path(kind, file))
        for size in sizes if kind != "matmul" else matmul_sizes:
            runs: dict[str, list[float]] = {"off": [], "error": []}
            for _ in range(repeats):
                for mode in runs:
                    runs[mode].append(child("tutorial", "ttlx", path, str(size), env={"TTLX_RACES": mode})["seconds"])
            off, on = statistics.median(runs["off"]), statistics.median(runs["error"])
            print(f"{name:20} {size:>5} {off:>12.3f} {on:>11.3f} {on / off:>7.2f}", flush=True)


def run_compile(repeats: int) -> None:
    path = str(tutorial_path(*TUTORIALS["elementwise step 4"]))
    runs = [child("compile", path) for _ in range(repeats)]
    times = sorted(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    print(f"Cold start: {runs[0]['kernels']} kernels of elementwise step 4 compiled in parallel into an empty "
          f"cache: median {statistics.median(times):.3f} s wall (min {times[0]:.3f}, max {times[-1]:.3f}, "
          f"{repeats} runs), {cpu:.3f} s of compiler CPU time", flush=True)


ENGRAM_SIDES = ("torch gate", "gate", "gate*", "torch conv", "conv", "conv*")


def run_engram(lengths: list[int], repeats: int) -> None:
    print(f"Engram, 4 branches of 1024 (fp32): seconds per operation, medians of {repeats} processes; * = fused op; "
          "ratio = ttlx / torch")
    print(f"{'L':>6} {'call':>7} {'torch gate':>11} {'gate':>8} {'gate*':>8} {'ratio':>6} {'torch conv':>11} "
          f"{'conv':>8} {'conv*':>8} {'ratio':>6} {'peak MiB':>9} {'inputs MiB':>10}  "
          f"{'MiB above RSS during gate/gate*/conv/conv*':>44}")

    def line(length, call, figures, tail=""):
        f = figures
        print(f"{length:>6} {call:>7} {f['torch gate']:>11.3f} {f['gate']:>8.3f} {f['gate*']:>8.3f} "
              f"{f['gate'] / f['torch gate']:>6.2f} {f['torch conv']:>11.3f} {f['conv']:>8.3f} {f['conv*']:>8.3f} "
              f"{f['conv'] / f['torch conv']:>6.2f}{tail}", flush=True)

    for length in lengths:
        runs = [child("engram", str(length)) for _ in range(repeats)]

        def median(key):
            return {side: statistics.median(r[key][side] for r in runs) for side in ENGRAM_SIDES}

        above = " / ".join(f"{max(r['extra_mib'][k] for r in runs):.0f}" for k in ("gate", "gate*", "conv", "conv*"))
        line(length, "second", median("seconds"),
             f" {max(r['rss_mib'] for r in runs):>9.0f} {runs[0]['input_mib']:>10.0f}  {above:>44}")
        line("", "cpu s", median("cpu"), f"  (load average {runs[-1]['load']:.1f} at the end)")
        line("", "first", median("first"))
        for r in runs:
            bad = {k: v for k, v in r["max_err"].items() if not v < 1e-2}
            if bad:
                print(f"       max errors above 1e-2: {bad}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["all", "compile", "tutorials", "races", "engram"], default="all")
    parser.add_argument("--tutorials", nargs="+", choices=list(TUTORIALS), default=list(TUTORIALS))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048, 4096])
    parser.add_argument("--matmul-sizes", type=int, nargs="+", default=[1024, 2048])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lengths", type=int, nargs="+", default=[1024, 4096, 32768])
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        what, *rest = args.measure
        if what == "tutorial":
            print(json.dumps(measure_tutorial(rest[0], rest[1], int(rest[2]))))
        elif what == "compile":
            print(json.dumps(measure_compile(rest[0])))
        else:
            print(json.dumps(measure_engram(int(rest[0]))))
        return
    if args.part in ("all", "compile"):
        run_compile(args.repeats)
    if args.part in ("all", "tutorials"):
        run_tutorials(args.tutorials, args.sizes, args.repeats, args.matmul_sizes)
    if args.part in ("all", "races"):
        run_races(args.tutorials, args.sizes, args.repeats, args.matmul_sizes)
    if args.part in ("all", "engram"):
        run_engram(args.lengths, args.repeats)


if __name__ == "__main__":
    main()
