# SPDX-License-Identifier: Apache-2.0
"""tt-lang kernel files through `ttlx run`: the examples check themselves
against torch; each frontend error is one `file:line:col: error:` line at the
user's source, with no traceback."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import torch

from forked_cli import TORCH, run_code
from kernel_cli import ROOT, expect_located_error, line_of, ttlx


@pytest.mark.parametrize("example", ["elementwise.py", "argmax.py", "rmsnorm.py"])
def test_examples_run_and_pass(example):
    result = ttlx("run", str(ROOT / "examples" / example))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "PASS"


def test_compile_prints_every_stage():
    ttl_out = ttlx("compile", str(ROOT / "examples" / "argmax.py"), "--emit", "ttl")
    assert ttl_out.returncode == 0, ttl_out.stderr
    assert "func.func @scan" in ttl_out.stdout and "ttl.element_read" in ttl_out.stdout
    assert "scf.for" in ttl_out.stdout and "iter_args" in ttl_out.stdout  # loop-carried best value
    for stage, marker in [("ttkernel", "ttkernel.l1_load"), ("emitc", "emitc.func")]:
        out = ttlx("compile", str(ROOT / "examples" / "argmax.py"), "--emit", stage)
        assert out.returncode == 0 and marker in out.stdout, out.stderr
    cpp = ttlx("compile", str(ROOT / "examples" / "argmax.py"), "--emit", "cpp")
    assert cpp.returncode == 0, cpp.stderr
    assert "// ===== kernel scan (dm1) =====" in cpp.stdout and "void kernel_main()" in cpp.stdout


KERNEL = '''
import torch
import ttnn
import ttl

@ttl.operation(grid=(1, 1))
def op(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
    y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
{read}

    @ttl.compute()
    def compute():
{compute}

    @ttl.datamovement()
    def write():
{write}

x = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16))
y = ttnn.zeros((32, 32), dtype=ttnn.bfloat16)
op(x, y)
'''

READ = """with x_dfb.reserve() as blk:
    tx = ttl.copy(x[0, 0], blk)
    tx.wait()"""
COMPUTE = """with x_dfb.wait() as a, y_dfb.reserve() as b:
    b.store(ttl.math.exp(a))"""
WRITE = """with y_dfb.wait() as blk:
    tx = ttl.copy(blk, y[0, 0])
    tx.wait()"""


def kernel_file(tmp_path: Path, read=READ, compute=COMPUTE, write=WRITE, tail="") -> tuple[Path, str]:
    def indent(body: str) -> str:
        return textwrap.indent(body, " " * 8)

    text = KERNEL.format(read=indent(read), compute=indent(compute), write=indent(write)) + tail
    path = tmp_path / "kernel.py"
    path.write_text(text)
    return path, text


def test_the_error_kernel_runs_when_correct(tmp_path):
    path, _ = kernel_file(tmp_path, tail="assert torch.allclose(ttnn.to_torch(y).float(), torch.full((32, 32), 2.71875))\nprint('ok')\n")
    result = ttlx("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_unsupported_python(tmp_path):
    path, text = kernel_file(tmp_path, read="try:\n    pass\nfinally:\n    pass")
    expect_located_error(path, text, "try:", "try statements are not supported in kernel code; kernels cannot raise or catch "
                                     "exceptions")


@pytest.mark.parametrize("statement,name", [
    ("v = ttl.element_read(a, 0, 0)", "ttl.element_read"),
    ("v = ttl.raw_element_read(a, 0, 0)", "ttl.raw_element_read"),
    ("ttl.element_write(b, 0, 0, 1.0)", "ttl.element_write"),
    ("ttl.raw_element_write(b, 0, 0, 1.0)", "ttl.raw_element_write"),
    ("i = ttl.read_index(a, 0, 0)", "ttl.read_index"),
])
def test_element_access_in_compute_thread(tmp_path, statement, name):
    """In user terms at the call (the verifier's message named the IR op,
    'ttl.element_read' op)."""
    path, text = kernel_file(tmp_path, compute=f"""with x_dfb.wait() as a, y_dfb.reserve() as b:
    {statement}
    b.store(a)""")
    expect_located_error(path, text, statement.split("= ")[-1],
                         f"{name} reads or writes one element of a block, which data-movement threads do, but "
                         "'compute' is the compute thread; access elements in a @ttl.datamovement function (the "
                         "compute thread works on whole blocks: operators, ttl.math.*, ttl.block.*)")


@pytest.mark.parametrize("compute,needle", [
    ("with y_dfb.reserve() as b:\n    ttl.copy(x[0, 0], b).wait()", "ttl.copy(x[0, 0], b)"),
    ("with x_dfb.wait() as a:\n    ttl.copy(a, y[0, 0]).wait()", "ttl.copy(a, y[0, 0])"),
])
def test_copy_in_the_compute_thread(tmp_path, compute, needle):
    path, text = kernel_file(tmp_path, compute=compute)
    expect_located_error(path, text, needle, "ttl.copy runs on data-movement threads, but 'compute' is the compute "
                         "thread; copy in a @ttl.datamovement function (the compute thread waits for the blocks it "
                         "reads and stores into the blocks it reserves)")


@pytest.mark.parametrize("statement,what", [
    ("z = blk * 2.0", "'*' on blocks"),
    ("z = -blk", "'-' on a block"),
    ("blk += blk", "'+' on blocks"),
    ("z = ttl.math.exp(blk)", "ttl.math.exp"),
    ("z = ttl.block.transpose(blk)", "ttl.block.transpose"),
    ("blk.store(ttl.block.fill(1.0, shape=(1, 1)))", "store"),
])
def test_block_math_in_a_data_movement_thread(tmp_path, statement, what):
    path, text = kernel_file(tmp_path, read=f"{READ}\n    {statement}")
    expect_located_error(path, text, statement, f"{what} is block math, which runs on compute threads, but 'read' is "
                         "a data-movement thread; compute in the @ttl.compute function (data-movement threads move "
                         "blocks with ttl.copy)")


def test_store_with_acc_names_the_accumulation_ttlx_has(tmp_path):
    """`store(x, acc=True)` (tt-lang's compiler once took it) was accepted
    and the keyword ignored: the block held the last x, not the sum."""
    path, text = kernel_file(tmp_path, compute=COMPUTE.replace("b.store(ttl.math.exp(a))", "b.store(a, acc=True)"))
    expect_located_error(path, text, "b.store(a, acc=True)", "store takes no acc=; to add x to what the reserved "
                         "block holds, write `blk += x` (docs/language.md, \"Accumulating into a reserved block\")")


def test_copy_never_waited(tmp_path):
    path, text = kernel_file(tmp_path, read="""with x_dfb.reserve() as blk:
    tx = ttl.copy(x[0, 0], blk)""")
    expect_located_error(path, text, "tx = ttl.copy(x[0, 0], blk)", "this ttl.copy is never waited")


def test_store_into_waited_block_replaces_it(tmp_path):
    """Spec 0.22: a store into a waited block replaces its contents (it was
    an error before; the TTL verifier still refuses a ttl.store into a
    ttl.dfb_wait block, test/Dialect/TTL/IR/compute-invalid.mlir)."""
    path, _ = kernel_file(tmp_path, compute="""with x_dfb.wait() as a, y_dfb.reserve() as b:
    a.store(ttl.math.exp(a))
    b.store(a)""", tail="assert torch.equal(ttnn.to_torch(y).float(), torch.full((32, 32), 2.71875))\nprint('ok')\n")
    result = ttlx("run", str(path))
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stdout + result.stderr


def test_store_into_waited_block_outside_compute(tmp_path):
    path, text = kernel_file(tmp_path, write="""with y_dfb.wait() as blk:
    blk.store(ttl.block.fill(1.0, shape=(1, 1)))
    ttl.copy(blk, y[0, 0]).wait()""")
    expect_located_error(path, text, "blk.store(", "replacing the waited block 'blk' stores block math into it, which runs in "
                 "compute threads; wait for the block in the compute thread")


def test_block_shape_does_not_match_slice(tmp_path):
    path, text = kernel_file(tmp_path, read="""with x_dfb.reserve() as blk:
    tx = ttl.copy(x[0:1, 0:2], blk)
    tx.wait()""")
    expect_located_error(path, text, "x[0:1, 0:2]", "the block has 1 tile columns but the slice has 2")


@pytest.mark.parametrize("expr,what", [
    ("a + ttl.block.broadcast(a, dims=[-1], shape=(1, 2))", "block math"),
    ("ttl.block.where(a, a, ttl.block.broadcast(a, dims=[-1], shape=(1, 2)))", "ttl.block.where"),
])
def test_elementwise_blocks_of_different_shapes(tmp_path, expr, what):
    """As tt-lang-sim 1.1.6, no implicit broadcast; the error names the block
    shapes (it named the IR's tensor types before)."""
    path, text = kernel_file(tmp_path, compute=f"""with x_dfb.wait() as a, y_dfb.reserve() as b:
    b.store({expr})""")
    expect_located_error(path, text, expr, f"{what} combines blocks of shapes (1, 1) and (1, 2) (tiles); the shapes "
                         "must be equal: broadcast the smaller one first (ttl.block.broadcast(x, dims=[...], shape=...))")


@pytest.mark.parametrize("compute,needle,line,acquire,release", [
    ("with x_dfb.wait() as a:\n    with x_dfb.wait() as a2, y_dfb.reserve() as b:\n        b.store(a + a2)",
     "x_dfb.wait() as a2", "x_dfb.wait() as a:", "wait", "pop()"),
    ("a = x_dfb.wait()\na2 = x_dfb.wait()\nwith y_dfb.reserve() as b:\n    b.store(a + a2)\nx_dfb.pop()\n"
     "x_dfb.pop()", "a2 = x_dfb.wait()", "a = x_dfb.wait()", "wait", "pop()"),
    ("with x_dfb.wait() as a, y_dfb.reserve() as b:\n    with y_dfb.reserve() as b2:\n        b2.store(a)\n"
     "    b.store(a)", "y_dfb.reserve() as b2", "y_dfb.reserve() as b:", "reserve", "push()"),
])
def test_a_second_block_of_a_dfb_while_the_first_is_held(tmp_path, compute, needle, line, acquire, release):
    """As tt-lang-sim 1.1.6 ('not a valid next dataflow step'): one block of
    a DFB at a time per thread; the error names the first acquire's line
    (it was the protocol verifier's 'ttl.dfb_pop' op message at the release)."""
    path, text = kernel_file(tmp_path, compute=compute)
    expect_located_error(path, text, needle, f"DFB {0 if acquire == 'wait' else 1} still holds the block of its "
                         f"{acquire}() at line {line_of(text, line)} here; a thread holds one block of a DFB at a "
                         f"time (tt-lang-sim: not a valid next dataflow step), so {release} that block before this "
                         f"{acquire}()")


def test_dfb_with_two_producers(tmp_path):
    path, text = kernel_file(tmp_path, write="""with x_dfb.reserve() as blk:
    tx = ttl.copy(x[0, 0], blk)
    tx.wait()
with y_dfb.wait() as blk:
    tx = ttl.copy(blk, y[0, 0])
    tx.wait()""")
    result = ttlx("run", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1
    # The second reserve of DFB 0 is in `write`, after the definition of write.
    write_line = line_of(text, "def write")
    assert lines[0].startswith(f"{path}:{write_line + 1}:"), lines[0]
    assert "error: DFB 0 already has a producer thread ('read')" in lines[0]


def test_static_out_of_range_element_access_points_at_the_line(tmp_path):
    """A verifier error of the TTL IR comes back at the user's line."""
    path, text = kernel_file(tmp_path, write="""with y_dfb.wait() as blk:
    v = ttl.element_read(blk, 40, 0)
    tx = ttl.copy(blk, y[0, 0])
    tx.wait()""")
    expect_located_error(path, text, "element_read(blk, 40, 0)",
                 "'ttl.element_read' op row index 40 is out of range [0, 32) for a block of 1x1 tiles")


@pytest.mark.parametrize("tensor,message", [
    ("ttnn.from_torch(torch.ones(32, 32, dtype=torch.int32))",
     "tensor argument 0 has dtype torch.int32; kernels take ttnn.bfloat16 or ttnn.float32 tensors"),
    # a TILE tensor whose storage was replaced by values that are not whole tiles
    ("(lambda t: (setattr(t, 'data', torch.ones(30, 32, dtype=torch.bfloat16)), t)[1])"
     "(ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16)))",
     "tensor argument 0 has shape (32, 32) in TILE_LAYOUT; kernels take TILE_LAYOUT tensors padded to whole 32x32 "
     "tiles"),
    ("ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16), layout=ttnn.ROW_MAJOR_LAYOUT)"
     ".__class__(torch.ones(0, 32, dtype=torch.bfloat16), ttnn.ROW_MAJOR_LAYOUT)",
     "tensor argument 0 has shape (0, 32) in ROW_MAJOR_LAYOUT; kernels take row-major tensors of 1 or more "
     "dimensions and at least one element"),
])
def test_wrong_tensor_at_call_time(tmp_path, tensor, message):
    path, text = kernel_file(tmp_path)
    text = text.replace("x = ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16))", f"x = {tensor}")
    path.write_text(text)
    result = ttlx("run", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert f"error: {message}" in lines[0]
    call = next(i for i, line in enumerate(text.splitlines(), 1) if line == "op(x, y)")
    assert lines[0].startswith(f"{path}:{call}:")  # the call that passed the tensor


def test_import_ttlx_as_ttl_in_process():
    """`import ttlx as ttl` works for kernels defined in ordinary Python."""
    import ttlx as ttl
    from ttlx.lang import ttnn

    @ttl.operation(grid=(2, 1))
    def double(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 1), block_count=2)

        @ttl.datamovement()
        def read():
            i = ttl.node(dims=1)
            with x_dfb.reserve() as blk:
                tx = ttl.copy(x[i, 0], blk)
                tx.wait()

        @ttl.compute()
        def compute():
            with x_dfb.wait() as a, y_dfb.reserve() as b:
                b.store(a + a)

        @ttl.datamovement()
        def write():
            i = ttl.node(dims=1)
            with y_dfb.wait() as blk:
                tx = ttl.copy(blk, y[i, 0])
                tx.wait()

    x = ttnn.from_torch(torch.arange(64 * 32, dtype=torch.float32).reshape(64, 32).to(torch.bfloat16))
    y = ttnn.zeros((64, 32), dtype=ttnn.bfloat16)
    double(x, y)
    assert torch.equal(ttnn.to_torch(y).float(), 2 * ttnn.to_torch(x).float())


def _tutorials() -> list[Path]:
    import importlib.util

    spec = importlib.util.find_spec("ttl")  # tt-lang-sim's package; not imported
    root = Path(list(spec.submodule_search_locations)[0]) / "tutorials"
    files = sorted(root.glob("elementwise/step_[1-4]_*.py")) + sorted(root.glob("broadcast/*broadcast*.py"))
    assert len(files) == 6, files
    return files


@pytest.mark.parametrize("tutorial", _tutorials(), ids=lambda p: p.stem)
def test_unchanged_tt_lang_tutorials_run(tutorial):
    """Tenstorrent's own tutorial kernels (shipped in the tt-lang-sim wheel),
    unchanged: each asserts its result against torch itself."""
    result = ttlx("run", str(tutorial))
    assert result.returncode == 0, result.stderr[-2000:]


def test_runtime_fault_names_the_user_line(tmp_path):
    """A fault the runtime finds (a tile outside the tensor, from a dynamic
    index: the copy's bounds check fires before the DRAM page would be out
    of bounds) names the kernel's C++ line and the user's Python line."""
    path, text = kernel_file(tmp_path, read="""with x_dfb.reserve() as blk:
    tx = ttl.copy(x[ttl.node(dims=1) + 5, 0], blk)
    tx.wait()""")
    result = ttlx("run", str(path))
    assert result.returncode == 1
    line = line_of(text, "ttl.node(dims=1) + 5")
    assert (f"ttl.copy_to_block at {path}:{line}:18: a block of 1x1 tiles at a tile row or column outside the "
            "tensor of 1x1 tiles (rows 0..0, columns 0..0 can start a block) at read.cpp:") in result.stderr, \
        result.stderr


# ----- a PipeNet on Blackhole's 13x10 grid (130 nodes) ------------------------

def _relay_13x10():
    """Node (0, 0) reads a tile and sends it through a pipe to node (12, 9),
    linear index 129, which writes it out; the other 128 nodes stay idle."""
    import ttlx.lang as ttl

    @ttl.operation(grid=(13, 10))
    def relay(x, out):
        net = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(12, 9))])
        in_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=1)
        out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=1)

        @ttl.datamovement()
        def send():
            def forward(pipe):
                with in_dfb.reserve() as blk:
                    ttl.copy(x[0, 0], blk).wait()
                with in_dfb.wait() as blk:
                    ttl.copy(blk, pipe).wait()

            net.if_src(forward)

        @ttl.datamovement()
        def receive():
            def land(pipe):
                with out_dfb.reserve() as blk:
                    ttl.copy(pipe, blk).wait()
                with out_dfb.wait() as blk:
                    ttl.copy(blk, out[0, 0]).wait()

            net.if_dst(land)

        @ttl.compute()
        def idle():
            pass

    return relay


