"""``TaskQueueManager``: runs plays (seed API, ``corral.executor.task_queue_manager``).

The kernel's facade over the plugins of a run: it loads the callbacks, starts the
executor (``forking`` by default) and its lanes once, and runs each play batch with
the play's strategy (``linear`` by default).  Each instance owns its own
:class:`corral.plugins.manager.PluginManager`, so several managers may run at once in
one process.

Interrupts: ``cancel()`` stops a run from any thread (an API caller's
``threading.Thread`` running ``run(play)``): the running tasks are aborted (what
they started locally and on the hosts is killed, their temp files removed), no
further task starts, ``run`` returns :attr:`TaskQueueManager.RUN_USER_INTERRUPTED`
within about a second, and ``cleanup()`` (still to be called, as always) is bounded
to a few seconds.  A ``KeyboardInterrupt`` raised in the thread running ``run``
(Ctrl-C; the CLIs raise one for SIGTERM too) cancels the same way and propagates.
A cancelled manager runs nothing more.
"""
from __future__ import annotations

import dataclasses
import inspect
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from corral import hookspecs
from corral.config import Config, boolean
from corral.errors import CorralError, CorralInterrupted, CorralOptionsError
from corral.executor.lanes import LanePool
from corral.inventory.manager import HOST_ORDERS
from corral.executor.play_run import PlayRun
from corral.executor.task_executor import RunContext
from corral.plugins.executor import Executor, ExecutorSettings, ResetRequest
from corral.plugins.manager import PluginManager
from corral.plugins.strategy import StrategyContext
from corral.results import TaskResult
from corral.settings import RunSettings
from corral.stats import AggregateStats
from corral.template import Templar, TemplateEnvironment
from corral.utils import private_tmp

if TYPE_CHECKING:
    from corral.inventory.manager import InventoryManager
    from corral.parsing.dataloader import DataLoader
    from corral.vars.manager import VariableManager

__all__ = ["TaskQueueManager"]

_CANCELLED_LANES_TIMEOUT = 2.0   # seconds the lanes get to finish the cleanup of aborted tasks


def _serial_batches(hosts: list[Any], serial: Any) -> list[list[Any]]:
    if not serial:
        return [hosts]
    sizes = serial if isinstance(serial, list) else [serial]
    batches: list[list[Any]] = []
    index, position = 0, 0
    total = len(hosts)
    while position < total:
        spec = sizes[min(index, len(sizes) - 1)]
        text = str(spec).strip()
        size = int(total * float(text[:-1]) / 100.0) if text.endswith("%") else int(text)
        size = max(1, size)
        batches.append(hosts[position:position + size])
        position += size
        index += 1
    return batches


_EVENT_PARAMS: dict[str, list[str]] = {}


def _event_params(event: str) -> list[str]:
    """Parameter names of a callback event's hookspec (computed once per event)."""
    names = _EVENT_PARAMS.get(event)
    if names is None:
        names = list(inspect.signature(getattr(hookspecs, event)).parameters)
        _EVENT_PARAMS[event] = names
    return names


