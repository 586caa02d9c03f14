# SPDX-License-Identifier: Apache-2.0
"""The Python bindings: dialects load in every Context, ops build from
Python, passes run, and the kernel emitter returns C++ per thread."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ttlx
from ttlx.dialects import arith, func, ttkernel, ttl
from ttlx.ir import Context, InsertionPoint, IndexType, Location, Module, Type

ARGMAX = Path(__file__).resolve().parents[1] / "Target" / "Cpp" / "argmax-bf16.mlir"


def test_parse_and_print_round_trip():
    text = ARGMAX.read_text()
    with Context():
        module = Module.parse(text)
        again = Module.parse(str(module))
        assert str(again) == str(module)
        assert "ttl.element_read" in str(module)


def test_build_ops_from_python():
    with Context(), Location.unknown():
        module = Module.create()
        with InsertionPoint(module.body):
            fn = func.FuncOp("reader", ([], []))
            fn.attributes["ttl.thread"] = ttlx.ir.Attribute.parse("#ttl.thread<datamovement>")
            with InsertionPoint(fn.add_entry_block()):
                dfb_type = Type.parse("!ttl.dfb<[1, 1], f32, 2>")
                dfb = ttl.BindDFBOp(dfb_type, 0).result
                blk = ttl.DFBWaitOp(dfb).result
                zero = arith.ConstantOp(IndexType.get(), 0).result
                ttl.ElementReadOp(Type.parse("f32"), blk, zero, zero)
                ttl.DFBPopOp(dfb)
                func.ReturnOp([])
        assert module.operation.verify()
        text = str(module)
        assert "ttl.element_read" in text and "-> f32" in text
        kernels = ttlx.emit_cpp(module)
        assert [(k.name, k.thread) for k in kernels] == [("reader", "datamovement")]
        assert "cb_wait_front(" in kernels[0].source
        assert "void kernel_main()" in kernels[0].source
    assert ttkernel is not None


def test_pipeline_and_emitter_one_kernel_per_thread():
    with Context():
        module = Module.parse(ARGMAX.read_text())
        kernels = ttlx.emit_cpp(module)
        assert [k.name for k in kernels] == ["reader", "argmax"]
        assert all(k.thread == "datamovement" for k in kernels)
        assert "ttl.element_read" in str(module)  # emit_cpp works on a copy
        ttlx.run_pipeline(module)
        text = str(module)
        assert "emitc.func" in text
        ops = re.findall(r"^\s*(?:%\S+ = )?(\w+\.\w+)", text, re.M)
        assert ops and not [op for op in ops if op.startswith(("ttl.", "ttkernel."))]


def test_verifier_error_raises_with_message():
    bad = """
    func.func @f() attributes {ttl.thread = #ttl.thread<compute>} {
      %c0 = arith.constant 0 : index
      %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
      %b = ttl.dfb_wait %d : !ttl.dfb<[1, 1], bf16, 2>
      %v = ttl.element_read %b[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
      ttl.dfb_pop %d : !ttl.dfb<[1, 1], bf16, 2>
      return
    }"""
    with Context():
        with pytest.raises(Exception, match="only allowed in data-movement threads"):
            Module.parse(bad)


def test_emit_failure_is_a_python_error():
    with Context():
        module = Module.parse(
            "func.func @f(%a: f32, %b: f32) -> f32 {\n"
            "  %q = arith.remf %a, %b : f32\n  return %q : f32\n}"
        )
        with pytest.raises(ValueError, match="kernel emission failed") as info:
            ttlx.emit_cpp(module)
        # The diagnostic itself, with its location, is in the exception.
        assert "'arith.remf' op on scalar floats cannot run on a data-movement core" in str(info.value)
        assert 'loc("-":2:' in str(info.value)


def test_ttl_types_and_attributes_through_the_c_api():
    with Context(), Location.unknown():
        dfb = ttl.DFBType.get([1, 2], ttlx.ir.BF16Type.get(), 3)
        assert str(dfb) == "!ttl.dfb<[1, 2], bf16, 3>"
        assert (dfb.shape, str(dfb.element_type), dfb.block_count) == ([1, 2], "bf16", 3)
        assert str(dfb.block_type) == "tensor<1x2x!ttl.tile<bf16>>"
        # Parsed types come back as the concrete classes.
        parsed = Type.parse("!ttl.dfb<[2, 1], f32, 1>")
        assert isinstance(parsed, ttl.DFBType) and parsed.shape == [2, 1]
        assert ttl.DFBType.isinstance(parsed) and not ttl.TileType.isinstance(parsed)
        tile = ttl.TileType.get(ttlx.ir.F32Type.get())
        assert str(tile) == "!ttl.tile<f32>" and str(tile.element_type) == "f32"
        handle = ttl.TransferHandleType.get("pipe_recv")
        assert str(handle) == "!ttl.transfer_handle<pipe_recv>" and handle.kind == "pipe_recv"
        thread = ttl.ThreadAttr.get("compute")
        assert str(thread) == "#ttl.thread<compute>" and thread.kind == "compute"
        pipe = ttl.PipeAttr.get([0, 0], [0, 1], [1, 4])
        assert str(pipe) == "#ttl.pipe<[0, 0] -> [0, 1] to [1, 4]>"
        assert (pipe.src, pipe.dst_lo, pipe.dst_hi) == ((0, 0), (0, 1), (1, 4))


def test_pipe_attr_numbers_its_pipe_net():
    with Context(), Location.unknown():
        pipe = ttl.PipeAttr.get([0, 0], [1, 0], [2, 1], net=2)
        assert str(pipe) == "#ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 2>" and pipe.net == 2
        assert ttl.PipeAttr.get([0, 0], [1, 0], [2, 1]).net == 0
        with pytest.raises(ValueError, match="pipe net numbers must not be negative"):
            ttl.PipeAttr.get([0, 0], [1, 0], [2, 1], net=-1)


def test_pipe_attr_names_a_family_of_pipes():
    with Context(), Location.unknown():
        family = ttl.PipeAttr.get([0, 0], [1, 0], [2, 1], net=1, count=[7, 8], step=[1, 1])
        assert str(family) == "#ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1 repeat [7, 8] step [1, 1]>"
        assert (family.count, family.step) == ((7, 8), (1, 1))
        assert ttl.PipeAttr.get([0, 0], [1, 0], [2, 1]).count == (1, 1)
        with pytest.raises(ValueError, match="a pipe family takes both count and step"):
            ttl.PipeAttr.get([0, 0], [1, 0], [2, 1], count=[7, 8])
        with pytest.raises(ValueError, match="the members of this pipe family share destinations"):
            ttl.PipeAttr.get([0, 0], [1, 0], [3, 1], count=[2, 1], step=[1, 1])


def test_ttl_type_builders_raise_the_verifier_message():
    with Context(), Location.unknown():
        with pytest.raises(ValueError, match=r"DFB block shape must be positive, but is \[0, 2\]"):
            ttl.DFBType.get([0, 2], ttlx.ir.BF16Type.get(), 2)
        with pytest.raises(ValueError, match="tile element type must be bf16 or f32"):
            ttl.TileType.get(IndexType.get())
        with pytest.raises(ValueError, match=r"pipe destination range \[1, 0\] to \[1, 1\] is empty"):
            ttl.PipeAttr.get([0, 0], [1, 0], [1, 1])
        with pytest.raises(ValueError, match="transfer kind is read, write, pipe_send or pipe_recv, not 'copy'"):
            ttl.TransferHandleType.get("copy")
        with pytest.raises(ValueError, match="thread kind is datamovement or compute, not 'reader'"):
            ttl.ThreadAttr.get("reader")
