"""The ``inline`` executor: tasks run in the controller's own process.

No worker processes: lane ``i`` of the run (one controller thread per fork, see
:mod:`corral.executor.lanes`) runs its hosts' requests itself, on a
:class:`~corral.executor.connections.ConnectionCache` of its own that keeps the
connections of its most recently used hosts open (its share of
``ExecutorSettings.max_connections``).  Connections come from the run's own plugin
manager, so plugins registered in code (``PluginManager.register``), even ones
defined in ``__main__`` or in a test function, work as they are.  For embedding
corral in an application and for tests; ``executor = inline`` or
``CORRAL_EXECUTOR=inline`` selects it.

``interrupt()`` (the run was interrupted) kills the module servers of the requests
running now, so the modules and the commands they started end, and those requests
raise :class:`corral.errors.CorralInterrupted`; from then on only commands
(``ExecRequest``: a task's cleanup) and resets run.  A command run without a
module server (``raw``, or a connection without ``open_process``) cannot be
stopped from another thread: it ends on its own (or by its timeout).  A request
with a ``limit`` (a task's ``timeout``) is aborted the same way once it runs longer.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from corral.errors import CorralInterrupted
from corral.executor.connections import ConnectionCache
from corral.plugins import hookimpl
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import ExecutorSettings, LaneExecutor, Request
from corral.plugins.manager import PluginManager

__all__ = ["InlineExecutor"]

_SHUTDOWN_TIMEOUT = 30.0
_INTERRUPTED_SHUTDOWN = 3.0     # seconds a lane still busy after an interrupt is waited for
_ABORT_LIMIT = 2.0              # seconds an aborted request's module servers keep being killed


class _Lane:
    """The connections of one lane, used by one request at a time."""

    def __init__(self, cache: ConnectionCache) -> None:
        self.cache = cache
        self._lock = threading.Lock()          # held while a request runs
        self._state = threading.Lock()         # guards running/aborted, never held for long
        self._running: str | None = None
        self._aborted = False
        self._serial = 0                       # counts requests: tells the aborted one from later ones

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        with self._lock:
            with self._state:
                self._running, self._aborted = host, False
                self._serial += 1
            limit = getattr(request, "limit", None)
            timer = threading.Timer(limit, self._expire, args=(self._serial,)) if limit is not None else None
            if timer is not None:
                timer.daemon = True
                timer.start()
            try:
                reply = self.cache.handle(host, options, request)
            except Exception as exc:
                if self._finish(timer):
                    raise self._abort(host) from exc
                raise
            if self._finish(timer):
                raise self._abort(host)
            return reply

    def _expire(self, serial: int) -> None:
        """Request ``serial`` ran out of its ``limit``: abort it if it still runs."""
        self._abort_running(serial)

    def _finish(self, timer: threading.Timer | None = None) -> bool:
        """The request is over (its ``limit`` timer, if any, stopped): whether it was
        interrupted while it ran."""
        if timer is not None:
            timer.cancel()
        with self._state:
            aborted, self._running = self._aborted, None
            return aborted

    def _abort(self, host: str) -> CorralInterrupted:
        self.cache.abort(host)
        return CorralInterrupted(f"The task on {host} was interrupted.")

    def interrupt(self) -> None:
        """Abort the request running now, if any (callable from any thread)."""
        self._abort_running(None)

    def _abort_running(self, serial: int | None) -> None:
        """Abort the request running now if it is request ``serial`` (any, if ``None``)."""
        with self._state:
            if self._running is None or serial not in (None, self._serial):
                return
            self._aborted = True
            serial = self._serial
        self.cache.kill_servers()
        threading.Thread(target=self._kill_until_over, args=(serial,), name="corral-inline-abort",
                         daemon=True).start()

    def _kill_until_over(self, serial: int) -> None:
        """Go on killing the lane's module servers while the aborted request runs
        (for at most :data:`_ABORT_LIMIT` seconds): one it started after the first
        kill, retrying on a new server, goes too."""
        deadline = time.monotonic() + _ABORT_LIMIT
        while time.monotonic() < deadline:
            time.sleep(0.05)
            with self._state:
                if self._running is None or self._serial != serial:
                    return
            self.cache.kill_servers()

    def close(self, timeout: float) -> None:
        """Close every connection once the running request is over; after
        ``timeout`` seconds, only kill its module servers (its thread is stuck)."""
        if self._lock.acquire(timeout=timeout):
            try:
                self.cache.close_all()
            finally:
                self._lock.release()
        else:
            self.cache.kill_servers()


class InlineExecutor(LaneExecutor):
    """``forks`` lanes in this process; hosts are spread over them round-robin."""

    def __init__(self, settings: ExecutorSettings) -> None:
        super().__init__(settings)
        plugins = settings.plugins if settings.plugins is not None else PluginManager(allow=settings.allow_plugins)
        per_lane = max(1, settings.max_connections // self.size)
        self._lanes = [_Lane(ConnectionCache(plugins.connection_class, max_hosts=per_lane))
                       for _ in range(self.size)]
        self.lanes = self._lanes

    def shutdown(self) -> None:
        deadline = time.monotonic() + (_INTERRUPTED_SHUTDOWN if self.interrupted else _SHUTDOWN_TIMEOUT)
        for lane in self._lanes:
            lane.close(max(deadline - time.monotonic(), 0.0))


@hookimpl
def corral_executor(name: str) -> type[InlineExecutor] | None:
    return InlineExecutor if name == "inline" else None
