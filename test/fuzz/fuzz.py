#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fuzz ttlx with mutants of its own inputs and count what goes wrong.

IR mutants (of the lit tests' .mlir cases) go through `ttlx-opt` (parse,
verify, print) and `ttlx-translate --ttkernel-to-cpp`, whose C++ must then
compile against the runtime's tt-metal headers. Kernel mutants (of
examples/ and test/kernels/) go through `ttlx run`. Every run is sorted by
outcome.classify; findings are saved with their output under --out.

--seconds bounds the whole run: every process it starts is stopped when the
budget ends, and a mutant stopped that way counts as unfinished, not as a
hang. Kernel mutants run first, in their share of the budget; IR mutants
then run until the count or the budget ends.

    python test/fuzz/fuzz.py --ir 5000 --kernels 1000            # the long run
    python test/fuzz/fuzz.py --ir 200 --kernels 2 --seconds 45   # bounded (make test)
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ir_mutator  # noqa: E402
import kernel_mutator  # noqa: E402
from outcome import BAD_CPP, FINDINGS, HANG, OK, Outcome, classify  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
IR_TIMEOUT_S = 30
KERNEL_TIMEOUT_S = 180
KERNEL_COST = 25  # a kernel mutant takes about as long as 25 IR mutants


@dataclass
class Finding:
    kind: str  # "ir" or "kernel"
    origin: str
    outcome: Outcome
    saved: Path | None


UNFINISHED = "unfinished"  # stopped by the end of the budget: neither ok nor a finding


