# SPDX-License-Identifier: Apache-2.0
"""`ttl.node(dims=...)` called in the operation body."""

from __future__ import annotations

from typing import NoReturn

from .errors import KernelError, caller_site


class NodeRef:
    """`ttl.node(dims=...)` called in the operation body (the spec allows
    it there): each node's own coordinates, known only in kernel code,
    which reads them where it uses the name."""

    def __init__(self, dims: object) -> None:
        self.dims = dims

    def _unknown(self, *_: object) -> NoReturn:
        raise KernelError("ttl.node(...) of the operation body is each node's own coordinate, known only in "
                          "kernel code; use it there", *caller_site(1))

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __int__ = __index__ = _unknown
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __floordiv__ = __mod__ = _unknown
    __hash__ = object.__hash__
