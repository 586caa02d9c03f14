// SPDX-License-Identifier: Apache-2.0
//
// The tt-metal data-movement kernel API as implemented by the ttlx host
// runtime: same names, argument order and types as tt-metal's
// api/dataflow/dataflow_api.h, so generated and hand-written tt-metal
// kernels compile unchanged. Calls that can fault are macros that pass the
// caller's source line to the runtime.
#pragma once

#include <cstddef>
#include <cstdint>

#include "api/debug/kernel_profiler.hpp"
#include "internal/circular_buffer_interface.h"
#include "ttlx_runtime/kernel_abi.h"

#define tt_l1_ptr
#define FORCE_INLINE inline __attribute__((always_inline))

//===----------------------------------------------------------------------===//
// Kernel arguments
//===----------------------------------------------------------------------===//

#ifndef KERNEL_COMPILE_TIME_ARGS
#define KERNEL_COMPILE_TIME_ARGS 0
#endif
// The runtime appends a sentinel, so the list is never empty.
constexpr uint32_t ttlx_kernel_compile_time_args[] = {KERNEL_COMPILE_TIME_ARGS};
#ifndef KERNEL_COMPILE_TIME_ARG_COUNT
#define KERNEL_COMPILE_TIME_ARG_COUNT 0
#endif

template <uint32_t Index> constexpr uint32_t get_ct_arg() {
  static_assert(Index < KERNEL_COMPILE_TIME_ARG_COUNT,
                "compile-time argument index out of range for this kernel");
  return ttlx_kernel_compile_time_args[Index];
}
#define get_compile_time_arg_val(arg_idx) get_ct_arg<arg_idx>()

template <typename T> inline T ttlx_get_arg_val(int arg_idx, ttlx_rt::Site site) {
  return static_cast<T>(ttlx_rt::arg(arg_idx, site));
}
// `get_arg_val<T>(i)` keeps its spelling; the macro adds the call site.
struct ttlx_get_arg_val_at {
  explicit ttlx_get_arg_val_at(ttlx_rt::Site s) : site(s) {}
  template <typename T> T get(int arg_idx) const {
    return ttlx_get_arg_val<T>(arg_idx, site);
  }
  ttlx_rt::Site site;
};
#define get_arg_val ttlx_get_arg_val_at(TTLX_SITE).template get

inline uint8_t get_absolute_logical_x() { return ttlx_rt::logical_x(); }
inline uint8_t get_absolute_logical_y() { return ttlx_rt::logical_y(); }
inline uint8_t get_relative_logical_x() { return ttlx_rt::logical_x(); }
inline uint8_t get_relative_logical_y() { return ttlx_rt::logical_y(); }

//===----------------------------------------------------------------------===//
// Circular buffers
//===----------------------------------------------------------------------===//

#define cb_reserve_back(cb, n) ::ttlx_rt::cb_reserve_back((cb), (n), TTLX_SITE)
#define cb_push_back(cb, n) ::ttlx_rt::cb_push_back((cb), (n), TTLX_SITE)
#define cb_wait_front(cb, n) ::ttlx_rt::cb_wait_front((cb), (n), TTLX_SITE)
#define cb_pop_front(cb, n) ::ttlx_rt::cb_pop_front((cb), (n), TTLX_SITE)
#define get_write_ptr(cb) ::ttlx_rt::cb_write_ptr((cb), TTLX_SITE)
#define get_read_ptr(cb) ::ttlx_rt::cb_read_ptr((cb), TTLX_SITE)
#define get_tile_size(cb) static_cast<int32_t>(::ttlx_rt::cb_page_size((cb), TTLX_SITE))

//===----------------------------------------------------------------------===//
// DRAM tensors: TensorAccessor over interleaved pages
//===----------------------------------------------------------------------===//

template <uint32_t CTA_OFFSET, uint32_t CRTA_OFFSET = 0> struct TensorAccessorArgs {
  static constexpr uint32_t AlignedPageSize = 0;
};

template <typename DSpec> struct TensorAccessor {
  TensorAccessor(const DSpec &, size_t bank_base_address_in,
                 uint32_t page_size_in = 0)
      : bank_base_address(static_cast<uint32_t>(bank_base_address_in)),
        page_size(page_size_in) {}
  uint32_t get_aligned_page_size() const { return page_size; }
  uint32_t bank_base_address;
  uint32_t page_size;
};

