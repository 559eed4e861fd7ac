"""The actor side: :class:`HostShard`, one Ray actor owning a shard of the run's hosts.

An actor serves some of the run's lanes (the controller's lane ``i`` goes to actor
``i % actors``), each lane with its own
:class:`~corral.executor.connections.ConnectionCache` (its share of the run's bound
on open connections) and one request at a time; the actor runs its lanes in
threads (Ray's ``max_concurrency``), with room for the controller's control calls
(``watch``, ``interrupt``, ``close``).  Connections and module servers stay open in the actor
between requests, as in a ``forking`` worker.

Nothing raised here reaches Ray (whose worker logs would print it): every request
is answered with a :data:`corral.plugins.executor.Reply`, as the forking worker's.

Files move by value, because the actor may run on another machine than the
controller: :class:`Upload` carries the bytes of a ``PutRequest``'s controller
file, :class:`Download` returns the bytes of a ``FetchRequest``'s target file.
"""
from __future__ import annotations

import dataclasses
import os
import socket
import tempfile
import threading
import time
from typing import Any

import ray

from corral.errors import CorralError, CorralInterrupted
from corral.executor.connections import ConnectionCache
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import FetchRequest, PutRequest, Reply, Request, Traced, reply_of, untraced
from corral.plugins.manager import PluginManager
from corral.plugins.portable import PortablePlugins

__all__ = ["HostShard", "Upload", "Download", "WORKER_KINDS"]

#: the plugin kinds the processes that run tasks load: connections, the become
#: methods their ``Become`` names, and the content plugins that resolve connection
#: names from collections
WORKER_KINDS = ("connection", "become", "content")
_ABORT_LIMIT = 2.0      # seconds an aborted request's module servers keep being killed


@dataclasses.dataclass(frozen=True)
class Upload:
    """A ``PutRequest`` with the controller file's bytes: written to a private
    file on the actor's node, then put to ``remote``."""

    data: bytes
    remote: str
    limit: float | None = None
    trace: bool = False
    #: the controller's path of the file, shown in the trace in place of the private file
    local: str = ""


@dataclasses.dataclass(frozen=True)
class Download:
    """A ``FetchRequest``: the target file ``remote`` is fetched to a private file
    on the actor's node and its bytes answered (in a ``Traced`` when ``trace``)."""

    remote: str
    limit: float | None = None
    trace: bool = False
    #: the controller's path the bytes go to, shown in the trace in place of the private file
    local: str = ""


class _Lane:
    """One lane's connections in the actor, used by one request at a time;
    :meth:`interrupt` (another thread) aborts the running one."""

    def __init__(self, cache: ConnectionCache) -> None:
        self.cache = cache
        self._lock = threading.Lock()
        self._state = threading.Lock()
        self._running = False
        self._aborted = False
        self._serial = 0

    def handle(self, host: str, options: ConnectionOptions, request: Any) -> Any:
        """Run ``request``; one with a ``limit`` (a task's ``timeout``) that runs
        longer is aborted as :meth:`interrupt` aborts it."""
        with self._lock:
            with self._state:
                self._running, self._aborted = True, False
                self._serial += 1
            limit = getattr(request, "limit", None)
            timer = threading.Timer(limit, self._abort_running, args=(self._serial,)) if limit is not None else None
            if timer is not None:
                timer.daemon = True
                timer.start()
            try:
                reply = _run(self.cache, host, options, request)
            except Exception:
                if self._finish(timer):
                    self.cache.abort(host)
                    raise CorralInterrupted(f"The task on {host} was interrupted.") from None
                raise
            if self._finish(timer):
                self.cache.abort(host)
                raise CorralInterrupted(f"The task on {host} was interrupted.")
            return reply

    def _finish(self, timer: threading.Timer | None) -> bool:
        if timer is not None:
            timer.cancel()
        with self._state:
            aborted, self._running = self._aborted, False
            return aborted

    def interrupt(self) -> None:
        self._abort_running(None)

    def _abort_running(self, serial: int | None) -> None:
        """Abort the running request if it is request ``serial`` (any, if ``None``)."""
        with self._state:
            if not self._running or serial not in (None, self._serial):
                return
            self._aborted = True
            serial = self._serial
        self.cache.kill_servers()
        threading.Thread(target=self._kill_until_over, args=(serial,), daemon=True).start()

    def _kill_until_over(self, serial: int) -> None:
        deadline = time.monotonic() + _ABORT_LIMIT
        while time.monotonic() < deadline:
            time.sleep(0.05)
            with self._state:
                if not self._running or self._serial != serial:
                    return
            self.cache.kill_servers()

    def close(self) -> None:
        with self._lock:
            self.cache.close_all()


