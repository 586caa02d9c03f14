# SPDX-License-Identifier: Apache-2.0
"""docs/generated/ holds the ODS-generated reference: it must match what
mlir-tblgen produces from the current .td files (refresh with
`make docs`)."""

from __future__ import annotations

import subprocess
import sysconfig
import tempfile
from pathlib import Path

import pytest

from ttlx import optable

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(sysconfig.get_paths()["purelib"])
TBLGEN = SITE / "mlir" / "bin" / "mlir-tblgen"

# (generated file, td file, generator flags)
DOCS = [
    ("TTLDialect.md", "include/ttlx/Dialect/TTL/IR/TTLBase.td", ["-gen-dialect-doc", "-dialect=ttl"]),
    ("TTLOps.md", "include/ttlx/Dialect/TTL/IR/TTLOps.td", ["-gen-op-doc", "-dialect=ttl"]),
    ("TTKernelOps.md", "include/ttlx/Dialect/TTKernel/IR/TTKernelOps.td", ["-gen-op-doc", "-dialect=ttkernel"]),
    ("TTLPasses.md", "include/ttlx/Dialect/TTL/Transforms/Passes.td", ["-gen-pass-doc"]),
    ("TTKernelPasses.md", "include/ttlx/Dialect/TTKernel/Transforms/Passes.td", ["-gen-pass-doc"]),
    ("ConversionPasses.md", "include/ttlx/Conversion/Passes.td", ["-gen-pass-doc"]),
]


def generate(td: str, flags: list[str]) -> str:
    with tempfile.TemporaryDirectory() as generated:
        # The op defs CMake generates from the elementwise op table.
        table = (ROOT / "include" / optable.DEF_RELPATH).read_text()
        for relpath, text in optable.render_ods(optable.parse(table)).items():
            (Path(generated) / relpath).parent.mkdir(parents=True, exist_ok=True)
            (Path(generated) / relpath).write_text(text)
        cmd = [str(TBLGEN), *flags, "-I", str(ROOT / "include"), "-I", generated,
               "-I", str(SITE / "mlir" / "include"), str(ROOT / td)]
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("name,td,flags", DOCS, ids=[d[0] for d in DOCS])
def test_generated_docs_are_current(name, td, flags):
    committed = (ROOT / "docs" / "generated" / name).read_text()
    assert committed == generate(td, flags), f"docs/generated/{name} is stale: run `make docs`"


def main() -> None:
    for name, td, flags in DOCS:
        (ROOT / "docs" / "generated" / name).write_text(generate(td, flags))


if __name__ == "__main__":
    main()