def test_pipe_net_on_a_13x10_grid_compiles_and_runs():
    from ttlx.lang import ttnn
    from ttlx.runtime import Program

    relay = _relay_13x10()
    x = ttnn.from_torch(torch.randn(32, 32).to(torch.bfloat16))
    out = ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16))
    compiled = relay.compile(x, out)
    ttl_text = compiled.stage("ttl")
    # Each thread runs only on the pipe's two nodes: a guard on the node
    # coordinates (no node mask, so node 129 is as reachable as node 0).
    assert ttl_text.count("ttl.grid = array<i64: 13, 10>") == 3
    assert "arith.constant 12 : index" in ttl_text and "arith.constant 9 : index" in ttl_text
    assert "#ttl.pipe<[0, 0] -> [12, 9] to [13, 10]>" in ttl_text
    assert "i64" not in ttl_text.replace("array<i64", "")
    program = compiled.build(Program.from_module)
    assert program.grid == (13, 10) and [k.name for k in program.kernels] == ["send", "receive", "idle"]
    relay(x, out)
    assert torch.equal(ttnn.to_torch(out), ttnn.to_torch(x))


# ----- the frontend's structure ----------------------------------------------

PACKAGE = ROOT / "python" / "ttlx"


def _imports(path: Path, module: str) -> list[tuple[str, bool]]:
    """(imported ttlx module, at module level) for each import in `path`;
    imports under `if TYPE_CHECKING:` are left out (never run)."""
    import ast

    tree = ast.parse(path.read_text())
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and getattr(node.test, "id", "") == "TYPE_CHECKING" for n in ast.walk(node)}
    top = {id(n) for n in tree.body}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names = [f"{target}.{a.name}" for a in node.names]
            if node.module is None:  # `from . import x`: the submodule x, not the package
                target = ""
        elif isinstance(node, ast.Import):
            target, names = "", [a.name for a in node.names]
        else:
            continue
        for name in [target, *names]:
            if name.startswith("ttlx."):
                found.append((name, id(node) in top))
    return found


