# SPDX-License-Identifier: Apache-2.0
"""`python -m MODULE ARGS`, `python SCRIPT ARGS` and `python -c CODE` for the tests, without
paying Python's start-up each time: a server process imports torch and
ttlx (or tt-lang-sim) once, about 3 s of CPU that every such command pays,
and forks one child per command. The child is a fresh copy of that
never-used process: it takes the command's working directory, environment
and argv, runs the module or script as `python` does and exits as the interpreter would (threads joined, atexit, stdio
flushed; torch's modules are not torn down), so stdout, stderr and the exit
status are those of a new process.

The server is used only where forking cannot change the outcome: it must
have started no thread (a fork keeps only the calling one), and the
command's environment may differ from the server's only in variables
ttlx reads when a command runs (`RUN_TIME_VARIABLES`), not at import.
Anything else runs as a real subprocess; TTLX_TEST_FORK=0 forces that.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Read by ttlx and its runtime when an operation compiles or runs (and
# pytest's note of the current test, read by nothing).
RUN_TIME_VARIABLES = frozenset({"PYTEST_CURRENT_TEST", "TTLX_ARCH", "TTLX_CACHE_DIR", "TTLX_PROFILE",
                                "TTLX_PROFILE_PLOT", "TTLX_RACES", "TTLX_STRICT", "TTLX_WATCHDOG_S", "TTLX_WORKERS"})
TTLX = ("ttlx", "ttlx.cli", "ttlx.lang", "ttlx.lang.operation", "ttlx.runtime", "torch")
SIMULATOR = ("torch", "ttl.sim.ttlang_sim")  # a server of its own: tt-lang-sim rebinds torch.bfloat16
TORCH = ("torch",)  # for code that must import ttlx itself


def run_module(module: str, args: list[str], *, cwd: Path | str | None = None, env: dict[str, str] | None = None,
               timeout: float = 900) -> subprocess.CompletedProcess:
    """`python -m module args` (stdout, stderr as text), as subprocess.run
    with capture_output=True would give it."""
    return _run(TTLX, ["-m", module, *args], cwd, env, timeout)


def run_simulator_script(script: Path | str, args: list[str], *, timeout: float = 900) -> subprocess.CompletedProcess:
    """`python script args` for a script that runs tt-lang-sim."""
    return _run(SIMULATOR, [str(script), *args], None, None, timeout)


def run_code(code: str, preload: tuple[str, ...]) -> subprocess.CompletedProcess:
    """`python -c code` in a process that has imported `preload`."""
    return _run(preload, ["-c", code], None, None, 900)


def _run(preload: tuple[str, ...], argv: list[str], cwd: Path | str | None, env: dict[str, str] | None,
         timeout: float) -> subprocess.CompletedProcess:
    cmd = [sys.executable, *argv]
    env = dict(os.environ if env is None else env)
    server = _server(preload, env)
    if server is None:
        return _run_process(cmd, cwd, env, timeout)
    return server.run(cmd, argv, os.path.abspath(cwd or os.getcwd()), env, timeout)


def _run_process(cmd: list[str], cwd: Path | str | None, env: dict[str, str],
                 timeout: float) -> subprocess.CompletedProcess:
    """`cmd` as a new process in a session of its own, so that a timeout
    kills what it started too (subprocess.run kills the child alone)."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            stdout, stderr = process.communicate()
            raise subprocess.TimeoutExpired(cmd, timeout, _text(stdout), _text(stderr)) from None
    return subprocess.CompletedProcess(cmd, process.returncode, _text(stdout), _text(stderr))


def _text(output: bytes | None) -> str:
    """Captured output as text mode reads it (universal newlines)."""
    return (output or b"").decode(errors="replace").replace("\r\n", "\n").replace("\r", "\n")


class _Server:
    def __init__(self, preload: tuple[str, ...]) -> None:
        self.folder = tempfile.mkdtemp(prefix="ttlx-fork-")
        self.address = os.path.join(self.folder, "socket")
        self.env = dict(os.environ)
        log = open(os.path.join(self.folder, "server.log"), "w")
        self.process = subprocess.Popen([sys.executable, __file__, self.address, *preload],
                                        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        atexit.register(self.stop)
        ready = os.path.join(self.folder, "ready")
        self.usable = _wait_for(ready, self.process)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, cmd: list[str], argv: list[str], cwd: str, env: dict[str, str],
            timeout: float) -> subprocess.CompletedProcess:
        out_fd, out_path = tempfile.mkstemp(dir=self.folder)
        err_fd, err_path = tempfile.mkstemp(dir=self.folder)
        os.close(out_fd), os.close(err_fd)
        request = {"argv": argv, "cwd": cwd, "env": env, "stdout": out_path, "stderr": err_path}
        with socket.socket(socket.AF_UNIX) as conn:
            conn.connect(self.address)
            conn.sendall(json.dumps(request).encode() + b"\n")
            reply = _Lines(conn)
            pid = reply.next()["pid"]
            conn.settimeout(timeout)
            try:
                status, timed_out = reply.next()["status"], False
            except TimeoutError:
                _kill_group(pid)
                conn.settimeout(None)
                status, timed_out = reply.next()["status"], True
        stdout, stderr = Path(out_path).read_text(errors="replace"), Path(err_path).read_text(errors="replace")
        os.unlink(out_path), os.unlink(err_path)
        if timed_out:
            stop = subprocess.TimeoutExpired(cmd, timeout, output=stdout, stderr=stderr)
            stop.forked = True  # type: ignore[attr-defined]  (for the tests of this module)
            raise stop
        done = subprocess.CompletedProcess(cmd, status, stdout, stderr)
        done.forked = True  # type: ignore[attr-defined]  (for the tests of this module)
        return done


