"""The ``forking`` executor: ``forks`` long-lived worker processes.

Each worker owns the hosts assigned to its lane and keeps their connections open for
the whole run (host affinity).  A worker is a fresh interpreter running
:mod:`corral_executor_forking.worker`, started when its lane first needs it: unlike
``fork()`` this is safe while the controller runs threads (several runs in one
process), and unlike :mod:`multiprocessing` it never re-imports the caller's main
script, so scripts without an ``if __name__ == "__main__"`` guard work.  A worker
that dies is replaced: the request it was running fails (the task fails on that host)
and later requests go to a new worker.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any, Sequence

from corral.errors import CorralConnectionFailure, CorralError, CorralWorkerError
from corral.plugins import hookimpl
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecutorSettings, Request

__all__ = ["ForkingExecutor"]

_SHUTDOWN_TIMEOUT = 10.0


class _Worker:
    """One worker process and the pipe to it; ``call`` is serialized by a lock."""

    def __init__(self, allow: tuple[str, ...] | None) -> None:
        self._allow = allow
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None

    def _spawn(self) -> None:
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        command = [sys.executable, "-m", "corral_executor_forking.worker", str(to_worker_r), str(from_worker_w)]
        if self._allow is not None:
            command.append(",".join(self._allow))
        try:
            process = subprocess.Popen(command, pass_fds=(to_worker_r, from_worker_w), stdin=subprocess.DEVNULL,
                                       close_fds=True)
        finally:
            os.close(to_worker_r)
            os.close(from_worker_w)
        self._process = process
        self._send = Connection(to_worker_w, readable=False)
        self._recv = Connection(from_worker_r, writable=False)

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._reap()
                self._spawn()
            try:
                self._send.send((host, options, request))
                status, value = self._recv.recv()
            except (EOFError, OSError) as exc:
                code = self._process.poll() if self._process is not None else None
                self._reap()
                raise CorralWorkerError(
                    f"The worker process running this task for {host} died (exit code {code}); "
                    f"a new worker takes over its hosts."
                ) from exc
        if status == "ok":
            return value
        if status == "unreachable":
            raise CorralConnectionFailure(value)
        if status == "failed":
            raise CorralError(value)
        raise RuntimeError(value)

    def _reap(self) -> None:
        for conn in (self._send, self._recv):
            if conn is not None:
                conn.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._process, self._send, self._recv = None, None, None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def stop(self) -> None:
        with self._lock:
            if self._process is None:
                return
            try:
                self._send.send(None)
                self._process.wait(timeout=_SHUTDOWN_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._reap()


class ForkingExecutor:
    """Forks up to ``forks`` workers; hosts are spread over them round-robin."""

    def __init__(self, settings: ExecutorSettings) -> None:
        self.size = max(1, int(settings.forks))
        self._workers = [_Worker(settings.allow_plugins) for _ in range(self.size)]
        self._lanes: dict[str, int] = {}
        self._lock = threading.Lock()

    def start(self, hosts: Sequence[str]) -> None:
        with self._lock:
            for host in hosts:
                if host not in self._lanes:
                    self._lanes[host] = len(self._lanes) % self.size

    def lane_of(self, host: str) -> int:
        if host not in self._lanes:
            self.start([host])
        return self._lanes[host]

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        return self._workers[self.lane_of(host)].call(host, options, request)

    def worker_pids(self) -> list[int | None]:
        """PIDs of the running workers (``None`` where none was started yet)."""
        return [worker.pid for worker in self._workers]

    def shutdown(self) -> None:
        for worker in self._workers:
            worker.stop()


@hookimpl
def corral_executor(name: str) -> type[ForkingExecutor] | None:
    return ForkingExecutor if name == "forking" else None
