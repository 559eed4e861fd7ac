"""The ``ray`` executor: the run's lanes served by Ray actors that own shards of hosts.

The controller keeps the kernel's lanes (``forks`` of them, one strategy thread
each); lane ``i`` sends its hosts' requests to actor ``i % actors`` and waits for
the reply, so a host stays with one actor, with its connection and module servers,
for the whole run (host affinity).  The actors are spread round-robin over the
nodes that offer CPUs when the run starts (a replacement goes wherever Ray places
it) and belong to the run: they end with it.

At start every actor says what it can load; a plugin the controller has (a
connection, become or content plugin, which the processes that run tasks load) that
an actor's node lacks fails the run at once, naming the distribution to install.

An actor that dies (killed, its process or node lost): the requests it was running
fail their tasks on those hosts with :class:`corral.errors.CorralWorkerError`
naming the cause, never retried (a request may have run on its host); the next
request of any of its hosts goes to a new actor, which reconnects.
"""
from __future__ import annotations

import importlib.metadata
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import ray
from ray.exceptions import GetTimeoutError, ObjectLostError, RayActorError, RaySystemError, WorkerCrashedError
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from corral.errors import CorralError, CorralInterrupted, CorralWorkerError
from corral.plugins.connection import ConnectionOptions
from corral.plugins.executor import (ExecutorSettings, FetchRequest, LaneExecutor, PutRequest, Request, Traced,
                                    reply_value, untraced)
from corral.plugins.manager import PluginManager
from corral.plugins.options import ResolvedOptions, resolve_options

from corral_executor_ray import cluster
from corral_executor_ray.options import OPTIONS
from corral_executor_ray.shard import WORKER_KINDS, Download, HostShard, Upload

__all__ = ["RayExecutor"]

_SHUTDOWN_TIMEOUT = 10.0
_INTERRUPTED_SHUTDOWN = 3.0
_ATTEMPTS = 3           # actors a request is sent to when the ones before were found dead before it was sent
_LOST = (RayActorError, WorkerCrashedError, ObjectLostError, RaySystemError)
_NO_MODULE = re.compile(r"No module named '([\w.]+)'")


class _Slot:
    """One actor of the run and its replacements: :meth:`current` makes one when
    there is none, :meth:`lost` drops the one that died (once, whichever of its
    lanes or the executor's watcher notices first) and tells when its death was
    first noticed."""

    def __init__(self, make: Any, index: int) -> None:
        self._make = make
        self.index = index
        self._lock = threading.Lock()
        self._actor: Any = None
        self.generation = 0
        self._noticed: dict[int, float] = {}     # generation -> when its death was noticed
        self.closed = False

    def current(self) -> tuple[int, Any]:
        with self._lock:
            if self.closed:
                raise CorralInterrupted("The run's Ray actors were stopped.")
            if self._actor is None:
                self.generation += 1
                self._actor = self._make(self, self.generation)
            return self.generation, self._actor

    def peek(self) -> Any:
        """The live actor, or ``None`` (no new one is made)."""
        return self._actor

    def lost(self, generation: int) -> float:
        """Actor ``generation`` died: drop it (a later request makes a new one);
        the ``time.monotonic()`` at which its death was first noticed."""
        with self._lock:
            if generation == self.generation and self._actor is not None:
                dead, self._actor = self._actor, None
                _kill(dead)
            return self._noticed.setdefault(generation, time.monotonic())

    def close(self) -> Any:
        """Stop making actors; the live one, if any."""
        with self._lock:
            self.closed = True
            actor, self._actor = self._actor, None
            return actor


def _kill(actor: Any) -> None:
    try:
        ray.kill(actor, no_restart=True)
    except Exception:  # noqa: BLE001 - it is gone already
        pass


def _cause(exc: BaseException) -> str:
    """The gist of Ray's account of a lost actor: why it died, and on which node."""
    text = " ".join(str(exc).split())
    ip = re.search(r"\bip: (\S+)", str(exc))
    parts = [found.group(0) for found in (re.search(r"The actor (is dead|died) because.*?\.(?=\s|$)", text),
                                           re.search(r"Worker exit type: \S+", text)) if found]
    reason = " ".join(parts) if parts else text.split(". ")[0] if text else type(exc).__name__
    return f"{reason.rstrip('.')}{f' (node {ip.group(1)})' if ip else ''}"


