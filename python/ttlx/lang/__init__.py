# SPDX-License-Identifier: Apache-2.0
"""The tt-lang kernel API, compiled by ttlx and run on its host runtime.

`ttlx run FILE.py` makes this module importable as `ttl` (and
`ttlx.lang.ttnn` as `ttnn`); `import ttlx as ttl` works too. An unknown
`ttl.<name>` is an error naming the closest known names.
"""

import sys
import types
from typing import Any

from . import deprecated, ttnn
from .api import (DFBAccess, DFBEffect, GroupTransfer, ReadyReceive, ReceiveRequest, bf16, block, call_extern_func,
                  copy, dfb_descriptor, element_read, element_write, f32, get_dfb_id, grid_size, i32, math, node,
                  raw_addr, raw_element_read, raw_element_write, read_index, signpost, wait_any)
from .errors import KernelError, UnknownName, unknown_name, user_site
from .dataflow_buffer import DFBAllocationGroup
from .operation import (DataflowBuffer, Kernel, KernelKind, compute, datamovement, make_dataflow_buffer_like,
                        make_dfb, make_dfb_allocation_group, make_tensor_backed_dfb, operation)
from .pipes import Pipe, PipeNet
from .program import Program
from .semaphores import MulticastRemoteSemaphore, Semaphore, UnicastRemoteSemaphore
from .ttnn import ROW_MAJOR_LAYOUT, TILE_LAYOUT, TILE_SHAPE, Shape

__all__ = [
    "DFBAccess", "DFBAllocationGroup", "DFBEffect", "DataflowBuffer", "GroupTransfer", "Kernel", "KernelError",
    "KernelKind", "MulticastRemoteSemaphore", "Pipe", "PipeNet", "Program", "ROW_MAJOR_LAYOUT", "ReadyReceive",
    "ReceiveRequest", "Semaphore", "Shape", "TILE_LAYOUT", "TILE_SHAPE", "UnicastRemoteSemaphore",
    "UnknownName", "bf16", "f32", "i32", "block", "call_extern_func", "compute", "copy", "datamovement",
    "dfb_descriptor", "element_read", "element_write", "get_dfb_id", "grid_size", "make_dataflow_buffer_like",
    "make_dfb", "make_dfb_allocation_group", "make_tensor_backed_dfb", "math", "node", "operation", "raw_addr",
    "raw_element_read", "raw_element_write", "read_index", "signpost", "ttnn", "wait_any",
]


def __getattr__(name: str) -> Any:
    new = deprecated.new_spelling(name)
    if new is not None:  # an older spelling (kernel code: the translator warns at its line)
        deprecated.warn(f"ttl.{name}", new, *user_site()[:2])
        return deprecated.resolve(sys.modules[__name__], name)
    # Not its submodules (ttlx.lang.program is no ttl name).
    names = (n for n, v in globals().items() if n != "Any" and not isinstance(v, types.ModuleType))
    raise unknown_name("ttl", name, {*__all__, *deprecated.RENAMED, *names})
