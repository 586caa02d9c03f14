//===- TTLDialect.cpp - Python types and attributes of TTL ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// `ttlx._mlir_libs._ttlxDialectsTTL`: the TTL types and attributes as
// subclasses of ir.Type / ir.Attribute (isinstance, get, parameters), over
// the C API in ttlx-c/TTLTypes.h. ttlx.dialects.ttl re-exports them.
//
//===----------------------------------------------------------------------===//

#include "ttlx-c/TTLTypes.h"

#include "mlir-c/Diagnostics.h"

#include "mlir/Bindings/Python/Nanobind.h"
#include "mlir/Bindings/Python/NanobindAdaptors.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nb = nanobind;
using namespace mlir::python::nanobind_adaptors;

static MlirStringRef toRef(const std::string &s) {
  return mlirStringRefCreate(s.data(), s.size());
}

static nb::str toStr(MlirStringRef s) { return nb::str(s.data, s.length); }

static MlirLogicalResult collect(MlirDiagnostic diagnostic, void *userData) {
  auto *messages = static_cast<std::string *>(userData);
  mlirDiagnosticPrint(
      diagnostic,
      [](MlirStringRef part, void *out) {
        static_cast<std::string *>(out)->append(part.data, part.length);
      },
      messages);
  return mlirLogicalResultSuccess();
}

/// Runs a checked get; a null result raises ValueError carrying the
/// verifier's message.
template <typename T, typename Get>
static T checked(MlirLocation loc, Get get) {
  std::string messages;
  MlirContext ctx = mlirLocationGetContext(loc);
  MlirDiagnosticHandlerID id =
      mlirContextAttachDiagnosticHandler(ctx, collect, &messages, nullptr);
  T value = get();
  mlirContextDetachDiagnosticHandler(ctx, id);
  if (value.ptr == nullptr)
    throw nb::value_error(messages.c_str());
  return value;
}

static std::array<int64_t, 2> pair(const std::vector<int64_t> &v,
                                   const char *what) {
  if (v.size() != 2)
    throw nb::value_error(
        (std::string(what) + " is an (x, y) pair of coordinates").c_str());
  return {v[0], v[1]};
}

