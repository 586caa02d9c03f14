# SPDX-License-Identifier: Apache-2.0
"""Compile kernel C++ against the runtime's tt-metal API, cached by content."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from ..lang.errors import KernelError
from .native import INCLUDE_DIR

# -fno-finite-loops: a loop hardware would spin in forever must spin here too
# (the watchdog reports it), never be deleted as "assumed to terminate".
# -fwrapv: integer arithmetic wraps, as MLIR's arith ops and the RISC-V cores
# do; C++'s signed overflow is undefined, and the compiler used that to drop
# checks (an ASSERT before a division whose operands it deduced).
# -nodefaultlibs: a kernel library names no C/C++ runtime library; its few
# references (memcpy, the exception personality) resolve, when it is
# loaded, against those the runtime library already brought into the
# process (native.library(), loaded RTLD_GLOBAL). Linking against
# libstdc++ was a fifth of a small kernel's compile time.
CXX_FLAGS = ["-std=c++17", "-O1", "-g1", "-fPIC", "-shared", "-fexceptions", "-fno-finite-loops", "-fwrapv",
             "-nodefaultlibs"]


class CompilerNotFound(RuntimeError):
    """No host C++ compiler to build kernels with."""


_CT_ARG = re.compile(r"\bget_compile_time_arg_val\s*\(\s*(\d+)\s*\)")


def check_compile_time_args(name: str, source: str, count: int) -> None:
    """Every get_compile_time_arg_val(N) of the kernel must name one of the
    `count` arguments the program passes (the API's static_assert would
    otherwise fail the C++ build with a compiler error)."""
    for number, line in enumerate(source.splitlines(), 1):
        for m in _CT_ARG.finditer(line):
            index = int(m[1])
            if index >= count:
                passed = f"indices 0..{count - 1}" if count else "none"
                raise ValueError(f"kernel {name} reads compile-time argument {index} "
                                 f"(get_compile_time_arg_val at {name}.cpp:{number}), but the program passes "
                                 f"{count} ({passed})")


def find_compiler() -> str:
    return _find_compiler(os.environ.get("CXX"), os.environ.get("PATH"))


@lru_cache(maxsize=8)
def _find_compiler(cxx: str | None, path: str | None) -> str:
    compiler = cxx or shutil.which("c++", path=path) or shutil.which("g++", path=path) or \
        shutil.which("clang++", path=path)
    if compiler is None:
        raise CompilerNotFound(
            "ttlx runs kernels by compiling their C++ with the host compiler, "
            "but none was found: install g++ (e.g. `apt-get install g++`) or set CXX"
        )
    return compiler


def kernel_cache_dir() -> Path:
    """$TTLX_CACHE_DIR, else $XDG_CACHE_HOME/ttlx/kernels, else ~/.cache/ttlx/kernels."""
    return _cache_dir(os.environ.get("TTLX_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


@lru_cache(maxsize=16)
def _cache_dir(ttlx_cache_dir: str | None, xdg_cache_home: str | None, home: str | None) -> Path:
    """kernel_cache_dir for these variables (every call of an operation asks,
    for each kernel)."""
    if ttlx_cache_dir is not None:
        return Path(ttlx_cache_dir)
    base = xdg_cache_home or str((Path(home) if home else Path.home()) / ".cache")
    return Path(base) / "ttlx" / "kernels"


@lru_cache(maxsize=None)
def _compiler_identity(compiler: str) -> str:
    """The compiler's own description of itself (its version), so that
    upgrading it recompiles every kernel."""
    result = subprocess.run([compiler, "--version"], capture_output=True, text=True)
    return result.stdout


def _runtime_fingerprint(include_dir: Path = INCLUDE_DIR) -> str:
    """Every file kernels may include: headers and the tables they expand
    (TTLElementwiseOps.def), with their paths."""
    digest = hashlib.sha256()
    for path in sorted(p for p in include_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(include_dir)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _installed_runtime() -> str:
    """The installed headers' fingerprint, read once per process: the
    runtime library kernels link against is loaded once per process too."""
    return _runtime_fingerprint(INCLUDE_DIR)


# tt-metal's build defines the processor a kernel is compiled for; user C++
# (ttl.call_extern_func) tests them. ttlx compiles a compute kernel once for
# its three TRISCs (UNPACK((...)), MATH((...)) and PACK((...)) all run).
_PROCESSOR_DEFINES = {"dm0": "-DCOMPILE_FOR_BRISC", "dm1": "-DCOMPILE_FOR_NCRISC", "compute": "-DCOMPILE_FOR_TRISC=0"}


def _defines(compile_time_args: list[int], fp32_dest_acc: bool, processor: str | None = None) -> list[str]:
    defines = [
        f"-DKERNEL_COMPILE_TIME_ARGS={','.join(str(a) for a in compile_time_args + [0])}",
        f"-DKERNEL_COMPILE_TIME_ARG_COUNT={len(compile_time_args)}",
        f"-DDST_ACCUM_MODE={'true' if fp32_dest_acc else 'false'}",
    ]
    return defines + ([_PROCESSOR_DEFINES[processor]] if processor in _PROCESSOR_DEFINES else [])


_USER_INCLUDE = re.compile(r'^\s*#\s*include\s*"(/[^"]+)"', re.MULTILINE)


@lru_cache(maxsize=64)
def _user_header_paths(source: str) -> tuple[str, ...]:
    """The user headers `source` includes, searched for once per source:
    every call of an operation looks its kernels up, sources of tens of KiB."""
    return tuple(_USER_INCLUDE.findall(source))


def _user_headers(source: str) -> list[str]:
    """Each user header the kernel includes (an absolute path, from
    ttl.call_extern_func) with its contents, so that editing it recompiles
    the kernel. (Headers it includes in turn are not followed.)"""
    parts = []
    for path in _user_header_paths(source):
        try:
            parts.append(path + "\0" + Path(path).read_bytes().hex())
        except OSError:
            parts.append(path + "\0missing")
    return parts


_USER_CALL = re.compile(r"// at (.+):(\d+):(\d+) \(user C\+\+\)$")


def _user_cxx_error(source: str, path: str, stderr: str) -> KernelError | None:
    """A kernel that calls user C++ (ttl.call_extern_func) and does not
    compile: the compiler's first error, at the user's line of the call
    (the `// at ... (user C++)` comment the emitter put before it) nearest
    above the error's line in the kernel, or of the kernel's first such call
    when the error lies in a header; None when the kernel calls no user C++."""
    calls = [(number, m) for number, line in enumerate(source.splitlines(), 1)
             if (m := _USER_CALL.search(line.strip()))]
    first = next((line for line in stderr.splitlines() if ": error: " in line), None)
    if not calls or first is None:
        return None
    where = re.search(rf"^{re.escape(path)}:(\d+):", stderr, re.MULTILINE)
    above = [m for number, m in calls if where is None or number <= int(where[1])]
    at = (above or [calls[0][1]])[-1] if where is not None else calls[0][1]
    place, message = first.split(": error: ", 1)
    return KernelError(f"the user C++ this call runs does not compile: {message} (at {place})", at[1], int(at[2]),
                       int(at[3]))


def kernel_library(name: str, source: str, compile_time_args: list[int], fp32_dest_acc: bool = False,
                   processor: str | None = None) -> Path:
    """Where the library of this kernel is (or goes) in the cache. The key
    covers the source, the compile-time arguments, the compiler (path and
    version) and its flags, the runtime headers and the user headers the
    source includes."""
    key = _kernel_key(source, find_compiler(), tuple(CXX_FLAGS), tuple(int(a) for a in compile_time_args),
                      fp32_dest_acc, processor)
    if _user_header_paths(source):  # read every time: an edit recompiles
        key = hashlib.sha256("\0".join([key, *_user_headers(source)]).encode()).hexdigest()[:32]
    return kernel_cache_dir() / key / f"{name}.so"


@lru_cache(maxsize=256)
def _kernel_key(source: str, compiler: str, flags: tuple[str, ...], compile_time_args: tuple[int, ...],
                fp32_dest_acc: bool, processor: str | None) -> str:
    """The cache key of all but the user headers, once per process: every
    call of an operation looks its kernels up (a hash of tens of KiB)."""
    defines = _defines(list(compile_time_args), fp32_dest_acc, processor)
    return hashlib.sha256(
        "\0".join([source, compiler, _compiler_identity(compiler), *flags, *defines,
                   _installed_runtime()]).encode()
    ).hexdigest()[:32]


def compile_kernel(
    name: str, source: str, compile_time_args: list[int], fp32_dest_acc: bool = False,
    processor: str | None = None
) -> Path:
    """Build `source` into a shared library exporting kernel_main(), unless
    the cache has it (`kernel_library`); returns its path. `fp32_dest_acc`
    gives a compute kernel a 32-bit DST (DST_ACCUM_MODE); `processor`
    ("dm0", "dm1", "compute") defines tt-metal's COMPILE_FOR_* macro."""
    args = [int(a) for a in compile_time_args]
    library = kernel_library(name, source, args, fp32_dest_acc, processor)
    if library.exists():
        return library
    check_compile_time_args(name, source, len(args))
    entry = library.parent
    entry.mkdir(parents=True, exist_ok=True)
    # The source stays next to the library under the kernel's name: fault
    # reports name its lines, and ASSERT notes are read back from it.
    src = entry / f"{name}.cpp"
    with tempfile.TemporaryDirectory(dir=entry) as tmp:
        # Written aside and renamed: a concurrent run of the same kernel
        # (pytest -n) never compiles a half-rewritten source.
        staged = Path(tmp) / f"{name}.cpp"
        staged.write_text(source)
        os.replace(staged, src)
        out = Path(tmp) / "kernel.so"
        result = subprocess.run(
            [find_compiler(), *CXX_FLAGS, *_defines(args, fp32_dest_acc, processor), "-I", str(INCLUDE_DIR), str(src),
             "-o", str(out)],
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C"},  # plain quotes in the messages users see
        )
        if result.returncode != 0:
            located = _user_cxx_error(source, str(src), result.stderr)
            if located is not None:
                raise located
            raise RuntimeError(f"kernel {name} does not compile:\n{result.stderr}")
        # Atomic publish: concurrent runs never see a half-written library.
        os.replace(out, library)
    return library
