"""The old ``Runner`` API: run one module on the hosts of a pattern.

``Runner(pattern=, forks=, module_name=, module_args=, host_list=, ...).run()``
returns ``{'contacted': {host: result}, 'dark': {host: result}}``: hosts that
answered (failed ones too, with ``failed`` in their result) and hosts that could not
be reached (with the reason in ``msg``).  Nothing is printed.
"""
from __future__ import annotations

import threading
from typing import Any

from corral.config import Config
from corral.executor.playbook_executor import validate_actions
from corral.executor.task_queue_manager import TaskQueueManager
from corral.inventory import Inventory
from corral.inventory.manager import InventoryManager
from corral.parsing.dataloader import DataLoader
from corral.playbook.play import Play
from corral.plugins.callback import CallbackBase
from corral.vars.manager import VariableManager

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


class _RunnerOptions:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class Runner:
    """Run ``module_name`` with ``module_args`` on the hosts matching ``pattern``.

    ``host_list`` is an inventory source (a path, a ``"a,b,"`` string or a list of
    host names); ``inventory`` may be given instead as an inventory object.
    """

    def __init__(self, pattern: str = "all", forks: int = 5, module_name: str = "command",
                 module_args: Any = "", host_list: Any = None, inventory: Any = None,
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
        self.passwords = {k: v for k, v in (("conn_pass", remote_pass), ("become_pass", become_pass),
                                             ("vault_pass", vault_pass)) if v}
        self.options = _RunnerOptions(
            connection=transport, forks=forks, become=become or None, become_method=become_method,
            become_user=become_user, check=check, diff=diff, remote_user=remote_user,
            private_key_file=private_key_file, timeout=timeout, verbosity=0, module_path=module_path)

    def _inventory(self, loader: DataLoader, config: Config) -> Any:
        if self.inventory is not None:
            return self.inventory
        if self.host_list is None:
            return InventoryManager(loader=loader, sources=config.get("inventory"))
        # the old API's semantics: a named localhost uses the local connection
        return Inventory(loader=loader, host_list=self.host_list)

    def run(self) -> dict[str, dict[str, Any]] | None:
        """Run the module; ``None`` when no host matches the pattern (as the old API)."""
        from corral.cli.adhoc import adhoc_play_source
        config = Config()
        loader = DataLoader()
        inventory = self._inventory(loader, config)
        if not inventory.list_hosts(self.pattern):
            return None
        variables = VariableManager(loader=loader, inventory=inventory)
        variables.extra_vars = self.extra_vars
        source = adhoc_play_source(self.pattern, self.module_name, self.module_args,
                                   async_seconds=self.background)
        if self.environment:
            source["tasks"][0]["environment"] = self.environment
        results = _Results()
        tqm = TaskQueueManager(inventory, variables, loader, options=self.options, passwords=self.passwords,
                               stdout_callback=results, run_additional_callbacks=False, config=config)
        play = Play.load(source, variable_manager=variables, loader=loader, plugins=tqm.plugins)
        validate_actions([play], tqm.plugins)
        try:
            tqm.run(play)
        finally:
            tqm.cleanup()
        return {"contacted": results.contacted, "dark": results.dark}
