# SPDX-License-Identifier: Apache-2.0
"""The elementwise op table, read from TTLElementwiseOps.def.

The .def file (include/ttlx/Dialect/TTL/IR/, installed with the runtime
headers) is the one list of TTL's elementwise tile ops; the C++ lowerings
and the runtime expand it as an X-macro, Python parses it here. `OPS` holds
one `ElementwiseOp` per entry, in the file's order.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any, Callable, Literal, NamedTuple

__all__ = ["ElementwiseOp", "Param", "OPS", "DEF_FILE", "by_ttl_name", "by_python_name", "parse", "render_ods"]

DEF_RELPATH = "ttlx/Dialect/TTL/IR/TTLElementwiseOps.def"
DEF_FILE = Path(__file__).resolve().parent / "_runtime" / "include" / DEF_RELPATH

Unit = Literal["FPU", "SFPU"]
Domain = Literal["ALL", "POSITIVE", "UNIT", "ABOVE_ONE"]


class Param(NamedTuple):
    """A scalar parameter of a unary op (`name[:i32](=default|~sample)`)."""

    name: str
    type: Literal["f32", "i32"]
    default: float | None  # None: required
    sample: float  # the value tests use

    def spec(self) -> str:
        """The parameter as the table writes it."""
        kind = ":i32" if self.type == "i32" else ""
        value = f"={self.default:g}" if self.default is not None else f"~{self.sample:g}"
        return f"{self.name}{kind}{value}"


_PARAM = re.compile(r"^([a-z_][a-z0-9_]*)(?::(f32|i32))?(?:=([^~]+)|~(.+))$")


def _params(text: str) -> tuple[Param, ...]:
    params: list[Param] = []
    for item in text.split():
        m = _PARAM.match(item)
        if not m:
            raise ValueError(f"bad parameter {item!r} in TTLElementwiseOps.def (want name[:i32](=default|~sample))")
        name, kind, default, sample = m.groups()
        value = float(default if default is not None else sample)
        params.append(Param(name, "i32" if kind == "i32" else "f32",
                            value if default is not None else None, value))
    return tuple(params)


class ElementwiseOp(NamedTuple):
    name: str  # C++ stem: ttl::<name>Op
    ttl_name: str  # the TTL mnemonic, `ttl.<ttl_name>`
    arity: int
    unit: Unit  # FPU: FPU form on DFB blocks (SFPU form on DST otherwise)
    tile_call: str  # the SFPU tt-metal call on DST tiles
    init_call: str
    header: str  # the tt-metal header of tile_call / init_call, under api/compute/
    params: tuple[Param, ...]  # scalar parameters of a unary op, tt-metal's order
    fpu_tile_call: str | None  # `<fpu>_tiles` of FPU ops
    fpu_init_call: str | None
    dtypes: tuple[str, ...]
    domain: Domain
    f32_rtol: float
    torch_reference: str  # dotted name, e.g. "torch.exp"
    python_names: tuple[str, ...]

    def torch_fn(self) -> Callable[..., Any]:
        """The PyTorch reference as a callable (imports torch): of the
        operands, then the parameters by name."""
        if "(" in self.torch_reference or " " in self.torch_reference:
            torch = importlib.import_module("torch")
            code = compile(self.torch_reference, f"<{self.ttl_name} reference>", "eval")
            return lambda x, **params: eval(code, {"torch": torch}, {"x": x, **params})
        head, *rest = self.torch_reference.split(".")
        obj: Any = importlib.import_module(head)
        for part in rest:
            obj = getattr(obj, part)
        return obj


_ENTRY = re.compile(r"^(TTLX_(SFPU_UNARY|SFPU_BINARY|FPU_BINARY)_OP)\((.*)\)\s*$")
_ARG = re.compile(r'\s*("[^"]*"|[^,]+?)\s*(?:,|$)')


def _args(text: str) -> list[str]:
    return [m.group(1).strip('"') for m in _ARG.finditer(text) if m.group(1)]


def parse(text: str) -> tuple[ElementwiseOp, ...]:
    """The entries of a TTLElementwiseOps.def text, in order."""
    ops: list[ElementwiseOp] = []
    for line in text.splitlines():
        m = _ENTRY.match(line.strip())
        if not m:
            continue
        kind, args = m.group(2), _args(m.group(3))
        fpu: str | None = None
        if kind == "FPU_BINARY":
            fpu = args.pop(5)
        params = _params(args.pop(5)) if kind == "SFPU_UNARY" else ()
        name, ttl, tile, init, header, dtypes, domain, rtol, torch_ref, py = args
        ops.append(ElementwiseOp(
            name=name, ttl_name=ttl, arity=1 if kind == "SFPU_UNARY" else 2,
            unit="FPU" if fpu else "SFPU", tile_call=tile, init_call=init, header=header, params=params,
            fpu_tile_call=f"{fpu}_tiles" if fpu else None,
            fpu_init_call=f"{fpu}_init" if fpu else None,
            dtypes=tuple(dtypes.split()), domain=domain,  # type: ignore[arg-type]
            f32_rtol=float(rtol), torch_reference=torch_ref, python_names=tuple(py.split())))
    return tuple(ops)


def _load() -> tuple[ElementwiseOp, ...]:
    # Installed: beside the runtime headers; in a source checkout: include/.
    for path in (DEF_FILE, Path(__file__).resolve().parents[2] / "include" / DEF_RELPATH):
        if path.is_file():
            return parse(path.read_text())
    raise FileNotFoundError(f"{DEF_RELPATH} is not installed with ttlx")


OPS: tuple[ElementwiseOp, ...] = _load() if __name__ != "__main__" else ()


def by_ttl_name(name: str) -> ElementwiseOp:
    """The entry of `ttl.<name>`."""
    for op in OPS:
        if op.ttl_name == name:
            return op
    raise KeyError(f"no elementwise op ttl.{name}")


def by_python_name(name: str) -> ElementwiseOp:
    """The entry a Python name (`ttl.math.<name>` or an operator) maps to."""
    for op in OPS:
        if name in op.python_names:
            return op
    raise KeyError(f"no elementwise op for Python name {name!r}")


# ----- ODS generation (run by CMake at configure time) ----------------------

_HEADER = """// Generated from TTLElementwiseOps.def by python/ttlx/optable.py: do not edit.
"""


def render_ods(ops: tuple[ElementwiseOp, ...]) -> dict[str, str]:
    """The TableGen op definitions of the table, by include path: the TTL
    ops (TTLComputeOps.td includes them), their TTKernel tile ops
    (TTKernelOps.td includes them), and the C++ aliases that give an op
    sharing another's init function that entry's init op (TTKernel.h
    includes them)."""
    ttl, ttkernel, aliases = [_HEADER], [_HEADER], [_HEADER]
    init_owner: dict[str, str] = {}  # init function -> the entry defining its op
    for op in ops:
        if op.arity == 1:
            attrs = ", ".join(f"{'F32Attr' if p.type == 'f32' else 'I32Attr'}:${p.name}" for p in op.params)
            operands = ", ".join(f"I32:${p.name}" for p in op.params)
            form = "".join(f" `,` ${p.name}" for p in op.params)
            ttl.append(f'def TTL_{op.name}Op : TTL_UnaryOp<"{op.ttl_name}", "{op.tile_call}", (ins {attrs})>;\n')
            tile_args = f'"{op.tile_call}", (ins {operands}), "{form}"'
            owner = init_owner.setdefault(op.init_call, op.name)
            if owner == op.name:
                ttkernel.append(f'defm TTKernel_{op.name} : TTKernel_SFPUUnary<{tile_args}, "{op.init_call}">;\n')
            else:
                ttkernel.append(f'def TTKernel_{op.name}TileOp : TTKernel_SFPUUnaryOp<{tile_args}>;\n')
                aliases.append(f"using {op.name}TileInitOp = {owner}TileInitOp;\n")
            continue
        ttl.append(f'def TTL_{op.name}Op : TTL_BinaryOp<"{op.ttl_name}">;\n')
        ttkernel.append(f'defm TTKernel_{op.name} : TTKernel_SFPUBinary<"{op.tile_call}", "{op.init_call}">;\n')
        if op.fpu_tile_call:
            stem = op.fpu_tile_call.removesuffix("_tiles")
            ttkernel.append(f'defm TTKernel_{op.name} : TTKernel_FPUBinary<"{stem}">;\n')
    return {
        "ttlx/Dialect/TTL/IR/TTLElementwiseOps.td": "".join(ttl),
        "ttlx/Dialect/TTKernel/IR/TTKernelElementwiseOps.td": "".join(ttkernel),
        "ttlx/Dialect/TTKernel/IR/TTKernelElementwiseInits.h.inc": "".join(aliases),
    }


def main(argv: list[str] | None = None) -> None:
    """`optable.py DEF OUT_DIR`: write the ODS of DEF under OUT_DIR (only
    files whose text changed, so nothing rebuilds needlessly)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("def_file", type=Path)
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    for relpath, text in render_ods(parse(args.def_file.read_text())).items():
        out = args.out_dir / relpath
        if out.is_file() and out.read_text() == text:
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)


if __name__ == "__main__":
    main()
