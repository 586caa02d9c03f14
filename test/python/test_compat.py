# SPDX-License-Identifier: Apache-2.0
"""tt-lang files run unchanged (issue 16): `ttlx run` as `python FILE`
for imports, the host `ttnn` names tt-lang-sim 1.1.6 offers, tile
constants, unknown names reported with the closest known ones, and the
older spellings of spec 0.15 and before (docs/language.md, "Host code"
and "Older spellings")."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forked_cli import SIMULATOR, run_code
from kernel_cli import edited_kernel, line_of, tt_lang_sim, ttlx

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("relative", [False, True], ids=["absolute path", "relative path"])
def test_run_puts_the_files_folder_first_on_sys_path(tmp_path, relative):
    """A kernel file imports a module beside it, run from another folder;
    that module shadows a same-named one of the current folder. As with
    `python FILE`, __file__ is absolute, whatever the path given."""
    folder = tmp_path / "kernels"
    folder.mkdir()
    (folder / "helpers.py").write_text("ROWS = 3\n")
    (tmp_path / "helpers.py").write_text("ROWS = 99\n")
    (folder / "main.py").write_text(textwrap.dedent("""
        import os, sys
        import helpers
        print("rows", helpers.ROWS, sys.path[0] == __file__.rsplit("/", 1)[0], os.path.isabs(__file__))
    """))
    given = "kernels/main.py" if relative else str(folder / "main.py")
    result = ttlx("run", given, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "rows 3 True True"


ELSEWHERE = "(beside the file, on PYTHONPATH or installed); ttlx provides tt-lang's API as the modules ttl and ttnn: " \
    "write `import ttl` (and `import ttnn`)"


@pytest.mark.parametrize("statement,message", [
    ("from sim import ttl", f"no module named 'sim' {ELSEWHERE}"),
    ("import metal_examples.utils", f"no module named 'metal_examples.utils' {ELSEWHERE}"),
    ("from ttl.ttl_api import *", "no module named 'ttl.ttl_api': ttlx's ttl has its whole API at its top level; "
     "write `import ttl` and use its names (ttl.<name>; docs/language.md lists them)"),
    ("import ttnn.operations", "no module named 'ttnn.operations': ttlx's ttnn has its whole API at its top level; "
     "write `import ttnn` and use its names (ttnn.<name>; docs/language.md lists them)"),
])
@pytest.mark.parametrize("in_helper", [False, True], ids=["in the file", "in a module it imports"])
def test_import_of_a_missing_module_is_a_located_error(tmp_path, statement, message, in_helper):
    """Imports of tt-lang's modules of other times (tt-lang's early examples
    import its simulator as `sim`, its compiler's `ttl.ttl_api`, a
    `metal_examples.utils` their commit lacks): one line at the import,
    not Python's traceback through ttlx's runner."""
    (tmp_path / "metal_examples").mkdir()
    (tmp_path / "metal_examples" / "__init__.py").write_text("")
    path = tmp_path / "old.py"
    importing = tmp_path / "helper.py" if in_helper else path
    importing.write_text(f"import torch\n\nif True:\n    {statement}\n")
    if in_helper:
        path.write_text("import helper\n")
    result = ttlx("run", str(path))
    assert result.returncode == 1 and result.stderr.strip() == f"{importing}:4:5: error: {message}", result.stderr


def test_a_submodule_of_ttl_is_ttlx_lang_s_module_not_a_second_copy(tmp_path):
    """`import ttl.X` for a module X of ttlx.lang gives that module itself:
    loaded again through ttl's __path__ it was a second module whose classes
    were not ttl's (a Pipe not a ttl.Pipe) and whose imports failed
    (`import ttl.operation`: a relative import beyond the top-level
    package). ttl.operation stays the decorator."""
    path = tmp_path / "submodules.py"
    path.write_text(textwrap.dedent("""
        import sys
        import ttl, ttnn
        import ttl.operation
        import ttl.ttnn
        from ttl.pipes import Pipe
        from ttl.operation import make_dfb
        print(Pipe is ttl.Pipe, make_dfb is ttl.make_dfb, ttl.ttnn is ttnn, callable(ttl.operation))
        copies = [name for name, module in sys.modules.items()
                  if name.startswith("ttl.") and module is not sys.modules.get("ttlx.lang." + name[4:])]
        print("copies", copies)
    """))
    result = ttlx("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["True True True True", "copies []"]


def test_an_exception_of_the_file_shows_as_under_python(tmp_path):
    """An exception raised by the file's own code (here through a module
    it imports, with a cause) prints the traceback `python FILE` prints:
    the file's frames, none of ttlx's runner."""
    (tmp_path / "helper.py").write_text(textwrap.dedent("""
        def check(n):
            try:
                return 1 / n
            except ZeroDivisionError as e:
                raise ValueError(f"bad n {n}") from e
    """))
    path = tmp_path / "main.py"
    path.write_text("import helper\n\n\ndef run():\n    return helper.check(0)\n\n\nrun()\n")
    under_python = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    result = ttlx("run", str(path))
    assert under_python.returncode == result.returncode == 1
    assert "ValueError: bad n 0" in result.stderr and "runpy" not in result.stderr
    assert result.stderr == under_python.stderr


# ----- the host ttnn (issue 16 item 5) -------------------------------------------

# tt-lang-sim's ttnn module also exports its own imports and internals; these are
# not ttnn API: typing names, modules, the simulator's trace state and block
# broadcasting helper.
SIM_INTERNALS = {
    "Any", "Callable", "Dict", "FrozenSet", "Iterable", "List", "Optional", "Sequence", "Set", "Tuple", "Union",
    "cast", "dataclass", "field", "replace", "auto", "Enum", "annotations", "math", "torch", "TRACE",
    "TTNN_AVAILABLE", "Count", "Scalar", "Selector", "TensorKey", "TensorOrScalar", "broadcast_tensors",
}


def test_ttnn_has_every_name_of_tt_lang_sims_ttnn():
    listing = run_code("from ttl.sim import ttnn; print(' '.join(dir(ttnn)))", SIMULATOR)
    assert listing.returncode == 0, listing.stderr
    sim_names = {n for n in listing.stdout.split() if not n.startswith("_")} - SIM_INTERNALS
    assert len(sim_names) > 70  # the listing is the simulator's whole module
    from ttlx.lang import ttnn

    assert sorted(n for n in sim_names if not hasattr(ttnn, n)) == []


def test_ttnn_host_functions_compute_with_torch():
    import torch

    from ttlx.lang import ttnn

    at = torch.tensor([[-1.0, 2.0], [3.0, -4.0]])
    a = ttnn.from_torch(at, dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT)
    assert a.shape == ttnn.Shape([2, 2]) and a.padded_shape == (32, 32) and ttnn.TILE_SIZE == 32
    assert torch.equal(ttnn.to_torch(ttnn.relu(a)), torch.relu(at))
    assert torch.allclose(ttnn.to_torch(ttnn.exp(a)), torch.exp(at))
    assert torch.equal(ttnn.to_torch(a @ a), at @ at)
    assert torch.equal(ttnn.to_torch(ttnn.matmul(a, a)), at @ at)
    assert torch.equal(ttnn.to_torch(2 - a * 3 + a / 2), 2 - at * 3 + at / 2)
    assert torch.equal(ttnn.to_torch(-abs(a) ** 2), -(at.abs() ** 2))
    rounded = ttnn.from_torch(torch.tensor([[1.0 + 2**-9]]), dtype=ttnn.bfloat16)
    assert ttnn.to_torch(rounded + rounded).dtype == torch.bfloat16  # the left operand's dtype
    idx = ttnn.from_torch(torch.tensor([[7]]), dtype=ttnn.uint32, layout=ttnn.ROW_MAJOR_LAYOUT)
    assert idx.dtype == torch.uint32 and idx.padded_shape == (1, 1)
    ttnn.synchronize_device(ttnn.open_device(device_id=0))


def test_ttnn_memory_configs_and_cores():
    import torch

    from ttlx.lang import ttnn

    config = ttnn.create_sharded_memory_config((256, 64), ttnn.CoreGrid(y=2, x=4), ttnn.ShardStrategy.HEIGHT)
    assert config.shard_spec.shard_shape == (32, 64) and config.shard_spec.shard_grid == (8,)
    assert config.buffer_type == ttnn.BufferType.L1 and config.strategy == ttnn.ShardingStrategy.HEIGHT_SHARDED
    block = ttnn.create_sharded_memory_config((256, 64), ttnn.CoreGrid(y=2, x=2), ttnn.ShardStrategy.BLOCK)
    assert block.shard_spec.shard_shape == (128, 32) and block.shard_spec.shard_grid == (2, 2)
    t = ttnn.from_torch(torch.ones(256, 64), memory_config=ttnn.L1_MEMORY_CONFIG)
    assert not ttnn.is_sharded(t) and ttnn.get_memory_config(t).buffer_type == ttnn.BufferType.L1
    moved = ttnn.to_memory_config(t, config)
    assert ttnn.is_sharded(moved) and moved.data is t.data  # the same storage, other metadata
    cores = ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), ttnn.CoreCoord(1, 3))})
    spec = ttnn.MemoryConfig(ttnn.TensorMemoryLayout.HEIGHT_SHARDED, ttnn.BufferType.L1,
                             ttnn.ShardSpec(cores, (32, 64), ttnn.ShardOrientation.ROW_MAJOR))
    assert spec.shard_spec.shard_grid == (8,) and cores.num_cores() == 8
    used, _, group1, group2, per1, per2 = ttnn.split_work_to_cores(ttnn.CoreCoord(2, 2), 10)
    assert (used, group1.num_cores(), group2.num_cores(), per1, per2) == (4, 2, 2, 3, 2)
    assert ttnn.num_cores_to_corerangeset(12, [8, 8]).ranges() == [
        ttnn.CoreRange(ttnn.CoreCoord(0, 0), ttnn.CoreCoord(7, 1))]
    assert ttnn.Device(0).compute_with_storage_grid_size() == ttnn.CoreCoord(8, 8)


def test_ttnn_mesh_collectives_on_whole_tensors():
    import torch

    from ttlx.lang import ttnn

    mesh = ttnn.open_mesh_device(ttnn.MeshShape(1, 2))
    values = torch.arange(8.0).reshape(2, 4)
    t = ttnn.from_torch(values, dtype=ttnn.float32, mesh_mapper=ttnn.ShardTensorToMesh(mesh, dim=1))
    assert torch.equal(ttnn.to_torch(ttnn.all_reduce(t)), torch.cat([values[:, :2] + values[:, 2:]] * 2, 1))
    gathered = ttnn.to_torch(ttnn.all_gather(t, dim=0))
    assert torch.equal(gathered, torch.cat([torch.cat([values[:, :2], values[:, 2:]], 0)] * 2, 1))
    with pytest.raises(ValueError, match="needs a tensor made by from_torch with a mesh_mapper"):
        ttnn.all_reduce(ttnn.from_torch(values))


def test_unknown_host_name_is_reported_at_the_users_line(tmp_path):
    path = tmp_path / "host.py"
    path.write_text("import ttnn\n\nttnn.synchronise_device()\n")
    result = ttlx("run", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"{path}:3:1: error: ttnn.synchronise_device is not part of ttlx's ttnn; "
                                     "did you mean ttnn.synchronize_device, ttnn.close_device, "
                                     "ttnn.close_mesh_device? (docs/language.md lists what is)")


def test_unknown_name_of_a_submodule_of_ttl_is_reported_at_the_users_line(tmp_path):
    """`ttl.pipes.X` in host code for an X ttlx lacks: the located
    unknown-name error (it was Python's AttributeError naming
    ttlx.lang.pipes, with a traceback); an AttributeError of the file's own
    still prints its traceback."""
    path = tmp_path / "host.py"
    path.write_text("import ttl.pipes\n\nttl.pipes.Pipes\n")
    result = ttlx("run", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == (f"{path}:3:1: error: ttl.pipes.Pipes is not part of ttlx's ttl.pipes; did you "
                                     "mean ttl.pipes.Pipe, ttl.pipes.PipeNet? (docs/language.md lists what is)")
    path.write_text("import ttl.pipes\n\nttl.pipes.Pipe.nothing\n")
    result = ttlx("run", str(path))
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert result.stderr.rstrip().endswith("AttributeError: type object 'Pipe' has no attribute 'nothing'")


@pytest.mark.parametrize("module,name,message", [
    ("ttl", "Programs", "ttl.Programs is not part of ttlx's ttl; did you mean ttl.Program? (docs/language.md lists "
     "what is)"),
    ("ttnn", "synchronise_device", "ttnn.synchronise_device is not part of ttlx's ttnn; did you mean "
     "ttnn.synchronize_device, ttnn.close_device, ttnn.close_mesh_device? (docs/language.md lists what is)"),
    ("ttl.pipes", "Pipes", "ttl.pipes.Pipes is not part of ttlx's ttl.pipes; did you mean ttl.pipes.Pipe, "
     "ttl.pipes.PipeNet? (docs/language.md lists what is)"),
    ("ttl.operation", "Missing", "ttl.operation.Missing is not part of ttlx's ttl.operation (docs/language.md lists "
     "what is)"),
])
def test_unknown_name_imported_from_ttl_is_reported_at_the_users_line(tmp_path, module, name, message):
    """`from ttl import X` (or from a submodule of ttl, `ttl.pipes`) for an
    X ttlx lacks: a located error (it was Python's ImportError naming
    ttlx.lang, with a traceback); an older spelling imported the same way
    warns at the import's line (it pointed into importlib)."""
    path = tmp_path / "host.py"
    path.write_text(f"import ttl\nfrom ttl import copy, make_circular_buffer_like\nfrom {module} import {name}\n")
    result = ttlx("run", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"{path}:2:1: warning: ttl.make_circular_buffer_like is deprecated (tt-lang spec 0.15 and before); write "
        "ttl.make_dataflow_buffer_like",
        f"{path}:3:1: error: {message}"]


