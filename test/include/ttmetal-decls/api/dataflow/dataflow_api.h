// SPDX-License-Identifier: Apache-2.0
//
// Declarations of the tt-metal data-movement kernel API with tt-metal's
// names and signatures, so lit tests can type-check generated kernels with
// the host C++ compiler (-fsyntax-only). Definitions live in runtime/.
#pragma once

#include <cstddef>
#include <cstdint>

template <uint32_t Index> uint32_t get_ct_arg();
// As in tt-metal: the index must be a compile-time constant.
#define get_compile_time_arg_val(arg_idx) get_ct_arg<arg_idx>()

template <typename T> T get_arg_val(int arg_idx);

void cb_reserve_back(int32_t operand, int32_t num_pages);
void cb_push_back(const int32_t operand, const int32_t num_pages);
void cb_wait_front(int32_t operand, int32_t num_pages);
void cb_pop_front(int32_t operand, int32_t num_pages);
uint32_t get_write_ptr(uint32_t operand);
uint32_t get_read_ptr(uint32_t operand);
int32_t get_tile_size(const int32_t operand);

uint8_t get_absolute_logical_x();
uint8_t get_absolute_logical_y();

template <uint32_t CTA_OFFSET, uint32_t CRTA_OFFSET = 0>
struct TensorAccessorArgs {};

template <typename DSpec> struct TensorAccessor {
  TensorAccessor(const DSpec &dspec, size_t bank_base_address,
                 uint32_t page_size = 0);
};

template <typename DSpec>
void noc_async_read_tile(const uint32_t id, const TensorAccessor<DSpec> &addrgen,
                         uint32_t dst_local_l1_addr, uint32_t offset = 0,
                         uint8_t noc = 0);
template <typename DSpec>
void noc_async_write_tile(const uint32_t id,
                          const TensorAccessor<DSpec> &addrgen,
                          uint32_t src_local_l1_addr, uint8_t noc = 0);
void noc_async_read_barrier(uint8_t noc = 0);
void noc_async_write_barrier(uint8_t noc = 0);
