"""The typed API: run a playbook and get per-host results and the ordered events.

``run_playbook`` prints nothing unless ``stdout_callback`` names one; it never calls
``sys.exit``; several runs may go on at once in one process (each has its own
plugins, variables, workers and event stream)::

    from corral.api import run_playbook
    result = run_playbook("site.yml", inventory="hosts.ini", extra_vars={"x": 1})
    result.rc                      # Ansible's exit code: 0, 2 (failed), 4 (unreachable)
    result.hosts["web1"].stats     # {'ok': 3, 'changed': 1, ...}
    result.hosts["web1"].results   # [TaskOutcome(task='install', status='changed', result={...}), ...]
    result.events                  # ansible-runner job events, in order

``stream_playbook`` runs in a background thread and hands back the event stream at
once (iterate it, or ``async for`` over it) with a future for the ``RunResult``.

A run is cancelled from another thread with a :class:`Cancellation` passed as
``cancel=``: ``cancel.cancel()`` aborts the running tasks (killing what they
started), and ``run_playbook`` returns promptly with ``rc`` 16
(``TaskQueueManager.RUN_USER_INTERRUPTED``).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import threading
from typing import Any, Iterable, Mapping, Sequence

from corral.assembly import RunObjects, assemble
from corral.config import Config
from corral.events import JobEventCallback, JobEventStream
from corral.executor.playbook_executor import PlaybookExecutor, validate_actions
from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory.slicing import HostSlice
from corral.plugins.callback import CallbackBase
from corral.plugins.manager import PluginManager
from corral.settings import RunSettings
from corral.stats import AggregateStats

__all__ = ["run_playbook", "stream_playbook", "Cancellation", "RunResult", "HostResult", "TaskOutcome"]


class Cancellation:
    """Cancels, from any thread, the runs it was given to (``run_playbook(cancel=...)``);
    a run given an already cancelled one runs nothing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._managers: list[TaskQueueManager] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            managers = list(self._managers)
        for manager in managers:
            manager.cancel()

    def _attach(self, manager: TaskQueueManager) -> None:
        with self._lock:
            self._managers.append(manager)
            cancelled = self._cancelled
        if cancelled:
            manager.cancel()


@dataclasses.dataclass(frozen=True)
class TaskOutcome:
    """One task's result on one host: ``status`` is ``ok``, ``changed``, ``failed``,
    ``ignored``, ``skipped`` or ``unreachable``."""

    task: str
    action: str
    status: str
    result: Mapping[str, Any]


@dataclasses.dataclass
class HostResult:
    """Everything that happened on one host."""

    name: str
    stats: dict[str, int] = dataclasses.field(default_factory=dict)
    results: list[TaskOutcome] = dataclasses.field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.stats.get("failures") or self.stats.get("unreachable"))


@dataclasses.dataclass
class RunResult:
    """A finished run: exit code, per-host results, job events, stats."""

    rc: int
    hosts: dict[str, HostResult]
    events: list[dict[str, Any]]
    stats: AggregateStats
    settings: RunSettings

    @property
    def ok(self) -> bool:
        return self.rc == 0


