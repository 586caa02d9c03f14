# SPDX-License-Identifier: Apache-2.0
"""Pipes between cores through `ttlx run`: kernel files that also run
unchanged under tt-lang-sim, compared with it; each pipe error is one
`file:line:col: error:` line at the user's source.

Tolerance of the comparisons: the kernels add two bf16 values once, so ttlx
and the simulator (which computes in float32) differ by at most one bf16
rounding of the sum: |sum| < 8 here, so 2^-5.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from kernel_cli import tt_lang_sim, ttlx

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ROOT / "examples" / "pipe_chain.py"
MULTICAST = ROOT / "test" / "kernels" / "pipe_multicast.py"


def ttlx_run(path: Path, *args: str) -> subprocess.CompletedProcess:
    return ttlx("run", str(path), *args)


@pytest.mark.parametrize("kernel", [CHAIN, MULTICAST], ids=["chain", "multicast"])
def test_pipe_kernels_match_tt_lang_sim(kernel, tmp_path):
    sim_out, ttlx_out = tmp_path / "sim.npy", tmp_path / "ttlx.npy"
    sim = tt_lang_sim(str(kernel), str(sim_out))
    assert sim.returncode == 0 and "PASS" in sim.stdout, sim.stdout + sim.stderr
    ours = ttlx_run(kernel, str(ttlx_out))
    assert ours.returncode == 0 and "PASS" in ours.stdout, ours.stdout + ours.stderr
    np.testing.assert_allclose(np.load(ttlx_out), np.load(sim_out), rtol=0, atol=2.0**-5)


def variant(tmp_path: Path, replacements: list[tuple[str, str]], base: Path = CHAIN) -> tuple[Path, str]:
    text = base.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "kernel.py"
    path.write_text(text)
    return path, text


def expect_error(path: Path, text: str, needle: str, message: str) -> None:
    result = ttlx_run(path)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    line = next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)
    assert lines[0].startswith(f"{path}:{line}:"), lines[0]
    assert f": error: {message}" in lines[0], lines[0]


def test_pipe_on_a_grid_that_cannot_hold_it(tmp_path):
    path, text = variant(tmp_path, [("@ttl.operation(grid=(NODES, 1))", "@ttl.operation(grid=(NODES - 1, 1))")])
    expect_error(path, text, "net = ttl.PipeNet(",
                 "pipe (2, 0) -> (3, 0) does not fit the operation's 3x1 grid; use a larger grid or nodes inside it")


SEND_FIRST = ROOT / "test" / "kernels" / "pipe_send_first.py"


def test_sends_complete_before_their_receives_are_posted(tmp_path):
    """Each node sends to its whole column, itself included, and every node
    of a ring sends before it receives: a send completes once its block is
    staged on the source (tt-lang's protocol), whether or not the receives
    are posted. Each run checks its copies exactly against torch;
    tt-lang-sim keeps bf16 tensors in float32, so its values are ttlx's
    before one bf16 rounding (relative error at most 2^-8)."""
    sim_out, ttlx_out = tmp_path / "sim.npz", tmp_path / "ttlx.npz"
    sim = tt_lang_sim(str(SEND_FIRST), str(sim_out))
    assert sim.returncode == 0 and "PASS" in sim.stdout, sim.stdout + sim.stderr
    ours = ttlx_run(SEND_FIRST, str(ttlx_out))
    assert ours.returncode == 0 and "PASS" in ours.stdout, ours.stdout + ours.stderr
    for name in ("cols", "ring"):
        np.testing.assert_allclose(np.load(ttlx_out)[name], np.load(sim_out)[name], rtol=2.0**-8, atol=0)


PIPE = "ttl.Pipe(src=(i, 0), dst=(i + 1, 0))"
BAD_PIPES = [  # (the pipe or net written instead, message)
    ("ttl.Pipe(src=(i, 0), dst=(i + 1, -1))", "pipe dst coordinates are non-negative ints or slices, got -1"),
    ("ttl.Pipe(src=(-i, 0), dst=(i + 1, 0))", "pipe src coordinates are non-negative ints or slices, got -1"),
    ("ttl.Pipe(src=(i, 0), dst=(slice(3, 1), 0))", "pipe dst slice start must be < stop, got slice(3, 1, None)"),
    ("ttl.Pipe(src=(i, 0), dst=(i + 1, 0.5))", "pipe dst coordinates are non-negative ints or slices, got 0.5"),
    ("ttl.Pipe(src=(slice(0, 1), 0), dst=(i + 1, 0))", "a pipe has one source node; slices belong in dst"),
]


@pytest.mark.parametrize("pipe,message", BAD_PIPES, ids=[m for _, m in BAD_PIPES])
def test_bad_pipe_nodes_are_errors_at_the_pipe(tmp_path, pipe, message):
    """Used to be a Python traceback out of ttlx (fuzz findings)."""
    path, text = variant(tmp_path, [(PIPE, pipe)])
    expect_error(path, text, "net = ttl.PipeNet(", message)


@pytest.mark.parametrize("net,message", [
    ("ttl.PipeNet(3)", "PipeNet takes a list of ttl.Pipe"),
    ("ttl.PipeNet([3])", "PipeNet takes a list of ttl.Pipe"),
    ("ttl.PipeNet([])", "PipeNet requires at least one pipe"),
], ids=["not a list", "not pipes", "empty"])
def test_bad_pipe_nets_are_errors_at_the_net(tmp_path, net, message):
    path, text = variant(tmp_path, [(f"ttl.PipeNet([{PIPE} for i in range(NODES - 1)])", net)])
    expect_error(path, text, "net = ttl.PipeNet(", message)


def test_second_send_before_the_first_is_waited(tmp_path):
    path, text = variant(tmp_path, [("                    ttl.copy(blk, pipe).wait()",
                                     "                    first = ttl.copy(blk, pipe)\n"
                                     "                    second = ttl.copy(blk, pipe)\n"
                                     "                    first.wait()\n"
                                     "                    second.wait()")])
    expect_error(path, text, "second = ttl.copy(blk, pipe)",
                 "the previous send on this pipe is not waited yet; call .wait() on it before sending the next block")


def test_receive_into_a_waited_block(tmp_path):
    path, text = variant(tmp_path, [("                    ttl.copy(pipe, left).wait()",
                                     "                    with out_dfb.wait() as waited:\n"
                                     "                        ttl.copy(pipe, waited).wait()")])
    expect_error(path, text, "ttl.copy(pipe, waited).wait()",
                 "'ttl.pipe_recv' op destination block must come from 'ttl.dfb_reserve', but it is the result "
                 "of 'ttl.dfb_wait'")


def test_both_ends_of_a_pipe_use_one_block_shape(tmp_path):
    path, text = variant(tmp_path, [
        ("    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)\n",
         "    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)\n"
         "    wide_dfb = ttl.make_dataflow_buffer_like(x, shape=(1, 2), block_count=2)\n"),
        ("                    ttl.copy(blk, pipe).wait()",
         "                    with wide_dfb.reserve() as wide:\n"
         "                        ttl.copy(wide, pipe).wait()")])
    expect_error(path, text, "ttl.copy(pipe, left).wait()",
                 "'ttl.pipe_recv' op uses #ttl.pipe<[0, 0] -> [1, 0] to [2, 1] repeat [3, 1] step [1, 1]> with blocks "
                 "of type "
                 "'tensor<1x1x!ttl.tile<bf16>>', but the pipe carries 'tensor<1x2x!ttl.tile<bf16>>'")


def test_pipe_copy_between_two_pipes(tmp_path):
    path, text = variant(tmp_path, [("ttl.copy(blk, pipe).wait()", "ttl.copy(pipe, pipe).wait()")])
    expect_error(path, text, "ttl.copy(pipe, pipe).wait()",
                 "a pipe copy is ttl.copy(block, pipe) on the source or ttl.copy(pipe, block) on a destination")


def test_lambda_for_if_src(tmp_path):
    path, text = variant(tmp_path, [("net.if_src(send)", "net.if_src(lambda pipe: ttl.copy(blk, pipe).wait())")])
    expect_error(path, text, "net.if_src(lambda",
                 "lambdas are not supported in kernel code; define the function with def")


def test_second_send_before_the_first_is_read_is_a_deadlock(tmp_path):
    """Every node sends to its right neighbour (node 3 to node 0) twice
    before receiving: a pipe stages one block, so each second send waits
    for a receiver that is itself waiting in its second send. The runtime
    stops with a report naming the blocked semaphore waits at that send."""
    path, text = variant(tmp_path, [
        ("[ttl.Pipe(src=(i, 0), dst=(i + 1, 0)) for i in range(NODES - 1)]",
         "[ttl.Pipe(src=(i, 0), dst=((i + 1) % NODES, 0)) for i in range(NODES)]"),
        ("                    ttl.copy(blk, pipe).wait()\n",
         "                    ttl.copy(blk, pipe).wait()\n"
         "                    ttl.copy(blk, pipe).wait()  # again\n"),
        ("                net.if_src(send)\n",
         "                net.if_src(send)\n"
         "                with left_dfb.reserve() as left:\n"
         "                    def receive(pipe):\n"
         "                        ttl.copy(pipe, left).wait()\n\n"
         "                    net.if_dst(receive)\n"),
        ("                net.if_dst(receive)\n                if i == 0:\n                    ttl.copy(x[r, 0], left).wait()\n",
         "                pass\n"),
        ("            with left_dfb.reserve() as left:\n                def receive(pipe):\n                    ttl.copy(pipe, left).wait()\n\n",
         "            if True:\n"),
    ])
    result = ttlx_run(path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "deadlock" in result.stderr and "noc_semaphore_wait" in result.stderr, result.stderr
    # Each blocked call also names the user's line: the second send.
    send_line = next(i for i, l in enumerate(text.splitlines(), 1) if "# again" in l)
    waits = [l for l in result.stderr.splitlines() if "noc_semaphore_wait(" in l]
    assert waits and all(f"({path}:{send_line}:" in l for l in waits), result.stderr


def test_two_pipe_nets_with_the_same_ends_are_two_channels():
    """Each PipeNet is its own channel (`#ttl.pipe<..., net N>`, its own
    semaphores), as in tt-lang; they used to share one and deadlocked."""
    kernel = ROOT / "test" / "kernels" / "pipe_nets_same_ends.py"
    ir = ttlx("compile", str(kernel), "--emit", "ttl")
    assert ir.returncode == 0, ir.stderr
    assert "#ttl.pipe<[0, 0] -> [1, 0] to [2, 1]>" in ir.stdout, ir.stdout
    assert "#ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1>" in ir.stdout, ir.stdout
    result = ttlx_run(kernel)
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_pipe_nets_held_in_a_list_are_two_channels(tmp_path):
    """The same two nets kept in a list and chosen by `nets[k]` in kernel
    code: still two channels (they were known by their pipes alone, so the
    two shared one and the tiles raced)."""
    text = (ROOT / "test" / "kernels" / "pipe_nets_same_ends.py").read_text()
    pipe = "ttl.PipeNet([ttl.Pipe((0, 0), (1, 0))])"
    for old, new in [(f"    net_a = {pipe}\n    net_b = {pipe}\n", f"    nets = [{pipe}, {pipe}]\n"),
                     ("net_a.", "nets[0]."), ("net_b.", "nets[1].")]:
        assert old in text
        text = text.replace(old, new)
    kernel = tmp_path / "pipe_nets_in_a_list.py"
    kernel.write_text(text)
    ir = ttlx("compile", str(kernel), "--emit", "ttl")
    assert ir.returncode == 0, ir.stderr
    assert "#ttl.pipe<[0, 0] -> [1, 0] to [2, 1], net 1>" in ir.stdout, ir.stdout
    result = ttlx_run(kernel)
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


NAMED_GLOBALS = """
import ttlx.lang as ttl
named = ttl.PipeNet([ttl.Pipe((0, 0), (1, 0))])
in_helper = [ttl.PipeNet([ttl.Pipe((0, 0), (2, 0))])]
in_nested = ttl.PipeNet([ttl.Pipe((0, 0), (3, 0))])
unnamed = ttl.PipeNet([ttl.Pipe((0, 0), (1, 0))])

def helper():
    return in_helper[0]

def thread():
    named.pipes
    helper()
    return [in_nested for _ in range(1)]
"""


def test_an_operations_pipe_nets_are_the_module_globals_its_code_names():
    """The globals searched for pipe nets at every call are those the
    thread's code names (in a comprehension too) and those named by the
    module's functions it calls, in the module's order; not a net nothing
    names, nor the rest of the module (its builtins: 150 values)."""
    from ttlx._frontend.compile import _pipe_nets_in
    from ttlx._frontend.source import named_globals

    scope: dict = {}
    exec(compile(NAMED_GLOBALS, "named_globals.py", "exec"), scope)
    nets = _pipe_nets_in(named_globals(scope["thread"]))
    assert nets == [scope["named"], scope["in_helper"][0], scope["in_nested"]]
    assert scope["__builtins__"] not in named_globals(scope["thread"])


WAIT_ANY = ROOT / "test" / "kernels" / "wait_any_receive.py"
SELECT = "ready = ttl.wait_any((from_a, from_b), start=start)"


def test_wait_any_selects_a_ready_receive_in_rotating_order():
    """Round 0: only b's tile is ready, so wait_any(start=0) selects b; then
    both are ready and the start decides (a, b, a). tt-lang-sim 1.1.6 has
    no wait_any: checked against torch (exact copies)."""
    result = ttlx_run(WAIT_ANY)
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr
    ir = ttlx("compile", str(WAIT_ANY), "--emit", "ttl")
    assert ir.returncode == 0 and ir.stdout.count("ttl.wait_any %") == 2, ir.stdout + ir.stderr
    cpp = ttlx("compile", str(WAIT_ANY), "--emit", "cpp")
    assert cpp.returncode == 0 and "invalidate_l1_cache()" in cpp.stdout, cpp.stdout + cpp.stderr


def test_wait_any_that_no_send_can_end_is_a_deadlock_at_its_line(tmp_path):
    """Node 1 holds a's first tile back until node 0 sets `go`, which node 0
    now does only after selecting a: the poll ends in a deadlock report."""
    path, text = variant(tmp_path, [("ttl.wait_any((from_a, from_b), start=0).index()\n            go_1.set(1)",
                                     "ttl.wait_any((from_a,), start=0).index()\n            go_1.set(1)")],
                         base=WAIT_ANY)
    result = ttlx_run(path)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "ttl.wait_any((from_a,), start=0)" in l)
    assert result.returncode == 1 and "deadlock" in result.stderr, result.stdout + result.stderr
    assert "invalidate_l1_cache(polling semaphores that no thread writes any more)" in result.stderr, result.stderr
    assert f"({path}:{line}:" in result.stderr, result.stderr


WAIT_ANY_ERRORS = [  # (what replaces SELECT, the line the error is at, message)
    ("ready = ttl.wait_any([from_a, from_b], start=start)", "ttl.wait_any([from_a",
     "ttl.wait_any takes a tuple of receive requests (what ttl.copy(pipe, block) returns), at least one"),
    ("ready = ttl.wait_any((from_a, a_blk), start=start)", "ttl.wait_any((from_a, a_blk)",
     "ttl.wait_any takes a tuple of receive requests (what ttl.copy(pipe, block) returns); request 1 is not one"),
    ("ready = ttl.wait_any((from_a, from_a), start=start)", "ttl.wait_any((from_a, from_a)",
     "request 1 is already in the tuple; pass each receive request once"),
    ("ready = ttl.wait_any((from_a, from_b), start=0.5)", "start=0.5",
     "ttl.wait_any's start is an integer (the position tried first)"),
    ("ready = ttl.wait_any((from_a, from_b), first=start)", "first=start",
     "ttl.wait_any(requests, start=0) takes one to two arguments; got unknown keyword 'first'"),
    ("from_a.wait()\n                ready = ttl.wait_any((from_a, from_b), start=start)",
     "ready = ttl.wait_any((from_a, from_b), start=start)",
     "'ttl.wait_any' op request 0 is waited before it; 'ttl.wait_any' selects among receives still pending"),
    ("ready = ttl.ReadyReceive(start)", "ttl.ReadyReceive(start)",
     "ttl.ReadyReceive is a type for annotations; ttl.copy(pipe, block) makes receive requests and ttl.wait_any "
     "ready receives"),
]


@pytest.mark.parametrize("code,needle,message", WAIT_ANY_ERRORS, ids=[e[1] for e in WAIT_ANY_ERRORS])
def test_wait_any_misuse_is_a_located_error(tmp_path, code, needle, message):
    path, text = variant(tmp_path, [(SELECT, code)], base=WAIT_ANY)
    expect_error(path, text, needle, message)


STAGED = ROOT / "test" / "kernels" / "pipe_staged_blocks.py"


def test_blocks_reserved_only_to_go_through_pipes():
    """No thread waits on the DFB whose blocks the nodes fill and send (or
    receive and write out), as in the spec's pipe examples: it compiles,
    its pushed blocks stay, and the gathered row is x (exact copies)."""
    result = ttlx_run(STAGED)
    assert result.returncode == 0 and result.stdout.strip().endswith("PASS"), result.stdout + result.stderr


def test_more_pushes_than_a_dfb_nobody_waits_on_holds_is_a_deadlock_at_the_reserve(tmp_path):
    """Three rounds on a two-block DFB that no thread waits on: the third
    reserve never gets a free block (tt-lang's compiler rejects this)."""
    text = STAGED.read_text()
    body = text[text.index("        with staged.reserve() as blk:"):text.index("\n\n\ntorch.manual_seed")]
    looped = "        for r in range(3):\n" + "\n".join("    " + l if l.strip() else l for l in body.split("\n"))
    path = tmp_path / "kernel.py"
    text = text.replace(body, looped)
    path.write_text(text)
    result = ttlx_run(path)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "with staged.reserve() as blk:" in l)
    assert result.returncode == 1 and "deadlock" in result.stderr, result.stdout + result.stderr
    assert ("cb_reserve_back(DFB 0, 1 page(s); 0 of 2 free; no kernel of this core waits on it, so its pushed "
            "pages are never freed: a DFB nobody waits on takes at most its block count of pushes) at move.cpp:"
            in result.stderr), result.stderr
    assert f"({path}:{line}:" in result.stderr, result.stderr


# out_dfb at 727 one-tile blocks: the operation's own DFBs fit L1 (1497152 of
# its 1499136 bytes), with the staging block of the sends they do not.
FULL_L1 = ("    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=2)",
           "    out_dfb = ttl.make_dataflow_buffer_like(out, shape=(1, 1), block_count=727)")


def line_of(text: str, needle: str) -> int:
    return next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)