class TaskQueueManager:
    """Runs plays against an inventory.

    Seed API: ``TaskQueueManager(inventory=, variable_manager=, loader=, options=,
    passwords=, stdout_callback=)``; ``run(play)`` returns Ansible's result code (0
    ok, 2 failed hosts, 4 unreachable hosts); ``cleanup()`` stops the workers.
    ``stdout_callback`` is a callback name or a ``CallbackBase`` instance;
    ``callbacks`` adds more callback instances (e.g. an event collector).

    ``settings`` (a :class:`corral.settings.RunSettings`) configures the run; the
    CLIs and :mod:`corral.api` pass it.  Without it the run is configured from the
    seed's ``options`` and ``passwords`` (:meth:`RunSettings.from_ansible_options`),
    and ``passwords['vault_pass']`` becomes the loader's vault secret.
    ``forks``, when given, overrides the settings' forks.  ``single_module``: each host
    runs one module in the whole run (the ad-hoc CLI's one task), which then runs in a
    fresh interpreter rather than a module server.
    """

    RUN_OK = 0
    RUN_ERROR = 1
    RUN_FAILED_HOSTS = 2
    RUN_UNREACHABLE_HOSTS = 4
    RUN_FAILED_BREAK_PLAY = 8
    RUN_USER_INTERRUPTED = 16

    def __init__(self, inventory: InventoryManager, variable_manager: VariableManager, loader: DataLoader,
                 options: object = None,
                 passwords: Mapping[str, Any] | None = None, stdout_callback: Any = None,
                 run_additional_callbacks: bool = True, run_tree: bool = False, forks: int | None = None,
                 *, settings: RunSettings | None = None, config: Config | None = None,
                 plugins: PluginManager | None = None, callbacks: Iterable[Any] = (), display: Any = None,
                 single_module: bool = False) -> None:
        self.inventory = inventory
        #: each host runs one module in the whole run (``RunContext.single_module``)
        self.single_module = single_module
        self.variable_manager = variable_manager
        self.loader = loader
        self.config = config or Config()
        if settings is None:
            settings = RunSettings.from_ansible_options(options, passwords, self.config)
            self._seed_vault_passwords = settings.vault_passwords
        else:
            self._seed_vault_passwords = ()
        if forks:
            settings = dataclasses.replace(settings, forks=int(forks))
        self.settings = settings
        self.display = display or self._make_display()
        self.plugins = plugins or PluginManager(warn=self.warn)
        if self.plugins.content.config is None:
            self.plugins.content.configure(self.config)
        self.plugins.content.display = self.display
        self.plugins.warn_to(self.warn)
        if config is None:
            for warning in self.config.warnings:
                self.warn(warning)
        self.stats = AggregateStats()
        self.failed_hosts: set[str] = set()
        self.unreachable_hosts: set[str] = set()
        self.break_play = False
        #: ``--start-at-task`` found its task: the plays and batches after run whole
        self.start_at_done = False
        self.forks = settings.forks
        self._callback_lock = threading.RLock()
        self._stdout_callback = stdout_callback
        self._extra_callbacks = list(callbacks)
        self._run_additional_callbacks = run_additional_callbacks
        #: Ansible's ``run_tree``: also load the ``tree`` callback (its directory from its options)
        self._run_tree = run_tree
        self._callbacks_loaded = False
        self.callbacks: list[Any] = []
        self._pending_registration: list[tuple[Any, str]] = []
        self._executor: Executor | None = None
        self.lanes: LanePool | None = None
        self.run_context: RunContext | None = None
        self._holds_private_tmp = False
        self._cancelled = threading.Event()
        self._play_run: PlayRun | None = None

    @property
    def _stats(self) -> AggregateStats:
        """Ansible's name for :attr:`stats`, which scripts written for its API read."""
        return self.stats

    # -- display and callbacks ------------------------------------------------------------

    def _make_display(self) -> Any:
        from corral.display import Display
        return Display(verbosity=self.settings.verbosity)

    def warn(self, message: str) -> None:
        """A warning on the run's display."""
        self.display.warning(message)

    def load_callbacks(self) -> None:
        """Instantiate the stdout callback and the enabled callbacks (once)."""
        if self._callbacks_loaded:
            return
        self._callbacks_loaded = True
        stdout = self._stdout_callback
        if stdout is None:
            stdout = self.config.get("stdout_callback")
        if isinstance(stdout, str):
            stdout = self._instantiate(stdout)
        if stdout is not None:
            self._add_callback(stdout, getattr(stdout, "CALLBACK_NAME", type(stdout).__name__))
        enabled = list(self.config.get("callbacks_enabled")) if self._run_additional_callbacks else []
        if self._run_tree and "tree" not in enabled:
            enabled.append("tree")
        for name in enabled:
            try:
                self._add_callback(self._instantiate(name), name)
            except CorralError as exc:
                self.warn(f"Skipping callback plugin '{name}': {exc}")
        for callback in self._extra_callbacks:
            self._add_callback(callback, getattr(callback, "CALLBACK_NAME", type(callback).__name__))

    def _instantiate(self, name: str) -> Any:
        cls = self.plugins.callback_class(name)
        callback = cls(display=self.display)
        if hasattr(callback, "set_options"):
            callback.set_options(ini=self.config)
        if hasattr(callback, "set_cli_args"):
            callback.set_cli_args(self.settings.callback_cli_args())
        return callback

    def _add_callback(self, callback: Any, name: str) -> None:
        self.callbacks.append(callback)
        # pluggy calls the last registered first: register in reverse order of use.
        self._pending_registration.append((callback, name))

    def _register_callbacks(self) -> None:
        for callback, name in reversed(self._pending_registration):
            self.plugins.register_callback(callback, name, self.warn)
        self._pending_registration = []

    def send_callback(self, method_name: str, *args: Any, **kwargs: Any) -> None:
        """Send a ``v2_*`` event to every callback (positional args as Ansible's API).

        Every task result is censored here (:func:`censor_result`), the one door
        through which results reach callbacks, and through them the screen, log
        files, API results and job events: no callback ever sees a ``no_log`` value.
        """
        self.load_callbacks()
        self._register_callbacks()
        names = _event_params(method_name)
        call = dict(zip(names, args))
        call.update(kwargs)
        for name, value in call.items():
            if isinstance(value, TaskResult):
                call[name] = value.censored()
        for missing in names:
            call.setdefault(missing, None if missing != "ignore_errors" else False)
        with self._callback_lock:
            self.plugins.emit(method_name, **call)

    # -- the run -------------------------------------------------------------------------------

    def _start(self) -> RunContext:
        """Start the run's parts once (callbacks, executor, lanes); its task context."""
        if self.run_context is not None:
            return self.run_context
        self.load_callbacks()
        self._register_callbacks()
        if not self._holds_private_tmp:
            private_tmp.acquire(self.config.get("local_tmp"))  # released by cleanup()
            self._holds_private_tmp = True
        if self._seed_vault_passwords:
            from corral.parsing.vault import VaultSecret
            self.loader.set_vault_secrets([(label, VaultSecret(password))
                                           for label, password in self._seed_vault_passwords])
            self._seed_vault_passwords = ()
        self._start_fact_cache()
        if self.settings.flush_cache:
            for host in self.inventory.get_hosts("all", ignore_restrictions=True):
                self.variable_manager.clear_facts(host)
        template_env = TemplateEnvironment(self.plugins)
        self.variable_manager.template_environment = template_env
        self.variable_manager.display = self.display
        allow = tuple(sorted(self.plugins._allow)) if self.plugins._allow is not None else None
        settings = self.settings
        executor_class = self.plugins.executor_class(settings.executor)
        executor = self._executor = executor_class(ExecutorSettings(
            forks=self.forks, allow_plugins=allow, connection_cache_size=self._connection_cache_size(),
            plugins=self.plugins, config=self.config))
        executor.start([h.name for h in self.inventory.get_hosts("all", ignore_restrictions=True)])
        self.lanes = LanePool(executor)
        context = self.run_context = RunContext(
            loader=self.loader, inventory=self.inventory, variable_manager=self.variable_manager,
            plugins=self.plugins, template_env=template_env, executor=executor, config=self.config,
            settings=settings, cancelled=self._cancelled, cli_args=settings.cli_options(),
            display=self.display, single_module=self.single_module)
        self.variable_manager.options_vars = {
            **self.variable_manager.options_vars,
            "ansible_check_mode": settings.check, "ansible_diff_mode": settings.diff,
            "ansible_verbosity": settings.verbosity, "ansible_forks": self.forks,
            "ansible_run_tags": sorted(settings.only_tags), "ansible_skip_tags": sorted(settings.skip_tags),
            "ansible_config_file": self.config.config_file}
        return context

    def _connection_cache_size(self) -> int:
        """``connection_cache_size`` (0: ``forks``), refused with a clear error when negative."""
        size = int(self.config.get("connection_cache_size") or 0)
        if size < 0:
            raise CorralOptionsError(f"Invalid value '{size}' for setting 'connection_cache_size' "
                                     f"({self.config.origin('connection_cache_size')}): expected 0 (forks) "
                                     f"or a positive number")
        return size

    def _start_fact_cache(self) -> None:
        """Give the variable manager the configured fact cache plugin (``fact_caching``);
        without the ``memory`` plugin installed, facts stay in the manager's own memory."""
        if self.variable_manager.fact_cache_plugin is not None:
            return
        name = str(self.config.get("fact_caching") or "memory")
        try:
            cache_class = self.plugins.cache_class(name)
        except CorralError:
            if name == "memory":
                return
            raise
        self.variable_manager.fact_cache_plugin = cache_class(
            connection=self.config.get("fact_caching_connection"),
            timeout=int(self.config.get("fact_caching_timeout") or 0),
            prefix=str(self.config.get("fact_caching_prefix") or ""))

    def submit_to_lane(self, host: str, work: Callable[[], None]) -> None:
        """Run ``work`` on ``host``'s lane (the thread that talks to the executor
        for it); returns at once."""
        if self.lanes is None:
            raise CorralInterrupted("The run was interrupted.")
        self.lanes.submit(host, work)

    def executor_add_hosts(self, names: list[str]) -> None:
        """Give hosts added during the run (``add_host``) a lane."""
        if self._executor is not None:
            self._executor.start(names)

    def reset_connection(self, host: str) -> None:
        """Close ``host``'s connection (``meta: reset_connection``)."""
        if self._executor is not None:
            from corral.plugins.connection import ConnectionOptions
            self._executor.call(host, ConnectionOptions("local", host), ResetRequest())

    def _release(self, names: list[str]) -> None:
        """Close the connections of hosts that are done for the run (failed or
        unreachable: later plays leave them out), so they hold nothing open while
        the other hosts go on."""
        for name in names:
            try:
                self.reset_connection(name)
            except CorralError:
                pass    # its worker is gone: then so is the connection

    def _gather(self, play: Any, host_names: list[str]) -> set[str]:
        """The hosts of ``host_names`` that gather facts first, as ansible-core decides
        host by host: ``gather_facts`` when the play sets it, else ``gathering``
        (``explicit``: none); ``smart`` leaves out the hosts whose facts (cached by an
        earlier play or run) were gathered by a fact gathering (``_ansible_facts_gathered``),
        even when the play asks for facts."""
        value = play.gather_facts
        mode = str(self.config.get("gathering")).lower()
        wanted = boolean(value) if value is not None else mode != "explicit"
        if not wanted:
            return set()
        if mode == "smart":
            facts = self.variable_manager.get_host_facts
            return {name for name in host_names if not facts(name).get("_ansible_facts_gathered")}
        return set(host_names)

    @property
    def cancelled(self) -> bool:
        """Whether the run was cancelled (``cancel()`` or an interrupt)."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop the run from any thread: abort the running tasks (killing what they
        started, locally and on the hosts), start no more, and make ``run`` return
        ``RUN_USER_INTERRUPTED``.  Idempotent; ``cleanup()`` is still the caller's."""
        self._cancelled.set()
        lanes, executor, play_run = self.lanes, self._executor, self._play_run
        if lanes is not None:
            lanes.cancel()
        interrupt = getattr(executor, "interrupt", None)
        if interrupt is not None:
            interrupt()
        if play_run is not None:
            play_run.wake()

    def run(self, play: Any) -> int:
        """Run one play; the result code covers the whole run so far, or is
        ``RUN_USER_INTERRUPTED`` once the run was cancelled."""
        if self.cancelled:
            return self.RUN_USER_INTERRUPTED
        try:
            return self._run_play(play)
        except CorralInterrupted:
            self.cancel()
            return self.RUN_USER_INTERRUPTED
        except KeyboardInterrupt:
            self.cancel()
            raise
        finally:
            self._play_run = None

    def _run_play(self, play: Any) -> int:
        context = self._start()
        self.break_play = False
        play.post_validate(Templar(self.loader, self.variable_manager.get_vars(play=play),
                                   environment=context.template_env))
        order = play.order
        if order not in (None, *HOST_ORDERS):     # refused before the play's banner, as ansible-core does
            raise CorralOptionsError(f"Invalid 'order' specified for inventory hosts: {order}")
        try:
            hosts = self.inventory.get_hosts(play.host_pattern, order=order) if order else self.inventory.get_hosts(play.host_pattern)
        except CorralError as exc:
            self.send_callback("v2_playbook_on_play_start", play)
            raise CorralOptionsError(str(exc)) from exc
        # as in Ansible, the play fails (exit code 2) when a host failed before it,
        # or one ends it failed; a host that any_errors_fatal failed but a rescue recovered does not
        play_failed = bool(self.failed_hosts)
        # ansible_play_hosts_all: every host the play matches (those that failed before
        # too), in inventory order whatever the play's ``order``
        matched = [h.name for h in (self.inventory.get_hosts(play.host_pattern) if order else hosts)]
        removed = [name for name in matched if name in self.failed_hosts or name in self.unreachable_hosts]
        # serial batches are cut from every matched host; those removed before then leave
        # their batch (a batch may end up empty: its banner is shown, nothing runs)
        batches = [[h for h in batch if h.name not in removed] for batch in _serial_batches(hosts, play.serial)]
        hosts = [h for h in hosts if h.name not in removed]
        if hosts:   # the play's hosts are known when it starts (callbacks read ansible_play_hosts_all)
            self.variable_manager.set_play_hosts(play, matched, [h.name for h in batches[0]], removed)
        self.send_callback("v2_playbook_on_play_start", play)
        if not hosts:
            self.send_callback("v2_playbook_on_no_hosts_matched")
            return self._result(play_failed)
        names = [h.name for h in hosts]
        self.executor_add_hosts(names)
        strategy_name = play.strategy or self.settings.strategy
        strategy_class = self.plugins.strategy_class(str(strategy_name))
        for index, batch in enumerate(batches):
            if index:  # Ansible shows the play banner again for each serial batch
                self.send_callback("v2_playbook_on_play_start", play)
            if not batch:
                continue
            batch_names = [h.name for h in batch]
            self.variable_manager.set_play_hosts(play, matched, batch_names, removed)
            play_run = PlayRun(self, context, play, batch, self._gather(play, batch_names))
            self._play_run = play_run
            if self.cancelled:
                raise CorralInterrupted("The run was interrupted.")
            strategy: StrategyContext = play_run
            strategy_class(strategy).run()
            play_failed = play_failed or play_run.ended_failed()
            self._release([name for name in batch_names
                           if name in self.failed_hosts or name in self.unreachable_hosts])
            if self.break_play or play_run.play_ended:
                break
            if play_run.all_failed():
                # Ansible ends the whole playbook when every host of a batch failed
                self.break_play = True
                break
        return self._result(play_failed)

    def _result(self, failed: bool) -> int:
        if self.unreachable_hosts:
            return self.RUN_UNREACHABLE_HOSTS
        if failed:
            return self.RUN_FAILED_HOSTS
        return self.RUN_OK

    def send_stats(self) -> None:
        """Send ``v2_playbook_on_stats`` (the PLAY RECAP)."""
        self.send_callback("v2_playbook_on_stats", self.stats)

    def cleanup(self) -> None:
        """Stop the lanes and the executor (closing every connection); bounded to a
        few seconds after ``cancel()``."""
        if self.lanes is not None:
            if self.cancelled:
                self.lanes.shutdown(timeout=_CANCELLED_LANES_TIMEOUT)
            else:
                self.lanes.shutdown()
            self.lanes = None
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None
        self.run_context = None
        if self._holds_private_tmp:
            self._holds_private_tmp = False
            private_tmp.release()

    def terminate(self) -> None:
        self.cleanup()

    def get_inventory(self) -> Any:
        return self.inventory

    def get_variable_manager(self) -> Any:
        return self.variable_manager

    def get_loader(self) -> Any:
        return self.loader

    def __enter__(self) -> "TaskQueueManager":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cleanup()
