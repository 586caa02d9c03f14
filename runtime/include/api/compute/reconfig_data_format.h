// SPDX-License-Identifier: Apache-2.0
//
// api/compute/reconfig_data_format.h: the packer's output format. The
// emulator's pack_tile writes each CB in its own format (bf16 rounded to
// nearest even, or float32), so the call only marks the configuration.
#pragma once

#include "api/compute/compute_kernel_api.h"

#define pack_reconfig_data_format(...) TTLX_INIT("pack_reconfig_data_format")