def test_frontend_imports_run_one_way():
    """ttlx.lang (user-facing) and ttlx._frontend (the translator) have no
    import cycle; lang reaches the translator only when called, through
    the package entry `ttlx._frontend`."""
    modules = {}
    for pkg in ("lang", "_frontend"):
        for path in sorted((PACKAGE / pkg).glob("*.py")):
            name = f"ttlx.{pkg}" if path.stem == "__init__" else f"ttlx.{pkg}.{path.stem}"
            modules[name] = path
    graph = {}
    for name, path in modules.items():
        edges = _imports(path, name)
        for target, top_level in edges:
            if name.startswith("ttlx.lang") and target.startswith("ttlx._frontend"):
                assert not top_level and target in ("ttlx._frontend", "ttlx._frontend.compile_operation"), \
                    f"{name} imports {target}"
        graph[name] = {t for t, _ in edges if t in modules and t != name
                       and not (name.startswith("ttlx.lang") and t.startswith("ttlx._frontend"))}
    # Depth-first search for a cycle, function-local imports included.
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join(path + [nxt])
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])
    assert "ttlx._frontend.statements" in graph and graph["ttlx._frontend.calls"]


@pytest.mark.parametrize("module", ["ttlx.lang", "ttlx._frontend", "ttlx._frontend.calls",
                                    "ttlx._frontend.statements", "ttlx.lang.operation", "ttlx.lang.pipes"])
