// SPDX-License-Identifier: Apache-2.0
//
// tt-metal's api/compute/common.h, which user C++ of compute kernels
// includes: the compute API, and the namespace `ckernel` that tt-metal's
// low-level compute functions live in (`using namespace ckernel;`).
#pragma once

#include "api/compute/compute_kernel_api.h"
#include "api/debug/dprint_pages.h"
#include "internal/circular_buffer_interface.h"

namespace ckernel {}