class _Lines:
    """JSON lines read from a socket (unbuffered beyond each line, so a
    timeout loses nothing)."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn, self.pending = conn, b""

    def next(self) -> dict:
        while b"\n" not in self.pending:
            chunk = self.conn.recv(4096)
            if not chunk:
                raise RuntimeError("forked_cli: the server closed the connection")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)


_SERVERS: dict[tuple[str, ...], _Server | None] = {}


def _server(preload: tuple[str, ...], env: dict[str, str]) -> _Server | None:
    if os.environ.get("TTLX_TEST_FORK", "1") == "0":
        return None
    if preload not in _SERVERS:
        server = _Server(preload)
        _SERVERS[preload] = server if server.usable else None
    server = _SERVERS[preload]
    if server is None:
        return None
    changed = {key for key in env.keys() | server.env.keys()
               if env.get(key) != server.env.get(key)}
    return server if changed <= RUN_TIME_VARIABLES else None


def _wait_for(path: str, process: subprocess.Popen, seconds: float = 600) -> bool:
    """Whether `path` appears before `process` exits (killed if it takes
    longer than `seconds`)."""
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            process.kill()
            return False
        select.select([], [], [], 0.02)
    return True


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# The server side: runs as `python forked_cli.py SOCKET MODULE...`.

def _serve(address: str, preload: list[str]) -> None:
    import importlib

    # numpy first and alone: its OpenBLAS thread pool is allowed, as
    # OpenBLAS shuts it down before a fork and restarts it after.
    import numpy  # noqa: F401

    blas_threads = _threads()
    for name in preload:
        importlib.import_module(name)
    if _threads() != blas_threads:  # a fork would lose them
        sys.exit(f"forked_cli: {_threads() - blas_threads} thread(s) started by the imports; not serving")
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(address)
    listener.listen(16)
    ready = Path(address).with_name("ready")
    ready.with_suffix(".part").touch()
    ready.with_suffix(".part").replace(ready)
    parent, waiting = os.getppid(), {}
    while os.getppid() == parent:  # the test process is gone: stop
        readable, _, _ = select.select([listener, wake_r], [], [], 1.0)
        if wake_r in readable:
            os.read(wake_r, 4096)
        while waiting:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            conn = waiting.pop(pid)
            conn.sendall(json.dumps({"status": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
            conn.close()
        if listener in readable:
            conn, _ = listener.accept()
            request = json.loads(conn.makefile().readline())
            sys.stdout.flush(), sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                for other in (listener, conn, *waiting.values()):
                    other.close()
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.close(wake_r), os.close(wake_w)
                _exit(_become(request))
            waiting[pid] = conn
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def _become(request: dict) -> int:
    """In the forked child: take the command's place and run it; its exit
    status."""
    import runpy

    os.setpgid(0, 0)  # its own group: a timeout kills the compilers it starts too
    for fd, path, mode in ((0, os.devnull, os.O_RDONLY), (1, request["stdout"], os.O_WRONLY | os.O_TRUNC),
                           (2, request["stderr"], os.O_WRONLY | os.O_TRUNC)):
        target = os.open(path, mode)
        os.dup2(target, fd)
        os.close(target)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    argv = request["argv"]
    try:
        if argv[0] == "-m":  # sys.path[0] is the working directory, as for `python -m`
            sys.path[0], sys.argv = request["cwd"], argv[1:]
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        elif argv[0] == "-c":  # sys.path[0] is "", as for `python -c`
            sys.path[0], sys.argv = "", ["-c", *argv[2:]]
            exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
        else:  # sys.path[0] is the script's folder, as for `python SCRIPT`
            sys.path[0], sys.argv = os.path.dirname(os.path.abspath(argv[0])), argv
            runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:
        sys.excepthook(*sys.exc_info())
        return 1
    return 0


def _exit(code: int) -> None:
    """What the interpreter's exit does that a command can observe
    (threads joined, atexit handlers, Python and C buffers flushed), without
    tearing down torch's modules, which takes seconds and shows nothing."""
    import atexit
    import ctypes
    import threading

    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    ctypes.CDLL(None).fflush(None)
    os._exit(code)


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2:])
