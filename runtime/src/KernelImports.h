// SPDX-License-Identifier: Apache-2.0
//
// Which runtime functions a compiled kernel library calls: the undefined
// symbols of its dynamic symbol table. The race detector keeps records of
// cores' L1 only when some kernel can address another core's L1, which
// takes ttlx_rt::noc_l1_addr (get_noc_addr(x, y, addr)).
#pragma once

#include <string>

namespace ttlx_rt {

/// Whether the 64-bit ELF library at `path` has an undefined dynamic
/// symbol named `symbol`; true, to be safe, when the file cannot be read
/// as one.
bool importsSymbol(const std::string &path, const std::string &symbol);

/// Whether the kernel library at `path` forms NOC addresses of cores' L1
/// (calls get_noc_addr(x, y, addr)).
bool formsL1Addresses(const std::string &path);

} // namespace ttlx_rt
