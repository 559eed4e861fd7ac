"""Module servers: one warm interpreter per host that runs every module of the run.

Starting the target's ``python3`` for each task costs tens of milliseconds; a module
server starts it once per (host, interpreter, become) and then, for each module,
forks a child of the warm interpreter that runs the module payload with its own
stdin (``/dev/null``), stdout, stderr and environment, and reports
``(rc, stdout, stderr)`` exactly as a fresh ``python3 -`` would.  A module that
crashes or is killed only takes its child with it.

The server's source travels on the process's stdin (no file on the target):
``python3 -c 'import sys;exec(sys.stdin.buffer.read(N))'``, followed by ``>I`` and
the runtime library as the controller compiled it (possibly empty): when the
target's bytecode is the controller's (the same magic number), the library's code
is taken from it instead of compiling its sources.  Then ``>I`` and the library
prelude (possibly empty), the part every Python payload of the controller begins
with (:func:`corral.executor.module_payload.library_prelude`): the server runs it
and imports the runtime library once, before any child; a payload that begins with
it is sent without it and its rest runs, in the child, in the prelude's namespace,
so a module's child neither receives, decodes nor executes the library again.  The
child is a fork: what a module changes in the library's modules dies with it.
Frames, big-endian:

- request: ``>III`` (environment JSON length, payload length, 1 when the payload
  is the rest after the prelude else 0), the JSON, the payload;
- reply: ``>iII`` (rc, stdout length, stderr length), stdout, stderr.

A whole program (a payload without the prelude: a script module's, an async
wrapper) runs in a child from which the prelude's importer and library are
removed, as in a fresh interpreter.

A payload may compile its sources with ``sys.modules['__corral_server__'].compile``
(when present): the server learns what its children compiled and keeps the code, so
later modules do not compile the runtime library again.

Connections that can keep a process open provide ``open_process(cmd, become)``
(see :class:`corral.plugins.connection.ConnectionBase`); for others the executor
falls back to one ``python3 -`` per module.
"""
from __future__ import annotations

import json
import shlex
import struct
from typing import Any

__all__ = ["SERVER_SOURCE", "server_command", "ModuleServer", "ModuleServerGone"]

