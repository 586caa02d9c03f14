// SPDX-License-Identifier: Apache-2.0
//
// api/compute/reconfig_data_format.h: the packer's output format and the
// unpacker's source formats. The emulator's pack_tile writes each CB in its
// own format (bf16 rounded to nearest even, or float32), so the pack call
// only marks the configuration; the unpacker's srcA / srcB formats are
// tracked, and a tile call unpacking a CB of another format faults (on the
// device it would read the bytes in the configured format).
#pragma once

#include "api/compute/compute_kernel_api.h"

#define pack_reconfig_data_format(...) TTLX_INIT("pack_reconfig_data_format")
#define reconfig_data_format(icb0, icb1) \
  ::ttlx_rt::unpack_config(::ttlx_rt::UnpackSources::Both, (icb0), (icb1), TTLX_SITE)
#define reconfig_data_format_srca(icb) \
  ::ttlx_rt::unpack_config(::ttlx_rt::UnpackSources::A, (icb), (icb), TTLX_SITE)
#define reconfig_data_format_srcb(icb) \
  ::ttlx_rt::unpack_config(::ttlx_rt::UnpackSources::B, (icb), (icb), TTLX_SITE)
