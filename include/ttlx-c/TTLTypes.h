//===- TTLTypes.h - C API of the TTL types and attributes ---------*- C -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
// What the Python bindings need to build and inspect TTL types and
// attributes without parsing text: isa / get / parameter accessors, as
// upstream dialects expose theirs (mlir-c/BuiltinTypes.h). Enum parameters
// travel as their keyword strings ("read", "compute", ...).
//
//===----------------------------------------------------------------------===//

#ifndef TTLX_C_TTLTYPES_H
#define TTLX_C_TTLTYPES_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===//
// !ttl.tile<elementType>
//===----------------------------------------------------------------------===//

MLIR_CAPI_EXPORTED bool ttlxTypeIsATile(MlirType type);
MLIR_CAPI_EXPORTED MlirTypeID ttlxTileTypeGetTypeID(void);
/// A null type (and a diagnostic at `loc`) when the type does not verify.
MLIR_CAPI_EXPORTED MlirType ttlxTileTypeGetChecked(MlirLocation loc,
                                                   MlirType elementType);
MLIR_CAPI_EXPORTED MlirType ttlxTileTypeGetElementType(MlirType type);

//===----------------------------------------------------------------------===//
// !ttl.element<elementType> (the unit of row-major blocks)
//===----------------------------------------------------------------------===//

MLIR_CAPI_EXPORTED bool ttlxTypeIsAElement(MlirType type);
MLIR_CAPI_EXPORTED MlirTypeID ttlxElementTypeGetTypeID(void);
MLIR_CAPI_EXPORTED MlirType ttlxElementTypeGetElementType(MlirType type);

//===----------------------------------------------------------------------===//
// !ttl.dfb<[rows, cols], elementType, blockCount>
//===----------------------------------------------------------------------===//

MLIR_CAPI_EXPORTED bool ttlxTypeIsADFB(MlirType type);
MLIR_CAPI_EXPORTED MlirTypeID ttlxDFBTypeGetTypeID(void);
/// A null type (and a diagnostic at `loc`) when the type does not verify.
/// `rowMajor`: a shape in elements (`!ttl.dfb<..., row_major>`).
MLIR_CAPI_EXPORTED MlirType ttlxDFBTypeGetChecked(
    MlirLocation loc, intptr_t rank, const int64_t *shape,
    MlirType elementType, int64_t blockCount, bool rowMajor);
MLIR_CAPI_EXPORTED bool ttlxDFBTypeIsRowMajor(MlirType type);
MLIR_CAPI_EXPORTED intptr_t ttlxDFBTypeGetRank(MlirType type);
MLIR_CAPI_EXPORTED int64_t ttlxDFBTypeGetDimSize(MlirType type, intptr_t dim);
MLIR_CAPI_EXPORTED MlirType ttlxDFBTypeGetElementType(MlirType type);
MLIR_CAPI_EXPORTED int64_t ttlxDFBTypeGetBlockCount(MlirType type);
/// The type of one block: tensor<RxCx!ttl.tile<elementType>>, or
/// tensor<...xelementType> when row-major.
MLIR_CAPI_EXPORTED MlirType ttlxDFBTypeGetBlockType(MlirType type);

//===----------------------------------------------------------------------===//
// !ttl.transfer_handle<kind>
//===----------------------------------------------------------------------===//

MLIR_CAPI_EXPORTED bool ttlxTypeIsATransferHandle(MlirType type);
MLIR_CAPI_EXPORTED MlirTypeID ttlxTransferHandleTypeGetTypeID(void);
/// A null type when `kind` is not read, write, pipe_send or pipe_recv.
MLIR_CAPI_EXPORTED MlirType ttlxTransferHandleTypeGet(MlirContext ctx,
                                                      MlirStringRef kind);
MLIR_CAPI_EXPORTED MlirStringRef ttlxTransferHandleTypeGetKind(MlirType type);

//===----------------------------------------------------------------------===//
// #ttl.thread<kind>
//===----------------------------------------------------------------------===//

MLIR_CAPI_EXPORTED bool ttlxAttributeIsAThread(MlirAttribute attr);
MLIR_CAPI_EXPORTED MlirTypeID ttlxThreadAttrGetTypeID(void);
/// A null attribute when `kind` is not datamovement or compute.
MLIR_CAPI_EXPORTED MlirAttribute ttlxThreadAttrGet(MlirContext ctx,
                                                   MlirStringRef kind);
MLIR_CAPI_EXPORTED MlirStringRef ttlxThreadAttrGetKind(MlirAttribute attr);

//===----------------------------------------------------------------------===//
// #ttl.pipe<[sx, sy] -> [lx, ly] to [hx, hy]>
//===----------------------------------------------------------------------===//

MLIR_CAPI_EXPORTED bool ttlxAttributeIsAPipe(MlirAttribute attr);
MLIR_CAPI_EXPORTED MlirTypeID ttlxPipeAttrGetTypeID(void);
/// Each of `src`, `dstLo`, `dstHi` holds two coordinates (x, y); `net`
/// numbers the pipe's PipeNet; `count` and `step` (two values each, or both
/// null for a single pipe) make it a family. A null attribute (and a
/// diagnostic at `loc`) when the pipe does not verify.
MLIR_CAPI_EXPORTED MlirAttribute ttlxPipeAttrGetChecked(
    MlirLocation loc, const int64_t *src, const int64_t *dstLo,
    const int64_t *dstHi, int64_t net, const int64_t *count,
    const int64_t *step);
MLIR_CAPI_EXPORTED int64_t ttlxPipeAttrGetNet(MlirAttribute attr);
/// `which`: 0 src, 1 dstLo, 2 dstHi, 3 count, 4 step (1 for a single pipe);
/// `dim`: 0 x, 1 y.
MLIR_CAPI_EXPORTED int64_t ttlxPipeAttrGetCoord(MlirAttribute attr,
                                                intptr_t which, intptr_t dim);

#ifdef __cplusplus
}
#endif

#endif // TTLX_C_TTLTYPES_H
