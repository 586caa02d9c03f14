# SPDX-License-Identifier: Apache-2.0
"""Python bindings of the TTKernel dialect (ops generated from ODS)."""

from ._ttkernel_ops_gen import *  # noqa: F401,F403