def test_frontend_module_imports_on_its_own(module):
    result = run_code(f"import {module}", TORCH)  # a new process that imported only torch
    assert result.returncode == 0, result.stderr


def test_a_dfb_shape_that_is_not_positive_is_an_error_at_its_make_call():
    """Checked where the user gives it (it used to reach the DFB type's
    verifier and be reported at the DFB's first use)."""
    import ttlx.lang as ttl
    from ttlx.lang import KernelError, ttnn

    @ttl.operation(grid=(1, 1))
    def empty_blocks(x):
        dfb = ttl.make_dataflow_buffer_like(x, shape=(0, 1), block_count=2)

        @ttl.datamovement()
        def read():
            with dfb.reserve() as blk:
                ttl.copy(x[0, 0], blk).wait()

    x = ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16))
    with pytest.raises(KernelError, match=r"test_frontend.py:\d+:\d+: error: shape= of a dataflow buffer is \(\.\.\., "
                                          r"rows, cols\): positive integers, the last two in tiles, leading ones "
                                          r"batch dimensions; got \(0, 1\)") as error:
        empty_blocks.compile(x)
    assert "make_dataflow_buffer_like(x, shape=(0, 1)" in \
        Path(error.value.file).read_text().splitlines()[error.value.line - 1]


def test_a_reduction_shape_it_does_not_give_is_the_verifiers_error():
    import ttlx.lang as ttl
    from ttlx.lang import KernelError, ttnn

    @ttl.operation(grid=(1, 1))
    def row_sums(x, y):
        x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=1)
        y_dfb = ttl.make_dataflow_buffer_like(y, shape=(1, 2), block_count=1)

        @ttl.compute()
        def compute():
            with x_dfb.wait() as xb, y_dfb.reserve() as yb:
                yb.store(ttl.math.reduce_sum(xb, dims=[-1], shape=(1, 2)))

    x = ttnn.from_torch(torch.zeros(32, 64, dtype=torch.bfloat16))
    with pytest.raises(KernelError, match=r"error: 'ttl.reduce_sum' op row reduction of 1x2 tiles gives 1x1 tiles, "
                                          r"but the result has 1x2") as error:
        row_sums.compile(x, x)
    assert "reduce_sum(" in Path(error.value.file).read_text().splitlines()[error.value.line - 1]


