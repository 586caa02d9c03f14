//===- TTLTypes.cpp - C API of the TTL types and attributes -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx-c/TTLTypes.h"

#include "ttlx/Dialect/TTL/IR/TTL.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"

using namespace mlir;
using namespace mlir::ttl;

static StringRef toRef(MlirStringRef s) { return StringRef(s.data, s.length); }

//===----------------------------------------------------------------------===//
// TileType
//===----------------------------------------------------------------------===//

bool ttlxTypeIsATile(MlirType type) { return isa<TileType>(unwrap(type)); }

MlirTypeID ttlxTileTypeGetTypeID(void) { return wrap(TileType::getTypeID()); }

MlirType ttlxTileTypeGetChecked(MlirLocation loc, MlirType elementType) {
  Location location = unwrap(loc);
  return wrap(TileType::getChecked([&] { return emitError(location); },
                                   location.getContext(), unwrap(elementType)));
}

MlirType ttlxTileTypeGetElementType(MlirType type) {
  return wrap(cast<TileType>(unwrap(type)).getElementType());
}

//===----------------------------------------------------------------------===//
// ElementType
//===----------------------------------------------------------------------===//

bool ttlxTypeIsAElement(MlirType type) { return isa<ElementType>(unwrap(type)); }

MlirTypeID ttlxElementTypeGetTypeID(void) {
  return wrap(ElementType::getTypeID());
}

MlirType ttlxElementTypeGetElementType(MlirType type) {
  return wrap(cast<ElementType>(unwrap(type)).getElementType());
}

//===----------------------------------------------------------------------===//
// DFBType
//===----------------------------------------------------------------------===//

bool ttlxTypeIsADFB(MlirType type) { return isa<DFBType>(unwrap(type)); }

MlirTypeID ttlxDFBTypeGetTypeID(void) { return wrap(DFBType::getTypeID()); }

MlirType ttlxDFBTypeGetChecked(MlirLocation loc, intptr_t rank,
                               const int64_t *shape, MlirType elementType,
                               int64_t blockCount, bool rowMajor) {
  Location location = unwrap(loc);
  return wrap(DFBType::getChecked(
      [&] { return emitError(location); }, location.getContext(),
      ArrayRef<int64_t>(shape, rank), unwrap(elementType), blockCount,
      rowMajor ? Layout::RowMajor : Layout::Tile));
}

bool ttlxDFBTypeIsRowMajor(MlirType type) {
  return cast<DFBType>(unwrap(type)).isRowMajor();
}

intptr_t ttlxDFBTypeGetRank(MlirType type) {
  return cast<DFBType>(unwrap(type)).getShape().size();
}

int64_t ttlxDFBTypeGetDimSize(MlirType type, intptr_t dim) {
  return cast<DFBType>(unwrap(type)).getShape()[dim];
}

MlirType ttlxDFBTypeGetElementType(MlirType type) {
  return wrap(cast<DFBType>(unwrap(type)).getElementType());
}

int64_t ttlxDFBTypeGetBlockCount(MlirType type) {
  return cast<DFBType>(unwrap(type)).getBlockCount();
}

MlirType ttlxDFBTypeGetBlockType(MlirType type) {
  return wrap(cast<DFBType>(unwrap(type)).getBlockType());
}

//===----------------------------------------------------------------------===//
// TransferHandleType
//===----------------------------------------------------------------------===//

bool ttlxTypeIsATransferHandle(MlirType type) {
  return isa<TransferHandleType>(unwrap(type));
}

MlirTypeID ttlxTransferHandleTypeGetTypeID(void) {
  return wrap(TransferHandleType::getTypeID());
}

MlirType ttlxTransferHandleTypeGet(MlirContext ctx, MlirStringRef kind) {
  std::optional<TransferKind> parsed = symbolizeTransferKind(toRef(kind));
  if (!parsed)
    return MlirType{nullptr};
  return wrap(TransferHandleType::get(unwrap(ctx), *parsed));
}

MlirStringRef ttlxTransferHandleTypeGetKind(MlirType type) {
  return wrap(
      stringifyTransferKind(cast<TransferHandleType>(unwrap(type)).getKind()));
}

//===----------------------------------------------------------------------===//
// ThreadKindAttr
//===----------------------------------------------------------------------===//

bool ttlxAttributeIsAThread(MlirAttribute attr) {
  return isa<ThreadKindAttr>(unwrap(attr));
}

MlirTypeID ttlxThreadAttrGetTypeID(void) {
  return wrap(ThreadKindAttr::getTypeID());
}

MlirAttribute ttlxThreadAttrGet(MlirContext ctx, MlirStringRef kind) {
  std::optional<ThreadKind> parsed = symbolizeThreadKind(toRef(kind));
  if (!parsed)
    return MlirAttribute{nullptr};
  return wrap(ThreadKindAttr::get(unwrap(ctx), *parsed));
}

MlirStringRef ttlxThreadAttrGetKind(MlirAttribute attr) {
  return wrap(stringifyThreadKind(cast<ThreadKindAttr>(unwrap(attr)).getValue()));
}

//===----------------------------------------------------------------------===//
// PipeAttr
//===----------------------------------------------------------------------===//

bool ttlxAttributeIsAPipe(MlirAttribute attr) {
  return isa<PipeAttr>(unwrap(attr));
}

MlirTypeID ttlxPipeAttrGetTypeID(void) { return wrap(PipeAttr::getTypeID()); }

MlirAttribute ttlxPipeAttrGetChecked(MlirLocation loc, const int64_t *src,
                                     const int64_t *dstLo,
                                     const int64_t *dstHi, int64_t net,
                                     const int64_t *count,
                                     const int64_t *step) {
  Location location = unwrap(loc);
  return wrap(PipeAttr::getChecked(
      [&] { return emitError(location); }, location.getContext(),
      ArrayRef<int64_t>(src, 2), ArrayRef<int64_t>(dstLo, 2),
      ArrayRef<int64_t>(dstHi, 2), net,
      count ? ArrayRef<int64_t>(count, 2) : ArrayRef<int64_t>(),
      step ? ArrayRef<int64_t>(step, 2) : ArrayRef<int64_t>()));
}

int64_t ttlxPipeAttrGetNet(MlirAttribute attr) {
  return cast<PipeAttr>(unwrap(attr)).getNet();
}

int64_t ttlxPipeAttrGetCoord(MlirAttribute attr, intptr_t which,
                             intptr_t dim) {
  auto pipe = cast<PipeAttr>(unwrap(attr));
  if (which == 3)
    return pipe.getCountAlong(dim);
  if (which == 4)
    return pipe.getStepAlong(dim);
  ArrayRef<int64_t> coords = which == 0   ? pipe.getSrc()
                             : which == 1 ? pipe.getDstLo()
                                          : pipe.getDstHi();
  return coords[dim];
}
