# SPDX-License-Identifier: Apache-2.0
"""Errors in kernel code, reported at the user's source line."""

from __future__ import annotations


class KernelError(Exception):
    """A kernel construct ttlx cannot compile or run; str() is one line
    `file:line:col: error: message`."""

    def __init__(self, message: str, file: str = "<unknown>", line: int = 0, col: int = 0):
        self.message, self.file, self.line, self.col = message, file, line, col
        super().__init__(f"{file}:{line}:{col}: error: {message}")