NB_MODULE(_ttlxDialectsTTL, m) {
  m.doc() = "TTL dialect types and attributes";

  mlir_type_subclass(m, "TileType", ttlxTypeIsATile, ttlxTileTypeGetTypeID)
      .def_classmethod(
          "get",
          [](const nb::object &cls, MlirType elementType, MlirLocation loc) {
            return cls(checked<MlirType>(loc, [&] {
              return ttlxTileTypeGetChecked(loc, elementType);
            }));
          },
          nb::arg("cls"), nb::arg("element_type"), nb::arg("loc").none() = nb::none(),
          "!ttl.tile<element_type> (bf16 or f32).")
      .def_property_readonly("element_type", [](MlirType self) {
        return ttlxTileTypeGetElementType(self);
      });

  mlir_type_subclass(m, "ElementType", ttlxTypeIsAElement,
                     ttlxElementTypeGetTypeID)
      .def_property_readonly("element_type", [](MlirType self) {
        return ttlxElementTypeGetElementType(self);
      });

  mlir_type_subclass(m, "DFBType", ttlxTypeIsADFB, ttlxDFBTypeGetTypeID)
      .def_classmethod(
          "get",
          [](const nb::object &cls, const std::vector<int64_t> &shape,
             MlirType elementType, int64_t blockCount, bool rowMajor,
             MlirLocation loc) {
            return cls(checked<MlirType>(loc, [&] {
              return ttlxDFBTypeGetChecked(loc, shape.size(), shape.data(),
                                           elementType, blockCount, rowMajor);
            }));
          },
          nb::arg("cls"), nb::arg("shape"), nb::arg("element_type"),
          nb::arg("block_count"), nb::arg("row_major") = false,
          nb::arg("loc").none() = nb::none(),
          "!ttl.dfb<[rows, cols], element_type, block_count>; with "
          "row_major=True, !ttl.dfb<[...], element_type, block_count, "
          "row_major> (a shape in elements).")
      .def_property_readonly(
          "row_major", [](MlirType self) { return ttlxDFBTypeIsRowMajor(self); })
      .def_property_readonly("shape",
                             [](MlirType self) {
                               std::vector<int64_t> shape;
                               for (intptr_t i = 0, e = ttlxDFBTypeGetRank(self);
                                    i < e; ++i)
                                 shape.push_back(ttlxDFBTypeGetDimSize(self, i));
                               return shape;
                             })
      .def_property_readonly(
          "element_type",
          [](MlirType self) { return ttlxDFBTypeGetElementType(self); })
      .def_property_readonly(
          "block_count",
          [](MlirType self) { return ttlxDFBTypeGetBlockCount(self); })
      .def_property_readonly(
          "block_type",
          [](MlirType self) { return ttlxDFBTypeGetBlockType(self); },
          "The type of one block: tensor<RxCx!ttl.tile<element_type>>, or "
          "tensor<...x!ttl.element<element_type>> when row-major.");

  mlir_type_subclass(m, "TransferHandleType", ttlxTypeIsATransferHandle,
                     ttlxTransferHandleTypeGetTypeID)
      .def_classmethod(
          "get",
          [](const nb::object &cls, const std::string &kind,
             MlirContext context) {
            MlirType type = ttlxTransferHandleTypeGet(context, toRef(kind));
            if (mlirTypeIsNull(type))
              throw nb::value_error(("transfer kind is read, write, pipe_send "
                                     "or pipe_recv, not '" +
                                     kind + "'")
                                        .c_str());
            return cls(type);
          },
          nb::arg("cls"), nb::arg("kind"),
          nb::arg("context").none() = nb::none(),
          "!ttl.transfer_handle<kind>.")
      .def_property_readonly("kind", [](MlirType self) {
        return toStr(ttlxTransferHandleTypeGetKind(self));
      });

  mlir_attribute_subclass(m, "ThreadAttr", ttlxAttributeIsAThread,
                          ttlxThreadAttrGetTypeID)
      .def_classmethod(
          "get",
          [](const nb::object &cls, const std::string &kind,
             MlirContext context) {
            MlirAttribute attr = ttlxThreadAttrGet(context, toRef(kind));
            if (mlirAttributeIsNull(attr))
              throw nb::value_error(
                  ("thread kind is datamovement or compute, not '" + kind + "'")
                      .c_str());
            return cls(attr);
          },
          nb::arg("cls"), nb::arg("kind"),
          nb::arg("context").none() = nb::none(), "#ttl.thread<kind>.")
      .def_property_readonly("kind", [](MlirAttribute self) {
        return toStr(ttlxThreadAttrGetKind(self));
      });

  mlir_attribute_subclass(m, "PipeAttr", ttlxAttributeIsAPipe,
                          ttlxPipeAttrGetTypeID)
      .def_classmethod(
          "get",
          [](const nb::object &cls, const std::vector<int64_t> &src,
             const std::vector<int64_t> &dstLo,
             const std::vector<int64_t> &dstHi, int64_t net,
             MlirLocation loc, std::optional<std::vector<int64_t>> count,
             std::optional<std::vector<int64_t>> step) {
            auto s = pair(src, "src"), lo = pair(dstLo, "dst_lo"),
                 hi = pair(dstHi, "dst_hi");
            if (count.has_value() != step.has_value())
              throw nb::value_error("a pipe family takes both count and step");
            std::array<int64_t, 2> c{}, st{};
            if (count) {
              c = pair(*count, "count");
              st = pair(*step, "step");
            }
            return cls(checked<MlirAttribute>(loc, [&] {
              return ttlxPipeAttrGetChecked(
                  loc, s.data(), lo.data(), hi.data(), net,
                  count ? c.data() : nullptr, count ? st.data() : nullptr);
            }));
          },
          nb::arg("cls"), nb::arg("src"), nb::arg("dst_lo"),
          nb::arg("dst_hi"), nb::arg("net") = 0,
          nb::arg("loc").none() = nb::none(),
          nb::arg("count").none() = nb::none(),
          nb::arg("step").none() = nb::none(),
          "#ttl.pipe<[src] -> [dst_lo] to [dst_hi], net N repeat [count] "
          "step [step]> (half-open range; net 0 and a single pipe's count "
          "and step are not printed).")
      .def_property_readonly(
          "net", [](MlirAttribute self) { return ttlxPipeAttrGetNet(self); })
      .def_property_readonly("src",
                             [](MlirAttribute self) {
                               return nb::make_tuple(ttlxPipeAttrGetCoord(self, 0, 0),
                                                     ttlxPipeAttrGetCoord(self, 0, 1));
                             })
      .def_property_readonly("dst_lo",
                             [](MlirAttribute self) {
                               return nb::make_tuple(ttlxPipeAttrGetCoord(self, 1, 0),
                                                     ttlxPipeAttrGetCoord(self, 1, 1));
                             })
      .def_property_readonly("dst_hi",
                             [](MlirAttribute self) {
                               return nb::make_tuple(ttlxPipeAttrGetCoord(self, 2, 0),
                                                     ttlxPipeAttrGetCoord(self, 2, 1));
                             })
      .def_property_readonly("count",
                             [](MlirAttribute self) {
                               return nb::make_tuple(ttlxPipeAttrGetCoord(self, 3, 0),
                                                     ttlxPipeAttrGetCoord(self, 3, 1));
                             })
      .def_property_readonly("step", [](MlirAttribute self) {
        return nb::make_tuple(ttlxPipeAttrGetCoord(self, 4, 0),
                              ttlxPipeAttrGetCoord(self, 4, 1));
      });
}
