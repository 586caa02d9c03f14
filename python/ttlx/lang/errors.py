# SPDX-License-Identifier: Apache-2.0
"""Errors in kernel code, reported at the user's source line."""

from __future__ import annotations

import difflib
import linecache
import os
import sys
from typing import Iterable


class KernelError(Exception):
    """A kernel construct ttlx cannot compile or run; str() is one line
    `file:line:col: error: message`."""

    def __init__(self, message: str, file: str = "<unknown>", line: int = 0, col: int = 0):
        self.message, self.file, self.line, self.col = message, file, line, col
        super().__init__(f"{file}:{line}:{col}: error: {message}")


class L1Exhausted(KernelError):
    """An operation whose DFBs do not fit a core's L1 (the message says how
    many bytes they need)."""


class UnknownName(AttributeError):
    """`ttl.<name>` / `ttnn.<name>` that ttlx does not have; the message
    names the closest known names. `ttlx run` reports it at the user's line."""


def unknown_name(module: str, name: str, known: Iterable[str]) -> UnknownName:
    close = difflib.get_close_matches(name, [k for k in known if not k.startswith("_")], n=3)
    hint = f"; did you mean {', '.join(f'{module}.{c}' for c in close)}?" if close else ""
    return UnknownName(f"{module}.{name} is not part of ttlx's {module}{hint} (docs/language.md lists what is)")


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # ttlx/


def _site_of(file: str, line: int) -> tuple[str, int, int]:
    text = linecache.getline(file, line)
    return (file, line, len(text) - len(text.lstrip()) + 1)


def user_site() -> tuple[str, int, int]:
    """file, line and column of the innermost caller outside the ttlx
    package: the user's line, however deep in ttlx the error arises."""
    frame = sys._getframe(1)
    # importlib's frames too: `from ttl import old_name` reaches ttl's
    # __getattr__ through them.
    while frame is not None and (os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE + os.sep)
                                 or frame.f_code.co_filename.startswith("<frozen importlib.")):
        frame = frame.f_back  # type: ignore[assignment]
    return _site_of(frame.f_code.co_filename, frame.f_lineno) if frame is not None else ("<unknown>", 0, 0)


def caller_site(depth: int) -> tuple[str, int, int]:
    """file, line and column (of the first non-blank character) of the
    frame `depth` levels above the caller: where user code called ttl."""
    frame = sys._getframe(depth + 1)
    return _site_of(frame.f_code.co_filename, frame.f_lineno)
