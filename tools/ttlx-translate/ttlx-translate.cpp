//===- ttlx-translate.cpp - ttlx translation driver -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Target/Cpp/KernelEmitter.h"
#include "ttlx/Tools/ParserGuard.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  if (!mlir::ttlx::guardAgainstParserAborts(argc, argv))
    return 1;
  mlir::registerAllTranslations();
  mlir::ttlx::registerTTKernelToCppTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "ttlx translation driver\n"));
}