class _Collector(CallbackBase):
    """Records every host result in order (a notification callback)."""

    CALLBACK_NAME = "corral_api_collector"
    CALLBACK_TYPE = "notification"

    def __init__(self) -> None:
        super().__init__()
        self.hosts: dict[str, HostResult] = {}
        self._lock = threading.Lock()

    def _record(self, result: Any, status: str) -> None:
        name = result._host.get_name()
        outcome = TaskOutcome(result.task_name, result._task.action, status, result._result)
        with self._lock:
            self.hosts.setdefault(name, HostResult(name)).results.append(outcome)

    def v2_runner_on_ok(self, result: Any) -> None:
        self._record(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._record(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._record(result, "unreachable")


def run_playbook(playbook: str | os.PathLike[str] | Sequence[Mapping[str, Any]], *,
                 inventory: str | Sequence[str] | None = None, extra_vars: Mapping[str, Any] | None = None,
                 limit: str | None = None, forks: int | None = None, check: bool = False, diff: bool = False,
                 host_slice: HostSlice | str | tuple[int, int] | None = None,
                 tags: Sequence[str] | None = None, skip_tags: Sequence[str] | None = None, verbosity: int = 0,
                 connection: str | None = None, remote_user: str | None = None,
                 private_key_file: str | None = None, timeout: int | None = None, become: bool | None = None,
                 become_method: str | None = None, become_user: str | None = None,
                 force_handlers: bool = False, vault_password: str | None = None,
                 vault_ids: Iterable[tuple[str, str | bytes]] | None = None, executor: str | None = None,
                 strategy: str | None = None, stdout_callback: str | None = None,
                 callbacks: Iterable[CallbackBase] = (), passwords: Mapping[str, str] | None = None,
                 stream: JobEventStream | None = None, config: Config | None = None,
                 cancel: Cancellation | None = None, plugins: PluginManager | None = None) -> RunResult:
    """Run ``playbook`` (a path, or a list of play mappings) and return what happened.

    ``inventory`` is one or more sources (paths or ``"a,b,"`` lists).  ``vault_ids``
    are ``(label, password)`` pairs; ``passwords`` may hold ``conn_pass`` and
    ``become_pass``.  ``host_slice`` (``"M/N"``, ``(M, N)`` or a
    :class:`corral.inventory.slicing.HostSlice`) runs only the M-th of N disjoint
    slices of the hosts ``limit`` leaves, as ``--slice M/N`` does; a bad one raises
    :class:`corral.errors.CorralOptionsError`.  The run's other settings take the names of the command line's
    options (:class:`corral.settings.RunSettings`, in ``RunResult.settings``).
    ``stdout_callback`` (e.g. ``"default"``) prints as ``corral-playbook`` would; by
    default nothing is printed.  ``stream`` receives the job events as they
    happen.  ``cancel`` (a :class:`Cancellation`) stops the run from another thread.
    ``plugins`` is the run's own :class:`corral.plugins.manager.PluginManager`
    (default: a new one), e.g. with objects registered by a test or an embedding
    application; it serves one run.
    """
    config = config or Config()
    path: str | None = None
    plays: list[Mapping[str, Any]] = []
    if isinstance(playbook, (str, os.PathLike)):
        path = os.fspath(playbook)
    else:
        plays = list(playbook)
    words = dict(passwords or {})
    settings = RunSettings.from_keywords(
        config, inventory=inventory, limit=limit, extra_vars=extra_vars, host_slice=host_slice,
        basedir=os.path.dirname(os.path.abspath(path)) if path else os.getcwd(), forks=forks, check=check,
        diff=diff, verbosity=verbosity, tags=tags, skip_tags=skip_tags, force_handlers=force_handlers,
        connection=connection, remote_user=remote_user, private_key_file=private_key_file, timeout=timeout,
        conn_pass=words.get("conn_pass"), become=become, become_method=become_method, become_user=become_user,
        become_pass=words.get("become_pass"), vault_password=vault_password or words.get("vault_pass"),
        vault_passwords=vault_ids or (), executor=executor, strategy=strategy)
    run = assemble(settings, config, plugins=plugins)
    stdout = None
    if stdout_callback:
        stdout = run.plugins.callback_class(stdout_callback)()
        stdout.set_options()
    events = JobEventCallback(stream if stream is not None else JobEventStream(), stdout_callback=stdout)
    collector = _Collector()
    try:
        if path is not None:
            executor_ = PlaybookExecutor([path], run.inventory, run.variable_manager, run.loader,
                                         settings=settings, config=config, plugins=run.plugins,
                                         stdout_callback=events, callbacks=[collector, *callbacks],
                                         run_additional_callbacks=False)
            if cancel is not None:
                cancel._attach(executor_.tqm)
            rc = executor_.run()
            stats = executor_.tqm.stats
        else:
            tqm = TaskQueueManager(run.inventory, run.variable_manager, run.loader, settings=settings,
                                   config=config, plugins=run.plugins, stdout_callback=events,
                                   callbacks=[collector, *callbacks], run_additional_callbacks=False)
            rc, stats = _run_plays(plays, run, tqm, cancel)
    finally:
        events.close()
    hosts = dict(collector.hosts)
    for name in stats.processed:
        hosts.setdefault(name, HostResult(name)).stats = stats.summarize(name)
    return RunResult(rc=rc, hosts=hosts, events=events.events, stats=stats, settings=settings)


def _run_plays(plays: list[Mapping[str, Any]], run: RunObjects, tqm: TaskQueueManager,
               cancel: Cancellation | None) -> tuple[int, AggregateStats]:
    from corral.playbook.play import Play
    if cancel is not None:
        cancel._attach(tqm)
    rc = 0
    try:
        loaded = [Play.load(dict(source), variable_manager=run.variable_manager, loader=run.loader,
                            plugins=run.plugins) for source in plays]
        validate_actions(loaded, tqm.plugins)
        for play in loaded:
            rc = tqm.run(play)
            if tqm.break_play or tqm.cancelled:
                break
        if not tqm.cancelled:
            tqm.send_stats()
    finally:
        tqm.cleanup()
    return rc, tqm.stats


def stream_playbook(playbook: str | os.PathLike[str] | Sequence[Mapping[str, Any]],
                    **kwargs: Any) -> tuple[JobEventStream, concurrent.futures.Future[RunResult]]:
    """Start ``run_playbook`` in a background thread; return its event stream (a
    blocking and an async iterator) and a future for the :class:`RunResult`."""
    stream = JobEventStream()
    future: concurrent.futures.Future[RunResult] = concurrent.futures.Future()

    def target() -> None:
        try:
            future.set_result(run_playbook(playbook, stream=stream, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future
            stream.close()
            future.set_exception(exc)

    threading.Thread(target=target, name="corral-run", daemon=True).start()
    return stream, future
