# SPDX-License-Identifier: Apache-2.0
"""Chrome trace-event JSON of modeled runs (opens in Perfetto and
chrome://tracing): a process per core, a thread per kernel thread (compute
split into unpack, math and pack), slices for tile ops, DFB and barrier
waits and signpost scopes, async slices for NOC transfers; one slice per
operation on an "operations" track. Timestamps are modeled microseconds,
operations one after another."""

from __future__ import annotations

import json
from pathlib import Path

from .model import Profile
from .report import NOC, TRACKS, category, slice_name

OPERATIONS_PID = 1 << 20


def trace_events(runs: list[tuple[str, Profile]]) -> list[dict]:
    events: list[dict] = [{"ph": "M", "name": "process_name", "pid": OPERATIONS_PID, "args": {"name": "operations"}}]
    named: set[tuple[int, int]] = set()
    offset = 0.0
    async_id = 0
    for op_name, p in runs:
        gx = p.grid[0]
        events.append({"ph": "X", "name": op_name, "pid": OPERATIONS_PID, "tid": 0, "ts": offset,
                       "dur": p.time_us, "args": {"arch": p.arch, "binding": p.binding,
                                                  "efficiency": round(p.efficiency, 4)}})
        for core, track, kind, detail, code, start, end in p.slices:
            if (core, track) not in named:
                named.add((core, track))
                if not any(c == core for c, _ in named - {(core, track)}):
                    events.append({"ph": "M", "name": "process_name", "pid": core,
                                   "args": {"name": f"core ({core % gx}, {core // gx})"}})
                    events.append({"ph": "M", "name": "process_sort_index", "pid": core, "args": {"sort_index": core}})
                events.append({"ph": "M", "name": "thread_name", "pid": core, "tid": track,
                               "args": {"name": TRACKS[track]}})
            name = slice_name(kind, detail, code, gx, p.names)
            ts, dur = offset + p.us(start), p.us(end - start)
            cat = category(kind, detail, code)
            if kind == NOC:
                async_id += 1
                common = {"name": name, "cat": cat, "pid": core, "tid": track, "id": async_id}
                events.append({**common, "ph": "b", "ts": ts})
                events.append({**common, "ph": "e", "ts": ts + dur})
            else:
                events.append({"ph": "X", "name": name, "cat": cat, "pid": core, "tid": track, "ts": ts, "dur": dur})
        offset += p.time_us
    return events


def write_trace(path: str | Path, runs: list[tuple[str, Profile]]) -> None:
    Path(path).write_text(json.dumps({"traceEvents": trace_events(runs), "displayTimeUnit": "ns"}))
