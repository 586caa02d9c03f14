# SPDX-License-Identifier: Apache-2.0
"""The Engram port to TT kernels, in the tt-lang API, compiled by ttlx and run
on its host runtime: the gate (grid "auto", streaming over tile-rows), the
gate on the fused `ttl.math.engram_gate` (one DRAM pass), and ShortConv
(sequence split across nodes, halo rows through a PipeNet), by hand and on
the fused `ttl.math.depthwise_conv1d`.
Unlike the reference in `ttlx.engram`, this package depends on ttlx."""

from .conv import conv_layout, tt_short_conv
from .fused_conv import tt_short_conv_fused
from .fused_gate import tt_gate_fused
from .gate import tt_gate

__all__ = ["conv_layout", "tt_gate", "tt_gate_fused", "tt_short_conv", "tt_short_conv_fused"]
