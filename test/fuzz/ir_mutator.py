# SPDX-License-Identifier: Apache-2.0
"""Mutants of MLIR inputs: the lit tests' cases, changed in one place each.

Mutations are textual, so they reach what a parser-level mutator would not
(unknown ops, wrong types, broken dominance) as well as well-formed IR that
breaks one invariant (an out-of-range index, a swapped operand, a wrong
shape). Each mutant is one `// -----` case of a lit input.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

_INT = re.compile(r"(?<![\w.%#^])-?\d+(?![\w.])")
_SSA = re.compile(r"%[\w.$-]+")
_OP_NAME = re.compile(r"\b(ttl|ttkernel|arith|scf|func|emitc|memref)\.[a-z_0-9]+\b")
_TYPE_WORDS = ["bf16", "f32", "f16", "i1", "i8", "i32", "i64", "index"]
_EDGE_INTS = ["0", "1", "-1", "2", "3", "7", "8", "15", "16", "31", "32", "33", "63", "64", "65",
              "128", "1024", "2147483647", "2147483648", "4294967296", "9223372036854775807", "-9223372036854775808"]


def load_corpus(roots: list[Path]) -> list[str]:
    """The `// -----` cases of every .mlir file under `roots`, without
    RUN/CHECK lines (they do not matter to the tools)."""
    cases: list[str] = []
    for root in roots:
        for path in sorted(root.rglob("*.mlir")):
            for case in path.read_text().split("// -----"):
                lines = [ln for ln in case.splitlines() if not ln.lstrip().startswith("//")]
                text = "\n".join(lines).strip()
                if text:
                    cases.append(text + "\n")
    return cases


def _replace_match(text: str, matches: list[re.Match[str]], rng: random.Random, replacement: str) -> str:
    m = rng.choice(matches)
    return text[: m.start()] + replacement + text[m.end():]


@dataclass(frozen=True)
class Pool:
    """What mutations may bring in from the whole corpus."""

    op_names: list[str]
    op_lines: list[str]  # lines holding an op, from every case


def make_pool(cases: list[str]) -> Pool:
    names = sorted({m.group(0) for case in cases for m in _OP_NAME.finditer(case)})
    lines = sorted({ln for case in cases for ln in case.splitlines() if _OP_NAME.search(ln)
                    and not ln.rstrip().endswith("{")})
    return Pool(names, lines)


def _edge_int(text: str, rng: random.Random, _: Pool) -> str | None:
    matches = list(_INT.finditer(text))
    return _replace_match(text, matches, rng, rng.choice(_EDGE_INTS)) if matches else None


def _swap_type(text: str, rng: random.Random, _: Pool) -> str | None:
    matches = [m for w in _TYPE_WORDS for m in re.finditer(rf"\b{w}\b", text)]
    return _replace_match(text, matches, rng, rng.choice(_TYPE_WORDS)) if matches else None


def _shape(text: str, rng: random.Random, _: Pool) -> str | None:
    matches = list(re.finditer(r"\b\d+x\d+(?=x|>)", text))
    dims = ["0x1", "1x0", "1x1", "2x1", "1x2", "3x5", "1x33", "64x64"]
    return _replace_match(text, matches, rng, rng.choice(dims)) if matches else None


def _swap_ssa(text: str, rng: random.Random, _: Pool) -> str | None:
    """Use one SSA value in place of another (another type, or a value
    defined later)."""
    matches = list(_SSA.finditer(text))
    if len(matches) < 2:
        return None
    other = rng.choice(matches).group(0)
    return _replace_match(text, matches, rng, other)


def _other_op(text: str, rng: random.Random, pool: Pool) -> str | None:
    matches = list(_OP_NAME.finditer(text))
    return _replace_match(text, matches, rng, rng.choice(pool.op_names)) if matches else None


def _transplant_line(text: str, rng: random.Random, pool: Pool) -> str | None:
    """An op from another case (a compute call in a data-movement thread,
    an op of another dialect level, a value of another function)."""
    lines = text.splitlines()
    if len(lines) < 3:
        return None
    lines.insert(rng.randrange(1, len(lines) - 1), rng.choice(pool.op_lines))
    return "\n".join(lines) + "\n"


def _drop_line(text: str, rng: random.Random, _: Pool) -> str | None:
    lines = text.splitlines()
    if len(lines) < 3:
        return None
    del lines[rng.randrange(1, len(lines) - 1)]
    return "\n".join(lines) + "\n"


def _duplicate_line(text: str, rng: random.Random, _: Pool) -> str | None:
    lines = text.splitlines()
    if len(lines) < 3:
        return None
    i = rng.randrange(1, len(lines) - 1)
    lines.insert(rng.randrange(1, len(lines)), lines[i])
    return "\n".join(lines) + "\n"


def _swap_lines(text: str, rng: random.Random, _: Pool) -> str | None:
    """Move an op before or after its neighbour (use before definition, a
    release before its acquire)."""
    lines = text.splitlines()
    if len(lines) < 4:
        return None
    i = rng.randrange(1, len(lines) - 2)
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return "\n".join(lines) + "\n"


def _truncate(text: str, rng: random.Random, _: Pool) -> str | None:
    return text[: rng.randrange(1, len(text))] if len(text) > 1 else None


MUTATIONS = [_edge_int, _edge_int, _swap_type, _shape, _swap_ssa, _other_op, _other_op,
             _transplant_line, _transplant_line, _drop_line, _duplicate_line, _swap_lines, _truncate]


def mutate(case: str, rng: random.Random, pool: Pool, rounds: int = 1) -> str:
    """`case` with `rounds` mutations applied (each a different place)."""
    text = case
    for _ in range(rounds):
        for _attempt in range(8):
            mutant = rng.choice(MUTATIONS)(text, rng, pool)
            if mutant is not None and mutant != text:
                text = mutant
                break
    return text
