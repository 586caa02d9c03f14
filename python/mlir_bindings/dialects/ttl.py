# SPDX-License-Identifier: Apache-2.0
"""Python bindings of the TTL dialect: ops generated from ODS, types and
attributes (TileType, ElementType, DFBType, TransferHandleType, ThreadAttr, PipeAttr)
through the C API (ttlx-c/TTLTypes.h)."""

from .._mlir_libs._ttlxDialectsTTL import (  # noqa: F401
    DFBType, ElementType, PipeAttr, ThreadAttr, TileType, TransferHandleType)
from ._ttl_ops_gen import *  # noqa: F401,F403
