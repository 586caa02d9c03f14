# SPDX-License-Identifier: Apache-2.0
"""Python bindings of the TTL dialect (ops generated from ODS)."""

from ._ttl_ops_gen import *  # noqa: F401,F403
