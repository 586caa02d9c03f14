//===- TTLXSiteInitialize.cpp - ttlx Python extension -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// Loaded by ttlx._mlir_libs as `_site_initialize_0`: every Context gets the
// ttlx dialects, the ttlx passes are registered, and the kernel emitter is
// exposed.
//
//===----------------------------------------------------------------------===//

#include "ttlx-c/Dialects.h"
#include "ttlx-c/KernelEmitter.h"

#include "mlir/Bindings/Python/Nanobind.h"
#include "mlir/Bindings/Python/NanobindAdaptors.h"

#include <nanobind/stl/string.h>

namespace nb = nanobind;

NB_MODULE(_site_initialize_0, m) {
  m.doc() = "ttlx dialects, passes and kernel emitter";
  ttlxRegisterAllPasses();

  m.def(
      "register_dialects",
      [](MlirDialectRegistry registry) { ttlxRegisterAllDialects(registry); },
      nb::arg("registry"));

  m.def(
      "emit_kernels",
      [](MlirModule module, const std::string &arch) {
        nb::list kernels;
        auto callback = [](MlirStringRef name, MlirStringRef thread,
                           MlirStringRef source, void *userData) {
          auto *out = static_cast<nb::list *>(userData);
          out->append(nb::make_tuple(nb::str(name.data, name.length),
                                     nb::str(thread.data, thread.length),
                                     nb::str(source.data, source.length)));
        };
        if (mlirLogicalResultIsFailure(
                ttlxEmitKernels(module,
                                mlirStringRefCreate(arch.data(), arch.size()),
                                callback, &kernels)))
          throw nb::value_error(
              "kernel emission failed; see the diagnostics above");
        return kernels;
      },
      nb::arg("module"), nb::arg("arch") = "wormhole_b0",
      "Lower a module on a copy for `arch` and return [(name, thread, cpp), "
      "...].");
}