def test_a_dynamic_slice_end_that_does_not_match_the_block_faults_at_its_line(tmp_path):
    """The end of a slice known only at run time is checked: a slice of two
    tile rows copied into a one-tile block faults at the copy's line
    (it used to be ignored, and the block copied from the start)."""
    path, text = kernel_file(tmp_path, read="""r = ttl.node(dims=1)
with x_dfb.reserve() as blk:
    tx = ttl.copy(x[r:r + 2, 0], blk)
    tx.wait()""")
    result = ttlx("run", str(path))
    assert result.returncode == 1
    line = line_of(text, "x[r:r + 2, 0]")
    assert "a block of 1x1 tiles at a tile row or column outside the tensor of 1x1 tiles" in result.stderr, \
        result.stderr
    assert f"{path}:{line}:" in result.stderr, result.stderr


def test_a_dynamic_slice_end_that_matches_the_block_runs(tmp_path):
    path, _ = kernel_file(tmp_path, read="""r = ttl.node(dims=1)
with x_dfb.reserve() as blk:
    tx = ttl.copy(x[r:r + 1, slice(r, r + 1)], blk)
    tx.wait()""", tail="assert torch.allclose(ttnn.to_torch(y).float(), torch.full((32, 32), 2.71875))\nprint('ok')\n")
    result = ttlx("run", str(path))
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# ----- the operation's shape: grid, DFBs, threads, L1 ------------------------

