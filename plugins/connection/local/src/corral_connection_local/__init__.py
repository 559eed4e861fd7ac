"""The ``local`` connection: commands run as child processes of the worker."""
from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess

from corral.errors import CorralConnectionFailure, CorralError
from corral.plugins import hookimpl
from corral.plugins.become import build_become_command, run_become_handshake, scrub
from corral.plugins.connection import Become, ConnectionBase, ConnectionOptions
from corral.plugins.options import Option

__all__ = ["LocalConnection"]


class LocalConnection(ConnectionBase):
    """Runs commands with ``/bin/sh -c`` on the controller; files are copied.

    Modules run on a module server unless ``pipelining`` is off
    (``ansible_pipelining: false``, ``ANSIBLE_PIPELINING=0``): then each module is
    copied into a temporary directory under ``remote_tmp`` and run from there, as
    ansible-core does."""

    transport = "local"
    OPTIONS = {**ConnectionBase.OPTIONS, "pipelining": Option(
        "pipelining", default=True, type="bool", env=("ANSIBLE_PIPELINING",), ini=(("connection", "pipelining"),),
        vars=("ansible_pipelining",),
        description="Feed modules to the interpreter on stdin (a module server) instead of copying them "
                    "into a temporary directory first.")}

    def __init__(self, options: ConnectionOptions) -> None:
        super().__init__(options)
        self.has_pipelining = self.get_option("pipelining") is not False

    def connect(self) -> None:
        """Nothing to open."""

    def traced_command(self, cmd: str) -> str:
        """``cmd`` as :meth:`command_argv` runs it, its last word quoted as ansible-core
        quotes it (always, ``'`` as ``'"'"'``)."""
        *head, last = self.command_argv(cmd)
        quoted = "'" + last.replace("'", "'\"'\"'") + "'"
        return " ".join([shlex.join(head), quoted]) if head else quoted

    def command_argv(self, cmd: str) -> list[str]:
        """The argv that runs the shell command line ``cmd``: ``/bin/sh -c cmd``.  A
        subclass that runs commands elsewhere on this machine (in a container's
        namespaces, a chroot) returns its own and keeps the rest of this class."""
        return ["/bin/sh", "-c", cmd]

    def exec_command(self, cmd: str, in_data: bytes | None = None,
                     become: Become | None = None) -> tuple[int, bytes, bytes]:
        if become is not None:
            return self._exec_become(cmd, in_data, become)
        try:
            proc = subprocess.Popen(self.command_argv(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise CorralConnectionFailure(f"Failed to run /bin/sh on the controller: {exc}") from exc
        out, err = _communicate(proc, in_data)
        return proc.returncode, out, err

    def _exec_become(self, cmd: str, in_data: bytes | None, become: Become) -> tuple[int, bytes, bytes]:
        wrapped = build_become_command(cmd, become)
        proc = subprocess.Popen(self.command_argv(wrapped.cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        assert proc.stdin and proc.stdout and proc.stderr
        try:
            handshake = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                             wrapped, timeout=float(self.get_option("timeout") or 10))
        except BaseException:
            _kill_group(proc)
            raise
        if handshake.failed:
            proc.kill()
            proc.wait()
            return 1, b"", handshake.failed.encode() + b"\n"
        out, err = _communicate(proc, in_data)
        return (proc.returncode, handshake.stdout + out,
                scrub(handshake.stderr + err, become.password))

    def shared_process_key(self) -> str:
        """Every local host runs its processes here, as the controller's user: local
        hosts share module servers (per interpreter and become)."""
        return "local"

    def open_process(self, cmd: str, become: Become | None = None) -> "_LocalProcess":
        """Start ``cmd`` and keep it running (the executor's module server)."""
        wrapped = build_become_command(cmd, become) if become is not None else None
        try:
            proc = subprocess.Popen(self.command_argv(wrapped.cmd if wrapped else cmd), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if not wrapped
                                    else subprocess.PIPE, start_new_session=True, bufsize=0)
        except OSError as exc:
            raise CorralConnectionFailure(f"Failed to run /bin/sh on the controller: {exc}") from exc
        prefix = b""
        if wrapped is not None:
            assert proc.stdin and proc.stdout and proc.stderr
            handshake = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                             wrapped, timeout=float(self.get_option("timeout") or 10))
            proc.stderr.close()
            if handshake.failed:
                proc.kill()
                proc.wait()
            prefix = handshake.stdout
        return _LocalProcess(proc, prefix)

    def put_file(self, in_path: str, out_path: str) -> None:
        """Copy ``in_path`` to ``out_path``; a failure (a full disk, a missing directory)
        fails the task, as in Ansible: the host is not unreachable.  A partial copy is removed."""
        try:
            shutil.copyfile(in_path, out_path)
            shutil.copymode(in_path, out_path)
        except OSError as exc:
            try:
                os.unlink(out_path)
            except OSError:
                pass
            raise CorralError(f"Failed to transfer file to '{out_path}': {exc}") from exc

    def fetch_file(self, in_path: str, out_path: str) -> None:
        try:
            os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
            shutil.copyfile(in_path, out_path)
        except OSError as exc:
            raise CorralError(f"failed to fetch file {in_path}: {exc}") from exc

    def close(self) -> None:
        """Nothing to close."""


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill ``proc``'s process group (it leads one: ``start_new_session``) and reap it.

    SIGTERM first: a ``sudo`` in the group relays it to its command, which a
    controller user may not signal itself; then SIGKILL for what is left."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=0.5)
    except (OSError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


def _communicate(proc: subprocess.Popen, in_data: bytes | None) -> tuple[bytes, bytes]:
    """``proc.communicate``; when it is interrupted (the run was), the command and
    everything it started are killed before the interruption goes on."""
    try:
        return proc.communicate(in_data or b"")
    except BaseException:
        _kill_group(proc)
        raise


class _LocalProcess:
    """A running child process as ``open_process`` returns it."""

    def __init__(self, proc: subprocess.Popen, prefix: bytes = b"") -> None:
        self._proc = proc
        self._prefix = prefix

    def write(self, data: bytes) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write(data)
        self._proc.stdin.flush()

    def read(self, size: int) -> bytes:
        if self._prefix:
            chunk, self._prefix = self._prefix[:size], self._prefix[size:]
            return chunk
        assert self._proc.stdout is not None
        return self._proc.stdout.read(size)

    def _close_streams(self) -> None:
        """Close the process's stdin and stdout (a module server exits on EOF)."""
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    def kill(self) -> None:
        """End the process now: close its stdin (a module server then kills the
        process groups of its children and exits), then kill its process group."""
        self._close_streams()
        try:
            self._proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            _kill_group(self._proc)

    def close(self) -> None:
        self._close_streams()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


@hookimpl
def corral_connection(name: str) -> type[LocalConnection] | None:
    return LocalConnection if name == "local" else None
