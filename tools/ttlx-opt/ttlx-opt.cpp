//===- ttlx-opt.cpp - ttlx optimizer driver ---------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Conversion/Passes.h"
#include "ttlx/InitAll.h"
#include "ttlx/Tools/ParserGuard.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  if (!mlir::ttlx::guardAgainstParserAborts(argc, argv))
    return 1;
  mlir::registerAllPasses();
  mlir::ttlx::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::ttlx::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "ttlx optimizer driver\n", registry));
}