def l1_message(text: str, staging: str) -> str:
    x, left, out = (line_of(text, f"{dfb} = ttl.make_dataflow_buffer_like") for dfb in ("x_dfb", "left_dfb", "out_dfb"))
    return ("the operation's DFBs need 1499200 bytes of L1 on each core, more than its 1499136 bytes (1464 KiB, 64 of "
            f"them reserved): DFB 0 (line {x}) 1x1 bf16 tiles x 2 blocks = 4096 bytes; DFB 1 (line {left}) 1x1 bf16 "
            f"tiles x 2 blocks = 4096 bytes; DFB 2 (line {out}) 1x1 bf16 tiles x 727 blocks = 1488896 bytes; DFB 3 "
            f"({staging}) 1x1 bf16 tiles x 1 block = 2048 bytes; use fewer or smaller blocks")


def test_the_staging_block_of_pipe_sends_counts_towards_l1(tmp_path):
    """It used to be left out of the compiler's check: the runtime then
    failed with a RuntimeError naming no line."""
    path, text = variant(tmp_path, [FULL_L1])
    send = line_of(text, "ttl.copy(blk, pipe).wait()")
    expect_error(path, text, "ttl.copy(blk, pipe).wait()",
                 l1_message(text, f"staging block of the pipe send at line {send}"))


