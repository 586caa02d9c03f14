# SPDX-License-Identifier: Apache-2.0
"""Profiling of `@ttl.operation` calls, requested through the environment
(what `ttlx run --profile` sets): TTLX_PROFILE=1 prints each operation's
modeled figures, TTLX_PROFILE=TRACE.json also writes the Chrome trace of
every operation of the process so far, TTLX_PROFILE_PLOT=FILE.png|svg
draws their timelines; TTLX_ARCH picks the chip (wormhole_b0 by default).
In code, `with capture() as runs:` profiles the operations called inside
quietly and collects their Profiles."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .. import hardware
from .chips import Chip, chip
from .model import Profile
from .report import format_profile


@dataclass(frozen=True)
class Settings:
    chip: Chip
    trace: str | None = None  # Chrome trace JSON path
    plot: str | None = None  # timeline picture path
    timeline: bool = False  # keep the slices (for a trace or plot made later)
    sink: list[tuple[str, Profile]] | None = None  # collect here instead of printing

    @property
    def slices(self) -> bool:
        return self.timeline or self.trace is not None or self.plot is not None


# The lists of the open `capture()` blocks, innermost last.
_captures: list[tuple[Chip, list[tuple[str, Profile]]]] = []


@contextmanager
def capture(arch: str | None = None) -> Iterator[list[tuple[str, Profile]]]:
    """Profiles every operation called in the block on `arch` (else
    TTLX_ARCH), printing nothing: yields the list of (operation name,
    Profile) they append to."""
    runs: list[tuple[str, Profile]] = []
    _captures.append((chip(arch or hardware.arch()), runs))
    try:
        yield runs
    finally:
        _captures.pop()


def settings() -> Settings | None:
    """What the environment (or an open `capture()`) asks for, or None when
    profiling is off."""
    if _captures:
        target, runs = _captures[-1]
        return Settings(target, sink=runs)
    value = os.environ.get("TTLX_PROFILE", "")
    plot = os.environ.get("TTLX_PROFILE_PLOT") or None
    if value in ("", "0") and plot is None:
        return None
    trace = value if value not in ("", "0", "1") else None
    return Settings(chip(hardware.arch()), trace, plot)


# The operations profiled in this process, by trace/plot file: each file
# shows every operation so far, one after another.
_runs: dict[str, list[tuple[str, Profile]]] = {}


def report(name: str, profile: Profile, request: Settings) -> None:
    """Prints `profile` (or adds it to the capture asking for it) and
    rewrites the requested trace and picture."""
    if request.sink is not None:
        request.sink.append((name, profile))
        return
    print(format_profile(name, profile), file=sys.stdout, flush=True)
    from .plot import plot_timelines
    from .trace import write_trace

    for path, write in ((request.trace, write_trace), (request.plot, plot_timelines)):
        if path is None:
            continue
        runs = _runs.setdefault(path, [])
        runs.append((name, profile))
        write(path, runs)
