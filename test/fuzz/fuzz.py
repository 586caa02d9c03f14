#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fuzz ttlx with mutants of its own inputs and count what goes wrong.

IR mutants (of the lit tests' .mlir cases) go through `ttlx-opt` (parse,
verify, print) and `ttlx-translate --ttkernel-to-cpp`, whose C++ must then
compile against the runtime's tt-metal headers. Kernel mutants (of
examples/ and test/kernels/) go through `ttlx run`. Every run is sorted by
outcome.classify; findings are saved with their output under --out.

    python test/fuzz/fuzz.py --ir 5000 --kernels 1000            # the long run
    python test/fuzz/fuzz.py --ir 200 --kernels 3 --seconds 60   # bounded (make test)
"""

from __future__ import annotations

import argparse
import collections
import os
import random
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
from outcome import FINDINGS, OK, Outcome, classify  # noqa: E402

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


def _run(cmd: list[str], timeout: float, cwd: Path | None = None) -> tuple[int | None, str, str]:
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired as expired:
        err = expired.stderr.decode(errors="replace") if isinstance(expired.stderr, bytes) else ""
        return None, "", err or ""
    return result.returncode, result.stdout, result.stderr


def _ttlx_package() -> str:
    out = subprocess.run([sys.executable, "-c", "import ttlx, os; print(os.path.dirname(ttlx.__file__))"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _cpp_outcome(cpp: str, work: Path) -> Outcome:
    """Emitted C++ that does not type-check against the runtime headers."""
    from ttlx.runtime.native import INCLUDE_DIR

    path = work / "emitted.cpp"
    path.write_text(cpp)
    cxx = os.environ.get("CXX", "c++")
    code, out, err = _run([sys.executable, str(REPO / "test" / "tools" / "compile-kernels.py"), cxx,
                           str(INCLUDE_DIR), str(path)], IR_TIMEOUT_S)
    if code is None:
        return Outcome("hang", "the C++ compiler did not finish")
    if code != 0:
        first = next((ln for ln in err.splitlines() if "error" in ln), err.strip()[:200])
        return Outcome("C++ does not compile", first)
    return Outcome(OK, "")


def ir_outcome(text: str, work: Path, package: str) -> Outcome:
    path = work / "mutant.mlir"
    path.write_text(text)
    code, _, err = _run([str(BIN / "ttlx-opt"), str(path)], IR_TIMEOUT_S)
    first = classify(code, err, package)
    if first.is_finding:
        return first
    code, out, err = _run([str(BIN / "ttlx-translate"), "--ttkernel-to-cpp", str(path)], IR_TIMEOUT_S)
    second = classify(code, err, package)
    if second.is_finding or code != 0 or "// ===== kernel" not in out:
        return second
    return _cpp_outcome(out, work)


def kernel_outcome(source: str, origin: Path, work: Path, package: str) -> Outcome:
    path = work / origin.name
    path.write_text(source)
    env_path = os.pathsep.join([str(origin.parent), os.environ.get("PYTHONPATH", "")])
    cmd = ["env", f"PYTHONPATH={env_path}", str(BIN / "ttlx"), "run", str(path)]
    code, _, err = _run(cmd, KERNEL_TIMEOUT_S, cwd=work)
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
    """Runs up to `ir_count` IR and `kernel_count` kernel mutants, sharing
    the time budget between the two in proportion; returns the count per
    (kind, category) and the findings."""
    package = _ttlx_package()
    counts: collections.Counter[str] = collections.Counter()
    findings: list[Finding] = []
    start = time.monotonic()
    total = max(ir_count + kernel_count * KERNEL_COST, 1)
    ir_deadline = start + seconds * ir_count / total
    with tempfile.TemporaryDirectory(prefix="ttlx-fuzz-") as tmp:
        work = Path(tmp)
        for n, (origin, text) in enumerate(ir_mutants(seed)):
            if n >= ir_count or time.monotonic() > ir_deadline:
                break
            outcome = ir_outcome(text, work, package)
            counts[f"ir {outcome.category}"] += 1
            if outcome.is_finding:
                findings.append(Finding("ir", origin, outcome, _save(out, "ir", n, ".mlir", text, outcome)))
        for n, (path, source) in enumerate(kernel_mutants(seed)):
            if n >= kernel_count or time.monotonic() > start + seconds:
                break
            outcome = kernel_outcome(source, path, work, package)
            counts[f"kernel {outcome.category}"] += 1
            if outcome.is_finding:
                findings.append(Finding("kernel", path.name, outcome,
                                        _save(out, "kernel", n, ".py", source, outcome)))
    return counts, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ir", type=int, default=5000, help="IR mutants (default 5000)")
    parser.add_argument("--kernels", type=int, default=1000, help="kernel-file mutants (default 1000)")
    parser.add_argument("--seconds", type=float, default=float("inf"), help="time budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="save each finding (mutant + outcome) here")
    opts = parser.parse_args(argv)
    counts, findings = fuzz(opts.ir, opts.kernels, opts.seconds, opts.seed, opts.out)
    for kind in ("ir", "kernel"):
        runs = sum(v for k, v in counts.items() if k.startswith(kind + " "))
        found = ", ".join(f"{c}: {counts[f'{kind} {c}']}" for c in FINDINGS)
        print(f"{kind} mutants: {runs} run, {counts[f'{kind} {OK}']} ok; {found}")
    for f in findings:
        where = f" ({f.saved})" if f.saved else ""
        print(f"  {f.kind} {f.origin}: {f.outcome.category}: {f.outcome.detail}{where}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