template <typename DSpec>
inline void ttlx_noc_async_read_tile(uint32_t id, const TensorAccessor<DSpec> &a,
                                     uint32_t dst_local_l1_addr, uint32_t offset,
                                     ttlx_rt::Site site) {
  ttlx_rt::dram_read_page(a.bank_base_address, id, a.page_size,
                          dst_local_l1_addr, offset, site);
}
template <typename DSpec>
inline void ttlx_noc_async_write_tile(uint32_t id, const TensorAccessor<DSpec> &a,
                                      uint32_t src_local_l1_addr,
                                      ttlx_rt::Site site) {
  ttlx_rt::dram_write_page(a.bank_base_address, id, a.page_size,
                           src_local_l1_addr, site);
}
// tt-metal's tensor data formats (the ones ttlx tensors and DST use).
enum class DataFormat { Float32, Float16_b, Int32, UInt32, UInt16 };

// Interleaved address generators over a tensor's buffer address (what user
// C++ builds from ttl.raw_addr): page `id` of the tensor whose buffer
// starts at bank_base_address, `page_size` bytes each.
template <bool DRAM> struct InterleavedAddrGen {
  uint32_t bank_base_address;
  uint32_t page_size;
};
template <bool DRAM> struct InterleavedAddrGenFast {
  uint32_t bank_base_address;
  uint32_t page_size;
  DataFormat data_format;
};
template <template <bool> class Gen, bool DRAM>
inline void ttlx_noc_async_read_tile(uint32_t id, const Gen<DRAM> &a,
                                     uint32_t dst_local_l1_addr, uint32_t offset,
                                     ttlx_rt::Site site) {
  ttlx_rt::dram_read_page(a.bank_base_address, id, a.page_size,
                          dst_local_l1_addr, offset, site);
}
template <template <bool> class Gen, bool DRAM>
inline void ttlx_noc_async_write_tile(uint32_t id, const Gen<DRAM> &a,
                                      uint32_t src_local_l1_addr,
                                      ttlx_rt::Site site) {
  ttlx_rt::dram_write_page(a.bank_base_address, id, a.page_size,
                           src_local_l1_addr, site);
}

namespace ttlx_rt {
/// get_noc_addr(id, accessor, offset): byte `offset` of page `id`.
template <typename DSpec>
inline uint64_t noc_l1_addr(uint32_t id, const TensorAccessor<DSpec> &a,
                            uint32_t offset, Site site) {
  return dram_noc_addr(a.bank_base_address, id, a.page_size, offset, site);
}
} // namespace ttlx_rt
// (dst, offset = 0); a trailing noc argument is ignored.
#define TTLX_FIRST2(a, b, ...) a, b
#define noc_async_read_tile(id, addrgen, ...)                                  \
  ttlx_noc_async_read_tile((id), (addrgen), TTLX_FIRST2(__VA_ARGS__, 0, 0), TTLX_SITE)
#define noc_async_read_page noc_async_read_tile
#define noc_async_write_tile(id, addrgen, l1, ...)                             \
  ttlx_noc_async_write_tile((id), (addrgen), (l1), TTLX_SITE)
#define noc_async_write_page noc_async_write_tile

//===----------------------------------------------------------------------===//
// NOC between cores, barriers, semaphores
//===----------------------------------------------------------------------===//

// get_noc_addr(x, y, addr) of a core's L1, or get_noc_addr(id, accessor,
// offset) of a tensor page (the overload above).
#define get_noc_addr(x, y, addr, ...) ::ttlx_rt::noc_l1_addr((x), (y), (addr), TTLX_SITE)
#define noc_async_read(src, dst, size, ...) ::ttlx_rt::noc_read((src), (dst), (size), TTLX_SITE)
#define noc_async_write(src, dst, size, ...) ::ttlx_rt::noc_write((src), (dst), (size), TTLX_SITE)
inline void noc_async_read_barrier(uint8_t = 0) { ttlx_rt::read_barrier(); }
inline void noc_async_write_barrier(uint8_t = 0) { ttlx_rt::write_barrier(); }
inline void noc_async_writes_flushed(uint8_t = 0) { ttlx_rt::write_barrier(); }

#define get_semaphore(id) ::ttlx_rt::semaphore_addr((id), TTLX_SITE)
#define noc_semaphore_set(addr, val)                                           \
  ::ttlx_rt::semaphore_set(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(addr)), (val), TTLX_SITE)
#define noc_semaphore_inc(addr, incr, ...) ::ttlx_rt::semaphore_inc((addr), (incr), TTLX_SITE)
#define noc_inline_dw_write(addr, val, ...) ::ttlx_rt::inline_dw_write((addr), (val), TTLX_SITE)
#define noc_semaphore_wait(addr, val)                                          \
  ::ttlx_rt::semaphore_wait(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(addr)), (val), false, TTLX_SITE)
#define noc_semaphore_wait_min(addr, val)                                      \
  ::ttlx_rt::semaphore_wait(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(addr)), (val), true, TTLX_SITE)
// Before each round of a loop polling semaphores with plain L1 loads.
#define invalidate_l1_cache() ::ttlx_rt::invalidate_l1_cache(TTLX_SITE)
