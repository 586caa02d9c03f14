# SPDX-License-Identifier: Apache-2.0
"""Sort the result of running a tool on a mutant into what it tells us.

A mutant is bad input. The tools may accept it or reject it with a located
error; anything else is a finding: a crash (signal, assertion, LLVM fatal
error), a hang (timeout), a Python traceback out of ttlx, an internal error
("please report it"), or emitted C++ that does not compile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Categories, in the order the driver prints them.
OK = "ok"  # accepted, or rejected with a proper error
CRASH = "crash"
HANG = "hang"
TRACEBACK = "traceback"
INTERNAL = "internal error"
BAD_CPP = "C++ does not compile"
FINDINGS = (CRASH, HANG, TRACEBACK, INTERNAL, BAD_CPP)

_CRASH_MARKS = ("PLEASE submit a bug report", "Stack dump:", "Assertion `", "LLVM ERROR:",
                "terminate called", "Segmentation fault", "Aborted")
_FRAME = re.compile(r'^  File "([^"]+)", line \d+', re.M)


@dataclass(frozen=True)
class Outcome:
    category: str
    detail: str  # the line of output that decided it, for the report

    @property
    def is_finding(self) -> bool:
        return self.category in FINDINGS


def _first_line_with(text: str, marks: tuple[str, ...]) -> str:
    for line in text.splitlines():
        if any(m in line for m in marks):
            return line.strip()
    return ""


def classify(returncode: int | None, stderr: str, ttlx_package: str) -> Outcome:
    """`returncode` None means the run was stopped at its timeout.
    `ttlx_package` is the directory of the installed ttlx package: a
    traceback whose innermost frame lies there is ttlx's, one ending in the
    user's file is the user's (a kernel file's own assert, say)."""
    if returncode is None:
        return Outcome(HANG, "no result before the timeout")
    crash = _first_line_with(stderr, _CRASH_MARKS)
    if returncode < 0 or crash:
        return Outcome(CRASH, crash or f"killed by signal {-returncode}")
    if "please report it" in stderr:
        return Outcome(INTERNAL, _first_line_with(stderr, ("please report it",)))
    if "does not compile" in stderr:
        return Outcome(BAD_CPP, _first_line_with(stderr, ("does not compile",)))
    if "Traceback (most recent call last)" in stderr:
        frames = _FRAME.findall(stderr)
        if frames and frames[-1].startswith(ttlx_package):
            return Outcome(TRACEBACK, stderr.strip().splitlines()[-1])
    return Outcome(OK, "")
