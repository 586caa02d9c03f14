# SPDX-License-Identifier: Apache-2.0
"""`ttlx run FILE.py [args...]` runs an unchanged tt-lang kernel file on the
host runtime (with `ttl` and `ttnn` provided); `ttlx compile FILE.py --emit
ttl|ttkernel|emitc|cpp` runs it too and prints each operation's stage.
Like `python FILE`, both put the file's folder first on sys.path.

`ttlx run --profile [TRACE.json] [--profile-plot FILE.png|svg] [--arch
wormhole_b0|blackhole] FILE.py` prints each operation's modeled time on the
chip (docs/profiler.md), writes the Chrome trace and draws the timelines.
`--arch` (or TTLX_ARCH) names the chip for every command."""

from __future__ import annotations

import argparse
import linecache
import os
import pkgutil
import re
import runpy
import sys
import traceback
import types

from . import hardware


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ttlx", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="run a tt-lang kernel file")
    run_p.add_argument("--profile", nargs="?", const="", default=None, metavar="TRACE.json",
                       help="print each operation's modeled time; with a .json path, also write a Chrome trace")
    run_p.add_argument("--profile-plot", metavar="FILE.png|svg", help="draw the modeled timelines of the cores")
    run_p.add_argument("--num-devices", type=int, metavar="N", default=None,
                       help="what ttnn.GetNumAvailableDevices() returns (default 4, as in tt-lang-sim)")
    run_p.add_argument("file", nargs="?")
    run_p.add_argument("args", nargs=argparse.REMAINDER)
    comp_p = sub.add_parser("compile", help="run a kernel file and print each operation's IR or C++")
    comp_p.add_argument("file")
    comp_p.add_argument("--emit", choices=["ttl", "ttkernel", "emitc", "cpp"], default="ttl")
    for p in (run_p, comp_p):
        p.add_argument("--arch", choices=hardware.ARCHS, default=None,
                       help="the chip: wormhole_b0 (n150, default) or blackhole (p150); also TTLX_ARCH")
    opts, extra = parser.parse_known_args(argv)
    if opts.command == "run":
        # `--profile FILE.py`: the optional trace path took the kernel file.
        if opts.profile and not opts.profile.endswith(".json") and opts.file is None:
            opts.file, opts.profile = opts.profile, ""
        if opts.file is None:
            parser.error("the following arguments are required: file")
        if opts.profile is not None or opts.profile_plot:
            os.environ["TTLX_PROFILE"] = opts.profile or "1"
        if opts.profile_plot:
            if not opts.profile_plot.endswith((".png", ".svg")):
                parser.error(f"--profile-plot {opts.profile_plot}: the picture is a .png or .svg file")
            os.environ["TTLX_PROFILE_PLOT"] = opts.profile_plot
        if opts.num_devices is not None and opts.num_devices < 1:
            parser.error(f"--num-devices {opts.num_devices}: the number of devices is at least 1")
    if opts.arch:
        os.environ["TTLX_ARCH"] = opts.arch
    if opts.command == "compile":
        opts.args = extra  # the script's own arguments
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    import importlib

    try:  # TTLX_ARCH names the chip the operations compile and run for
        hardware.arch()
    except ValueError as error:
        print(f"ttlx: error: {error}", file=sys.stderr)
        return 1

    from . import lang
    from .runtime import KernelFault

    op_module = importlib.import_module("ttlx.lang.operation")

    sys.modules["ttl"] = lang
    sys.modules["ttnn"] = lang.ttnn
    # `import ttl.pipes` (say) is ttlx.lang.pipes itself: through ttl's
    # __path__ Python would load the file again, a second module whose
    # classes and state are not ttl's.
    for submodule in pkgutil.iter_modules(lang.__path__):
        sys.modules[f"ttl.{submodule.name}"] = importlib.import_module(f"{lang.__name__}.{submodule.name}")
    if opts.command == "compile":
        op_module.emit_stages[:] = [opts.emit]
    elif opts.num_devices is not None:
        lang.ttnn.set_num_devices(opts.num_devices)
    sys.argv = [opts.file, *opts.args]
    # As `python FILE` does: the file's folder first, so its sibling modules
    # import, and __file__ absolute (Python 3.9+), so paths made from it hold
    # whatever the working directory.
    path = os.path.abspath(opts.file)
    sys.path.insert(0, os.path.dirname(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except lang.KernelError as error:
        print(error, file=sys.stderr)
        return 1
    except SyntaxError as error:  # the file is not Python: say where, as for kernel errors
        print(f"{error.filename}:{error.lineno}:{error.offset or 1}: error: {error.msg}", file=sys.stderr)
        return 1
    except AttributeError as error:  # ttl.<name> / ttnn.<name> / ttl.pipes.<name> in host code: at the user's line
        unknown = _unknown_attribute(error)
        if unknown is None:
            _print_traceback(error, path)
        else:
            file, line = _user_frame(error.__traceback__, opts.file)
            print(f"{file}:{line}:1: error: {unknown}", file=sys.stderr)
        return 1
    except ImportError as error:  # `from ttl import <unknown>`: Python turns UnknownName into this
        unknown = _unknown_imported_name(error)
        if unknown is not None:
            file, line = _user_frame(error.__traceback__, opts.file)
            print(f"{file}:{line}:1: error: {unknown}", file=sys.stderr)
            return 1
        missing = _missing_module(error)
        if missing is None:
            _print_traceback(error, path)
        else:
            print(missing, file=sys.stderr)
        return 1
    except KernelFault as fault:
        print(f"{opts.file}: error: kernel fault: {fault}", file=sys.stderr)
        return 1
    except Exception as error:  # the file's own (a failed assert, say)
        _print_traceback(error, path)
        return 1
    return 0


def _print_traceback(error: Exception, path: str) -> None:
    """`error`'s traceback as `python FILE` prints it: from the file's
    first frame on, without the frames of ttlx's runner (this module,
    runpy) that led to it."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != path:
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb or error.__traceback__)


def _missing_module(error: ImportError) -> str | None:
    """`file:line:col: error: ...` for an import, in the user's code, of a
    module that is not there (tt-lang's own modules of other times: `from
    sim import ttl`, `from ttl.ttl_api import *`); None for any other
    ImportError (raised in ttlx, say)."""
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return None
    frames = [f for f, _ in traceback.walk_tb(error.__traceback__)
              if not f.f_code.co_filename.startswith("<frozen importlib.")]
    if not frames or _in_ttlx(frames[-1].f_code.co_filename):
        return None
    file, line = frames[-1].f_code.co_filename, frames[-1].f_lineno
    text = linecache.getline(file, line)
    where = f"{file}:{line}:{len(text) - len(text.lstrip()) + 1}: error: "
    top = error.name.split(".")[0]
    if top in ("ttl", "ttnn"):
        return (f"{where}no module named '{error.name}': ttlx's {top} has its whole API at its top level; write "
                f"`import {top}` and use its names ({top}.<name>; docs/language.md lists them)")
    return (f"{where}no module named '{error.name}' (beside the file, on PYTHONPATH or installed); ttlx provides "
            "tt-lang's API as the modules ttl and ttnn: write `import ttl` (and `import ttnn`)")


def _unknown_attribute(error: AttributeError) -> Exception | None:
    """`error` if it is an UnknownName (`ttl.<name>`, `ttnn.<name>`), or
    one made for `ttl.pipes.<name>` read by the user's own code, for a
    name ttlx lacks; None for any other AttributeError (the file's own, or
    ttlx's)."""
    from .lang.errors import UnknownName

    if isinstance(error, UnknownName):
        return error
    frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
    if not frames or _in_ttlx(frames[-1].f_code.co_filename):
        return None
    return _unknown_submodule_name(error.obj, error.name)


def _unknown_imported_name(error: ImportError) -> Exception | None:
    """The UnknownName behind `from ttl import X` / `from ttnn import X`
    (the import machinery drops it for an ImportError naming ttlx's
    module), or one made for `from ttl.pipes import X`, for an X ttlx
    lacks; None for any other ImportError."""
    from .lang.errors import UnknownName

    found = re.fullmatch(r"cannot import name '(\w+)' from '(ttlx\.lang(?:\.\w+)?)' \(.*\)", str(error))
    module = sys.modules.get(found.group(2)) if found else None
    if found is None or module is None:
        return None
    try:
        getattr(module, found.group(1))
    except UnknownName as unknown:
        return unknown
    except AttributeError:
        return _unknown_submodule_name(module, found.group(1))
    return None


def _unknown_submodule_name(module: object, name: str | None) -> Exception | None:
    """An UnknownName for `name` missing from a submodule of ttl
    (`ttl.pipes`: ttlx.lang.pipes, which has no __getattr__ of its own),
    naming the module's closest names; None when `module` is no such
    submodule."""
    from .lang.errors import unknown_name

    if not isinstance(module, types.ModuleType) or not module.__name__.startswith("ttlx.lang.") or name is None:
        return None
    own = [n for n, v in vars(module).items() if getattr(v, "__module__", None) == module.__name__]
    return unknown_name("ttl" + module.__name__[len("ttlx.lang"):], name, own)


def _in_ttlx(filename: str) -> bool:
    """Whether `filename` is a module of the ttlx package."""
    package = os.path.dirname(os.path.abspath(__file__))
    return os.path.abspath(filename).startswith(package + os.sep)


def _user_frame(tb: types.TracebackType | None, default: str) -> tuple[str, int]:
    """The innermost frame outside the ttlx package: the user's code."""
    where = (default, 0)
    for frame, line in traceback.walk_tb(tb):
        if not _in_ttlx(frame.f_code.co_filename):
            where = (frame.f_code.co_filename, line)
    return where


if __name__ == "__main__":
    sys.exit(main())
