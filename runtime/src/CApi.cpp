// SPDX-License-Identifier: Apache-2.0
//
// C entry points for the Python side (ttlx.runtime, through ctypes). Host
// errors come back as a message; nothing throws across the boundary.

#include "Device.h"
#include "KernelImports.h"

#include <cstring>
#include <dlfcn.h>
#include <string>
#include <vector>

using ttlx_rt::Device;
using ttlx_rt::DramBuffer;

namespace {
std::string lastError;

template <typename F> int guarded(F &&f) {
  try {
    f();
    return 0;
  } catch (const std::exception &e) {
    lastError = e.what();
    return -1;
  }
}
} // namespace

extern "C" {

const char *ttlx_rt_last_error() { return lastError.c_str(); }

void *ttlx_rt_device_create(uint32_t gridX, uint32_t gridY, uint32_t l1Size,
                            uint32_t numCBs) {
  Device *device = nullptr;
  if (guarded([&] { device = new Device(gridX, gridY, l1Size, numCBs); }))
    return nullptr;
  return device;
}

void ttlx_rt_device_destroy(void *device) { delete static_cast<Device *>(device); }

int ttlx_rt_dram_alloc(void *device, uint64_t bytes, uint32_t pageSize,
                       uint32_t *address) {
  return guarded(
      [&] { *address = static_cast<Device *>(device)->dramAlloc(bytes, pageSize); });
}

/// A DRAM buffer over host memory holding its pages in order (a tensor in
/// tile order, or in rows of row-major pages); the memory must outlive the
/// device.
int ttlx_rt_dram_attach(void *device, void *host, uint64_t bytes,
                        uint32_t pageSize, uint32_t *address) {
  return guarded([&] {
    *address = static_cast<Device *>(device)->dramAttach(host, bytes, pageSize);
  });
}

/// A DRAM buffer of the tile pages of the rows x cols matrix in rows at
/// `host` (`rowStride` bytes from row to row), which kernels read and write
/// where it is (TilesInRows.h); the memory must outlive the device.
int ttlx_rt_dram_attach_rows(void *device, void *host, uint64_t rows,
                             uint64_t cols, uint64_t rowStride,
                             uint32_t elemSize, uint32_t *address) {
  return guarded([&] {
    *address = static_cast<Device *>(device)->dramAttachRows(
        host, rows, cols, rowStride, elemSize);
  });
}

/// Kernels run on the cores x < `x`, y < `y` of the device only; the
/// others hold L1 tensors.
int ttlx_rt_set_kernel_grid(void *device, uint32_t x, uint32_t y) {
  return guarded([&] { static_cast<Device *>(device)->setKernelGrid(x, y); });
}

int ttlx_rt_set_semaphore(void *device, uint32_t id, uint32_t value) {
  return guarded([&] { static_cast<Device *>(device)->setSemaphore(id, value); });
}

/// The program was compiled from TTL: its kernels reach other cores' L1
/// only through tt-lang's pipes and semaphores (Device::setL1ByTTLProtocol).
int ttlx_rt_set_l1_by_ttl_protocol(void *device, int value) {
  return guarded([&] { static_cast<Device *>(device)->setL1ByTTLProtocol(value != 0); });
}

/// An L1 tensor named `name` of `numPages` pages of `pageSize` bytes: page
/// p in slot pageSlot[p] of core pageCore[p] (index y * gridX + x).
int ttlx_rt_l1_tensor_alloc(void *device, const char *name, uint32_t pageSize,
                            uint32_t numPages, const uint32_t *pageCore,
                            const uint32_t *pageSlot, uint32_t *address) {
  return guarded([&] {
    *address = static_cast<Device *>(device)->l1TensorAlloc(
        name, pageSize, std::vector<uint32_t>(pageCore, pageCore + numPages),
        std::vector<uint32_t>(pageSlot, pageSlot + numPages));
  });
}

/// Copies the pages of the L1 tensor at `address` from `host` (in page
/// order), after every DFB is configured.
int ttlx_rt_l1_tensor_write(void *device, uint32_t address, const void *host) {
  return guarded([&] {
    static_cast<Device *>(device)->l1TensorWrite(
        address, static_cast<const uint8_t *>(host));
  });
}

/// Copies the pages of the L1 tensor at `address` to `host`.
int ttlx_rt_l1_tensor_read(void *device, uint32_t address, void *host) {
  return guarded([&] {
    static_cast<Device *>(device)->l1TensorRead(address,
                                                static_cast<uint8_t *>(host));
  });
}

/// The host memory holding the pages of the DRAM buffer at `address` in
/// order, or null (no such buffer, or one in rows).
void *ttlx_rt_dram_host_pointer(void *device, uint32_t address) {
  const DramBuffer *buffer = static_cast<Device *>(device)->buffer(address);
  return buffer ? buffer->data : nullptr;
}

int ttlx_rt_configure_cb(void *device, uint32_t cb, uint32_t pageSize,
                         uint32_t numPages) {
  return guarded(
      [&] { static_cast<Device *>(device)->configureCB(cb, pageSize, numPages); });
}

/// DFB `cb` as the first member of an allocation group: its L1 region has
/// `storageBytes` (the largest member's pages).
int ttlx_rt_configure_cb_group(void *device, uint32_t cb, uint32_t pageSize,
                               uint32_t numPages, uint64_t storageBytes) {
  return guarded([&] {
    static_cast<Device *>(device)->configureCB(cb, pageSize, numPages,
                                               storageBytes);
  });
}

/// DFB `cb` over the storage of DFB `leader` (its allocation group's first).
int ttlx_rt_configure_cb_shared(void *device, uint32_t cb, uint32_t pageSize,
                                uint32_t numPages, uint32_t leader) {
  return guarded([&] {
    static_cast<Device *>(device)->configureCBShared(cb, pageSize, numPages,
                                                     leader);
  });
}

/// DFB `cb` over the L1 tensor at `tensor`, `byteOffset` into its region.
int ttlx_rt_configure_cb_on_tensor(void *device, uint32_t cb, uint32_t pageSize,
                                   uint32_t numPages, uint32_t tensor,
                                   uint32_t byteOffset) {
  return guarded([&] {
    static_cast<Device *>(device)->configureCBOnTensor(cb, pageSize, numPages,
                                                       tensor, byteOffset);
  });
}

/// Loads `kernel_main` from a compiled kernel library and adds it to every
/// core. `processor`: 0 = dm0, 1 = dm1, 2 = compute.
int ttlx_rt_add_kernel(void *device, const char *name, const char *library,
                       int processor, const uint32_t *args, uint32_t numArgs) {
  return guarded([&] {
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      throw std::runtime_error(std::string("cannot load kernel: ") + dlerror());
    void *entry = dlsym(handle, "_Z11kernel_mainv");
    if (!entry)
      throw std::runtime_error(std::string("kernel ") + name +
                               " defines no kernel_main()");
    ttlx_rt::Kernel kernel;
    kernel.name = name;
    kernel.processor = static_cast<ttlx_rt::Processor>(processor);
    kernel.entry = reinterpret_cast<void (*)()>(entry);
    kernel.code = ttlx_rt::kernelCode(entry);
    kernel.formsL1Addresses = ttlx_rt::formsL1Addresses(library);
    kernel.runtimeArgs.assign(args, args + numArgs);
    static_cast<Device *>(device)->addKernel(std::move(kernel));
  });
}

/// 0 on success; -1 with ttlx_rt_last_error() describing the fault.
int ttlx_rt_run(void *device) {
  auto *dev = static_cast<Device *>(device);
  int status = guarded([&] {
    if (!dev->run())
      throw std::runtime_error(dev->error());
  });
  return status;
}

/// Names the DRAM buffer at `address` in fault reports; `tilesPerRow` (its
/// width in tiles, 0 if unknown) turns page numbers into tile coordinates.
int ttlx_rt_dram_name(void *device, uint32_t address, const char *name,
                      uint32_t tilesPerRow) {
  return static_cast<Device *>(device)->nameDram(address, name, tilesPerRow)
             ? 0
             : -1;
}

/// The host left the DRAM buffer at `address` uninitialised (poisoned).
int ttlx_rt_dram_uninitialised(void *device, uint32_t address) {
  return static_cast<Device *>(device)->markUninitialised(address) ? 0 : -1;
}

/// No kernel of the program writes the DRAM buffer at `address`.
int ttlx_rt_dram_read_only(void *device, uint32_t address) {
  return static_cast<Device *>(device)->markReadOnly(address) ? 0 : -1;
}

/// The device's warnings, one a line ("" if none); valid until the next call.
const char *ttlx_rt_warnings(void *device) {
  static thread_local std::string text;
  text.clear();
  for (const std::string &w : static_cast<Device *>(device)->warnings())
    text += w + "\n";
  return text.c_str();
}

uint32_t ttlx_rt_num_counters() { return ttlx_rt::NumCounters; }

/// Bytes kernels read from and wrote to the DRAM buffer at `base`: out[0],
/// out[1]. Returns -1 when there is no such buffer.
int ttlx_rt_buffer_counters(void *device, uint32_t base, uint64_t *out) {
  const Device &dev = *static_cast<Device *>(device);
  const DramBuffer *buffer = dev.buffer(base);
  if (!buffer)
    return -1;
  out[0] = out[1] = 0;
  for (uint32_t i = 0; i < dev.numCores(); ++i) {
    const std::vector<uint64_t> &traffic = dev.core(i).traffic;
    if (traffic.size() > 2 * buffer->index) {
      out[0] += traffic[2 * buffer->index];
      out[1] += traffic[2 * buffer->index + 1];
    }
  }
  return 0;
}

/// Copies the counters (NumCounters values a core) of the cores of the
/// gx x gy kernel grid, core (x, y) at (y * gx + x) * NumCounters, on a
/// device `width` cores wide: one call for the grid (a call per core cost
/// the Python of an operation call 0.1 ms).
void ttlx_rt_grid_counters(void *device, uint32_t gx, uint32_t gy,
                           uint32_t width, uint64_t *out) {
  const Device &dev = *static_cast<Device *>(device);
  for (uint32_t y = 0; y < gy; ++y)
    for (uint32_t x = 0; x < gx; ++x) {
      const auto &counters = dev.core(y * width + x).counters;
      std::memcpy(out + (uint64_t{y} * gx + x) * ttlx_rt::NumCounters, counters,
                  sizeof(counters));
    }
}

} // extern "C"