SERVER_SOURCE = rb'''
import os, sys, json, struct, select, traceback, io, types, signal, time, fcntl, termios, marshal, zlib, gc
# what modules import, imported once in the server so that every later child has it;
# done before the second module, not at start: a host that runs one module (an
# ad-hoc command) does not pay for it
_WARM = ("base64", "zlib", "importlib.abc", "importlib.util", "subprocess", "shlex", "tempfile", "re", "stat",
         "datetime", "locale", "errno", "pwd", "grp", "platform", "hashlib", "shutil")
_in = sys.stdin.buffer
_out = sys.stdout.buffer
_compiled = {}
_precompiled = {}     # (filename, mode, length, crc32) of a source: its code, compiled by the controller
_learn_fd = None
_builtin_compile = compile
_prelude = b""        # the library prelude every Python payload of the controller begins with
_prelude_ns = None    # the namespace it ran in here (None: it did not run); children run the rest in it
_child_pid = None
_END_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def _kill_child():
    """Kill the running module's process group: the module and every command it started."""
    pid = _child_pid
    if pid is None:
        return
    try:
        os.killpg(pid, signal.SIGTERM)
    except OSError:
        pass
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
        except ChildProcessError:
            break
        time.sleep(0.01)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _end(signum=None, frame=None):
    """The controller is gone or the server was told to stop: nothing it started may outlive it."""
    _kill_child()
    os._exit(1)


for _signal in _END_SIGNALS:
    signal.signal(_signal, _end)


def _stdin_closed():
    """Whether stdin, readable while a module runs (the controller sends nothing then), is at its end."""
    try:
        return struct.unpack("i", fcntl.ioctl(0, termios.FIONREAD, b"\0\0\0\0"))[0] == 0
    except OSError:
        return True


class _ServerHooks(types.ModuleType):
    """``sys.modules['__corral_server__']``: what a payload may use from its server."""

    @staticmethod
    def compile(source, filename, mode="exec"):
        """``compile`` with a cache warmed by earlier children: a miss is compiled here
        and reported to the server, which compiles it once for every later child."""
        key = (filename, mode, source)
        code = _compiled.get(key)
        if code is None and _precompiled:
            data = source.encode("utf-8", "surrogateescape")
            code = _precompiled.get((filename, mode, len(data), zlib.crc32(data)))
        if code is None:
            code = _builtin_compile(source, filename, mode)
            if _learn_fd is not None:
                data = json.dumps([filename, mode, source]).encode("utf-8")
                os.write(_learn_fd, struct.pack(">I", len(data)))
                view = memoryview(data)
                while view:
                    view = view[os.write(_learn_fd, view):]
        return code


sys.modules["__corral_server__"] = _ServerHooks("__corral_server__")

def _read(n):
    data = b""
    while len(data) < n:
        chunk = _in.read(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

def _child(env, payload, after_prelude, w_out, w_err, w_learn):
    global _learn_fd
    _learn_fd = w_learn
    for sig in _END_SIGNALS:
        signal.signal(sig, signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(w_out, 1)
    os.dup2(w_err, 2)
    for fd in (null, w_out, w_err):
        if fd > 2:
            os.close(fd)
    os.environ.update(env)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "rb", closefd=False))
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "wb", closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "wb", closefd=False), write_through=True)
    if after_prelude and _prelude_ns is not None:
        namespace = _prelude_ns
    else:
        _forget_prelude()
        namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        if after_prelude:
            payload = _prelude + payload
    code = 0
    try:
        exec(compile(payload, "<corral module>", "exec"), namespace)
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            sys.stderr.write(str(exc.code) + "\n")
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code & 0xFF)

def _learn(data):
    while len(data) >= 4:
        size = struct.unpack(">I", data[:4])[0]
        if len(data) < 4 + size:
            break
        filename, mode, source = json.loads(data[4:4 + size].decode("utf-8"))
        data = data[4 + size:]
        key = (filename, mode, source)
        if key not in _compiled:
            try:
                _compiled[key] = _builtin_compile(source, filename, mode)
            except SyntaxError:
                pass


def _forget_prelude():
    """In a child about to run a whole program: what the prelude set up here (its
    importer, the library it imported) is gone, as in a fresh interpreter."""
    if _prelude_ns is None:
        return
    importer = _prelude_ns.get("_PayloadImporter")
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, importer)]
    _forget_library()


def _forget_library():
    for name in [name for name in sys.modules if name == "corral" or name.startswith("corral.")]:
        del sys.modules[name]


def _run_prelude(source):
    """Run the library prelude here and import the library, once for every child;
    freeze what is then allocated, so that children's garbage collections do not
    touch (and copy) the server's pages.  A prelude that fails leaves the server
    without one: children then run it themselves, and report what fails."""
    global _prelude, _prelude_ns
    _prelude = source
    if not source:
        return
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        exec(compile(source, "<corral module>", "exec"), namespace)
    except Exception:
        return
    _prelude_ns = namespace
    try:
        __import__("corral.module_utils.basic")
    except Exception:
        _forget_library()   # each child imports it again, and reports why it fails
    if hasattr(gc, "freeze"):
        gc.freeze()


def _run(env, payload, after_prelude):
    global _child_pid
    r_out, w_out = os.pipe()
    r_err, w_err = os.pipe()
    r_learn, w_learn = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)    # its own process group: killed whole when the server ends
        for fd in (r_out, r_err, r_learn):
            os.close(fd)
        _child(env, payload, after_prelude, w_out, w_err, w_learn)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    _child_pid = pid
    for fd in (w_out, w_err, w_learn):
        os.close(fd)
    chunks = {r_out: [], r_err: [], r_learn: []}
    open_fds = [r_out, r_err, r_learn]
    watch_stdin = True
    while open_fds:
        ready, _, _ = select.select(open_fds + [0] if watch_stdin else open_fds, [], [])
        for fd in ready:
            if fd == 0:
                if _stdin_closed():
                    _end()
                watch_stdin = False
                continue
            data = os.read(fd, 65536)
            if data:
                chunks[fd].append(data)
            else:
                open_fds.remove(fd)
                os.close(fd)
    _, status = os.waitpid(pid, 0)
    _child_pid = None
    if os.WIFSIGNALED(status):
        rc = -os.WTERMSIG(status)
    else:
        rc = os.WEXITSTATUS(status)
    return rc, b"".join(chunks[r_out]), b"".join(chunks[r_err]), b"".join(chunks[r_learn])

def _load_precompiled(blob):
    """The controller's compiled runtime library (zlib-compressed marshal of
    ``(magic, {(filename, mode, length, crc32): marshalled code})``), used only when
    this interpreter's bytecode is the controller's (same magic number, no -O)."""
    if not blob or sys.flags.optimize:
        return
    try:
        magic, entries = marshal.loads(zlib.decompress(blob))
        if magic != sys.modules["_frozen_importlib_external"].MAGIC_NUMBER:
            return
        for key, code in entries.items():
            _precompiled[key] = marshal.loads(code)
    except Exception:
        _precompiled.clear()


def _warm():
    for name in _WARM:
        try:
            __import__(name)
        except ImportError:
            pass


_load_precompiled(_read(struct.unpack(">I", _read(4))[0]))
_run_prelude(_read(struct.unpack(">I", _read(4))[0]))
_out.write(b"CORRAL-MODULE-SERVER-READY\n")
_out.flush()
_served = 0
_learned = b""
while True:
    try:
        env_len, payload_len, after_prelude = struct.unpack(">III", _read(12))
        env = json.loads(_read(env_len).decode("utf-8"))
        payload = _read(payload_len)
    except EOFError:
        break
    if _served == 1:
        _warm()
    # what the last child compiled is compiled here only when another module comes:
    # a host that runs one module (an ad-hoc command) does not pay for it twice
    _learn(_learned)
    _served += 1
    rc, out, err, _learned = _run(env, payload, after_prelude)
    _out.write(struct.pack(">iII", rc, len(out), len(err)) + out + err)
    _out.flush()
'''
_READY = b"CORRAL-MODULE-SERVER-READY\n"


