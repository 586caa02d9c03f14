// SPDX-License-Identifier: Apache-2.0
//
// Which runtime functions a compiled kernel library calls (see
// KernelImports.h).

#include "KernelImports.h"

#include "ttlx_runtime/kernel_abi.h"

#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace ttlx_rt {

namespace {
/// `count` objects of type T at byte `offset` of `file`, or null if they
/// do not lie in it.
template <typename T>
const T *at(const std::vector<char> &file, uint64_t offset, uint64_t count) {
  if (offset > file.size() || count > (file.size() - offset) / sizeof(T))
    return nullptr;
  return reinterpret_cast<const T *>(file.data() + offset);
}
} // namespace

bool importsSymbol(const std::string &path, const std::string &symbol) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> file((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  const auto *header = at<Elf64_Ehdr>(file, 0, 1);
  if (!header || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
      header->e_ident[EI_CLASS] != ELFCLASS64 ||
      header->e_shentsize != sizeof(Elf64_Shdr))
    return true;
  const auto *sections =
      at<Elf64_Shdr>(file, header->e_shoff, header->e_shnum);
  if (!sections)
    return true;
  for (uint16_t s = 0; s < header->e_shnum; ++s) {
    const Elf64_Shdr &table = sections[s];
    if (table.sh_type != SHT_DYNSYM)
      continue;
    if (table.sh_link >= header->e_shnum)
      return true;
    const Elf64_Shdr &strings = sections[table.sh_link];
    const auto *names = at<char>(file, strings.sh_offset, strings.sh_size);
    const auto *symbols = at<Elf64_Sym>(file, table.sh_offset,
                                        table.sh_size / sizeof(Elf64_Sym));
    if (!names || !symbols)
      return true;
    for (uint64_t i = 0; i < table.sh_size / sizeof(Elf64_Sym); ++i) {
      const Elf64_Sym &sym = symbols[i];
      if (sym.st_shndx != SHN_UNDEF || sym.st_name >= strings.sh_size)
        continue;
      const char *name = names + sym.st_name;
      if (strnlen(name, strings.sh_size - sym.st_name) == symbol.size() &&
          symbol.compare(0, symbol.size(), name, symbol.size()) == 0)
        return true;
    }
  }
  return false;
}

bool formsL1Addresses(const std::string &path) {
  // The symbol's name as this library exports it: whatever its signature.
  static const std::string symbol = [] {
    Dl_info info{};
    if (!dladdr(reinterpret_cast<void *>(&noc_l1_addr), &info) ||
        !info.dli_sname)
      return std::string();
    return std::string(info.dli_sname);
  }();
  if (symbol.empty())
    return true;
  // Read once per file: a library of the kernel cache never changes (its
  // path names its contents), and one rewritten in place has a new inode
  // or modification time.
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return true;
  std::string key = path + '\0' + std::to_string(st.st_ino) + ':' +
                    std::to_string(st.st_size) + ':' +
                    std::to_string(st.st_mtim.tv_sec) + '.' +
                    std::to_string(st.st_mtim.tv_nsec);
  static std::mutex mutex;
  static std::map<std::string, bool> known;
  std::lock_guard<std::mutex> guard(mutex);
  auto it = known.find(key);
  if (it == known.end())
    it = known.emplace(std::move(key), importsSymbol(path, symbol)).first;
  return it->second;
}

} // namespace ttlx_rt
