"""The executor contract: running connection requests for hosts, ``forks`` at a time.

An executor owns the processes (or threads, or remote actors) that hold the hosts'
connections.  The kernel calls it from several threads at once, one *lane* per
unit of concurrency: lane ``i`` only sends requests for the hosts that
``lane_of`` maps to ``i``, one at a time, so each host's connection is used by one
request at a time (host affinity).  Connections stay open between requests, but
only for a bounded number of hosts (``ExecutorSettings.connection_cache_size``):
what a run holds open grows with ``forks``, never with the number of hosts.
"""
from __future__ import annotations

import dataclasses
import threading
import traceback
from typing import TYPE_CHECKING, Any, Callable, Protocol, Sequence, runtime_checkable

from corral.errors import CorralConnectionFailure, CorralError, CorralInterrupted
from corral.plugins.connection import Become, ConnectionOptions

if TYPE_CHECKING:
    from corral.config import Config
    from corral.plugins.manager import PluginManager

__all__ = ["Executor", "ExecRequest", "ModuleRequest", "PutRequest", "FetchRequest", "ResetRequest", "Request",
           "Traced", "untraced", "ExecutorSettings", "Lane", "LaneExecutor", "with_limit", "Reply", "reply_of",
           "reply_value"]


@dataclasses.dataclass(frozen=True)
class ExecRequest:
    """Run ``cmd`` with ``in_data`` on stdin; reply ``(rc, stdout, stderr)``."""

    cmd: str
    in_data: bytes | None = None
    become: Become | None = None
    trace: bool = False
    #: seconds the request may run (what is left of a task's ``timeout``), or no bound
    limit: float | None = None


@dataclasses.dataclass(frozen=True)
class ModuleRequest:
    """Run a module payload with ``interpreter`` (on the host's module server when the
    connection can keep one); reply ``(rc, stdout, stderr)`` as from ``interpreter -``.
    A connection without pipelining gets the payload as a file in a private
    directory made under ``remote_tmp``."""

    interpreter: str
    payload: bytes
    environment: tuple[tuple[str, str], ...] = ()
    become: Become | None = None
    remote_tmp: str = "~/.ansible/tmp"
    trace: bool = False
    limit: float | None = None


@dataclasses.dataclass(frozen=True)
class PutRequest:
    """Copy the controller file ``local`` to ``remote``; reply ``None``."""

    local: str
    remote: str
    trace: bool = False
    limit: float | None = None


@dataclasses.dataclass(frozen=True)
class FetchRequest:
    """Copy the target file ``remote`` to the controller path ``local``; reply ``None``."""

    remote: str
    local: str
    trace: bool = False
    limit: float | None = None


@dataclasses.dataclass(frozen=True)
class ResetRequest:
    """Close the host's connection; the next request opens a new one."""


@dataclasses.dataclass(frozen=True)
class Traced:
    """The reply to a request sent with ``trace=True``: the request's own ``reply``
    and ``lines``, what was run on the host to answer it (``EXEC ...``, ``PUT ... TO
    ...``) in the order it ran, as ansible-core shows them at ``-vvv`` without the
    ``<host>`` prefix.  Executors pass it back as they pass any reply.  A request
    that raises (the host is unreachable) loses its lines."""

    reply: Any
    lines: tuple[str, ...] = ()


Request = ExecRequest | ModuleRequest | PutRequest | FetchRequest | ResetRequest


def untraced(reply: Any) -> tuple[Any, tuple[str, ...]]:
    """``(reply, lines)`` of what an executor's ``call`` returned, traced or not."""
    if isinstance(reply, Traced):
        return reply.reply, reply.lines
    return reply, ()


def with_limit(request: Request, limit: float | None) -> Request:
    """``request`` bounded to ``limit`` seconds (``None``: as it is); a
    ``ResetRequest`` takes no time worth bounding and is returned unchanged."""
    if limit is None or isinstance(request, ResetRequest):
        return request
    return dataclasses.replace(request, limit=limit)


@dataclasses.dataclass(frozen=True)
class ExecutorSettings:
    """What every executor is given: ``forks``, the plugin allow-list (so that
    worker processes load connection plugins as the controller does), and
    ``connection_cache_size``: how many hosts' connections (with their module
    servers) may be open at once across all lanes; ``0`` means ``forks``.  Each
    lane keeps at least one, so the bound in effect is never below the number of
    lanes.  ``plugins`` is the run's plugin manager: an executor that runs requests
    in this process resolves connections with it; one that runs them in other
    processes registers ``plugins.portable_plugins()`` there (the plugins
    registered in code), so every process that runs tasks has the same plugins.
    ``config`` is the run's configuration (``None`` outside a run): an executor
    that declares options of its own resolves them from it
    (``resolve_options(..., env=config.env, ini=config)``)."""

    forks: int = 5
    allow_plugins: tuple[str, ...] | None = None
    connection_cache_size: int = 0
    plugins: PluginManager | None = dataclasses.field(default=None, compare=False, repr=False)
    config: Config | None = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def max_connections(self) -> int:
        """The bound on open connections: ``connection_cache_size``, or ``forks``."""
        return max(1, int(self.connection_cache_size or self.forks))


