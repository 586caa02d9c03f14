# SPDX-License-Identifier: Apache-2.0
"""ctypes binding of libttlx_runtime.so (see runtime/src/CApi.cpp)."""

from __future__ import annotations

import ctypes
import os
from functools import lru_cache
from pathlib import Path

from ..profile import model as profile_model

RUNTIME_DIR = Path(__file__).resolve().parents[1] / "_runtime"
INCLUDE_DIR = RUNTIME_DIR / "include"
LIBRARY = RUNTIME_DIR / "lib" / "libttlx_runtime.so"

# Order of ttlx_rt::Counter.
COUNTER_NAMES = (
    "dram_bytes_read",
    "dram_bytes_written",
    "noc_reads",
    "noc_writes",
    "noc_bytes",
    "cb_reserve",
    "cb_push",
    "cb_wait",
    "cb_pop",
    "semaphore_ops",
    "tile_unpack",
    "tile_pack",
    "tile_fpu",
    "tile_sfpu",
    "tile_reduce",
    "tile_matmul",
    "l1_tensor_bytes_read",
    "l1_tensor_bytes_written",
    "l1_taken_over",
)


@lru_cache(maxsize=None)
def library() -> ctypes.CDLL:
    # RTLD_GLOBAL: kernel libraries resolve the tt-metal API against it.
    lib = ctypes.CDLL(str(LIBRARY), mode=os.RTLD_NOW | os.RTLD_GLOBAL)
    u32, u64, vp, cp = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_void_p, ctypes.c_char_p
    lib.ttlx_rt_last_error.restype = cp
    lib.ttlx_rt_device_create.restype = vp
    lib.ttlx_rt_device_create.argtypes = [u32, u32, u32, u32]
    lib.ttlx_rt_device_destroy.argtypes = [vp]
    lib.ttlx_rt_dram_alloc.argtypes = [vp, u64, u32, ctypes.POINTER(u32)]
    lib.ttlx_rt_dram_attach.argtypes = [vp, vp, u64, u32, ctypes.POINTER(u32)]
    lib.ttlx_rt_dram_attach_rows.argtypes = [vp, vp, u64, u64, u64, u32, ctypes.POINTER(u32)]
    lib.ttlx_rt_dram_host_pointer.restype = vp
    lib.ttlx_rt_dram_host_pointer.argtypes = [vp, u32]
    lib.ttlx_rt_tilize_in_place.argtypes = [vp, u64, u64, u32]
    lib.ttlx_rt_untilize_in_place.argtypes = [vp, u64, u64, u32]
    lib.ttlx_rt_tilize_copy.argtypes = [vp, vp, u64, u64, u32, u64]
    lib.ttlx_rt_untilize_copy.argtypes = [vp, vp, u64, u64, u32, u64]
    lib.ttlx_rt_configure_cb.argtypes = [vp, u32, u32, u32]
    lib.ttlx_rt_set_kernel_grid.argtypes = [vp, u32, u32]
    lib.ttlx_rt_set_semaphore.argtypes = [vp, u32, u32]
    lib.ttlx_rt_set_l1_by_ttl_protocol.argtypes = [vp, ctypes.c_int]
    lib.ttlx_rt_configure_cb_group.argtypes = [vp, u32, u32, u32, u64]
    lib.ttlx_rt_configure_cb_shared.argtypes = [vp, u32, u32, u32, u32]
    lib.ttlx_rt_configure_cb_on_tensor.argtypes = [vp, u32, u32, u32, u32, u32]
    lib.ttlx_rt_l1_tensor_alloc.argtypes = [vp, cp, u32, u32, ctypes.POINTER(u32), ctypes.POINTER(u32),
                                            ctypes.POINTER(u32)]
    lib.ttlx_rt_l1_tensor_write.argtypes = [vp, u32, vp]
    lib.ttlx_rt_l1_tensor_read.argtypes = [vp, u32, vp]
    lib.ttlx_rt_add_kernel.argtypes = [vp, cp, cp, ctypes.c_int, ctypes.POINTER(u32), u32]
    lib.ttlx_rt_run.argtypes = [vp]
    lib.ttlx_rt_num_counters.restype = u32
    lib.ttlx_rt_grid_counters.argtypes = [vp, u32, u32, u32, ctypes.POINTER(u64)]
    lib.ttlx_rt_buffer_counters.argtypes = [vp, u32, ctypes.POINTER(u64)]
    profile_model.bind(lib)
    lib.ttlx_rt_dram_name.argtypes = [vp, u32, cp, u32]
    lib.ttlx_rt_dram_uninitialised.argtypes = [vp, u32]
    lib.ttlx_rt_dram_read_only.argtypes = [vp, u32]
    lib.ttlx_rt_warnings.restype = cp
    lib.ttlx_rt_warnings.argtypes = [vp]
    if lib.ttlx_rt_num_counters() != len(COUNTER_NAMES):
        raise RuntimeError("libttlx_runtime.so does not match this ttlx version")
    return lib


def last_error() -> str:
    return library().ttlx_rt_last_error().decode()