class _RemoteLane:
    """Lane ``index`` of the run: its requests go to its slot's actor."""

    def __init__(self, slot: _Slot, index: int) -> None:
        self._slot = slot
        self._index = index

    def call(self, host: str, options: ConnectionOptions, request: Request) -> Any:
        message: Request | Upload | Download = request
        if isinstance(request, PutRequest):
            message = Upload(Path(request.local).read_bytes(), request.remote, request.limit, request.trace,
                             request.local)
        elif isinstance(request, FetchRequest):
            message = Download(request.remote, request.limit, request.trace, request.local)
        for attempt in range(_ATTEMPTS):
            generation, actor = self._slot.current()
            sent = time.monotonic()
            try:
                status, value = ray.get(actor.call.remote(self._index, host, options, message))
                break
            except _LOST as exc:
                if self._slot.lost(generation) < sent and attempt + 1 < _ATTEMPTS:
                    continue    # it was known dead before this request was sent: the request never ran
                raise CorralWorkerError(f"The Ray actor running this task for {host} died: {_cause(exc)}; "
                                        f"a new actor takes over its hosts.") from None
        value = reply_value(status, value)
        if isinstance(request, FetchRequest):
            data, lines = untraced(value)
            local = Path(request.local)
            local.parent.mkdir(parents=True, exist_ok=True)
            local.write_bytes(data)
            return Traced(None, lines) if request.trace else None
        return value

    def interrupt(self) -> None:
        actor = self._slot.peek()
        if actor is not None:
            try:
                actor.interrupt.remote(self._index)
            except _LOST:
                pass


def _settings(settings: ExecutorSettings) -> ResolvedOptions:
    config = settings.config
    return resolve_options(OPTIONS, plugin="executor plugin 'ray'", env=config.env if config is not None else None,
                           ini=config)


def _distribution_of_module(module: str) -> str:
    names = importlib.metadata.packages_distributions().get(module.split(".")[0], [])
    return names[0] if names else module