MAKE_X = "x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)"
OPERATION_ERRORS = [  # (text replaced, its replacement, message)
    ("@ttl.operation(grid=(1, 1))", "@ttl.operation(grid=(0, 1))",
     "grid= is \"auto\", \"full\", a node count or (x, y) with positive sizes; got (0, 1)"),
    ("@ttl.operation(grid=(1, 1))", "@ttl.operation(grid='big')",
     "grid= is \"auto\", \"full\", a node count or (x, y) with positive sizes; got 'big'"),
    ("@ttl.operation(grid=(1, 1))", "@ttl.operation(grid=(1000, 1))",  # ran out of low memory (a fuzz finding)
     "grid=(1000, 1) has 1000 nodes, but the largest device ttlx emulates (Blackhole p150, 13x10) has 130 cores"),
    ("@ttl.operation(grid=(1, 1))", "@ttl.operation(grid=200)",
     "grid=200 has 200 nodes, but the largest device ttlx emulates (Blackhole p150, 13x10) has 130 cores"),
    (MAKE_X, MAKE_X.replace("shape=(1, 1)", "shape=(1,)"),
     "shape= of a dataflow buffer is (..., rows, cols): positive integers, the last two in tiles, leading ones batch "
     "dimensions; got (1,)"),
    (MAKE_X, MAKE_X.replace("shape=(1, 1)", "shape=(1, 0)"),
     "shape= of a dataflow buffer is (..., rows, cols): positive integers, the last two in tiles, leading ones batch "
     "dimensions; got (1, 0)"),
    (MAKE_X, MAKE_X.replace("block_count=2", "block_count=0"),
     "block_count= of a dataflow buffer is a positive integer (the blocks it holds); got 0"),
    (MAKE_X, MAKE_X.replace("block_count=2", "block_count=2.5"),
     "block_count= of a dataflow buffer is a positive integer (the blocks it holds); got 2.5"),
    (MAKE_X, MAKE_X.replace("block_count=2", "block_count=800"),
     "the operation's DFBs need 1642560 bytes of L1 on each core, more than its 1499136 bytes (1464 KiB, 64 of "
     "them reserved): DFB 0 (line 8) 1x1 bf16 tiles x 800 blocks = 1638400 bytes; DFB 1 (line 9) 1x1 bf16 tiles "
     "x 2 blocks = 4096 bytes; use fewer or smaller blocks"),
]