UNKNOWN_IN_KERNEL = '''
import torch, ttnn, ttl

@ttl.operation(grid=(1, 1))
def op(x):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a:
            b = {expr}

    @ttl.datamovement()
    def write():
        pass

op(ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16)))
'''


@pytest.mark.parametrize("expr,message", [
    ("ttl.math.sigmod(a)", "ttl.math.sigmod is not part of ttlx's ttl.math; did you mean ttl.math.sigmoid"),
    ("ttl.nodes(dims=1)", "ttl.nodes is not part of ttlx's ttl; did you mean ttl.node"),
    ("ttnn.TILE_SIZES", "ttnn.TILE_SIZES is not part of ttlx's ttnn; did you mean ttnn.TILE_SIZE"),
])
def test_unknown_name_in_kernel_code_is_a_located_error(tmp_path, expr, message):
    path = tmp_path / "kernel.py"
    path.write_text(UNKNOWN_IN_KERNEL.replace("{expr}", expr))
    result = ttlx("run", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    column = UNKNOWN_IN_KERNEL.split("{expr}")[0].splitlines()[-1].index("b = ") + 5
    assert result.stderr.startswith(f"{path}:16:{column}: error: {message}"), result.stderr


# ----- older spellings (issue 16 item 10) ----------------------------------------

def test_old_spellings_keep_their_meaning_with_one_warning_each():
    """Tenstorrent's early broadcast tutorial as written then: right numbers
    (the file asserts them against torch) and one warning per place."""
    kernel = ROOT / "test" / "kernels" / "old_spellings.py"
    result = ttlx("run", str(kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
    lines = kernel.read_text().splitlines()

    def warning(needle: str, old: str, new: str, column_of: str | None = None) -> str:
        """At the line holding `needle`; at column 1 for host code, else
        at `column_of` (kernel code is located to the column)."""
        row = next(i for i, text in enumerate(lines, 1) if needle in text)
        col = lines[row - 1].index(column_of) + 1 if column_of else 1
        return f"{kernel}:{row}:{col}: warning: {old} is deprecated (tt-lang spec 0.15 and before); write {new}"

    dfb = ("ttl.make_circular_buffer_like", "ttl.make_dataflow_buffer_like")
    factor = ("buffer_factor=", "block_count=")
    broadcast = ("ttl.math.broadcast(x, out, dims)", "ttl.block.broadcast(x, dims=..., shape=out.shape)")
    expected = {
        warning("@ttl.kernel(grid", "ttl.kernel", "ttl.operation"),
        warning("a_cb = ", *dfb), warning("a_cb = ", *factor),
        warning("b_cb = ", *dfb), warning("b_cb = ", *factor),
        warning("c_cb = ", *factor),
        warning("y_cb = ", *dfb), warning("y_cb = ", *factor),
        warning("a_bcast = ", *broadcast, "ttl.math.broadcast"),
        warning("b_bcast = ", *broadcast, "ttl.math.broadcast"),
        warning("c_bcast = ", *broadcast, "ttl.math.broadcast"),
        warning("ttl.relu(", "ttl.relu", "ttl.math.relu", "ttl.relu"),
        warning("core = ttl.core(", "ttl.core", "ttl.node", "ttl.core"),
    }
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert sorted(warnings) == sorted(expected), result.stderr


def test_old_broadcast_without_its_output_block_takes_the_shape_it_meets():
    """ttl.math.broadcast(x, dims=[...]) as the early examples wrote it: shaped
    like the block it meets in block math or a store (it kept x's shape
    before, so a (2, 1) column against (2, 3) blocks was a shape error); the
    file asserts the numbers against torch. One warning per call."""
    kernel = ROOT / "test" / "kernels" / "old_broadcast_implicit.py"
    result = ttlx("run", str(kernel))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
    lines = kernel.read_text().splitlines()
    calls = [(row, col + 1) for row, text in enumerate(lines, 1) if not text.startswith("#")
             for col in range(len(text)) if text.startswith("ttl.math.broadcast(", col)]
    assert len(calls) == 4
    expected = {f"{kernel}:{row}:{col}: warning: ttl.math.broadcast(x, dims) is deprecated (tt-lang spec 0.15 and "
                "before); write ttl.block.broadcast(x, dims=..., shape=...)" for row, col in calls}
    warnings = {line for line in result.stderr.splitlines() if ": warning: " in line}
    assert warnings == expected, result.stderr


def test_old_spellings_in_code_imported_as_ttlx():
    """`import ttlx as ttl` knows the old names too, and unknown names are
    still errors naming the closest known ones."""
    import ttlx
    from ttlx import lang

    assert ttlx.make_circular_buffer_like is lang.make_dataflow_buffer_like
    assert ttlx.kernel is lang.operation and ttlx.silu is lang.math.silu and ttlx.TILE_SHAPE == (32, 32)
    with pytest.raises(lang.UnknownName, match=r"ttl\.kernal is not part of ttlx's ttl; did you mean ttl\.kernel"):
        ttlx.kernal  # noqa: B018


PROGRAM_CALL = "return Program(mul_sub_tiles, reader, writer)(a, b, y)"
PROGRAM_WARNING = ("warning: ttl.Program is deprecated (tt-lang spec 0.15 and before); drop it: a @ttl.operation "
                   "runs its @ttl.compute and @ttl.datamovement functions when it is called")


def test_old_program_runs_the_threads_it_is_given_in_its_order():
    """`return ttl.Program(compute, dm0, dm1)(tensors)` in a @ttl.kernel body,
    as tt-lang's early examples end: right numbers (the file asserts them
    against torch), one warning at the line, and the data-movement threads
    on the processors of their places in the call, not in the body."""
    kernel = ROOT / "test" / "kernels" / "old_program.py"
    result = ttlx("compile", str(kernel), "--emit", "cpp")
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
    assert re.findall(r"// ===== kernel (\w+) \((\w+)\) =====", result.stdout) == [
        ("mul_sub_tiles", "compute"), ("reader", "dm0"), ("writer", "dm1")]
    row = kernel.read_text().splitlines().index(f"    {PROGRAM_CALL}") + 1
    assert f"{kernel}:{row}:1: {PROGRAM_WARNING}" in result.stderr.splitlines(), result.stderr


def test_old_program_takes_the_grid_of_its_operation(tmp_path):
    """tt-lang-sim 1.1.6's ttl.Program also takes grid=: the operation's grid is accepted."""
    path, _ = edited_kernel(tmp_path, "old_program.py", ("Program(mul_sub_tiles, reader, writer)",
                                                          "Program(mul_sub_tiles, reader, writer, grid=(2, 1))"))
    result = ttlx("run", str(path))
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


PROGRAM_USAGE = ("ttl.Program takes the operation's compute thread function, then its two data-movement thread "
                 "functions")


@pytest.mark.parametrize("call,message", [
    ("Program(reader, mul_sub_tiles, writer)", f"{PROGRAM_USAGE}; argument 1, 'reader', is a datamovement thread"),
    ("Program(mul_sub_tiles, reader)", f"{PROGRAM_USAGE}; got 2 arguments"),
    ("Program(mul_sub_tiles, reader, reader)", f"{PROGRAM_USAGE}; 'reader' is given twice"),
    ("Program(mul_sub_tiles, reader, print)", f"{PROGRAM_USAGE}; argument 3, 'print', is not a @ttl.compute or "
     "@ttl.datamovement function of this operation"),
    ("Program(mul_sub_tiles, reader, writer, grid=(1, 1))", "grid=(1, 1) of ttl.Program is not the operation's grid "
     "(2, 1); drop grid= (the operation's decorator sets the grid)"),
])
def test_old_program_of_other_functions_is_a_located_error(tmp_path, call, message):
    path, text = edited_kernel(tmp_path, "old_program.py", ("Program(mul_sub_tiles, reader, writer)", call))
    result = ttlx("run", str(path))
    row = line_of(text, call)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-2:] == [f"{path}:{row}:1: {PROGRAM_WARNING}",
                                                       f"{path}:{row}:5: error: {message}"]


def test_old_program_outside_an_operation_is_a_located_error(tmp_path):
    path = tmp_path / "host.py"
    path.write_text("import ttl\n\nttl.Program(print, print, print)\n")
    result = ttlx("run", str(path))
    assert result.returncode == 1 and result.stderr.strip().splitlines() == [
        f"{path}:3:1: {PROGRAM_WARNING}",
        f"{path}:3:1: error: this ttl call belongs inside a @ttl.operation function"]


# ----- print in kernel threads (issue 16 item 6, issue 17 item 2) ------------------

PREFIX = re.compile(r"^0:\(x=(\d+),y=(\d+)\):(BR|NC|TR): (.*)$")


def test_print_in_kernel_threads_matches_tt_lang_sim():
    """The same lines as tt-lang-sim prints, each prefixed with its core and
    thread, in program order per thread."""
    kernel = ROOT / "test" / "kernels" / "debug_print.py"
    sim = tt_lang_sim(str(kernel))
    ours = ttlx("run", str(kernel))
    assert sim.returncode == 0 and ours.returncode == 0, sim.stderr + ours.stderr
    printed = [PREFIX.match(line) for line in ours.stdout.splitlines()[:-1]]
    assert all(printed) and ours.stdout.splitlines()[-1] == "PASS", ours.stdout
    assert sorted(m.group(4) for m in printed) == sorted(sim.stdout.splitlines()[:-1])  # type: ignore[union-attr]
    per_thread: dict[tuple[str, ...], list[str]] = {}
    for m in printed:
        per_thread.setdefault(m.groups()[:3], []).append(m.group(4))  # type: ignore[union-attr]
    assert per_thread[("1", "0", "BR")] == ["read: node 1 tile 0 of 2", "read: node 1 tile 1 of 2"]
    assert per_thread[("1", "0", "TR")] == ["compute: node 1 tile 0 {doubled}", "compute: node 1 tile 1 {doubled}",
                                            "compute: scale 0.75"]
    assert per_thread[("1", "0", "NC")] == ["write: done, 12 tiles {x2}"]
    assert len(per_thread) == 6


def test_print_is_tt_metal_dprint_in_the_cpp():
    result = ttlx("compile", str(ROOT / "test" / "kernels" / "debug_print.py"), "--emit", "cpp")
    assert result.returncode == 0, result.stderr
    assert 'DPRINT("read: node {} tile {} of 2\\n", ' in result.stdout
    assert 'DPRINT("write: done, {} tiles {{x2}}\\n", ' in result.stdout
    assert '#include "api/debug/dprint.h"' in result.stdout


PRINT_KERNEL = '''
import torch, ttnn, ttl

@ttl.operation(grid=(1, 1))
def op(x):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
            v = ttl.element_read(blk, 0, 0)
            n = ttl.node(dims=1)
            {line}

    @ttl.compute()
    def compute():
        with x_dfb.wait() as a:
            pass

    @ttl.datamovement()
    def write():
        pass

op(ttnn.from_torch(torch.ones(32, 32, dtype=torch.bfloat16)))
'''


@pytest.mark.parametrize("line,message", [
    ("print(ttl.copy(x[0, 0], blk))", "print takes text, scalars, one tensor, one block of a dataflow buffer or one "
                                     "DFB; a transfer handle has nothing to print"),
    ("print(blk, blk)", "print prints one block, tensor or DFB at a time (tt-lang's rule), with any text and "
                        "scalars; print the others with print calls of their own"),
    ("print(f'{n:4d}')", "format specs and !r/!s/!a apply to values known at compile time"),
    ("print(n, flush=True)", "print takes sep=, end= and (with a tensor) num_pages= in kernel code, not flush="),
])
def test_print_of_what_ttlx_cannot_print_is_a_located_error(tmp_path, line, message):
    path = tmp_path / "kernel.py"
    text = PRINT_KERNEL.replace("{line}", line)
    path.write_text(text)
    result = ttlx("run", str(path))
    row = next(i for i, t in enumerate(text.splitlines(), 1) if line in t)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"{path}:{row}:") and f"error: {message}" in result.stderr, result.stderr


@pytest.mark.parametrize("line,printed", [
    # bf16 1.0; f32 -0.1; bf16 1/3 (0.333984375): the shortest text that reads back as the same f32
    ("print('v =', v, -ttl.f32(v) * 0.1, v / 3.0)", "v = 1 -0.1 0.33398438"),
    # fmt's exponent form below 1e-4 and from 1e7 (its bounds for float), inf
    ("print(ttl.f32(v) * 1e20, ttl.f32(v) / 3.0, ttl.f32(v) / (v - v), 1e-5 * ttl.f32(v), ttl.f32(v) * 123456789.0, "
     "ttl.f32(v) * 1e6)", "1e+20 0.33333334 inf 1e-05 1.2345679e+08 1000000"),
])
def test_print_of_run_time_floats(tmp_path, line, printed):
    """bf16 / f32 scalars computed on a data-movement core (no FPU: their
    bit patterns, passed to DPRINT as floats)."""
    path = tmp_path / "kernel.py"
    path.write_text(PRINT_KERNEL.replace("{line}", line))
    result = ttlx("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"0:(x=0,y=0):BR: {printed}\n"


def test_print_of_known_values_and_booleans(tmp_path):
    path = tmp_path / "kernel.py"
    path.write_text(PRINT_KERNEL.replace("{line}", "print(f'{3.5:.2f}|{[1, 2]!r}|{None}', n == 0, n + 1, 'x', sep='/', end='.\\n')"))
    result = ttlx("run", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0:(x=0,y=0):BR: 3.50|[1, 2]|None/true/1/x.\n"


BLOCK_PRINT_KERNEL = '''
import torch, ttnn, ttl

@ttl.operation(grid=(1, 1))
def op(x, y):
    x_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 1), block_count=2)

    @ttl.datamovement()
    def read():
        with x_dfb.reserve() as blk:
            ttl.copy(x[0, 0], blk).wait()
        with x_dfb.wait() as blk:
            print("tile", 0, blk)
            ttl.copy(blk, y[0, 0]).wait()

    @ttl.compute()
    def compute():
        pass

    @ttl.datamovement()
    def write():
        pass

rows = torch.arange(32).reshape(32, 1) * 8 + torch.arange(32).reshape(1, 32) % 8
op(ttnn.from_torch(rows.to(torch.bfloat16)), ttnn.from_torch(torch.zeros(32, 32, dtype=torch.bfloat16)))
'''


def test_print_of_a_block_prints_its_rows(tmp_path):
    """`print("tile", 0, blk)` in a data-movement thread: tt-lang-sim's first
    line (the other arguments, then `<Block shape=(1, 1)>`), then each of the
    tile's 32 element rows (x[r, c] = 8 r + c % 8: integers below 256, exact
    in bf16), from the core's L1."""
    path = tmp_path / "kernel.py"
    path.write_text(BLOCK_PRINT_KERNEL)
    ours = ttlx("run", str(path))
    assert ours.returncode == 0, ours.stderr
    lines = [PREFIX.match(line) for line in ours.stdout.splitlines()]
    assert all(lines) and {m.group(3) for m in lines} == {"BR"}, ours.stdout  # type: ignore[union-attr]
    text = [m.group(4) for m in lines]  # type: ignore[union-attr]
    assert text[0] == "tile 0<Block shape=(1, 1)>"
    assert text[1:] == ["  " + " ".join(str(8 * r + c % 8) for c in range(32)) for r in range(32)]
    sim = tt_lang_sim(str(path))
    assert sim.returncode == 0 and sim.stdout.splitlines()[0] == text[0], sim.stdout + sim.stderr