class RayExecutor(LaneExecutor):
    """``forks`` lanes served by Ray actors (see the module's docstring)."""

    OPTIONS = OPTIONS

    def __init__(self, settings: ExecutorSettings) -> None:
        super().__init__(settings)
        options = _settings(settings)
        self._start_timeout = float(options["start_timeout"])
        self._plugins = settings.plugins if settings.plugins is not None else PluginManager(
            allow=settings.allow_plugins)
        registered = self._plugins.portable_plugins()
        cluster.attach(options["address"] or None, str(options["namespace"]), float(options["connect_timeout"]))
        self._slots: list[_Slot] = []
        self._watches: dict[Any, tuple[_Slot, int]] = {}
        self._watches_lock = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = False
        try:
            count = int(options["actors"] or 0) or int(ray.cluster_resources().get("CPU", 1))
            count = max(1, min(self.size, count))
            run = uuid.uuid4().hex[:8]
            remote = ray.remote(HostShard)
            actor_options: dict[str, Any] = {
                "namespace": str(options["namespace"]), "num_cpus": float(options["actor_cpus"]),
                # its lanes, plus the controller's watch, interrupt and close calls
                "max_concurrency": -(-self.size // count) + 3, "max_restarts": 0, "max_task_retries": 0}
            if options["runtime_env"]:
                actor_options["runtime_env"] = dict(options["runtime_env"])
            per_lane = max(1, settings.max_connections // self.size)

            alive = [node for node in ray.nodes() if node.get("Alive")]
            # nodes that offer CPUs (a head node kept for Ray's own services offers none)
            nodes = sorted(node["NodeID"] for node in alive if node.get("Resources", {}).get("CPU", 0) > 0) or \
                sorted(node["NodeID"] for node in alive)

            def make(slot: _Slot, generation: int) -> Any:
                # the first actors round-robin over the nodes alive at the start; a
                # replacement goes wherever Ray places it (its node may be gone)
                placement: Any = NodeAffinitySchedulingStrategy(nodes[slot.index % len(nodes)], soft=False) \
                    if nodes and generation == 1 else "DEFAULT"
                actor: Any = remote.options(name=f"corral-{run}-{slot.index}-{generation}",
                                            scheduling_strategy=placement, **actor_options).remote(
                    settings.allow_plugins, registered.plugins, registered.path, per_lane)
                with self._watches_lock:
                    self._watches[actor.watch.remote()] = (slot, generation)
                return actor

            self._slots = [_Slot(make, index) for index in range(count)]
            self._check([slot.current()[1] for slot in self._slots])
        except BaseException:
            self._stop(time.monotonic() + _INTERRUPTED_SHUTDOWN)
            raise
        self.lanes = [_RemoteLane(self._slots[index % count], index) for index in range(self.size)]
        threading.Thread(target=self._watch, name="corral-ray-watch", daemon=True).start()

    def _watch(self) -> None:
        """Notice actors that die while none of their lanes waits on them, so that
        their hosts' next requests go to a new actor."""
        while not self._stopping.is_set():
            with self._watches_lock:
                pending = list(self._watches)
            if not pending:
                self._stopping.wait(0.2)
                continue
            ready, _ = ray.wait(pending, num_returns=1, timeout=0.5)
            for ref in ready:
                with self._watches_lock:
                    slot, generation = self._watches.pop(ref)
                try:
                    ray.get(ref)
                except _LOST:
                    if not self._stopping.is_set():
                        slot.lost(generation)

    def _check(self, actors: list[Any]) -> None:
        """Every actor started and can load what the controller's task processes load."""
        try:
            described = ray.get([actor.describe.remote() for actor in actors], timeout=self._start_timeout)
        except GetTimeoutError:
            raise cluster.RayClusterError(
                f"The Ray executor's actors did not start within {self._start_timeout:g} seconds (start_timeout): "
                f"the cluster may lack the CPUs they ask for (actor_cpus) or cannot start workers.") from None
        except _LOST as exc:
            module = _NO_MODULE.search(str(exc))
            if module:
                raise cluster.RayClusterError(
                    f"The Ray executor's actors cannot start: the Ray nodes lack the distribution "
                    f"'{_distribution_of_module(module.group(1))}' (No module named '{module.group(1)}'). "
                    f"Install corral's distributions on every Ray node, or list them in the executor's "
                    f"runtime_env.") from None
            raise cluster.RayClusterError(f"The Ray executor's actors cannot start: {_cause(exc)}") from None
        for found in described:
            if found["setup_error"]:
                raise cluster.RayClusterError(f"The Ray executor's actor on node {found['node']} cannot load the "
                                              f"run's plugins: {found['setup_error']}")
            problems = []
            for kind in WORKER_KINDS:
                for info in self._plugins.installed(kind):
                    there = found["plugins"].get(f"{kind}:{info.name}")
                    if there is None:
                        problems.append(f"the distribution '{info.distribution}' {info.version} "
                                        f"({kind} plugin '{info.name}') is not installed there")
                    elif there[2] and self._loads_here(kind, info.name):
                        problems.append(f"{kind} plugin '{info.name}' does not load there: {there[2]}")
            if problems:
                raise cluster.RayClusterError(
                    f"The Ray executor cannot run tasks on node {found['node']}: {'; '.join(problems)}. "
                    f"Install the same corral distributions on every Ray node as on the controller, or list "
                    f"them in the executor's runtime_env.")

    def _loads_here(self, kind: str, name: str) -> bool:
        """Whether the controller loads the plugin (one broken here too is no node's fault)."""
        try:
            self._plugins.load(kind, name)
        except CorralError:
            return False
        return True

    def actors(self) -> list[Any]:
        """The run's live actors (Ray actor handles), by slot."""
        return [slot.peek() for slot in self._slots]

    def _stop(self, deadline: float) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._stopping.set()
        actors = [actor for actor in (slot.close() for slot in self._slots) if actor is not None]
        try:
            if actors:
                closing = [actor.close.remote() for actor in actors]
                ray.wait(closing, num_returns=len(closing), timeout=max(deadline - time.monotonic(), 0.1))
            for actor in actors:
                _kill(actor)
        finally:
            cluster.release()

    def shutdown(self) -> None:
        self._stop(time.monotonic() + (_INTERRUPTED_SHUTDOWN if self.interrupted else _SHUTDOWN_TIMEOUT))
