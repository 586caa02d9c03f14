# SPDX-License-Identifier: Apache-2.0
"""The performance model and profiler (docs/profiler.md): the runtime
records every kernel thread's events, a discrete-event replay of them gives
the modeled time on Wormhole n150 or Blackhole p150 (constants in
`chips`), reported per operation beside the DRAM roofline, as a Chrome
trace and as a timeline picture."""

from .chips import BLACKHOLE, CHIPS, WORMHOLE_B0, Chip, chip
from .model import Profile
from .report import format_profile
from .session import Settings, capture, settings
from .trace import write_trace

__all__ = ["BLACKHOLE", "CHIPS", "WORMHOLE_B0", "Chip", "Profile", "Settings", "capture", "chip", "format_profile",
           "settings", "write_trace"]