@pytest.mark.parametrize("old,new,message", OPERATION_ERRORS, ids=[e[1] for e in OPERATION_ERRORS])
def test_operation_errors_at_the_users_line(tmp_path, old, new, message):
    path, text = kernel_file(tmp_path)
    assert old in text
    text = text.replace(old, new)
    path.write_text(text)
    expect_located_error(path, text, new, message)


def test_a_block_expression_whose_dfb_does_not_fit_l1_is_an_error_at_the_expression(tmp_path):
    """reduce_sum of an expression stores it into a DFB the compiler
    allocates: x (800 KiB) + y (4 KiB) + that DFB (800 KiB) exceed L1."""
    path, text = kernel_file(tmp_path, read="with x_dfb.reserve() as blk:\n    pass",
                             compute="with x_dfb.wait() as a, y_dfb.reserve() as b:\n"
                                     "    b.store(ttl.math.reduce_sum(a * a, dims=[-1], shape=(1, 1)))")
    text = text.replace(MAKE_X, MAKE_X.replace("shape=(1, 1), block_count=2", "shape=(1, 400), block_count=1"))
    path.write_text(text)
    # 64 reserved + 819200 + 4096 + 819200 bytes = 1604 KiB
    expect_located_error(path, text, "reduce_sum(a * a", "the block expression ttl.math.reduce_sum reads goes to a DFB the "
                                                "compiler allocates (1x400 tiles), but the operation's DFBs then need "
                                                "1604 KiB of the 1464 KiB of L1; use smaller blocks")