def _run(cache: ConnectionCache, host: str, options: ConnectionOptions, request: Any) -> Any:
    if isinstance(request, Upload):
        with tempfile.TemporaryDirectory(prefix="corral-ray-") as folder:
            local = os.path.join(folder, "upload")
            with open(local, "wb") as handle:
                handle.write(request.data)
            reply, lines = untraced(cache.handle(
                host, options, PutRequest(local, request.remote, trace=request.trace, limit=request.limit)))
            return Traced(reply, tuple(line.replace(local, request.local) for line in lines)) \
                if request.trace else reply
    if isinstance(request, Download):
        with tempfile.TemporaryDirectory(prefix="corral-ray-") as folder:
            local = os.path.join(folder, "download")
            _, lines = untraced(cache.handle(host, options, FetchRequest(request.remote, local, trace=request.trace,
                                                                         limit=request.limit)))
            with open(local, "rb") as handle:
                data = handle.read()
            return Traced(data, tuple(line.replace(local, request.local) for line in lines)) \
                if request.trace else data
    return cache.handle(host, options, request)


class HostShard:
    """A Ray actor's state: the lanes it serves and their connections.

    Built with the run's plugin allow-list, the controller's plugins registered in
    code (``PortablePlugins`` as ``(reference, name)`` pairs and ``sys.path``) and
    each lane's bound on open connections.  A plugin setup that fails is kept and
    reported by :meth:`describe` and every request, never raised."""

    def __init__(self, allow: tuple[str, ...] | None, registered: tuple[tuple[str, str | None], ...],
                 path: tuple[str, ...], max_hosts: int) -> None:
        self._max_hosts = max_hosts
        self._lanes: dict[int, _Lane] = {}
        self._lanes_lock = threading.Lock()
        self._setup_error: str | None = None
        self._closed = threading.Event()
        self._plugins = PluginManager(allow=allow)
        try:
            PortablePlugins(registered, path).register_into(self._plugins.register)
        except CorralError as exc:
            self._setup_error = exc.message
        except Exception as exc:  # noqa: BLE001 - reported to the controller by describe()
            self._setup_error = f"{type(exc).__name__}: {exc}"

    def describe(self) -> dict[str, Any]:
        """Where the actor runs and what it can load: ``node`` (host name),
        ``node_id`` (Ray's), ``pid``,
        ``setup_error``, and ``plugins``: ``{"kind:name": [distribution, version,
        load error or None]}`` for every installed plugin of :data:`WORKER_KINDS`."""
        plugins: dict[str, list[Any]] = {}
        for kind in WORKER_KINDS:
            for info in self._plugins.installed(kind):
                error = None
                try:
                    self._plugins.load(kind, info.name)
                except CorralError as exc:
                    error = exc.message
                plugins[f"{kind}:{info.name}"] = [info.distribution, info.version, error]
        return {"node": socket.gethostname(), "node_id": ray.get_runtime_context().get_node_id(),
                "pid": os.getpid(), "setup_error": self._setup_error, "plugins": plugins}

    def _lane(self, lane: int) -> _Lane:
        with self._lanes_lock:
            if lane not in self._lanes:
                self._lanes[lane] = _Lane(ConnectionCache(self._plugins.connection_class, max_hosts=self._max_hosts))
            return self._lanes[lane]

    def call(self, lane: int, host: str, options: ConnectionOptions, request: Request | Upload | Download
             ) -> Reply:
        """Run one request on ``host``'s connection in ``lane``; ``(status, value)``."""
        if self._setup_error is not None:
            return "failed", self._setup_error
        return reply_of(lambda: self._lane(lane).handle(host, options, request))

    def interrupt(self, lane: int) -> None:
        """Abort the request ``lane`` runs now, if any (the run was interrupted)."""
        with self._lanes_lock:
            found = self._lanes.get(lane)
        if found is not None:
            found.interrupt()

    def watch(self) -> None:
        """Return when the actor is closed: the controller learns from this call's
        failure that the actor died, even while none of its lanes runs a request."""
        self._closed.wait()

    def close(self) -> None:
        """Close every connection and module server (the run is over)."""
        self._closed.set()
        with self._lanes_lock:
            lanes = list(self._lanes.values())
        for lane in lanes:
            lane.close()