def test_sends_that_share_a_staging_block_are_all_named(tmp_path):
    """Two nets with no source in common share a done counter, so their
    sends stage in one DFB; the error is at the first of them."""
    path, text = variant(tmp_path, [
        FULL_L1,
        ("    net = ttl.PipeNet([ttl.Pipe(src=(i, 0), dst=(i + 1, 0)) for i in range(NODES - 1)])\n",
         "    net = ttl.PipeNet([ttl.Pipe(src=(0, 0), dst=(1, 0))])\n"
         "    far = ttl.PipeNet([ttl.Pipe(src=(2, 0), dst=(3, 0))])\n"),
        ("                net.if_src(send)\n",
         "                net.if_src(send)\n\n"
         "                def send_far(pipe):\n"
         "                    ttl.copy(blk, pipe).wait()  # far\n\n"
         "                far.if_src(send_far)\n"),
        ("                net.if_dst(receive)\n",
         "                net.if_dst(receive)\n"
         "                far.if_dst(receive)\n"),
    ])
    send, far = line_of(text, "ttl.copy(blk, pipe).wait()"), line_of(text, "ttl.copy(blk, pipe).wait()  # far")
    expect_error(path, text, "ttl.copy(blk, pipe).wait()",
                 l1_message(text, f"staging block of the pipe sends at lines {send}, {far}"))


