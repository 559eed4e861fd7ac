"""The ``forking`` executor: ``forks`` long-lived worker processes.

Each worker owns the hosts assigned to its lane and keeps their connections open for
the whole run (host affinity).  Workers are forked from a fork server (so forking is
safe even when the controller runs several threads) when their lane first needs
them, and replaced when one dies: the request it was running fails with "worker died"
(the host is reported unreachable for that task) and later requests go to a new one.
"""
from __future__ import annotations

import multiprocessing
import threading
import traceback
from typing import Any, Sequence

from corral.errors import CorralConnectionFailure
from corral.plugins import hookimpl
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecutorSettings, Request

__all__ = ["ForkingExecutor"]

_SHUTDOWN_TIMEOUT = 10.0
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["corral.plugins.manager", "corral.executor.connections", "corral.errors"])


def _worker_main(conn: Any, allow: tuple[str, ...] | None) -> None:
    """A worker: answer requests from the controller until told to stop."""
    from corral.executor.connections import ConnectionCache
    from corral.plugins.manager import PluginManager

    plugins = PluginManager(allow=allow)
    cache = ConnectionCache(plugins.connection_class)
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            host, options, request = message
            try:
                reply = ("ok", cache.handle(host, options, request))
            except CorralConnectionFailure as exc:
                reply = ("unreachable", exc.message)
            except Exception as exc:  # noqa: BLE001 - sent to the controller as a task failure
                reply = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            conn.send(reply)
    finally:
        cache.close_all()


class _Worker:
    """One worker process and the pipe to it; ``call`` is serialized by a lock."""

    def __init__(self, allow: tuple[str, ...] | None) -> None:
        self._allow = allow
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Any = None

    def _spawn(self) -> None:
        parent, child = _context.Pipe()
        process = _context.Process(target=_worker_main, args=(child, self._allow), daemon=True,
                                   name="corral-worker")
        process.start()
        child.close()
        self._process, self._conn = process, parent

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._reap()
                self._spawn()
            try:
                self._conn.send((host, options, request))
                status, value = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError) as exc:
                code = self._process.exitcode if self._process is not None else None
                self._reap()
                raise CorralConnectionFailure(
                    f"worker died while running a task for {host} (exit code {code}): {exc or 'connection lost'}"
                ) from exc
        if status == "ok":
            return value
        if status == "unreachable":
            raise CorralConnectionFailure(value)
        raise RuntimeError(value)

    def _reap(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.join(timeout=1)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(timeout=1)
        self._process, self._conn = None, None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def stop(self) -> None:
        with self._lock:
            if self._process is None:
                return
            try:
                self._conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            self._process.join(timeout=_SHUTDOWN_TIMEOUT)
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
