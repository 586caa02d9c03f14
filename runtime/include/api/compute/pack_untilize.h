// SPDX-License-Identifier: Apache-2.0
// tt-metal splits the compute API over many headers; here one holds it all.
#pragma once
#include "api/compute/compute_kernel_api.h"