@runtime_checkable
class Executor(Protocol):
    """Contract of executor plugins (``corral_executor`` hook).

    - ``__init__(settings)``; ``size`` is the number of lanes (at most ``forks``).
    - ``start(hosts)`` assigns hosts to lanes; it may be called again with more
      hosts (``add_host``) and must keep earlier assignments.
    - ``lane_of(host)`` is the lane of a host; a host that was not started (a
      ``delegate_to`` target) is assigned a lane on first use.
    - ``call(host, options, request)`` runs one request on the host's connection
      (created from ``options`` with the ``corral_connection`` hook on first use,
      again when the options change, and again when it was closed to keep at most
      ``settings.max_connections`` hosts' connections open, least recently used
      first) and returns its reply.  It re-raises
      ``CorralConnectionFailure`` from the connection (the host is unreachable),
      and raises ``CorralWorkerError`` when the worker died (the task fails), after
      which the executor replaces the worker so later calls work.
    - a request with a ``limit`` (what is left of a task's ``timeout``) that runs
      longer is aborted as ``interrupt()`` aborts one, killing what it started
      locally and on the host, and raises ``CorralInterrupted``; unlike an
      interrupt, this changes nothing for later requests.  (The task executor
      reports the timeout; an executor that ignores ``limit`` only lets the task
      run to its end before it is reported timed out.)
    - ``shutdown()`` closes every connection and stops every worker; bounded in time.
    - ``prepare()`` (optional) is called once, just before the run's first request is
      submitted, from the thread that submits it and before the kernel starts its
      lane threads: where an executor may fork helper processes from a controller
      that runs a single thread (``threading.active_count() == 1``); a run with no
      request never calls it.
    - ``interrupt()`` (optional; called from any thread when the run is cancelled or
      interrupted) aborts the requests running now, killing what they started
      locally and on the hosts, and makes them raise ``CorralInterrupted``; later
      calls may only be a task's cleanup (``ExecRequest``, ``ResetRequest``), the
      others raise ``CorralInterrupted``; ``shutdown()`` after it takes a few seconds
      at most.
    """

    size: int

    def start(self, hosts: Sequence[str]) -> None: ...

    def lane_of(self, host: str) -> int: ...

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any: ...

    def shutdown(self) -> None: ...


class Lane(Protocol):
    """One unit of an executor's concurrency: a worker process, a thread's
    connections, an actor.  ``call`` runs one request (the kernel sends one at a
    time per lane), aborting it once it runs longer than its ``limit``;
    ``interrupt`` aborts the one running now, from any thread."""

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any: ...

    def interrupt(self) -> None: ...


class LaneExecutor:
    """A base for executors made of lanes, for plugin authors: subclasses set
    ``self.lanes`` (``size`` :class:`Lane` objects) and write ``shutdown()``.

    It provides the rest of the :class:`Executor` contract: hosts are spread over
    the lanes round-robin in the order they are started and keep their lane for the
    whole run (host affinity); ``call`` goes to the host's lane; ``interrupt()``
    interrupts every lane, after which only a task's cleanup (``ExecRequest``,
    ``ResetRequest``) is sent and other requests raise ``CorralInterrupted``."""

    lanes: Sequence[Lane]

    def __init__(self, settings: ExecutorSettings) -> None:
        self.size = max(1, int(settings.forks))
        self.interrupted = False
        self._host_lanes: dict[str, int] = {}
        self._host_lanes_lock = threading.Lock()

    def start(self, hosts: Sequence[str]) -> None:
        with self._host_lanes_lock:
            for host in hosts:
                self._host_lanes.setdefault(host, len(self._host_lanes) % self.size)

    def lane_of(self, host: str) -> int:
        if host not in self._host_lanes:
            self.start([host])
        return self._host_lanes[host]

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        if self.interrupted and not isinstance(request, (ExecRequest, ResetRequest)):
            raise CorralInterrupted(f"The run was interrupted: nothing more runs on {host}.")
        return self.lanes[self.lane_of(host)].call(host, options, request)

    def interrupt(self) -> None:
        """Abort every running request; later calls are limited to cleanup.
        Thread-safe and idempotent."""
        self.interrupted = True
        for lane in self.lanes:
            lane.interrupt()


#: what an executor's worker (a process, a remote actor) answers its controller for one
#: request: ``("ok", reply)``, ``("unreachable", reason)``, ``("interrupted", text)``,
#: ``("failed", message)`` (a corral error) or ``("error", text with the traceback)``
#: (anything else): plain data, whatever carries it
Reply = tuple[str, Any]


def reply_of(handle: Callable[[], Any]) -> Reply:
    """Run ``handle`` (a request, in the worker) and turn its outcome into a :data:`Reply`."""
    try:
        return "ok", handle()
    except CorralConnectionFailure as exc:
        return "unreachable", exc.message
    except CorralInterrupted as exc:
        return "interrupted", exc.message
    except CorralError as exc:
        return "failed", exc.message
    except Exception as exc:  # noqa: BLE001 - sent to the controller as a task failure
        return "error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"


def reply_value(status: str, value: Any) -> Any:
    """On the controller, the inverse of :func:`reply_of`: the request's reply, or the
    error it raised (:class:`CorralConnectionFailure`, :class:`CorralInterrupted`,
    :class:`CorralError`; ``RuntimeError`` for any other)."""
    if status == "ok":
        return value
    if status == "unreachable":
        raise CorralConnectionFailure(value)
    if status == "interrupted":
        raise CorralInterrupted(value)
    if status == "failed":
        raise CorralError(value)
    raise RuntimeError(value)