@pytest.mark.parametrize("kind,name", [("datamovement", "data-movement"), ("compute", "compute")])
def test_one_thread_too_many(tmp_path, kind, name):
    extra = f"    @ttl.{kind}()\n    def extra():\n        pass\n\n"
    path, text = kernel_file(tmp_path)
    text = text.replace("    @ttl.datamovement()\n    def write():", extra + "    @ttl.datamovement()\n    def write():")
    path.write_text(text)
    third = "write" if kind == "datamovement" else "extra"  # the thread past the limit
    result = ttlx("run", str(path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    decorator = line_of(text, f"def {third}") - 1
    assert lines[0].startswith(f"{path}:{decorator}:5: error: '{third}' is one {name} thread too many: a core runs "
                               f"{'two data-movement threads (and one compute' if name != 'compute' else 'one compute thread (and two data-movement'}"), lines[0]


def test_a_dfb_pushed_but_never_waited_is_an_error_at_its_reserve(tmp_path):
    path, text = kernel_file(tmp_path, write="pass")
    expect_located_error(path, text, "y_dfb.reserve() as b", "DFB 1 is reserved and pushed here, but no thread waits on it "
                                                     "(dfb.wait() ... pop()) and its blocks go through no pipe; "
                                                     "every pushed block must be consumed")


def test_a_dfb_waited_but_never_pushed_is_an_error_at_its_wait(tmp_path):
    path, text = kernel_file(tmp_path, read="pass")
    expect_located_error(path, text, "x_dfb.wait() as a", "DFB 0 is waited on here, but no thread reserves and pushes it")


@pytest.mark.parametrize("thread", ["compute", "write"])
def test_errors_come_in_source_order(tmp_path, thread):
    """A verifier error (a reduction shape it does not give, in the
    compute thread) before a frontend error (a dict, later in the same
    thread or in a later one) is the one reported."""
    compute = COMPUTE.replace("b.store(", "r = ttl.math.reduce_sum(a, dims=[-1], shape=(1, 2))\n    b.store(")
    kwargs = {"compute": compute + "\nv = {1: 2}"} if thread == "compute" else {
        "compute": compute, "write": WRITE + "\nv = {1: 2}"}
    path, text = kernel_file(tmp_path, **kwargs)
    expect_located_error(path, text, "ttl.math.reduce_sum(a", "'ttl.reduce_sum' op row reduction of 1x1 tiles gives "
                         "1x1 tiles, but the result has 1x2")
