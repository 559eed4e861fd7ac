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

from corral.config import Config
from corral.events import JobEventCallback, JobEventStream
from corral.executor.playbook_executor import PlaybookExecutor, validate_actions
from corral.executor.stats import AggregateStats
from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.plugins.callback import CallbackBase
from corral.plugins.manager import PluginManager
from corral.vars.manager import VariableManager

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


@dataclasses.dataclass
class _Options:
    connection: str | None = None
    forks: int | None = None
    become: bool | None = None
    become_method: str | None = None
    become_user: str | None = None
    check: bool = False
    diff: bool = False
    verbosity: int = 0
    remote_user: str | None = None
    private_key_file: str | None = None
    timeout: int | None = None
    tags: list[str] | None = None
    skip_tags: list[str] | None = None
    force_handlers: bool = False
    module_path: str | None = None


def _build(inventory: str | Sequence[str] | None, extra_vars: Mapping[str, Any] | None,
           vault_password: str | None, vault_ids: Iterable[tuple[str, str]] | None, limit: str | None,
           basedir: str, config: Config,
           plugins: PluginManager | None) -> tuple[DataLoader, PluginManager, InventoryManager, VariableManager]:
    from corral.parsing.vault import VaultSecret, secrets_from_options
    loader = DataLoader()
    loader.set_basedir(basedir)
    secrets = []
    if vault_password is not None:
        secrets += secrets_from_options(vault_pass=vault_password)
    for label, password in vault_ids or ():
        secrets.append((label, VaultSecret(password.encode() if isinstance(password, str) else password)))
    if secrets:
        loader.set_vault_secrets(secrets)
    plugins = plugins or PluginManager()
    sources = [inventory] if isinstance(inventory, str) else list(inventory or config.get("inventory"))
    inv = InventoryManager(loader=loader, sources=sources, plugins=plugins,
                           enable_plugins=config.get("inventory_enable_plugins"), config=config)
    variables = VariableManager(loader=loader, inventory=inv)
    variables.extra_vars = dict(extra_vars or {})
    variables.roles_path = config.get("roles_path")
    if limit:
        inv.subset(limit)
    return loader, plugins, inv, variables


def run_playbook(playbook: str | os.PathLike[str] | Sequence[Mapping[str, Any]], *,
                 inventory: str | Sequence[str] | None = None, extra_vars: Mapping[str, Any] | None = None,
                 limit: str | None = None, forks: int | None = None, check: bool = False, diff: bool = False,
                 tags: Sequence[str] | None = None, skip_tags: Sequence[str] | None = None, verbosity: int = 0,
                 connection: str | None = None, become: bool | None = None, become_user: str | None = None,
                 vault_password: str | None = None, vault_ids: Iterable[tuple[str, str]] | None = None,
                 stdout_callback: str | None = None, callbacks: Iterable[CallbackBase] = (),
                 passwords: Mapping[str, str] | None = None, stream: JobEventStream | None = None,
                 config: Config | None = None, cancel: Cancellation | None = None,
                 plugins: PluginManager | None = None) -> RunResult:
    """Run ``playbook`` (a path, or a list of play mappings) and return what happened.

    ``inventory`` is one or more sources (paths or ``"a,b,"`` lists).  ``vault_ids``
    are ``(label, password)`` pairs.  ``stdout_callback`` (e.g. ``"default"``) prints
    as ``corral-playbook`` would; by default nothing is printed.  ``stream`` receives
    the job events as they happen.  ``cancel`` (a :class:`Cancellation`) stops the
    run from another thread.  ``plugins`` is the run's own
    :class:`corral.plugins.manager.PluginManager` (default: a new one), e.g. with
    objects registered by a test or an embedding application; it serves one run.
    """
    config = config or Config()
    path = os.fspath(playbook) if isinstance(playbook, (str, os.PathLike)) else None
    basedir = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    loader, plugins, inv, variables = _build(inventory, extra_vars, vault_password, vault_ids, limit, basedir,
                                             config, plugins)
    options = _Options(connection=connection, forks=forks, become=become, become_user=become_user,
                       check=check, diff=diff, verbosity=verbosity, tags=list(tags or []) or None,
                       skip_tags=list(skip_tags or []) or None)
    stdout = None
    if stdout_callback:
        stdout = plugins.callback_class(stdout_callback)()
        stdout.set_options()
    events = JobEventCallback(stream if stream is not None else JobEventStream(), stdout_callback=stdout)
    collector = _Collector()
    tqm_args = dict(passwords=dict(passwords or {}), config=config, plugins=plugins,
                    stdout_callback=events, callbacks=[collector, *callbacks], run_additional_callbacks=False,
                    only_tags=options.tags, skip_tags=options.skip_tags)
    try:
        if path is not None:
            executor = PlaybookExecutor([path], inv, variables, loader, options=options, **tqm_args)
            if cancel is not None:
                cancel._attach(executor.tqm)
            rc = executor.run()
            stats = executor.tqm._stats
        else:
            rc, stats = _run_plays(list(playbook), inv, variables, loader, options, tqm_args,  # type: ignore[arg-type]
                                   cancel)
    finally:
        events.close()
    hosts = dict(collector.hosts)
    for name in stats.processed:
        hosts.setdefault(name, HostResult(name)).stats = stats.summarize(name)
    return RunResult(rc=rc, hosts=hosts, events=events.events, stats=stats)


def _run_plays(plays: list[Mapping[str, Any]], inventory: Any, variables: Any, loader: Any, options: Any,
               tqm_args: dict[str, Any], cancel: Cancellation | None) -> tuple[int, AggregateStats]:
    from corral.playbook.play import Play
    loaded = [Play.load(dict(source), variable_manager=variables, loader=loader) for source in plays]
    tqm = TaskQueueManager(inventory, variables, loader, options=options, **tqm_args)
    if cancel is not None:
        cancel._attach(tqm)
    validate_actions(loaded, tqm.plugins)
    rc = 0
    try:
        for play in loaded:
            rc = tqm.run(play)
            if tqm.break_play or tqm.cancelled:
                break
        if not tqm.cancelled:
            tqm.send_stats()
    finally:
        tqm.cleanup()
    return rc, tqm._stats


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
