"""The ``local`` connection: commands run as child processes of the worker."""
from __future__ import annotations

import os
import shutil
import subprocess

from corral.errors import CorralConnectionFailure, CorralError
from corral.plugins import hookimpl
from corral.plugins.become import build_become_command, run_become_handshake, scrub
from corral.plugins.connection import Become, ConnectionBase

__all__ = ["LocalConnection"]


class LocalConnection(ConnectionBase):
    """Runs commands with ``/bin/sh -c`` on the controller; files are copied."""

    transport = "local"

    def connect(self) -> None:
        """Nothing to open."""

    def exec_command(self, cmd: str, in_data: bytes | None = None,
                     become: Become | None = None) -> tuple[int, bytes, bytes]:
        if become is not None:
            return self._exec_become(cmd, in_data, become)
        try:
            proc = subprocess.Popen(["/bin/sh", "-c", cmd], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise CorralConnectionFailure(f"Failed to run /bin/sh on the controller: {exc}") from exc
        out, err = proc.communicate(in_data or b"")
        return proc.returncode, out, err

    def _exec_become(self, cmd: str, in_data: bytes | None, become: Become) -> tuple[int, bytes, bytes]:
        wrapped = build_become_command(cmd, become)
        proc = subprocess.Popen(["/bin/sh", "-c", wrapped.cmd], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        assert proc.stdin and proc.stdout and proc.stderr
        handshake = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                         wrapped, timeout=float(self.options.timeout or 10))
        if handshake.failed:
            proc.kill()
            proc.wait()
            return 1, b"", handshake.failed.encode() + b"\n"
        out, err = proc.communicate(in_data or b"")
        return (proc.returncode, handshake.stdout + out,
                scrub(handshake.stderr + err, become.password))

    def open_process(self, cmd: str, become: Become | None = None) -> "_LocalProcess":
        """Start ``cmd`` and keep it running (the executor's module server)."""
        wrapped = build_become_command(cmd, become) if become is not None else None
        try:
            proc = subprocess.Popen(["/bin/sh", "-c", wrapped.cmd if wrapped else cmd], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if not wrapped
                                    else subprocess.PIPE, start_new_session=True, bufsize=0)
        except OSError as exc:
            raise CorralConnectionFailure(f"Failed to run /bin/sh on the controller: {exc}") from exc
        prefix = b""
        if wrapped is not None:
            assert proc.stdin and proc.stdout and proc.stderr
            handshake = run_become_handshake(proc.stdin.fileno(), proc.stdout.fileno(), proc.stderr.fileno(),
                                             wrapped, timeout=float(self.options.timeout or 10))
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

    def close(self) -> None:
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


@hookimpl
def corral_connection(name: str) -> type[LocalConnection] | None:
    return LocalConnection if name == "local" else None