class Budget:
    """The wall-clock budget of a run, from its start to `seconds` later."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


class Unfinished(Exception):
    """A process stopped because the budget ended."""


def _run(cmd: list[str], timeout: float, budget: Budget, cwd: Path | None = None) -> tuple[int | None, str, str]:
    """Runs `cmd` in a process group of its own and kills the whole group
    (the C++ compilers `ttlx run` starts, say) at `timeout` (returned as
    code None: a hang) or when the budget ends (raises Unfinished)."""
    limit = min(timeout, budget.left())
    if limit <= 0:
        raise Unfinished
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        if limit < timeout:
            raise Unfinished from None
        return None, "", err or ""
    return proc.returncode, out, err


def _ttlx_package() -> str:
    """The installed ttlx package's directory, without importing it (that
    imports torch: seconds of the budget)."""
    spec = importlib.util.find_spec("ttlx")
    assert spec is not None and spec.submodule_search_locations, "ttlx is not installed"
    return str(Path(next(iter(spec.submodule_search_locations))).resolve())


USER_HEADER = re.compile(r'^#include "(/[^"]+)"', re.M)


def _cpp_outcome(cpp: str, work: Path, package: str, budget: Budget) -> Outcome:
    """Emitted C++ that does not type-check against the runtime headers.
    C++ including a user header the case names but that is not there (lit
    cases of ttl.opaque_call name headers such as /x/drain.hpp) cannot be
    compiled at all: the case's, not the emitter's."""
    if any(not Path(h).exists() for h in USER_HEADER.findall(cpp)):
        return Outcome(OK, "")
    path = work / "emitted.cpp"
    path.write_text(cpp)
    cxx = os.environ.get("CXX", "c++")
    include = Path(package) / "_runtime" / "include"
    code, out, err = _run([sys.executable, str(REPO / "test" / "tools" / "compile-kernels.py"), cxx,
                           str(include), str(path)], IR_TIMEOUT_S, budget)
    if code is None:
        return Outcome(HANG, "the C++ compiler did not finish")
    if code != 0:
        first = next((ln for ln in err.splitlines() if "error" in ln), err.strip()[:200])
        return Outcome(BAD_CPP, first)
    return Outcome(OK, "")


def ir_outcome(text: str, work: Path, package: str, budget: Budget) -> Outcome:
    path = work / "mutant.mlir"
    path.write_text(text)
    code, _, err = _run([str(BIN / "ttlx-opt"), str(path)], IR_TIMEOUT_S, budget)
    first = classify(code, err, package)
    if first.is_finding:
        return first
    code, out, err = _run([str(BIN / "ttlx-translate"), "--ttkernel-to-cpp", str(path)], IR_TIMEOUT_S, budget)
    second = classify(code, err, package)
    if second.is_finding or code != 0 or "// ===== kernel" not in out:
        return second
    return _cpp_outcome(out, work, package, budget)


def kernel_outcome(source: str, origin: Path, work: Path, package: str, budget: Budget) -> Outcome:
    path = work / origin.name
    path.write_text(source)
    env_path = os.pathsep.join([str(origin.parent), os.environ.get("PYTHONPATH", "")])
    cmd = ["env", f"PYTHONPATH={env_path}", str(BIN / "ttlx"), "run", str(path)]
    code, _, err = _run(cmd, KERNEL_TIMEOUT_S, budget, cwd=work)
    return classify(code, err, package)


def ir_mutants(seed: int) -> Iterator[tuple[str, str]]:
    roots = [REPO / "test" / d for d in ("Dialect", "Conversion", "Target", "Tools")] + [REPO / "examples"]
    cases = ir_mutator.load_corpus(roots)
    pool = ir_mutator.make_pool(cases)
    rng = random.Random(seed)
    while True:
        i = rng.randrange(len(cases))
        yield f"case {i}", ir_mutator.mutate(cases[i], rng, pool, rounds=rng.choice([1, 1, 2]))


def kernel_mutants(seed: int) -> Iterator[tuple[Path, str]]:
    files = sorted((REPO / "examples").glob("*.py")) + sorted((REPO / "test" / "kernels").glob("*.py"))
    sources = {f: f.read_text() for f in files}
    rng = random.Random(seed)
    while True:
        origin = rng.choice(files)
        mutant = kernel_mutator.mutate(sources[origin], rng, rounds=rng.choice([1, 1, 2]))
        if mutant is not None:
            yield origin, mutant


def _save(out: Path | None, kind: str, index: int, suffix: str, text: str, outcome: Outcome) -> Path | None:
    if out is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{kind}-{index:05d}{suffix}"
    path.write_text(text)
    path.with_suffix(path.suffix + ".txt").write_text(f"{outcome.category}: {outcome.detail}\n")
    return path


def fuzz(ir_count: int, kernel_count: int, seconds: float, seed: int, out: Path | None) -> tuple[
        collections.Counter[str], list[Finding]]:
    """Runs up to `kernel_count` kernel mutants, then up to `ir_count` IR
    mutants, all within `seconds` of wall time; a kernel mutant starts only
    within the kernels' share of the budget (in proportion to their cost).
    Returns the count per (kind, category), UNFINISHED included, and the
    findings."""
    budget = Budget(seconds)
    package = _ttlx_package()
    counts: collections.Counter[str] = collections.Counter()
    findings: list[Finding] = []
    kernel_share = kernel_count * KERNEL_COST / max(ir_count + kernel_count * KERNEL_COST, 1)
    kernels_end = time.monotonic() + seconds * kernel_share if kernel_count else 0.0
    with tempfile.TemporaryDirectory(prefix="ttlx-fuzz-") as tmp:
        work = Path(tmp)
        for n, (path, source) in enumerate(kernel_mutants(seed)):
            if n >= kernel_count or time.monotonic() >= kernels_end:
                break
            try:
                outcome = kernel_outcome(source, path, work, package, budget)
            except Unfinished:
                counts[f"kernel {UNFINISHED}"] += 1
                break
            counts[f"kernel {outcome.category}"] += 1
            if outcome.is_finding:
                findings.append(Finding("kernel", path.name, outcome,
                                        _save(out, "kernel", n, ".py", source, outcome)))
        for n, (origin, text) in enumerate(ir_mutants(seed)):
            if n >= ir_count or budget.left() <= 0:
                break
            try:
                outcome = ir_outcome(text, work, package, budget)
            except Unfinished:
                counts[f"ir {UNFINISHED}"] += 1
                break
            counts[f"ir {outcome.category}"] += 1
            if outcome.is_finding:
                findings.append(Finding("ir", origin, outcome, _save(out, "ir", n, ".mlir", text, outcome)))
    return counts, findings


def finished(counts: collections.Counter[str], kind: str) -> int:
    """How many mutants of `kind` ("ir" or "kernel") ran to an outcome."""
    return sum(v for k, v in counts.items() if k.startswith(kind + " ") and k != f"{kind} {UNFINISHED}")


def report(counts: collections.Counter[str], findings: list[Finding]) -> str:
    lines = []
    for kind in ("ir", "kernel"):
        found = ", ".join(f"{c}: {counts[f'{kind} {c}']}" for c in FINDINGS)
        lines.append(f"{kind} mutants: {finished(counts, kind)} run, {counts[f'{kind} {OK}']} ok; {found}; "
                     f"{counts[f'{kind} {UNFINISHED}']} stopped unfinished by the time budget")
    for f in findings:
        where = f" ({f.saved})" if f.saved else ""
        lines.append(f"  {f.kind} {f.origin}: {f.outcome.category}: {f.outcome.detail}{where}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ir", type=int, default=5000, help="IR mutants (default 5000)")
    parser.add_argument("--kernels", type=int, default=1000, help="kernel-file mutants (default 1000)")
    parser.add_argument("--seconds", type=float, default=float("inf"),
                        help="wall-time budget of the whole run (processes still running at its end are stopped)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="save each finding (mutant + outcome) here")
    opts = parser.parse_args(argv)
    counts, findings = fuzz(opts.ir, opts.kernels, opts.seconds, opts.seed, opts.out)
    print(report(counts, findings))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
