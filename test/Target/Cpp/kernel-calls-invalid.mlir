// A TTKernel call belongs to one kind of kernel (compute API vs NOC,
// semaphores, TensorAccessor); emission rejects it in the other kind of
// thread, where the C++ would not compile for the device.
// RUN: ttlx-translate --ttkernel-to-cpp --split-input-file --verify-diagnostics %s

func.func @reader() attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttkernel.tile_regs_acquire' op is a compute kernel call; data-movement thread @reader cannot make it (tt-metal declares it for compute kernels only)}}
  ttkernel.tile_regs_acquire
  return
}

// -----

func.func @reader() attributes {ttl.thread = #ttl.thread<datamovement>} {
  // expected-error @+1 {{'ttkernel.exp_tile_init' op is a compute kernel call}}
  ttkernel.exp_tile_init
  return
}

// -----

func.func @compute() attributes {ttl.thread = #ttl.thread<compute>} {
  // expected-error @+1 {{'ttkernel.noc_async_read_barrier' op is a data-movement kernel call; compute thread @compute cannot make it (tt-metal declares it for data-movement kernels only)}}
  ttkernel.noc_async_read_barrier
  return
}