def test_a_printed_tensor_page_counts_towards_l1_with_the_staging_block(tmp_path):
    """print(x) reads a page into a DFB of its own; L1 is checked once for
    all DFBs, so the error at the print names the staging block too."""
    path, text = variant(tmp_path, [FULL_L1, ("        i, _ = ttl.node(dims=2)\n        for r in range(ROWS):\n"
                                              "            with x_dfb.reserve() as blk:\n",
                                              "        i, _ = ttl.node(dims=2)\n        print(x, num_pages=1)\n"
                                              "        for r in range(ROWS):\n"
                                              "            with x_dfb.reserve() as blk:\n")])
    x, left, out = (line_of(text, f"{dfb} = ttl.make_dataflow_buffer_like") for dfb in ("x_dfb", "left_dfb", "out_dfb"))
    printed, send = line_of(text, "print(x, num_pages=1)"), line_of(text, "ttl.copy(blk, pipe).wait()")
    expect_error(path, text, "print(x, num_pages=1)", (
        "the operation's DFBs need 1501248 bytes of L1 on each core, more than its 1499136 bytes (1464 KiB, 64 of "
        f"them reserved): DFB 0 (line {x}) 1x1 bf16 tiles x 2 blocks = 4096 bytes; DFB 1 (line {left}) 1x1 bf16 "
        f"tiles x 2 blocks = 4096 bytes; DFB 2 (line {out}) 1x1 bf16 tiles x 727 blocks = 1488896 bytes; DFB 3 "
        f"(page block of the print at line {printed}) 1x1 bf16 tiles x 1 block = 2048 bytes; DFB 4 (staging block "
        f"of the pipe send at line {send}) 1x1 bf16 tiles x 1 block = 2048 bytes; use fewer or smaller blocks"))
