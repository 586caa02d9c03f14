#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run a kernel file under tt-lang-sim 1.1.6 (the independent oracle), with
two test-only additions:

- element access: ttl.element_read / element_write (and the raw_ spellings)
  on simulator blocks, reading and writing the block's backing tensor at
  element coordinates (one per dimension of that tensor), which tt-lang-sim
  does not implement;
- the diagnostics module its wheel forgets to ship, stubbed so that kernel
  errors report instead of dying with FileNotFoundError.

Usage: ttlang_sim_run.py KERNEL.py [ARGS...]
"""

import sys
import types


def _install_plugins() -> None:
    from ttl.sim import diagnostics
    from ttl.sim import ttl as sim_ttl

    class _Diagnostic(Exception):
        def __init__(self, *args, **kwargs):
            super().__init__(" ".join(str(a) for a in args))

        def format(self, *args, **kwargs):
            return str(self)

    stub = types.SimpleNamespace(SourceDiagnostic=_Diagnostic, TTLangCompileError=_Diagnostic)
    diagnostics.lazy_import_diagnostics = lambda: stub

    def element_read(block, *coords):
        return float(block.raw_tensor.to_torch()[tuple(int(c) for c in coords)])

    def element_write(block, *args):
        *coords, value = args
        block.raw_tensor.to_torch()[tuple(int(c) for c in coords)] = float(value)

    sim_ttl.element_read = element_read
    sim_ttl.element_write = element_write
    sim_ttl.raw_element_read = element_read
    sim_ttl.raw_element_write = element_write


def main() -> None:
    from ttl.sim import ttlang_sim

    _install_plugins()
    sys.argv = ["tt-lang-sim", *sys.argv[1:]]
    ttlang_sim.main()


if __name__ == "__main__":
    main()