def server_command(interpreter: str) -> str:
    """The command line that starts a module server with ``interpreter`` (one word,
    quoted when it needs to be, as ansible-core runs interpreters)."""
    bootstrap = f"import sys;exec(sys.stdin.buffer.read({len(SERVER_SOURCE)}))"
    return f"{shlex.quote(interpreter)} -c {shlex.quote(bootstrap)}"


class ModuleServerGone(Exception):
    """The server process ended (killed, or the connection dropped).

    ``delivered`` is false when it had ended before it received the request: the
    module did not run, so running it elsewhere is safe.  ``started`` is false when
    the server never started (no such interpreter, a refused become): the module did
    not run, and a new server would not start either."""

    def __init__(self, message: str, delivered: bool = True, started: bool = True) -> None:
        super().__init__(message)
        self.delivered = delivered
        self.started = started


class ModuleServer:
    """Controller side of one module server: ``run(payload, environment)``.

    ``process`` is what a connection's ``open_process`` returned: ``write(data)``,
    ``read(n)`` (fewer bytes only at end of stream), ``close()``.  ``precompiled``
    is the runtime library compiled by the controller
    (:func:`corral.executor.module_payload.precompiled_library`; empty: none);
    ``prelude`` is the library prelude payloads begin with
    (:func:`corral.executor.module_payload.library_prelude`; empty: none): the server
    runs it once, imports the library, and is sent of each payload that begins with
    it only the rest.  The server's source is sent at once and the first request right behind it, without waiting
    for the server to say it is ready: the target's interpreter starts while the
    request travels (a round trip less per host); the first :meth:`run` then reads
    the ready line before the reply, and raises :class:`ModuleServerGone` with
    ``started`` false when the server did not start.
    """

    def __init__(self, process: Any, precompiled: bytes = b"", prelude: bytes = b"") -> None:
        self._process = process
        self._ready = False
        self._prelude = prelude
        process.write(SERVER_SOURCE + struct.pack(">I", len(precompiled)) + precompiled
                      + struct.pack(">I", len(prelude)) + prelude)

    def _check_ready(self) -> None:
        ready = self._read(len(_READY), started=False)
        if ready != _READY:
            rest = self._drain()
            self.close()
            raise ModuleServerGone((ready + rest).decode("utf-8", "replace").strip()
                                   or "the module server did not start", delivered=False, started=False)
        self._ready = True

    def _drain(self) -> bytes:
        try:
            return self._process.read(65536)
        except (EOFError, OSError):
            return b""

    def _read(self, size: int, started: bool = True) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self._process.read(size - len(data))
            if not chunk:
                if data:
                    return data
                raise ModuleServerGone("the module server ended" if started else "the module server did not start",
                                       delivered=started, started=started)
            data += chunk
        return data

    def run(self, payload: bytes, environment: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
        """Run one module payload; ``(rc, stdout, stderr)`` as from ``python3 -``."""
        env = json.dumps(environment or {}).encode("utf-8")
        after_prelude = bool(self._prelude) and payload.startswith(self._prelude)
        if after_prelude:
            payload = payload[len(self._prelude):]
        try:
            self._process.write(struct.pack(">III", len(env), len(payload), after_prelude) + env + payload)
        except (OSError, EOFError) as exc:
            raise ModuleServerGone(f"the module server had ended: {exc}", delivered=False,
                                   started=self._ready) from exc
        if not self._ready:
            try:
                self._check_ready()
            except (OSError, EOFError) as exc:
                raise ModuleServerGone(f"the module server did not start: {exc}", delivered=False,
                                       started=False) from exc
        try:
            header = self._read(12)
            if len(header) < 12:
                raise ModuleServerGone("the module server ended mid-reply")
            rc, out_len, err_len = struct.unpack(">iII", header)
            output = self._read(out_len + err_len) if out_len + err_len else b""
            if len(output) < out_len + err_len:
                raise ModuleServerGone("the module server ended mid-reply")
            out, err = output[:out_len], output[out_len:]
        except (OSError, EOFError) as exc:
            raise ModuleServerGone(f"the module server ended: {exc}") from exc
        return rc, out, err

    def close(self) -> None:
        try:
            self._process.close()
        except OSError:
            pass

    def kill(self) -> None:
        """End the server now, with the module it runs and that module's commands.

        The process's ``kill()`` when it has one, else ``close()``: either closes the
        server's stdin, on which the server kills its children's process groups and
        exits (the only way to reach it through ssh and sudo)."""
        kill = getattr(self._process, "kill", None)
        try:
            kill() if kill is not None else self._process.close()
        except OSError:
            pass
