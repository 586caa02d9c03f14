//===- ParserGuard.cpp - Reject inputs that abort MLIR's parser -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "ttlx/Tools/ParserGuard.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <unistd.h>

using namespace llvm;

/// The input file named on the command line: the one argument that is not
/// an option nor the value of `-o`. Empty for standard input.
static StringRef inputArgument(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    StringRef arg = argv[i];
    if (arg == "-o" || arg == "--o") {
      ++i;
      continue;
    }
    if (!arg.starts_with("-"))
      return arg;
  }
  return "";
}

/// Reads standard input whole and makes the same bytes standard input again
/// (through an anonymous file), so the driver still reads them.
static std::unique_ptr<MemoryBuffer> readAndRestoreStdin() {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getSTDIN();
  if (!buffer)
    return nullptr;
  FILE *copy = std::tmpfile();
  if (!copy)
    return nullptr;
  StringRef bytes = (*buffer)->getBuffer();
  if (std::fwrite(bytes.data(), 1, bytes.size(), copy) != bytes.size() ||
      std::fflush(copy) != 0 || std::fseek(copy, 0, SEEK_SET) != 0 ||
      dup2(fileno(copy), STDIN_FILENO) < 0)
    return nullptr;
  return std::move(*buffer);
}

/// Options after which the driver reads no input.
static bool readsNoInput(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    StringRef arg = StringRef(argv[i]).ltrim('-');
    if (arg.starts_with("help") || arg == "version" ||
        arg == "show-dialects" || arg == "list-passes")
      return true;
  }
  return false;
}

bool mlir::ttlx::guardAgainstParserAborts(int argc, char **argv) {
  if (readsNoInput(argc, argv))
    return true;
  StringRef name = inputArgument(argc, argv);
  std::unique_ptr<MemoryBuffer> input;
  if (name.empty() || name == "-") {
    // Someone typing IR at a terminal is not piped through the guard.
    if (isatty(STDIN_FILENO))
      return true;
    input = readAndRestoreStdin();
  } else {
    ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(name);
    if (file)
      input = std::move(*file);
  }
  if (!input)
    return true; // the driver reports unreadable input itself

  SourceMgr sources;
  unsigned id = sources.AddNewSourceBuffer(std::move(input), SMLoc());
  StringRef text = sources.getMemoryBuffer(id)->getBuffer();
  Regex indexArray("array[[:space:]]*<[[:space:]]*index[[:space:]]*[:>]");
  bool ok = true;
  for (StringRef rest = text; !rest.empty();) {
    auto [line, next] = rest.split('\n');
    SmallVector<StringRef, 1> match;
    // Comments (FileCheck lines among them) never reach the parser.
    if (!line.ltrim().starts_with("//") && indexArray.match(line, &match)) {
      sources.PrintMessage(
          errs(), SMLoc::getFromPointer(match[0].data()), SourceMgr::DK_Error,
          "dense arrays of 'index' are not supported (MLIR's parser cannot "
          "read them); use array<i64: ...>");
      ok = false;
    }
    rest = next;
  }
  return ok;
}
