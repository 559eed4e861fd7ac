"""The old ``Runner`` API: run one module on the hosts of a pattern.

``Runner(pattern=, forks=, module_name=, module_args=, host_list=, ...).run()``
returns ``{'contacted': {host: result}, 'dark': {host: result}}``: hosts that
answered (failed ones too, with ``failed`` in their result) and hosts that could not
be reached (with the reason in ``msg``).  Nothing is printed.
"""
from __future__ import annotations

import threading
from typing import Any, Sequence

from corral.assembly import assemble
from corral.config import Config
from corral.executor.playbook_executor import validate_actions
from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory import Inventory
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.playbook.play import Play
from corral.plugins.callback import CallbackBase
from corral.plugins.manager import PluginManager
from corral.settings import RunSettings

__all__ = ["Runner"]


class _Results(CallbackBase):
    CALLBACK_NAME = "corral_runner_results"
    CALLBACK_TYPE = "stdout"

    def __init__(self) -> None:
        super().__init__()
        self.contacted: dict[str, Any] = {}
        self.dark: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _keep(self, result: Any, into: dict[str, Any]) -> None:
        data = {k: v for k, v in result._result.items() if not k.startswith("_ansible")}
        with self._lock:
            into[result._host.get_name()] = data

    def v2_runner_on_ok(self, result: Any) -> None:
        self._keep(result, self.contacted)

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._keep(result, self.contacted)

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._keep(result, self.contacted)

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._keep(result, self.dark)


class Runner:
    """Run ``module_name`` with ``module_args`` on the hosts matching ``pattern``.

    ``host_list`` is an inventory source (a path, a ``"a,b,"`` string or a list of
    host names); ``inventory`` may be given instead as an inventory object.
    """

    def __init__(self, pattern: str = "all", forks: int = 5, module_name: str = "command",
                 module_args: Any = "", host_list: str | Sequence[str] | None = None,
                 inventory: InventoryManager | None = None,
                 remote_user: str | None = None, remote_pass: str | None = None,
                 private_key_file: str | None = None, timeout: int | None = None,
                 transport: str | None = None, become: bool = False, become_method: str | None = None,
                 become_user: str | None = None, become_pass: str | None = None, check: bool = False,
                 diff: bool = False, extra_vars: dict[str, Any] | None = None, environment: Any = None,
                 background: int = 0, module_path: str | None = None, vault_pass: str | None = None,
                 **_ignored: Any) -> None:
        self.pattern = pattern
        self.forks = forks
        self.module_name = module_name
        self.module_args = module_args
        self.host_list = host_list
        self.inventory = inventory
        self.extra_vars = dict(extra_vars or {})
        self.environment = environment
        self.background = background
        self.remote_user, self.private_key_file, self.timeout = remote_user, private_key_file, timeout
        self.transport, self.check, self.diff = transport, check, diff
        self.become, self.become_method, self.become_user = become, become_method, become_user
        self._remote_pass, self._become_pass, self._vault_pass = remote_pass, become_pass, vault_pass

    def settings(self, config: Config) -> RunSettings:
        """The run's settings (the API's keyword door)."""
        return RunSettings.from_keywords(
            config, forks=self.forks, extra_vars=self.extra_vars, check=self.check, diff=self.diff,
            connection=self.transport, remote_user=self.remote_user, private_key_file=self.private_key_file,
            timeout=self.timeout, conn_pass=self._remote_pass or None, become=self.become or None,
            become_method=self.become_method, become_user=self.become_user,
            become_pass=self._become_pass or None, vault_password=self._vault_pass or None)

    def _inventory(self, loader: DataLoader, plugins: PluginManager) -> InventoryManager:
        if self.inventory is not None:
            return self.inventory
        # the old API's semantics: a named localhost uses the local connection
        return Inventory(loader=loader, host_list=self.host_list, plugins=plugins)

    def run(self) -> dict[str, dict[str, Any]] | None:
        """Run the module; ``None`` when no host matches the pattern (as the old API)."""
        from corral.cli.adhoc import adhoc_play_source
        config = Config()
        settings = self.settings(config)
        given = self.inventory is not None or self.host_list is not None
        run = assemble(settings, config, inventory=self._inventory if given else None)
        if not run.inventory.list_hosts(self.pattern):
            return None
        source = adhoc_play_source(self.pattern, self.module_name, self.module_args,
                                   async_seconds=self.background)
        if self.environment:
            source["tasks"][0]["environment"] = self.environment
        results = _Results()
        tqm = TaskQueueManager(run.inventory, run.variable_manager, run.loader, settings=settings,
                               stdout_callback=results, run_additional_callbacks=False, config=config,
                               plugins=run.plugins)
        play = Play.load(source, variable_manager=run.variable_manager, loader=run.loader, plugins=tqm.plugins)
        validate_actions([play], tqm.plugins)
        try:
            tqm.run(play)
        finally:
            tqm.cleanup()
        return {"contacted": results.contacted, "dark": results.dark}
